"""Build the site once per test session, for tests/test_site.py and tests/test_site_browser.py."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Build:
    site: Path
    log: str
    returncode: int
    seconds: float


@functools.cache
def build_site(answers: bool = True) -> Build:
    """``mkdocs build --strict`` into a temporary directory (removed at exit); ``answers=False``:
    the answer-free site (``FCNET_ANSWERS=0``).

    With ``FCNET_SITE_DIR`` set (``FCNET_ANSWER_FREE_SITE_DIR`` for the answer-free site), the site
    already built there is checked instead (quicker while editing pages: ``make site &&
    FCNET_SITE_DIR=site pytest tests/test_site_browser.py``); the build itself is then not tested.
    """
    given = os.environ.get("FCNET_SITE_DIR" if answers else "FCNET_ANSWER_FREE_SITE_DIR")
    if given:
        return Build(Path(given).resolve(), "", 0, float("nan"))
    site = Path(tempfile.mkdtemp(prefix="fcnet-site-" if answers else "fcnet-answer-free-site-"))
    atexit.register(shutil.rmtree, site, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", FCNET_ANSWERS="1" if answers else "0")
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Build(site, proc.stdout + proc.stderr, proc.returncode, time.perf_counter() - start)


def pages(site: Path) -> list[Path]:
    """Every HTML page of the built site but the 404 page, from the built tree."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")
