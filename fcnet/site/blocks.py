"""HTML and markdown for the teaching registries: the notation table, key takeaways, corrections.

Each registry is data in its own module (`fcnet.site.notation`,
`fcnet.site.takeaways`, `fcnet.site.corrections`); this module turns it into
what a page shows.  The ``*_html`` functions are for notebook pages (pass the
result to `fcnet.site.show`), the ``*_markdown`` ones for markdown pages.
Math stays in ``\\( \\)`` for MathJax; text is the small markdown of `fcnet.site.mdlite`.

>>> "W1[h, d]" in notation_table_html()
True
"""

from __future__ import annotations

import html

from .mdlite import block_html, inline_html
from .notation import INDEX_CONVENTION, SYMBOLS

__all__ = ["notation_table_html", "notation_table_markdown"]


def _groups():
    for group in dict.fromkeys(s.group for s in SYMBOLS):
        yield group, [s for s in SYMBOLS if s.group == group]


def notation_table_html() -> str:
    """The notation table as HTML: the index convention, then a heading row per group."""
    rows = []
    for group, symbols in _groups():
        rows.append(f'<tr><th colspan="4">{html.escape(group)}</th></tr>')
        for s in symbols:
            rows.append(
                f'<tr><td><span class="arithmatex">\\({html.escape(s.latex, quote=False)}\\)</span></td>'
                f"<td><code>{html.escape(s.code, quote=False)}</code></td><td>{html.escape(s.shape)}</td>"
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
            out.append(f"| \\({s.latex}\\) | `{s.code}` | {s.shape} | {meaning} |")
        out.append("")
    return "\n".join(out)
