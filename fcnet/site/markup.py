r"""The registries' markdown (exercises, takeaways, corrections, notation, walkthrough) as HTML, by Python-Markdown.

A notebook's HTML output is not run through the site's Markdown, so the pages
that show a registry convert it here, with the extensions the site's
``mkdocs.yml`` uses: `pymdownx.arithmatex` (generic) keeps the math in
``\( \)`` and ``\[ \]`` whole inside ``class="arithmatex"``, which the site's
MathJax configuration typesets, and `pymdownx.details` folds an exercise's
answer (``??? success "Answer"``); ``fenced_code`` sets the code a question asks to complete.

>>> print(inline_html(r"**Why** is \(a_{*} < b\) for `x*y`?"))
<strong>Why</strong> is <span class="arithmatex">\(a_{*} &lt; b\)</span> for <code>x*y</code>?
>>> print(block_html("One.\n\n- a\n- b"))
<p>One.</p>
<ul>
<li>a</li>
<li>b</li>
</ul>
>>> print(folded_html("success", "Answer", "Two."))
<details class="success">
<summary>Answer</summary>
<p>Two.</p>
</details>
"""

from __future__ import annotations

import textwrap

import markdown

__all__ = ["block_html", "folded_html", "inline_html"]

_MARKDOWN = markdown.Markdown(
    extensions=["fenced_code", "pymdownx.arithmatex", "pymdownx.details"],
    extension_configs={"pymdownx.arithmatex": {"generic": True}},
)


def block_html(text: str) -> str:
    """Paragraphs, lists and code blocks as HTML."""
    return _MARKDOWN.reset().convert(text)


def inline_html(text: str) -> str:
    """One line or paragraph as inline HTML (without its ``<p>``)."""
    out = block_html(text)
    return out.removeprefix("<p>").removesuffix("</p>") if out.count("<p>") == 1 else out


def folded_html(kind: str, summary: str, text: str) -> str:
    """``text`` in a Material admonition folded shut, as ``??? kind "summary"`` writes it."""
    return block_html(f'??? {kind} "{summary}"\n\n' + textwrap.indent(text, "    "))
