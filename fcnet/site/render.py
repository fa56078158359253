"""HTML fragments for the site's pages: code excerpts, definitions, math, tabs, tables.

The notebooks under ``docs/`` build HTML with these (and with `fcnet.site.derivation`,
`.figures`, `.tables`, `.guards`) in cells whose input the site hides, and pass it to `show`,
which displays it at once.  Nothing on the site is typed twice: a code excerpt is read from its
named section of ``fcnet/`` source, a definition from its source file, and both carry a marker
the site tests look for:

* ``<div class="fcnet-snippet" data-snippet="fcnet/FILE.py:NAME">`` around an excerpt, whose
  ``<pre><code>`` text is exactly ``fcnet.site.snippets.section``;
* ``<div class="fcnet-source" data-source="fcnet/FILE.py:QUALNAME">`` around a definition,
  read with `ast`, without importing it.

Math goes in ``class="arithmatex"`` blocks with ``\\[ \\]`` / ``\\( \\)`` delimiters, the same
markup pymdownx.arithmatex gives markdown pages, so one MathJax configuration serves both.
Display math carries ``data-search-exclude``: the search index holds text, not TeX.

>>> print(math_html(r"a < b", display=False))
<span class="arithmatex">\\(a &lt; b\\)</span>
>>> html = snippet_html("fcnet/core/layers.py:affine-dW")
>>> 'data-snippet="fcnet/core/layers.py:affine-dW"' in html and "dout" in html
True
>>> print(matrix_latex([[1.0, -0.5], [2.0, 1 / 3]], digits=3))
\\begin{bmatrix} 1 & -0.5 \\\\ 2 & 0.333 \\end{bmatrix}
>>> print(table_html(["x", "x²"], [[0.5, 0.25]]))  # doctest: +ELLIPSIS
<div class="fcnet-table"><table><thead><tr><th>x</th><th>x²</th></tr></thead><tbody><tr><td class="num">0.5</td>...
"""

from __future__ import annotations

import ast
import html as _html
import itertools

import numpy as np

from .snippets import ROOT, section

__all__ = [
    "code_html",
    "snippet_html",
    "source_html",
    "math_html",
    "tabs_html",
    "table_html",
    "Markup",
    "matrix_latex",
    "show",
]

_tab_sets = itertools.count(1)


