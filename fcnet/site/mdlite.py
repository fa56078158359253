r"""The little markdown the site's registries are written in, turned into HTML.

Exercises, takeaways, corrections and the notation table are written in a
small subset of markdown: paragraphs, ``- `` lists, fenced code blocks,
inline ``code``, ``**bold**``, ``*emphasis*`` and links ``[text](url)``, with
MathJax math in ``\( \)`` and ``\[ \]``.  A notebook's HTML output is not
run through Python-Markdown, and Python-Markdown would eat the backslashes of
the math anyway, so this module converts that subset itself.  Math is left
untouched (only HTML-escaped) and sits in ``class="arithmatex"`` blocks,
which the site's MathJax configuration typesets.

>>> print(inline_html(r"**Why** is \(a_{*} < b\) for `x*y`?"))
<strong>Why</strong> is \(a_{*} &lt; b\) for <code>x*y</code>?
>>> print(block_html("One.\n\n- a\n- b"))
<p class="arithmatex">One.</p>
<ul class="arithmatex"><li>a</li><li>b</li></ul>
"""

from __future__ import annotations

import html
import re

__all__ = ["inline_html", "block_html"]

# math first (kept whole), then code spans, bold, emphasis, links
_MATH = re.compile(r"(\\\(.*?\\\)|\\\[.*?\\\])", re.S)
_INLINE = [
    (re.compile(r"`([^`]+)`"), lambda m: f"<code>{m.group(1)}</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), lambda m: f"<strong>{m.group(1)}</strong>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), lambda m: f"<em>{m.group(1)}</em>"),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>'),
]


def _markup(text: str) -> str:
    """Inline markup on text that holds no math; code spans are protected from the rest."""
    codes: list[str] = []

    def stash(m):
        codes.append(f"<code>{m.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = _INLINE[0][0].sub(stash, html.escape(text, quote=False))
    for pattern, repl in _INLINE[1:]:
        out = pattern.sub(repl, out)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], out)


def inline_html(text: str) -> str:
    """One line or paragraph of the subset as inline HTML; the math is only escaped."""
    return "".join(
        html.escape(part, quote=False) if i % 2 else _markup(part) for i, part in enumerate(_MATH.split(text))
    )


def block_html(text: str) -> str:
    """Paragraphs, ``- `` lists and fenced code blocks (blank lines between blocks) as HTML."""
    out, lines = [], text.strip("\n").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        if lines[i].startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            code = html.escape("\n".join(lines[i + 1 : end]), quote=False)
            out.append(f"<pre><code>{code}</code></pre>")
            i = end + 1
            continue
        block = []
        while i < len(lines) and lines[i].strip() and not lines[i].startswith("```"):
            block.append(lines[i])
            i += 1
        if all(b.startswith(("- ", "  ")) for b in block) and block[0].startswith("- "):
            items: list[str] = []
            for b in block:  # "- " starts an item, an indented line continues it
                if b.startswith("- "):
                    items.append(b[2:].strip())
                else:
                    items[-1] += " " + b.strip()
            lis = "".join(f"<li>{inline_html(it)}</li>" for it in items)
            out.append(f'<ul class="arithmatex">{lis}</ul>')
        else:
            out.append(f'<p class="arithmatex">{inline_html(" ".join(b.strip() for b in block))}</p>')
    return "\n".join(out)
