"""Shared fixtures: the worked examples, seeded generators, and the site and wheel built once per session."""

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
