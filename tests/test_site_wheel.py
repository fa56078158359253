"""Every page's notebook, as the site offers it for download, runs where fcnet is installed from its wheel.

The test builds fcnet's wheel once per session (tests/site_build.py: ``pip wheel --no-deps``,
from a copy of the sources, so the tree stays clean), installs it into a temporary folder
(``pip install --no-deps --target``; the dependencies and the page's extras come from this
environment), and executes each page's ``.ipynb`` with nbclient, the kernel's working folder
empty and the folder first on its path: the notebook can read nothing from the repository (no
``docs/``, no ``tests/``), and its first cell checks that ``fcnet`` is the installed wheel.
Marked ``wheel`` and ``site``; the pages run side by side under pytest-xdist.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from notebooks import DOCS, PENDING, notebook_pages

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
    spec = importlib.util.spec_from_file_location("site_hooks", ROOT / "docs/hooks/site_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def download(page: str) -> nbformat.NotebookNode:
    """The notebook the site offers beside the page, made by the site's own hook (rendering cells folded)."""
    import jupytext

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


def _param(page: str):
    marks = [pytest.mark.xfail(reason=PENDING[page], strict=True)] if page in PENDING else []
    return pytest.param(page, marks=marks, id=page)


@pytest.mark.parametrize("page", [_param(p) for p in notebook_pages()])
def test_the_downloaded_notebook_runs_from_an_empty_folder(page, installed, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    nb = download(page)
    check = (
        "import pathlib, fcnet\n"
        f"assert pathlib.Path(fcnet.__file__).is_relative_to({str(installed)!r}), fcnet.__file__\n"
        "assert not any(pathlib.Path.cwd().iterdir()), 'the notebook runs from an empty folder'"
    )
    nb.cells.insert(0, nbformat.v4.new_code_cell(check))
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(installed))  # the kernel inherits it: the wheel comes first
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(empty)}})
    client.execute()  # raises CellExecutionError, with the cell and the traceback, if a cell fails
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
