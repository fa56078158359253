r"""Derivations as HTML: each one once, where it lives, and linked from everywhere else.

`derivation_html` renders a derivation from its SymPy object: a heading that is a short name
("D5 · Through the hidden layer", anchor = the derivation's id), its introduction (the handout's
too, `fcnet.derivations.parts.INTROS`), the precondition, the numbered
steps (prose with inline math, then the step's lines), the result with its one equation tag,
and the code that implements it.  `results_latex` restates results (a summary), `result_rhs`
one result inline, and `results_table` lists derivations with links to their anchors, for the
pages that use them; `link` (HTML) and `link_markdown` (the registries' markdown) link to one.

>>> html = derivation_html(get("sigmoid-grad"))
>>> '<h2 id="sigmoid-grad">D3 · The sigmoid&#x27;s derivative' in html, html.count(r"\tag{D3}")
(True, 1)
>>> print(prose_html("the sum $\\sum_i y_i$ is 1"))
<p class="arithmatex">the sum \(\sum_i y_i\) is 1</p>
"""

from __future__ import annotations

import html as _html
import json

from ..derivations import all_derivations, get
from ..derivations.parts import INTROS, PARTS, href, number, page
from ..derivations.prose import segments
from .render import math_html, snippet_html

__all__ = [
    "prose_html",
    "heading_text",
    "derivation_html",
    "results_latex",
    "results_table",
    "result_rhs",
    "link",
    "link_markdown",
    "elsewhere_html",
    "part_html",
]


def prose_html(prose: str, tag: str = "p") -> str:
    """A sentence whose ``$…$`` math MathJax typesets (inline), the rest escaped text."""
    parts = (f"\\({_html.escape(p, quote=False)}\\)" if m else _html.escape(p, quote=False) for m, p in segments(prose))
    return f'<{tag} class="arithmatex">{"".join(parts)}</{tag}>'


def heading_text(d) -> str:
    """The heading a derivation gets everywhere: its number and its short name, ``D5 · Through the hidden layer``."""
    return f"{d.number} · {d.title}"


#: Between the lines of an ``aligned`` block: a little air, so that stacked fractions do not touch.
ROW = r" \\[0.4em] "


def _aligned(lines: list[str], tag: str | None = None) -> str:
    body = r"\begin{aligned}" + ROW.join(lines) + r"\end{aligned}"
    return math_html(body + (rf" \tag{{{tag}}}" if tag else ""))


def derivation_html(d, level: int = 2, seen: dict | None = None) -> str:
    """A derivation: heading (anchor = id), introduction, precondition, steps, the result tagged once, then its code.

    Parameters
    ----------
    d : fcnet.derivations.Derivation or str
        The derivation, or its id.
    level : int, default 2
        The heading level.
    seen : dict, optional
        The code excerpts already shown on the page, ref -> the derivation that showed it: those
        are linked to that derivation, not repeated, and the ones shown here are added.
    """
    d = get(d) if isinstance(d, str) else d
    ident = _html.escape(d.id)
    parts = [
        f'<section class="fcnet-derivation" data-derivation="{ident}" data-number="{_html.escape(d.number)}">',
        f'<h{level} id="{ident}">{_html.escape(heading_text(d))}'
        f'<a class="headerlink" href="#{ident}" title="Permanent link">¶</a></h{level}>',
    ]
    if d.id in INTROS:  # the introduction the handout prints too: one text for both
        parts.append(prose_html(INTROS[d.id]).replace('class="arithmatex"', 'class="arithmatex fcnet-intro"', 1))
    if d.precondition:
        parts.append(
            '<div class="admonition note"><p class="admonition-title">Precondition</p>'
            f"{prose_html(d.precondition)}</div>"
        )
    steps = "".join(f"<li>{prose_html(s.prose)}{_aligned(s.lines())}</li>" for s in d.steps)
    parts.append(f'<ol class="fcnet-steps">{steps}</ol>')
    parts.append(
        '<div class="fcnet-result"><p class="fcnet-result-label">Result</p>'
        f"{_aligned(d.result_lines(), tag=d.number)}</div>"
    )
    if d.snippets:
        parts.append('<p class="fcnet-implemented">Implemented by:</p>')
        for ref in d.snippets:
            if seen is not None and ref in seen:
                first = seen[ref]
                parts.append(
                    f'<p class="fcnet-snippet-ref fcnet-seen"><code>{_html.escape(ref)}</code>, shown under '
                    f'<a href="#{_html.escape(first.id)}">{_html.escape(first.number)}</a></p>'
                )
                continue
            parts.append(snippet_html(ref))
            if seen is not None:
                seen[ref] = d
    parts.append("</section>")
    return "\n".join(parts)


