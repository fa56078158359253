"""Every page's notebook, as the site offers it for download, runs where fcnet is installed from its wheel.

The test builds fcnet's wheel (``pip wheel --no-deps``, from a copy of the sources, so the tree
stays clean), installs it into a temporary folder (``pip install --no-deps --target``; the
dependencies and the page's extras come from this environment), and executes each page's
``.ipynb`` with nbclient, the kernel's working folder empty and the folder first on its path:
the notebook can read nothing from the repository (no ``docs/``, no ``tests/``), and its first
cell checks that ``fcnet`` is the installed wheel.  Marked ``wheel`` and ``site`` (about a minute and a half).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from notebooks import DOCS, PENDING, ROOT, notebook_pages

pytestmark = [pytest.mark.site, pytest.mark.wheel]  # site: the quick suite (-m "not site") leaves it out

#: What the wheel is built from: the package and the files pyproject.toml names.
SOURCES = ("fcnet", "pyproject.toml", "README.md", "LICENSE")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The folder the wheel is installed into."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if name == "fcnet" else {}))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(src)], check=True)
    (wheel,) = (tmp / "dist").glob("fcnet-*.whl")
    target = tmp / "site-packages"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


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
