"""MkDocs hook (mkdocs.yml ``hooks:``): each page's search entries kept between builds, in ``.cache/search/``.

Material's search plugin indexes a page by parsing its whole HTML with `html.parser` on every build:
0.8 s of a build after a one-line edit, nearly all of it on the notebook pages, whose HTML comes from
their cache unchanged.  Neither MkDocs nor Material keeps the index between builds, hence this hook.
`SearchIndex.add_entry_from_context` reads the page's HTML, URL, title and ``title``/``search``/``tags``
metadata; it also looks each section's id up in the table of contents, but only to link it as
``#id``, which an id not listed there gets too.  The entries are kept under a digest of those
and the plugin's version (`entry_key`); a page whose digest is known gets its entries back without being
parsed.  Each build writes back only the digests it used, so the file holds one build's pages.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path

from mkdocs.plugins import event_priority

__all__ = ["entry_key", "cached_indexing", "on_pre_build", "on_post_build"]

_state: dict = {}


def entry_key(page) -> str:
    """A digest of everything the search plugin reads of ``page`` to index it, and of the plugin's version."""
    meta = {k: page.meta.get(k) for k in ("title", "search", "tags")}
    head = json.dumps([version("mkdocs-material"), page.url, str(page.title), meta], default=str)
    return hashlib.sha256(f"{head}\0{page.content}".encode()).hexdigest()


def cached_indexing(index, known: dict, used: dict):
    """``index.add_entry_from_context``, answering from ``known`` (digest -> entries) when it can.

    Every page's entries, parsed or found, are recorded in ``used`` under its digest.
    """
    parse = getattr(index.add_entry_from_context, "__wrapped__", index.add_entry_from_context)

    def add_entry_from_context(page):
        key = entry_key(page)
        if key in known:
            index.entries.extend(json.loads(json.dumps(known[key])))  # a copy: the plugin may edit its entries
        else:
            start = len(index.entries)
            parse(page)
            known[key] = json.loads(json.dumps(index.entries[start:]))
        used[key] = known[key]

    add_entry_from_context.__wrapped__ = parse
    return add_entry_from_context


def _file(config) -> Path:
    return Path(config["config_file_path"]).resolve().parent / ".cache" / "search" / "entries.json"


@event_priority(-100)  # after the search plugin has made its index (on_config)
def on_pre_build(config):
    plugin = config.plugins.get("material/search")
    index = getattr(plugin, "search_index", None)
    if index is None:  # search disabled
        return
    try:
        known = json.loads(_file(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    _state.update(used={})
    index.add_entry_from_context = cached_indexing(index, known if isinstance(known, dict) else {}, _state["used"])


def on_post_build(config):
    used = _state.pop("used", None)
    if used is None:
        return
    path = _file(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(used), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a build reading it at the same time sees one build's file or the other's