def results_latex(*ids: str) -> str:
    r"""The results of the named derivations as one ``aligned`` block, each derivation labelled once.

    For summaries: a page that restates derived formulas renders them from the SymPy results
    here instead of typing them.  The label, ``(Dn)``, sits on the derivation's last line.

    >>> print(results_latex("sigmoid-grad"))  # doctest: +NORMALIZE_WHITESPACE
    \begin{aligned} ... &\quad \text{(D3)} \end{aligned}
    """
    lines = []
    for d in map(get, ids):
        result = d.result_lines()
        lines += [line if "&" in line else f"& {line}" for line in result[:-1]]
        lines.append(f"{result[-1]} &\\quad \\text{{({d.number})}}")
    return r"\begin{aligned} " + ROW.join(lines) + r" \end{aligned}"


def result_rhs(ident: str, n: int = 0) -> str:
    r"""The right-hand side of a derivation's ``n``-th result line as SymPy renders it, for a sentence to state inline.

    >>> result_rhs("linear-grad", 2)
    'W^{\\top} \\delta'
    """
    return get(ident).result_lines()[n].split("&=")[-1].strip()


def link(ident: str, here: str) -> str:
    """A link to a derivation's anchor from the page at site path ``here``, its number as the text.

    The address and the number come from `fcnet.derivations.parts` (`href`, `number`), the one place that says
    which page holds it: no derivation is built for a link.

    >>> link("sigmoid-grad", here="changes/")
    '<a class="fcnet-dlink" href="../backprop/#sigmoid-grad">D3</a>'
    """
    return f'<a class="fcnet-dlink" href="{_html.escape(href(ident, here))}">{_html.escape(number(ident))}</a>'


def link_markdown(ident: str, here: str) -> str:
    """`link` in the registries' markdown (`fcnet.site.markup`): words that name a derived result link to it.

    >>> link_markdown("hidden-layer-grad", here="changes/"), link_markdown("linear-grad", here="backprop/")
    ('[D5](../backprop/#hidden-layer-grad)', '[D4](#linear-grad)')
    """
    return f"[{number(ident)}]({href(ident, here)})"


def results_table(ids, here: str, names=None) -> str:
    """Derivations listed by their results, each linked from the page at site path ``here`` to where it is derived.

    ``names`` gives the first column (e.g. the activation's name); by default the derivation's title.
    """
    from .render import Markup, table_html

    rows = []
    for n, ident in enumerate(ids):
        d = get(ident)
        result = math_html(r"\begin{aligned}" + ROW.join(d.result_lines()) + r"\end{aligned}")
        rows.append(
            [names[n] if names else d.title, Markup(f'<td class="fcnet-math">{result}</td>'), Markup(link(ident, here))]
        )
    return table_html(["", "result (derived by SymPy)", "derivation"], rows)


def elsewhere_html(here: str) -> str:
    """A script that sends an address ``here#ID`` naming a derivation another page renders on to that page's anchor.

    A citation written as ``backprop/#numdiff-toy`` then still lands on the derivation, wherever
    `fcnet.derivations.parts` places it; an id the page holds itself is never redirected.

    >>> '"numdiff-toy": "../numerical-gradient/#numdiff-toy"' in elsewhere_html("backprop/")
    True
    """
    targets = {d.id: href(d.id, here) for d in all_derivations() if page(d.id) != here}
    return (
        "<script>(function () {\n"
        f"  var targets = {json.dumps(targets)};\n"
        "  var id = decodeURIComponent(location.hash.slice(1));\n"
        "  if (Object.prototype.hasOwnProperty.call(targets, id) && !document.getElementById(id)) "
        "location.replace(targets[id]);\n"
        "})();</script>"
    )


def part_html(title: str) -> str:
    """The introduction of the part of `fcnet.derivations.parts.PARTS` with this title, the handout's too.

    >>> print(part_html("The output layer"))
    <p class="arithmatex">The loss is the softmax's cross-entropy: the gradient starts there, at the logits.</p>
    """
    return prose_html(next(p.intro for p in PARTS if p.title == title))
