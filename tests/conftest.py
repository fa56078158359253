"""Shared fixtures: the worked examples, seeded generators, and the site and wheel built once per session."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import fcnet

# One profile for the whole suite: enough cases to find shape bugs, quick on 2 cores.
settings.register_profile(
    "fcnet", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
settings.load_profile("fcnet")

EXAMPLES = fcnet.EXAMPLES


@pytest.fixture(params=sorted(EXAMPLES))
def example(request):
    """``(name, (params, X, y, reg))`` for each worked example."""
    return request.param, EXAMPLES[request.param]()


@pytest.fixture
def rng():
    return np.random.default_rng(20261126)


@pytest.fixture(scope="session")
def site_build(tmp_path_factory):
    """The site, built once per session and shared by every xdist worker (tests/site_build.py)."""
    from site_build import build_site

    return build_site(tmp_path_factory)


@pytest.fixture(scope="session")
def answer_free_site_build(tmp_path_factory, site_build):
    """The answer-free site (``FCNET_ANSWERS=0``), built once per session like ``site_build``, and after it: a page
    that renders no exercise runs the same code in both, and this build finds it in the default build's cache."""
    from site_build import build_site

    return build_site(tmp_path_factory, answers=False)


@pytest.fixture(scope="session")
def wheel_installed(tmp_path_factory):
    """The folder fcnet's wheel is installed into, once per session and shared by every xdist worker."""
    from site_build import build_wheel, shared

    return Path(shared("wheel", build_wheel, tmp_path_factory)["target"])


#: modules whose every test needs the built site (marked site or browser): one of them collected starts the build
SITE_MODULES = (
    "tests/test_site.py::",
    "tests/test_site_answers.py::",
    "tests/test_site_browser.py::",
    "tests/test_site_wheel.py::",
)
_ahead: list[threading.Thread] = []


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """On the xdist controller, once a worker has collected a test that needs the site: build the wheel and both
    sites in a thread (tests/site_build.py, ``build_ahead``), while the workers run the tests before them."""
    if _ahead or os.environ.get("FCNET_SITE_DIR") or not any(i.startswith(SITE_MODULES) for i in ids):
        return
    from site_build import build_ahead

    folder = Path(node.config._tmp_path_factory.getbasetemp())  # the workers' basetemps are popen-gwN inside it
    _ahead.append(threading.Thread(target=build_ahead, args=(folder,), name="fcnet-site-ahead", daemon=True))
    _ahead[0].start()


def pytest_sessionfinish(session):
    # the controller waits for a build it started (a worker may be reading it), and leaves no build running
    for thread in _ahead:
        thread.join()


_COLLECTED = pytest.StashKey[set]()


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect anything
def pytest_collection_modifyitems(config, items):
    config.stash[_COLLECTED] = {item.nodeid for item in items}


@pytest.fixture(scope="session")
def collected_ids(pytestconfig):
    """``collected_ids(files)``: the node ids pytest collects in those test files.  Read from this session's own
    collection when it took every test of them (the whole suite, under xdist in every worker), else from
    ``pytest --collect-only`` in a process of its own."""

    def ids(files) -> set[str]:
        files = set(files)
        mine = pytestconfig.stash.get(_COLLECTED, set())
        narrowed = pytestconfig.option.keyword or any("::" in a for a in pytestconfig.args)
        if not narrowed and files <= {i.partition("::")[0] for i in mine}:
            return {i for i in mine if i.partition("::")[0] in files}
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *sorted(files)],
            cwd=pytestconfig.rootpath,
            env=dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),  # collection needs no plugin
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        return {line for line in run.stdout.split() if "::" in line}

    return ids
