"""Every page's notebook, as the site offers it for download, runs where fcnet is installed from its wheel.

The suite builds fcnet's wheel once per session (tests/site_build.py: ``pip wheel --no-deps``,
from a copy of the sources, so the tree stays clean) and installs it into a temporary folder
(``pip install --no-deps --target``; the dependencies and the page's extras come from this
environment).  The session's site build runs with that folder first on ``PYTHONPATH``, and the
build executes each page in an empty folder of its own (docs/hooks/notebook_cache.py): so every
page's notebook is executed as a reader runs its download, with nothing of the repository to read
(no ``docs/``, no ``tests/``) and ``fcnet`` imported from the wheel, or found in the notebook cache
under a key that holds every file of that ``fcnet``.  These tests check that it was so: the build
imported the wheel, the download's code is the page's, and the wheel holds the whole package.
One download also runs with ``jupyter nbconvert --execute``, as its box says.  Marked ``wheel``
and ``site``.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from notebooks import DOCS, hook, notebook_pages

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.site, pytest.mark.wheel]  # site: the quick suite (-m "not site") leaves it out


@pytest.fixture(scope="module")
def installed(wheel_installed) -> Path:
    """The folder the wheel is installed into (once per session: tests/site_build.py)."""
    return wheel_installed


def test_the_wheel_holds_the_package_data_the_pages_need(installed):
    assert (installed / "fcnet" / "site" / "guards.json").is_file()
    assert not (installed / "tests").exists() and not (installed / "docs").exists()


def _hooks():
    return hook("site_hooks")


def download(page: str):
    """The notebook the site offers beside the page, made by the site's own hook (rendering cells folded)."""
    import jupytext
    import nbformat  # here, not at the top: it takes a second to import, which collection would pay

    nb = _hooks().downloadable(jupytext.read(DOCS / page))
    return nbformat.reads(jupytext.writes(nb, fmt="ipynb"), as_version=4)


def test_what_the_download_box_says_to_install_is_what_this_suite_runs_with():
    # `pip install "fcnet[notebooks]"` must bring Jupyter itself: the app and nbconvert, as the box says
    from packaging.requirements import Requirement

    box = _hooks().download_html("forward.ipynb", ["notebooks"])
    assert 'pip install "fcnet[notebooks]"' in box and "jupyter nbconvert --to notebook --execute" in box
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    wanted = [Requirement(r) for r in extras["notebooks"]]
    names = {r.name for r in wanted}
    assert {"notebook", "nbconvert", "ipykernel"} <= names, names
    for r in wanted:
        assert r.specifier.contains(importlib.metadata.version(r.name), prereleases=True), r


def test_a_downloaded_notebook_runs_with_jupyter_nbconvert_as_the_box_says(installed, tmp_path, monkeypatch):
    folder = tmp_path / "student"
    folder.mkdir()
    import nbformat

    nbformat.write(download("forward.py"), folder / "forward.ipynb")
    monkeypatch.setenv("PYTHONPATH", str(installed))  # the wheel, not the repository
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    jupyter = Path(sys.executable).with_name("jupyter")
    run = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "notebook", "--execute", "forward.ipynb"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    done = nbformat.read(folder / "forward.nbconvert.ipynb", as_version=4)
    assert not [o for c in done.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert done.cells[0].source.startswith("*This notebook is a page of the fcnet site")
    assert any(c.metadata.get("jupyter", {}).get("source_hidden") for c in done.cells)


@pytest.fixture(scope="module")
def build(site_build):
    if not site_build.wheel:
        pytest.skip("FCNET_SITE_DIR: checking a site built elsewhere, not the build")
    assert site_build.returncode == 0, site_build.log[-5000:]
    return site_build


def test_the_site_build_executed_the_pages_with_fcnet_from_the_wheel(build, installed):
    assert Path(build.wheel) == installed
    assert f"fcnet from {installed / 'fcnet'}" in build.log, build.log[-3000:]


def test_the_wheel_holds_every_file_of_the_package(installed):
    # so a page the cache holds ran with these very files (the key is every file of the imported fcnet)
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}

    assert files(installed / "fcnet") == files(ROOT / "fcnet")


@pytest.mark.parametrize("page", notebook_pages())
def test_the_download_runs_the_pages_code(page):
    import jupytext

    def code(nb):
        return [c.source for c in nb.cells if c.cell_type == "code"]

    assert code(download(page)) == code(jupytext.read(DOCS / page))
