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

from pathlib import Path

import nbformat
import pytest
from notebooks import DOCS, PENDING, notebook_pages

pytestmark = [pytest.mark.site, pytest.mark.wheel]  # site: the quick suite (-m "not site") leaves it out


@pytest.fixture(scope="module")
def installed(wheel_installed) -> Path:
    """The folder the wheel is installed into (once per session: tests/site_build.py)."""
    return wheel_installed


def test_the_wheel_holds_the_package_data_the_pages_need(installed):
    assert (installed / "fcnet" / "site" / "guards.json").is_file()
    assert not (installed / "tests").exists() and not (installed / "docs").exists()


def download(page: str) -> nbformat.NotebookNode:
    """The notebook the site offers beside the page (docs/hooks/site_hooks.py writes it the same way)."""
    import jupytext

    return nbformat.reads(jupytext.writes(jupytext.read(DOCS / page), fmt="ipynb"), as_version=4)


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
