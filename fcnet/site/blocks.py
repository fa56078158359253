"""HTML and markdown for the teaching registries: the notation table, key takeaways, corrections.

Each registry is data in its own module (`fcnet.site.notation`,
`fcnet.site.takeaways`, `fcnet.site.corrections`); this module turns it into
what a page shows.  The ``*_html`` functions are for notebook pages (pass the
result to `fcnet.site.show`), the ``*_markdown`` ones for markdown pages.
Math stays in ``\\( \\)`` for MathJax; text is markdown, converted by `fcnet.site.markup`.

>>> "W1[h, d]" in notation_table_markdown()
True
>>> print(takeaways_markdown("forward").splitlines()[0])
!!! abstract "Key takeaways"
"""

from __future__ import annotations

import html

from .corrections import CORRECTIONS
from .markup import block_html, inline_html
from .notation import INDEX_CONVENTION, SYMBOLS
from .takeaways import TAKEAWAYS

__all__ = [
    "notation_table_markdown",
    "takeaways_html",
    "takeaways_markdown",
    "corrections_html",
]


def _groups():
    for group in dict.fromkeys(s.group for s in SYMBOLS):
        yield group, [s for s in SYMBOLS if s.group == group]


def _shape_markdown(shape: str) -> str:
    """A shape in code letters, ``(H, D_in)``, as code; words (``scalar``) and math as they are."""
    return f"`{shape}`" if shape.startswith("(") else shape


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
        f'<p class="admonition-title">Key takeaways</p><ul>{items}</ul></div>'
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
            f"<blockquote><p>{inline_html(c.claim)}</p></blockquote>"
            f"{block_html(c.correction)}{''.join(test_html(t) for t in c.tests)}</section>"
        )
    return "\n".join(out)
