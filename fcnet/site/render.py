"""HTML for the site's notebooks: derivations, source excerpts, tabs, tables.

The notebooks under ``docs/`` build HTML with these and pass it to `show`,
which displays it at once; nothing on the site is typed twice.  A formula is rendered from its SymPy object, a
code excerpt is read from its named section of ``fcnet/`` source, and both
carry a marker the site tests look for:

* ``<section class="fcnet-derivation" data-derivation="ID">`` around a
  derivation, whose heading has ``id="ID"``: readers link to
  ``…/backprop/#ID``;
* ``<div class="fcnet-snippet" data-snippet="fcnet/FILE.py:NAME">`` around
  an excerpt, whose ``<pre><code>`` text is exactly ``fcnet.site.snippets.section``;
* ``data-source`` (`source_html`) and ``data-test`` (`test_html`) around
  definitions and tests read from source with `ast`, without importing them.

Math goes in ``class="arithmatex"`` blocks with ``\\[ \\]`` / ``\\( \\)``
delimiters, the same markup pymdownx.arithmatex gives markdown pages, so
one MathJax configuration serves both.

>>> print(math_html(r"a < b", display=False))
<span class="arithmatex">\\(a &lt; b\\)</span>
>>> html = snippet_html("fcnet/core/layers.py:affine-dW")
>>> 'data-snippet="fcnet/core/layers.py:affine-dW"' in html and "dout" in html
True
>>> print(matrix_latex([[1.0, -0.5], [2.0, 1 / 3]], digits=3))
\\begin{bmatrix} 1 & -0.5 \\\\ 2 & 0.333 \\end{bmatrix}
"""

from __future__ import annotations

import ast
import html as _html
import itertools

import numpy as np

from fcnet.site.snippets import ROOT, section

