"""The notebook pages as a reader meets them: teaching code visible, rendering hidden, text that is text.

Static checks of the jupytext sources (no build): every page is found from docs/ and mkdocs.yml's
nav, so a new page is checked without being listed here.  Pages in ``notebooks.PENDING`` are
expected to fail (xfail, strict: the day one passes, its entry must go).
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from functools import cache

import pytest
from notebooks import DOCS, HIDE, PENDING, ROOT, cells, counts, header, mkdocs_config, nav_files, notebook_pages
from notebooks import visible_rendering as visible_rendering_of

PAGES = notebook_pages()


def _page(page: str, pending: bool = True):
    marks = [pytest.mark.xfail(reason=PENDING[page], strict=True)] if pending and page in PENDING else []
    return pytest.param(page, marks=marks, id=page)


def test_every_notebook_is_a_page_of_the_nav_and_the_other_way_round():
    nav = nav_files()
    assert len(PAGES) >= 9
    assert sorted(p for p in nav if p.endswith(".py")) == PAGES
    assert all((DOCS / p).is_file() for p in nav)


def test_the_build_hides_the_input_of_cells_tagged_hide_input():
    jupyter = mkdocs_config()["plugins"]["mkdocs-jupyter"].config
    # mkdocs-jupyter reads only the first tag of each list: one tag, and only input removal (cells run)
    assert jupyter["remove_tag_config"] == {"remove_input_tags": [HIDE]}
    assert jupyter["execute"] is True and jupyter["allow_errors"] is False


def test_the_check_below_sees_a_rendering_call_in_a_visible_cell(tmp_path, monkeypatch):
    # the rule can fail: a page that shows a table from a visible cell is caught, by name and through a helper
    page = tmp_path / "bad.py"
    page.write_text(
        "# %%\nimport fcnet\n\n# %% tags=['hide-input']\nfrom fcnet.site import show, table_html\n\n\n"
        "def table(rows):\n    return show(table_html(['a'], rows))\n\n\n"
        "# %%\ntable([[1]])\n\n# %%\nshow('<b>x</b>')\n",
        encoding="utf-8",
    )
    import notebooks

    monkeypatch.setattr(notebooks, "DOCS", tmp_path)
    assert visible_rendering_of("bad.py") == ["table (line 1 of a visible cell)", "show (line 1 of a visible cell)"]


def test_the_check_below_sees_matplotlib_in_a_visible_cell(tmp_path, monkeypatch):
    # a figure is drawn by fcnet.site from a hidden cell: importing matplotlib, plt.…, .subplots( and
    # Figure( in a visible cell are each caught; the same calls in a hidden cell, and ax.plot, are not
    page = tmp_path / "bad.py"
    page.write_text(
        "# %%\nimport matplotlib.pyplot as plt\nfrom matplotlib.figure import Figure\n\n"
        "# %%\nfig, ax = plt.subplots()\nax.plot([0, 1])\nplt.show()\n\n"
        "# %%\nfig = Figure()\naxes = fig.subplots(1, 2)\n\n"
        "# %% tags=['hide-input']\nimport matplotlib.pyplot as plt\nplt.subplots()\n",
        encoding="utf-8",
    )
    import notebooks

    monkeypatch.setattr(notebooks, "DOCS", tmp_path)
    assert visible_rendering_of("bad.py") == [
        "import matplotlib.pyplot as plt (line 1 of a visible cell)",
        "from matplotlib.figure import Figure (line 2 of a visible cell)",
        "plt.subplots (line 1 of a visible cell)",
        "plt.show (line 3 of a visible cell)",
        "Figure(…) (line 1 of a visible cell)",
        "fig.subplots(…) (line 2 of a visible cell)",
    ]


@pytest.mark.parametrize("page", [_page(p) for p in PAGES])
def test_no_visible_code_cell_calls_a_rendering_helper(page):
    assert not visible_rendering_of(page), f"{page}: tag these cells {HIDE!r}: {visible_rendering_of(page)}"


def _bound(source: str) -> set[str]:
    """Names a cell binds: imports, assignments, definitions, loop and with targets."""
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
    return out


def _used(source: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


@pytest.mark.parametrize("page", [_page(p, pending=False) for p in PAGES])
def test_a_reader_sees_teaching_code(page):
    visible, hidden = counts(page)
    assert visible >= 1, page
    # what a visible cell uses is bound in a visible cell: no teaching code (an import, a function,
    # a computed value) hides in a cell whose input the site removes
    code = [c for c in cells(page) if c.kind == "code"]
    shown = set().union(*(_bound(c.source) for c in code if not c.hidden))
    only_hidden = set().union(*(_bound(c.source) for c in code if c.hidden)) - shown
    used = set().union(*(_used(c.source) for c in code if not c.hidden))
    assert not used & only_hidden, (page, sorted(used & only_hidden))


@cache
def _requirements() -> dict[str, set[str]]:
    """Extra -> requirement names (lower-case), "" for the base dependencies, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = lambda req: re.split(r"[\s<>=!~\[;]", req, maxsplit=1)[0].lower().replace("_", "-")  # noqa: E731
    out = {"": {name(r) for r in project["dependencies"]}}
    out.update({extra: {name(r) for r in reqs} for extra, reqs in project["optional-dependencies"].items()})
    return out


