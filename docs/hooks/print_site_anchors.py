"""MkDocs hook (mkdocs.yml ``hooks:``): print-site's anchor renaming without its quadratic scans.

mkdocs-print-site-plugin (2.9) makes the ids on the all-on-one-page view unique by prefixing the id
of each heading, footnote and list item with its page's key.  Its ``update_anchor_ids`` runs one
pattern (``<tag … id="…" … >``) over the whole page, and each ``<`` the pattern starts from scans
to the end of its line when no id follows: on the notebook pages' one-line SVG figures and the
API page that took six of a warm build's eleven seconds.  This hook puts in its place the same
pattern applied only where it can match (lines holding an ``id="``, up to the tag of their last
id), with each match rewritten once; ``tests/test_site_cache.py`` checks that the result is the
plugin's own, page by page, on the built site.

>>> update_anchor_ids('<h2 id="loss">The loss</h2><div id="x"></div>\\n<p>no id</p>', "forward")
'<h2 id="forward-loss">The loss</h2><div id="x"></div>\\n<p>no id</p>'
"""

from __future__ import annotations

import re

from mkdocs_print_site_plugin import urls

__all__ = ["update_anchor_ids", "ORIGINAL"]

#: The plugin's own pattern (``urls.update_anchor_ids``): a start tag and the id in it.
TAG_WITH_ID = re.compile(r"<([^\s]+).*?id=\"([^\"]*?)\".*?>", flags=re.IGNORECASE)
#: The tags whose ids the plugin renames, as it lists them.
RENAMED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "sup", "li"})
#: The plugin's version, kept for the test that compares the two.
ORIGINAL = getattr(urls.update_anchor_ids, "original", urls.update_anchor_ids)


def _rename_in_line(line: str, page_key: str) -> str:
    # The pattern cannot cross a line (``.`` stops at a newline) and needs an ``id="`` with a ``>``
    # after it: past the ``>`` that closes the line's last id nothing can match, so it is left alone.
    last = line.lower().rfind('id="')
    if last < 0:
        return line
    quote = line.find('"', last + 4)
    close = line.find(">", quote + 1) if quote >= 0 else -1
    end = len(line) if close < 0 else close + 1

    def rename(tag: re.Match) -> str:
        if tag.group(1) not in RENAMED:
            return tag.group()
        return tag.group().replace(tag.group(2), f"{page_key}-{tag.group(2)}")

    return TAG_WITH_ID.sub(rename, line[:end]) + line[end:]


def update_anchor_ids(page_html: str, page_key: str) -> str:
    """``page_html`` with the id of each of its h1–h6, sup and li tags prefixed by ``page_key-``."""
    return "\n".join(_rename_in_line(line, page_key) for line in page_html.split("\n"))


update_anchor_ids.original = ORIGINAL
urls.update_anchor_ids = update_anchor_ids  # fix_internal_links looks it up in the module at each call
