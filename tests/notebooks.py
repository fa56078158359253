"""The site's notebook pages, found from docs/ and mkdocs.yml's nav (never a hand-kept list), cell by cell.

Used by tests/test_site_notebooks.py, tests/test_site_wheel.py and the site tests.  Run it to
count, page by page, the code cells a reader sees and those whose input the site hides::

    python tests/notebooks.py
"""

from __future__ import annotations

import ast
import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

#: The tag that hides a cell's input on the site (mkdocs.yml: remove_tag_config.remove_input_tags).
HIDE = "hide-input"

#: Pages allowed to fail the cross-page checks for now, each with its reason: the one place to list them.
#: The tests mark them xfail(strict=True), so a page that starts passing fails until it is taken off.
PENDING: dict[str, str] = {}


@functools.cache
def mkdocs_config():
    """mkdocs.yml as MkDocs reads it (`mkdocs.config.load_config`: validated, plugins loaded), read once."""
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return load_config(str(ROOT / "mkdocs.yml"))


def hook(name: str):
    """The MkDocs hook ``docs/hooks/<name>.py``, loaded as a module of its own (docs/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, DOCS / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _nav() -> tuple[str, ...]:
    import yaml

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from walk(value) if isinstance(value, list) else [value]

    # plain YAML: the nav needs no plugin loaded (BaseLoader leaves mkdocs.yml's !!python/name tags unread)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return tuple(walk(config["nav"]))


def nav_files() -> list[str]:
    """Every page of mkdocs.yml's nav, as a path under docs/, in nav order."""
    return list(_nav())


def notebook_pages() -> list[str]:
    """Every jupytext notebook under docs/ (the MkDocs hooks are build code, not pages), as "sub/page.py"."""
    return sorted(
        p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.py") if "hooks" not in p.relative_to(DOCS).parts
    )


@dataclass(frozen=True)
class Cell:
    kind: str  # "code" or "markdown"
    source: str
    tags: tuple[str, ...]

    @property
    def hidden(self) -> bool:
        return HIDE in self.tags


def cells(page: str) -> list[Cell]:
    import jupytext

    nb = jupytext.read(DOCS / page)
    return [Cell(c.cell_type, c.source, tuple(c.metadata.get("tags", ()))) for c in nb.cells]


def header(page: str) -> dict:
    """The notebook's metadata (jupytext header): ``fcnet: extras: [...]`` among it."""
    import jupytext

    return dict(jupytext.read(DOCS / page).metadata)


def _rendering_names(all_cells: list[Cell]) -> set[str]:
    """Names bound from fcnet.site anywhere in the notebook, and functions whose body uses them."""
    names: set[str] = set()
    trees = [ast.parse(c.source) for c in all_cells if c.kind == "code"]
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fcnet.site"):
                names.update(a.asname or a.name for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.asname or a.name for a in node.names if a.name.startswith("fcnet.site"))
    for tree in trees:  # a helper defined on the page that calls the site's helpers is one too
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & names:
                names.add(node.name)
    return names


#: Names under which a page would reach Matplotlib (``import matplotlib.pyplot as plt``).
MATPLOTLIB_NAMES = frozenset({"plt", "matplotlib", "pyplot", "mpl"})


def _matplotlib(node: ast.AST) -> str | None:
    """What makes ``node`` figure drawing: an import of matplotlib, ``plt.…``, ``….subplots(…)``, ``Figure(…)``."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        modules = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
        if any(m and m.split(".")[0] == "matplotlib" for m in modules):
            return ast.unparse(node)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in MATPLOTLIB_NAMES:
        return ast.unparse(node)
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name in {"subplots", "Figure"} and _matplotlib(func) is None:  # plt.subplots: reported once, as plt.…
            return f"{ast.unparse(func)}(…)"
    return None


def visible_rendering(page: str) -> list[str]:
    """The visible code cells' uses of rendering helpers (fcnet.site, or page helpers built on it) and of Matplotlib.

    A figure is drawn by a function of fcnet.site called from a hidden cell: a visible cell that
    imports matplotlib, calls ``plt.…``, ``….subplots(…)`` or ``Figure(…)`` is reported too.
    """
    all_cells = cells(page)
    helpers = _rendering_names(all_cells)
    found = []
    for cell in all_cells:
        if cell.kind != "code" or cell.hidden:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Name) and node.id in helpers:
                found.append(f"{node.id} (line {node.lineno} of a visible cell)")
            elif isinstance(node, ast.ImportFrom | ast.Import) and "fcnet.site" in ast.unparse(node):
                found.append(ast.unparse(node))
            elif isinstance(node, ast.Attribute) and ast.unparse(node).startswith("fcnet.site"):
                found.append(ast.unparse(node))
            elif drawing := _matplotlib(node):
                found.append(f"{drawing} (line {node.lineno} of a visible cell)")
    return found


def counts(page: str) -> tuple[int, int]:
    """(code cells a reader sees, code cells whose input is hidden)."""
    code = [c for c in cells(page) if c.kind == "code"]
    return sum(not c.hidden for c in code), sum(c.hidden for c in code)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(f"{'page':32s} {'visible':>8s} {'hidden':>8s}")
    for page in notebook_pages():
        seen, hidden = counts(page)
        note = f"   ({PENDING[page]})" if page in PENDING else ""
        print(f"{page:32s} {seen:8d} {hidden:8d}{note}")
