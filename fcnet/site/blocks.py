"""HTML and markdown for the teaching registries: the notation table, key takeaways, corrections.

Each registry is data in its own module (`fcnet.site.notation`,
`fcnet.site.takeaways`, `fcnet.site.corrections`); this module turns it into
what a page shows.  The ``*_html`` functions are for notebook pages (pass the
result to `fcnet.site.show`), the ``*_markdown`` ones for markdown pages.
Math stays in ``\\( \\)`` for MathJax; text is the small markdown of `fcnet.site.mdlite`.

>>> "W1[h, d]" in notation_table_html()
True
>>> print(takeaways_markdown("forward").splitlines()[0])
!!! abstract "Key takeaways"
"""

from __future__ import annotations

import html

from .corrections import CORRECTIONS
from .mdlite import block_html, inline_html
from .notation import INDEX_CONVENTION, SYMBOLS
from .takeaways import TAKEAWAYS

__all__ = [
    "notation_table_html",
    "notation_table_markdown",
    "takeaways_html",
    "takeaways_markdown",
    "corrections_html",
    "corrections_markdown",
]


def _groups():
    for group in dict.fromkeys(s.group for s in SYMBOLS):
        yield group, [s for s in SYMBOLS if s.group == group]


def _shape_markdown(shape: str) -> str:
    """A shape in code letters, ``(H, D_in)``, as code; words (``scalar``) and math as they are."""
    return f"`{shape}`" if shape.startswith("(") else shape


def notation_table_html() -> str:
    """The notation table as HTML: the index convention, then a heading row per group."""
    rows = []
    for group, symbols in _groups():
        rows.append(f'<tr><th colspan="4">{html.escape(group)}</th></tr>')
        for s in symbols:
            rows.append(
                f'<tr><td><span class="arithmatex">\\({html.escape(s.latex, quote=False)}\\)</span></td>'
                f"<td><code>{html.escape(s.code, quote=False)}</code></td>"
                f'<td class="arithmatex">{inline_html(_shape_markdown(s.shape))}</td>'
                f'<td class="arithmatex">{inline_html(s.meaning)}</td></tr>'
            )
    head = "<thead><tr><th>Symbol</th><th>Code</th><th>Shape</th><th>Meaning</th></tr></thead>"
    table = f'<div class="md-typeset__table fcnet-notation"><table>{head}<tbody>{"".join(rows)}</tbody></table></div>'
    return f"<div>{block_html(INDEX_CONVENTION)}{table}</div>"


def notation_table_markdown() -> str:
    """The notation table as markdown, one table per group, after the index convention."""
    out = [INDEX_CONVENTION, ""]
    for group, symbols in _groups():
        out += [f"**{group}**", "", "| Symbol | Code | Shape | Meaning |", "| --- | --- | --- | --- |"]
        for s in symbols:
            meaning = s.meaning.replace("|", r"\|")
            out.append(f"| \\({s.latex}\\) | `{s.code}` | {_shape_markdown(s.shape)} | {meaning} |")
        out.append("")
    return "\n".join(out)


def _takeaways(page: str) -> tuple[str, ...]:
    if page not in TAKEAWAYS:
        raise ValueError(f"page is {page!r}; expected one of {list(TAKEAWAYS)}")
    return TAKEAWAYS[page]


def takeaways_html(page: str) -> str:
    """The page's key takeaways as a Material ``abstract`` admonition (HTML)."""
    items = "".join(f"<li>{inline_html(line)}</li>" for line in _takeaways(page))
    return (
        f'<div class="admonition abstract fcnet-takeaways" data-page="{html.escape(page)}">'
        f'<p class="admonition-title">Key takeaways</p><ul class="arithmatex">{items}</ul></div>'
    )


def takeaways_markdown(page: str) -> str:
    """The page's key takeaways as a Material ``!!! abstract`` admonition (markdown)."""
    return "\n".join(['!!! abstract "Key takeaways"', ""] + [f"    - {line}" for line in _takeaways(page)])


def _selected(kind: str | None, ids=None, exclude=(), pending: bool = True):
    if kind not in (None, "site", "notes"):
        raise ValueError(f"kind is {kind!r}; expected None, 'site' or 'notes'")
    known = {c.id for c in CORRECTIONS}
    unknown = sorted(set(ids or ()) - known) + sorted(set(exclude) - known)
    if unknown:
        raise ValueError(f"no correction has the id {unknown[0]!r}; expected one of {sorted(known)}")
    return [
        c
        for c in CORRECTIONS
        if (kind is None or c.kind == kind)
        and (ids is None or c.id in ids)
        and c.id not in exclude
        and (pending or not c.pending)
    ]


def corrections_html(kind: str | None = None, level: int = 3, ids=None, exclude=(), pending: bool = True) -> str:
    """Each correction as HTML: a heading (its title, anchor ``fix-<id>``), the claim quoted, the correction, its tests.

    ``kind`` selects ``"site"`` or ``"notes"`` corrections (None: all), ``ids`` only those ids,
    ``exclude`` leaves ids out, ``pending=False`` leaves out those still waiting for a page edit.
    A test's source comes from `fcnet.site.guards.test_html`, which raises if the test is not shipped.
    """
    from .guards import test_html

    out = []
    for c in _selected(kind, ids, exclude, pending):
        out.append(
            f'<section class="fcnet-correction" data-correction="{c.id}" data-kind="{c.kind}">'
            f'<h{level} id="fix-{c.id}">{html.escape(c.title)}</h{level}>'
            f'<blockquote><p class="arithmatex">{inline_html(c.claim)}</p></blockquote>'
            f"{block_html(c.correction)}{''.join(test_html(t) for t in c.tests)}</section>"
        )
    return "\n".join(out)


def corrections_markdown(kind: str | None = None) -> str:
    """Each correction as markdown: the claim quoted, the correction, and the ids of its guarding tests."""
    out = []
    for c in _selected(kind):
        tests = ", ".join(f"`{t}`" for t in c.tests)
        out += [f"> {c.claim}", "", c.correction, "", f"Guarded by {tests}.", ""]
    return "\n".join(out)
