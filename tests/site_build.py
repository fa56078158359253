"""What the site, wheel and browser tests share: the site, built once per test session, and fcnet's wheel.

The site is built with fcnet's wheel first on ``PYTHONPATH``: the build's notebook kernels (which
work in an empty folder each, docs/hooks/notebook_cache.py) import fcnet from the wheel, so each
page's notebook runs as a reader's download does, where only the wheel is installed.  A page found
in the notebook cache was executed with exactly these files: the cache's key holds every file of
the fcnet the build imports.

Under pytest-xdist each worker is a process of its own: the first worker to ask builds, under a
file lock in the folder all the workers' temporary folders share, and writes down what it
built; the others wait on the lock and read it (``shared``).  Without xdist it is built once per
process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the name each site is shared under (`shared`): the default one and the answer-free one (answers=False)
SITE_NAMES = {True: "site", False: "answer-free-site"}

#: What the wheel is built from: the package and the files pyproject.toml names.
WHEEL_SOURCES = ("fcnet", "pyproject.toml", "README.md", "LICENSE")


@dataclass(frozen=True)
class Build:
    site: Path
    log: str
    returncode: int
    seconds: float
    wheel: str | None = None  # the folder the build imported fcnet from, first on PYTHONPATH


def shared(name: str, produce: Callable[[Path], dict], tmp_path_factory) -> dict:
    """``produce(folder)``'s JSON-able result, made once for the session: under xdist by the first worker to ask.

    Under xdist it is made in the folder every worker's temporary folder sits in (one per session),
    under a file lock, and written down there for the other workers; without xdist in a folder of
    ``tmp_path_factory``'s.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return produce(tmp_path_factory.mktemp(name))
    return shared_in(tmp_path_factory.getbasetemp().parent, name, produce)  # each worker's is <the session's>/popen-gwN


def shared_in(folder: Path, name: str, produce: Callable[[Path], dict]) -> dict:
    """``produce(folder / name)``'s result, made by the first process to ask under ``folder/<name>.lock`` and
    written down in ``folder/<name>.json`` for the others."""
    from filelock import FileLock

    record = folder / f"{name}.json"
    with FileLock(str(folder / f"{name}.lock")):
        if record.is_file():
            return json.loads(record.read_text(encoding="utf-8"))
        where = folder / name
        where.mkdir(exist_ok=True)
        result = produce(where)
        record.write_text(json.dumps(result), encoding="utf-8")
        return result


def build_ahead(folder: Path) -> None:
    """The wheel, the site and the answer-free site, made in ``folder`` as the workers' `shared` makes them: run by
    the xdist controller in a thread of its own as soon as the workers have collected a site test, so that the
    builds overlap the tests that run first instead of holding up the first worker to ask (conftest.py)."""
    wheel = shared_in(folder, "wheel", build_wheel)["target"]
    for answers in (True, False):
        shared_in(folder, SITE_NAMES[answers], lambda where, a=answers: run_build(where / "site", a, wheel))


def run_build(site: Path, answers: bool = True, wheel: str | None = None) -> dict:
    """``mkdocs build --strict`` into ``site``, with the notebook cache of the checkout (.cache/notebooks/);
    ``answers=False``: the answer-free site (``FCNET_ANSWERS=0``); ``wheel``: a folder fcnet's wheel is
    installed in, put first on ``PYTHONPATH``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", FCNET_ANSWERS="1" if answers else "0")
    if wheel:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [wheel, os.environ.get("PYTHONPATH")]))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return {
        "site": str(site),
        "log": proc.stdout + proc.stderr,
        "returncode": proc.returncode,
        "seconds": time.perf_counter() - start,
        "wheel": wheel,
    }


def build_site(tmp_path_factory, answers: bool = True) -> Build:
    """The site, built once for the session (see ``shared``; the session fixtures ``site_build`` and
    ``answer_free_site_build`` call it); ``answers=False``: the answer-free site (``FCNET_ANSWERS=0``).

    With ``FCNET_SITE_DIR`` set (``FCNET_ANSWER_FREE_SITE_DIR`` for the answer-free site), the site
    already built there is checked instead (quicker while editing pages: ``make site &&
    FCNET_SITE_DIR=site pytest tests/test_site_browser.py``); the build itself is then not tested.
    """
    given = os.environ.get("FCNET_SITE_DIR" if answers else "FCNET_ANSWER_FREE_SITE_DIR")
    if given:
        return Build(Path(given).resolve(), "", 0, float("nan"))
    wheel = shared("wheel", build_wheel, tmp_path_factory)["target"]
    done = shared(SITE_NAMES[answers], lambda folder: run_build(folder / "site", answers, wheel), tmp_path_factory)
    return Build(Path(done["site"]), done["log"], done["returncode"], done["seconds"], done["wheel"])


def build_wheel(where: Path) -> dict:
    """fcnet's wheel (``pip wheel --no-deps``, from a copy of the sources, so the tree stays clean),
    installed into ``where/site-packages`` (``pip install --no-deps --target``)."""
    src = where / "src"
    src.mkdir()
    for name in WHEEL_SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if name == "fcnet" else {}))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    dist = where / "dist"
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(src)], check=True)
    (wheel,) = dist.glob("fcnet-*.whl")
    target = where / "site-packages"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return {"target": str(target)}


def pages(site: Path) -> list[Path]:
    """Every HTML page of the built site but the 404 page, from the built tree."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")