def _closure(dists: set[str]) -> set[str]:
    """The distributions and everything they require (as installed here), lower-case."""
    seen, todo = set(), list(dists)
    while todo:
        dist = todo.pop()
        if dist in seen:
            continue
        seen.add(dist)
        todo += _requires(dist)
    return seen


@cache
def _requires(dist: str) -> list[str]:
    """What ``dist`` requires (as installed here; not its extras), lower-case; [] if it is not installed."""
    try:
        requires = importlib.metadata.requires(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [
        re.split(r"[\s<>=!~\[;(]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requires if "extra ==" not in r
    ]


@cache
def _distributions() -> dict[str, list[str]]:
    """Top-level module -> the installed distributions that provide it (one scan of the environment a session)."""
    return importlib.metadata.packages_distributions()


def _imports(source: str, module_level_only: bool = False) -> set[str]:
    tree = ast.parse(source)
    nodes = tree.body if module_level_only else ast.walk(tree)
    out = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def _third_party(page: str) -> set[str]:
    """Top-level modules the page needs: its own imports, and what the fcnet modules it imports load at import."""
    todo = set().union(*(_imports(c.source) for c in cells(page) if c.kind == "code"))
    seen, out = set(), set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        top = module.split(".")[0]
        if top == "fcnet":
            parts = module.split(".")
            for n in range(1, len(parts) + 1):  # importing a.b.c runs a, a.b and a.b.c
                file = ROOT.joinpath(*parts[:n])
                for candidate in (file / "__init__.py", file.with_suffix(".py")):
                    if candidate.is_file():
                        todo |= _imports(candidate.read_text(encoding="utf-8"), module_level_only=True)
        elif top not in sys.stdlib_module_names:
            out.add(top)
    return out


@pytest.mark.parametrize("page", [_page(p) for p in PAGES])
def test_the_download_names_every_extra_the_page_needs(page):
    extras = header(page).get("fcnet", {}).get("extras", [])
    assert "notebooks" in extras, f"{page}: a notebook needs the 'notebooks' extra (a kernel, matplotlib)"
    reqs = _requirements()
    assert set(extras) <= set(reqs), (page, set(extras) - set(reqs))
    provided = _closure(set().union(*(reqs[e] for e in ["", *extras])))
    dists = _distributions()
    missing = {
        module: dists.get(module, ["?"])
        for module in _third_party(page)
        if not {d.lower().replace("_", "-") for d in dists.get(module, [])} & provided
    }
    assert not missing, f"{page} imports modules that {extras} do not install: {missing}"


# TeX outside math, in text a reader reads: e^{z_i}, Σ_i, \frac, x_{n}
PSEUDO_TEX = re.compile(r"\\[A-Za-z]+|\^\{|_\{|\b[A-Za-z]{1,2}_[A-Za-z0-9]{1,3}\b")


def _prose(markdown: str) -> str:
    """Markdown without its math ($…$, $$…$$, \\(…\\), \\[…\\]), code (fenced, inline) and HTML tags."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$|\\\[.*?\\\]|\\\(.*?\\\)|\$[^$]+\$", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"<[^>]+>", "", text)


@pytest.mark.parametrize("page", [_page(p) for p in PAGES])
def test_notebook_text_has_its_math_in_math(page):
    prose = "\n".join(_prose(c.source) for c in cells(page) if c.kind == "markdown")
    assert not PSEUDO_TEX.findall(prose), (page, PSEUDO_TEX.findall(prose))


@pytest.mark.parametrize("page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.glob("*.md")))
def test_markdown_page_text_has_its_math_in_math(page):
    source = (DOCS / page).read_text(encoding="utf-8")
    prose = re.sub(r"^( {4}|\t).*$", "", source, flags=re.M)  # indented blocks (tabs, admonitions' code) aside
    assert not PSEUDO_TEX.findall(_prose(prose)), (page, PSEUDO_TEX.findall(_prose(prose)))


def test_the_pseudo_tex_rule_catches_what_the_issue_saw():
    assert PSEUDO_TEX.findall(_prose("e^{z_i} depends on z_k; Σ_i y_i = 1; $x_k$ and `a_b` are fine"))
    assert not PSEUDO_TEX.findall(_prose("$e^{z_i}$ depends on $z_k$, `W_1`, \\(y_i\\)"))
