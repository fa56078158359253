"""MkDocs hooks (mkdocs.yml ``hooks:``) for the notebook pages.

mkdocs-jupyter turns each jupytext ``.py`` notebook under ``docs/`` into a page.
Its nbconvert template would load MathJax 2 and Mermaid from a CDN; these hooks

* strip those ``<script>`` elements (the site serves its own MathJax 3),
* rebuild the page's table of contents from every heading with an id, so the
  derivation headings that the notebooks emit from code cells are listed too,
* put a download link at the top of the page and write the notebook beside the
  page as ``<name>.ipynb`` (unexecuted, ready to run in Jupyter).

>>> html = '<script src=""> </script><h2 id="a-b">A &amp; B<a class="anchor-link" href="#a-b">¶</a></h2>'
>>> strip_cdn_scripts(html)
'<h2 id="a-b">A &amp; B<a class="anchor-link" href="#a-b">¶</a></h2>'
>>> toc_tokens(html)
[{'level': 2, 'id': 'a-b', 'name': 'A &amp; B', 'children': []}]
"""

from __future__ import annotations

import html as _html
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc

__all__ = ["strip_cdn_scripts", "toc_tokens", "fence_doctests", "on_page_content", "on_post_page"]

# nbconvert's MathJax 2 loader (its URL is blanked by mkdocs-jupyter's default), MathJax 2 config,
# Mermaid's CDN module and RequireJS: none is needed, and each would reach outside the machine.
_CDN_SCRIPTS = re.compile(
    r'<script\s+src="[^"]*"\s*>\s*</script>'
    r'|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?mermaid.*?</script>'
    r"|<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration) -->",
    re.S,
)
_HEADING = re.compile(r'<h([1-6])\s[^>]*?id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".py")


def strip_cdn_scripts(html: str) -> str:
    """Remove nbconvert's MathJax 2, Mermaid and RequireJS loaders from notebook HTML."""
    return _CDN_SCRIPTS.sub("", html)


def toc_tokens(html: str) -> list[dict]:
    """Table-of-contents tokens (as Python-Markdown's toc makes them) for the headings in ``html``."""
    root: list[dict] = []
    stack: list[dict] = []
    for level, ident, inner in _HEADING.findall(html):
        text = re.sub(r"<a class=\"(?:anchor-link|headerlink)\".*?</a>|<[^>]+>", "", inner, flags=re.S).strip()
        token = {
            "level": int(level),
            "id": ident,
            "name": _html.escape(_html.unescape(text), quote=False),
            "children": [],
        }
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


@event_priority(100)  # before print-site copies the page into the all-on-one-page view
def on_page_content(html, page, config, files):
    if not _is_notebook(page):
        return html
    html = strip_cdn_scripts(html)
    page.toc = get_toc(toc_tokens(html))
    name = Path(page.file.src_uri).stem + ".ipynb"
    link = (
        f'<p class="fcnet-download"><a href="{name}" download="{name}">Download this page as a Jupyter notebook '
        f"(<code>{name}</code>)</a>; it imports <code>fcnet</code> and runs as is.</p>"
    )
    return link + html


def on_post_page(output, page, config):
    if _is_notebook(page):
        import jupytext

        nb = jupytext.read(page.file.abs_src_path)
        jupytext.write(
            nb, Path(page.file.abs_dest_path).with_name(Path(page.file.src_uri).stem + ".ipynb"), fmt="ipynb"
        )
    return output


def fence_doctests(text: str) -> str:
    r"""Wrap each bare run of doctest lines (``>>>`` up to the next blank line) in a ```` ```pycon ```` fence.

    >>> fence_doctests("Text.\n\n>>> 1 + 1\n2\n\nMore.").splitlines()
    ['Text.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    """
    out: list[str] = []
    block: list[str] = []
    indent, fenced = "", False

    def flush():
        if block:
            out.extend([indent + "```pycon", *block, indent + "```"])
            block.clear()

    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("```"):
            fenced = not fenced
        if not fenced and (stripped.startswith(">>>") or (block and stripped)):
            if not block:
                indent = line[: len(line) - len(stripped)]
            block.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


try:
    import griffe

    class DoctestFences(griffe.Extension):
        """Griffe extension (mkdocs.yml, mkdocstrings ``extensions``): doctests render as code on the API page.

        fcnet's docstrings carry doctests outside an Examples section; as markdown their ``>>>``
        would become nested block quotes and ``r["x"][0]`` a broken reference link.
        """

        def on_instance(self, *, obj, **kwargs):
            if obj.docstring is not None:
                obj.docstring.value = fence_doctests(obj.docstring.value)

except ImportError:  # pragma: no cover - griffe comes with the docs extra
    pass