def code_html(code: str, language: str = "python") -> str:
    """A highlighted code block with Material's markup (and so its copy button)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    body = highlight(code, get_lexer_by_name(language), HtmlFormatter(nowrap=True))
    return f'<div class="language-{language} highlight"><pre><span></span><code>{body}</code></pre></div>'


def snippet_html(ref: str) -> str:
    """The source section ``ref`` ("fcnet/<file>.py:<name>") as a code block, labelled by its ref."""
    return (
        f'<div class="fcnet-snippet" data-snippet="{_html.escape(ref)}">'
        f'<p class="fcnet-snippet-ref"><code>{_html.escape(ref)}</code></p>{code_html(section(ref))}</div>'
    )


def folded_html(summary: str, html: str, kind: str = "note") -> str:
    """A Material admonition folded shut (``<details>``, as ``pymdownx.details`` writes it): one click opens it.

    >>> folded_html("More", "<p>x</p>")
    '<details class="note"><summary>More</summary><p>x</p></details>'
    """
    return f'<details class="{_html.escape(kind)}"><summary>{_html.escape(summary)}</summary>{html}</details>'


def math_html(latex: str, display: bool = True) -> str:
    """LaTeX in an ``arithmatex`` block (display, kept out of the search index) or span (inline), escaped."""
    tex = _html.escape(latex, quote=False)
    if display:
        return f'<div class="arithmatex" data-search-exclude>\\[{tex}\\]</div>'
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def tabs_html(tabs: dict[str, str]) -> str:
    """Material content tabs (alternate style) holding the given HTML, first tab selected."""
    n = next(_tab_sets)
    inputs = "".join(
        f'<input {"checked " if i == 1 else ""}id="__fcnet_tab_{n}_{i}" name="__fcnet_tab_{n}" type="radio">'
        for i in range(1, len(tabs) + 1)
    )
    labels = "".join(f'<label for="__fcnet_tab_{n}_{i}">{_html.escape(k)}</label>' for i, k in enumerate(tabs, 1))
    blocks = "".join(f'<div class="tabbed-block">{v}</div>' for v in tabs.values())
    return (
        f'<div class="tabbed-set tabbed-alternate" data-tabs="{n}:{len(tabs)}">{inputs}'
        f'<div class="tabbed-labels">{labels}</div><div class="tabbed-content">{blocks}</div></div>'
    )


class Markup(str):
    """A string that is HTML already: `table_html` puts it in as it is, where it escapes any other string."""

    def __html__(self) -> str:
        return str(self)


def _html_of(value) -> str:
    """``value`` as HTML: markup (anything with ``__html__``) as it is, anything else as escaped text."""
    return value.__html__() if hasattr(value, "__html__") else _html.escape(str(value), quote=False)


def table_html(header, rows, caption: str | None = None, digits: int | None = None) -> str:
    """A table; floats are printed with ``repr`` (shortest round-trip) in monospace cells.

    Text is escaped (``"a < b"`` shows as written); a `Markup` string is HTML and goes in as it is, and a
    `Markup` cell that is a whole ``<td …>…</td>`` is the cell.  With ``digits``, floats are shown to that
    many significant digits instead.  The table scrolls inside its own box when it is wider than the page
    (on a phone), never the page.

    >>> print(table_html(["x < 1"], [["<b>"], [Markup("<b>1</b>")]]))  # doctest: +ELLIPSIS
    <div class="fcnet-table"><table><thead><tr><th>x &lt; 1</th></tr></thead><tbody><tr><td>&lt;b&gt;</td>...
    """

    def cell(v):
        if isinstance(v, float | np.floating):
            text = repr(float(v)) if digits is None else f"{float(v):.{digits}g}"
            return f'<td class="num">{text}</td>'
        return v if isinstance(v, Markup) and v.startswith("<td") else f"<td>{_html_of(v)}</td>"

    head = "".join(f"<th>{_html_of(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{_html_of(caption)}</caption>" if caption else ""
    return f'<div class="fcnet-table"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def matrix_latex(a, digits: int = 6) -> str:
    """A 1-D or 2-D array as a LaTeX ``bmatrix`` (a 1-D array is a column), ``digits`` significant."""
    a = np.asarray(a, dtype=np.float64)
    rows = a[:, None] if a.ndim == 1 else a
    fmt = lambda v: f"{v:.{digits}g}".replace("e", r"\mathrm{e}")  # noqa: E731
    body = r" \\ ".join(" & ".join(fmt(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def def_source(path: str, qualname: str) -> str:
    """Source of the def/class ``qualname`` ("f" or "Class.method") in repo file ``path``, decorators included."""
    file = ROOT / path
    if not file.is_file():
        raise ValueError(f"path {path!r} is not a file in {ROOT}")
    text = file.read_text(encoding="utf-8")
    body = ast.parse(text).body
    for part in qualname.split("."):
        node = next((n for n in body if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == part), None)
        if node is None:
            raise ValueError(f"{path} has no definition {qualname!r}")
        body = node.body
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    lines = text.splitlines()[start - 1 : node.end_lineno]
    indent = len(lines[0]) - len(lines[0].lstrip())
    return "\n".join(line[indent:] for line in lines)


def source_html(ref: str) -> str:
    """The source of a definition, ``"fcnet/witnesses/torch_net.py:TwoLayerNet.loss"``, read without importing it."""
    path, _, qualname = ref.partition(":")
    return f'<div class="fcnet-source" data-source="{_html.escape(ref)}">{code_html(def_source(path, qualname))}</div>'


def show(*fragments: str) -> None:
    """Display HTML fragments in a notebook now, wherever the call sits in its cell."""
    from IPython.display import HTML, display  # IPython is imported only here

    display(HTML("\n".join(fragments)))