__all__ = [
    "code_html",
    "snippet_html",
    "math_html",
    "results_latex",
    "derivation_html",
    "tabs_html",
    "table_html",
    "matrix_latex",
    "source_html",
    "test_html",
    "bibtex",
    "figure_html",
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


def math_html(latex: str, display: bool = True) -> str:
    """LaTeX in an ``arithmatex`` block (display) or span (inline), HTML-escaped."""
    tex = _html.escape(latex, quote=False)
    if display:
        return f'<div class="arithmatex">\\[{tex}\\]</div>'
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def results_latex(*ids: str) -> str:
    """The results of the named derivations as one ``aligned`` block, each line labelled (Dn).

    For summaries: a page that restates derived formulas renders them from the
    SymPy results here instead of typing them.

    >>> print(results_latex("sigmoid-grad"))  # doctest: +NORMALIZE_WHITESPACE
    \\begin{aligned} ... &\\quad \\text{(D3)} \\end{aligned}
    """
    import sympy

    from fcnet.derivations import get
    from fcnet.derivations.base import tex

    lines = []
    for d in map(get, ids):
        parts = d.result.args if isinstance(d.result, sympy.Tuple) else (d.result,)
        for part in parts:
            eq = f"{tex(part.lhs)} &= {tex(part.rhs)}" if isinstance(part, sympy.Eq) else f"& {tex(part)}"
            lines.append(f"{eq} &\\quad \\text{{({d.number})}}")
    return "\\begin{aligned} " + " \\\\ ".join(lines) + " \\end{aligned}"


def _prose(text: str) -> str:
    # prose may hold inline math; MathJax reads it from an arithmatex element
    return f'<p class="arithmatex">{_html.escape(text, quote=False)}</p>'


def derivation_html(d, level: int = 2) -> str:
    """A derivation: heading (anchor = id, its number), precondition, steps, result, then its code.

    Parameters
    ----------
    d : fcnet.derivations.Derivation
    level : int, default 2
        The heading level.
    """
    ident, number = _html.escape(d.id), _html.escape(str(d.number))
    parts = [
        f'<section class="fcnet-derivation" data-derivation="{ident}" data-number="{number}">',
        f'<h{level} id="{ident}"><span class="fcnet-number">({number})</span> {_html.escape(d.title)}'
        f'<a class="headerlink" href="#{ident}" title="Permanent link">¶</a></h{level}>',
    ]
    if d.precondition:
        parts.append(
            f'<div class="admonition note"><p class="admonition-title">Precondition</p>{_prose(d.precondition)}</div>'
        )
    parts.append('<ol class="fcnet-steps">')
    for step in d.steps:
        # a step is one ``lhs &= rhs`` line of the derivation's align block
        step_math = math_html(r"\begin{aligned}" + step.latex() + r"\end{aligned}")
        parts.append(f"<li>{_prose(step.prose)}{step_math}</li>")
    parts.append("</ol>")
    # the whole block exactly as Derivation.latex() gives it: an align environment, tagged
    parts.append(
        f"<p>All steps in one block, equation ({number}):</p>"
        f'<div class="arithmatex fcnet-block">{_html.escape(d.latex(), quote=False)}</div>'
    )
    if d.snippets:
        parts.append("<p>Implemented by:</p>")
        parts.extend(snippet_html(ref) for ref in d.snippets)
    parts.append("</section>")
    return "\n".join(parts)


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


def table_html(header, rows, caption: str | None = None, digits: int | None = None) -> str:
    """A table; floats are printed with ``repr`` (shortest round-trip) in monospace cells.

    With ``digits``, floats are shown to that many significant digits instead.  A cell that is
    already ``<td …>…</td>`` markup is used as it is.
    """

    def cell(v):
        if isinstance(v, float | np.floating):
            text = repr(float(v)) if digits is None else f"{float(v):.{digits}g}"
            return f'<td class="num">{text}</td>'
        return v if str(v).startswith("<td") else f"<td>{v}</td>"

    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (
        f'<div class="md-typeset__table fcnet-table"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def matrix_latex(a, digits: int = 6) -> str:
    """A 1-D or 2-D array as a LaTeX ``bmatrix`` (a 1-D array is a column), ``digits`` significant."""
    a = np.asarray(a, dtype=np.float64)
    rows = a[:, None] if a.ndim == 1 else a
    fmt = lambda v: f"{v:.{digits}g}".replace("e", r"\mathrm{e}")  # noqa: E731
    body = r" \\ ".join(" & ".join(fmt(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _def_source(path: str, qualname: str) -> str:
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
    return f'<div class="fcnet-source" data-source="{_html.escape(ref)}">{code_html(_def_source(path, qualname))}</div>'


def test_html(nodeid: str) -> str:
    """The source of a test, ``"tests/test_x.py::test_name[param]"``, as a collapsible block.

    Raises ValueError if the file or the test function does not exist, so a page cannot
    cite a test that is not there.
    """
    path, _, name = nodeid.partition("::")
    if not (path.startswith("tests/") and name):
        raise ValueError(f"nodeid {nodeid!r} does not name a test under tests/; expected 'tests/test_x.py::test_name'")
    code = _def_source(path, name.split("[")[0])
    return (
        f'<details class="fcnet-test" data-test="{_html.escape(nodeid)}"><summary>Guarded by '
        f"<code>{_html.escape(nodeid)}</code></summary>{code_html(code)}</details>"
    )


def bibtex(cff: str = "CITATION.cff", key: str = "fcnet") -> str:
    """A BibTeX ``@software`` entry made from the repository's CITATION.cff (the one source)."""
    import yaml

    meta = yaml.safe_load((ROOT / cff).read_text(encoding="utf-8"))
    authors = " and ".join(
        f"{{{a['name']}}}" if "name" in a else f"{a['family-names']}, {a.get('given-names', '')}".rstrip(", ")
        for a in meta["authors"]
    )
    fields = {
        "title": meta["title"],
        "author": authors,
        "version": meta.get("version"),
        "license": meta.get("license"),
        "year": str(meta.get("date-released", ""))[:4] or None,
    }
    body = ",\n".join(f"  {k:<7} = {{{v}}}" for k, v in fields.items() if v)
    return f"@software{{{key},\n{body}\n}}"


test_html.__test__ = False  # a helper for pages, not a test, whatever pytest makes of its name


def figure_html(fig, alt: str) -> str:
    """A Matplotlib figure as an inline PNG ``<img>`` (rendered by Agg; no pyplot, no display needed)."""
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img class="fcnet-figure" src="data:image/png;base64,{data}" alt="{_html.escape(alt)}">'


def show(*fragments: str) -> None:
    """Display HTML fragments in a notebook now, wherever the call sits in its cell."""
    from IPython.display import HTML, display  # IPython is imported only here

    display(HTML("\n".join(fragments)))
