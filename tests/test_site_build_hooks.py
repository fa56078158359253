"""The build's own speed-ups (docs/hooks/print_site_anchors.py, jinja_cache.py, site_hooks.py's notebook
stylesheet) change how long a build takes, never what it builds."""

from __future__ import annotations

import doctest
import json
import re

import pytest
from notebooks import hook
from site_build import ROOT, pages

mkdocs = pytest.importorskip("mkdocs", reason="the hooks need the docs extra")


@pytest.fixture(scope="module")
def anchors():
    return hook("print_site_anchors")


@pytest.fixture(scope="module")
def site(site_build):
    assert site_build.returncode == 0, site_build.log[-5000:]
    return site_build.site


@pytest.mark.parametrize("name", ["print_site_anchors", "site_hooks", "kernel_zygote"])
def test_the_hooks_doctests_pass(name):
    result = doctest.testmod(hook(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 1


@pytest.mark.parametrize(
    "html",
    [
        '<h2 id="a">A</h2>\n<div id="b"><li id="c">x</li></div>',
        '<p>text <a href="#x">x</a> <h3 id="later">swallowed by the first tag, as the plugin does</h3>',
        '<svg id="s"><g><text>no id after this</text></g></svg>' + "<g>" * 50 + '\n<sup id="fn">1</sup>',
        '<H2 ID="upper">case</H2><li id="">empty</li><li id="a">a and a "a"</li>',
        "no tags at all\n\n",
    ],
)
def test_the_one_pass_renaming_is_print_sites_own(anchors, html):
    assert anchors.update_anchor_ids(html, "page") == anchors.ORIGINAL(html, "page")


def test_the_build_uses_the_one_pass_renaming(anchors):
    from mkdocs_print_site_plugin import urls

    assert urls.update_anchor_ids is anchors.update_anchor_ids  # fix_internal_links looks it up there


#: built pages on which print-site's own version takes a second or more (long lines without an id, the case
#: that is quadratic for it); the one-pass version is compared with it on every other page
SLOW_FOR_THE_PLUGIN = {"api", "debugging", "grading", "print_page", "pytorch"}


@pytest.mark.site
def test_the_one_pass_renaming_is_print_sites_own_on_the_built_pages(anchors, site):
    # what the plugin is given, and more: the one-line SVG figures with ids (Backprop), many headings and ids
    compared = [p for p in pages(site) if p.parent.name not in SLOW_FOR_THE_PLUGIN]
    assert len(compared) >= 10
    for path in compared:
        text = path.read_text(encoding="utf-8")
        assert anchors.update_anchor_ids(text, "k") == anchors.ORIGINAL(text, "k"), path


def test_every_jinja_environment_of_the_build_keeps_its_compiled_templates():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    # the theme's environment is made by MkDocs, the search plugin and print-site; the API page's by mkdocstrings
    assert config.theme.get_env().bytecode_cache is not None
    assert config.plugins["mkdocstrings"].get_handler("python").env.bytecode_cache is not None


@pytest.mark.site
def test_the_notebook_stylesheet_is_one_file_every_notebook_page_links_to(site):
    hooks = hook("site_hooks")
    css = site / hooks.NOTEBOOK_CSS
    assert css.read_text(encoding="utf-8") == hooks.notebook_css() and len(hooks.notebook_css()) > 100_000
    notebook_pages = [p for p in pages(site) if "jupyter-wrapper" in p.read_text(encoding="utf-8")]
    assert len(notebook_pages) >= 10
    for page in notebook_pages:
        text = page.read_text(encoding="utf-8")
        links = re.findall(r'<link rel="stylesheet" href="([^"]*jupyter-notebook\.css)">', text)
        assert len(links) == 1, (page, links)
        assert (page.parent / links[0]).resolve() == css.resolve(), (page, links)
        assert ".jupyter-wrapper{--md-red-50" not in text, page  # not inlined as well
        assert len(text) < 400_000 or page.parent.name == "print_page", (page, len(text))


def _page(content: str, url: str = "backprop/", title: str = "Backprop", meta: dict | None = None, toc=None):
    """A page as the search plugin reads it: its HTML, table of contents (made from the HTML), URL, title, metadata."""
    from types import SimpleNamespace

    from mkdocs.structure.toc import get_toc

    toc = get_toc(hook("site_hooks").toc_tokens(content)) if toc is None else toc
    return SimpleNamespace(content=content, toc=toc, url=url, title=title, meta=meta or {})


def _entries(page, wrap=None) -> list[dict]:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex()
    if wrap is not None:
        index.add_entry_from_context = wrap(index)
    index.add_entry_from_context(page)
    return index.entries


_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)


@pytest.mark.site
def test_each_built_page_has_the_same_search_entries_from_the_cache_as_parsed(site):
    search = hook("search_cache")
    known: dict = {}
    contents = [m.group(1) for p in pages(site) if (m := _ARTICLE.search(p.read_text(encoding="utf-8")))]
    assert len(contents) >= 15
    for content in contents:
        page, used = _page(content), {}
        parsed = _entries(page)
        assert parsed and _entries(page, lambda index: search.cached_indexing(index, known, used)) == parsed
        stored = json.loads(json.dumps(known))  # as the next build reads it back from .cache/search/
        assert _entries(page, lambda index: search.cached_indexing(index, stored, {})) == parsed
        assert list(used) == [search.entry_key(page)]


def test_a_page_found_in_the_search_cache_is_not_parsed():
    search = hook("search_cache")
    page, known = _page('<h2 id="a">A</h2><p>some text</p>'), {}
    _entries(page, lambda index: search.cached_indexing(index, known, {}))

    def found(index):
        index.add_entry_from_context = lambda page: pytest.fail("parsed a page whose entries were kept")
        return search.cached_indexing(index, known, {})

    assert _entries(page, found) == [
        {"location": "backprop/", "title": "Backprop", "text": ""},
        {"location": "backprop/#a", "title": "A", "text": "<p>some text</p>"},
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"content": '<h2 id="a">A</h2><p>other text</p>'},
        {"url": "loss/"},
        {"title": "The loss"},
        {"meta": {"search": {"exclude": True}}},
        {"meta": {"search": {"boost": 2}}},
        {"meta": {"tags": ["grading"]}},
        {"meta": {"title": "Another title"}},
    ],
    ids=lambda change: "-".join(f"{k}={v}" for k, v in change.items()),
)
def test_whatever_the_search_entries_depend_on_changes_the_cache_key(change):
    search = hook("search_cache")
    content = '<h2 id="a">A</h2><p>some text</p>'
    before, after = _page(content), _page(**{"content": content} | change)
    assert _entries(before) != _entries(after)  # it matters to the entries...
    assert search.entry_key(before) != search.entry_key(after)  # ...so it is part of the key


def test_the_table_of_contents_leaves_the_search_entries_as_they_are():
    # why entry_key leaves it out: a section's id is linked as #id whether the table of contents lists it or not
    content = '<h2 id="a">A</h2><p>some text</p><h3 id="b">B</h3><p>more</p>'
    assert _entries(_page(content, toc=[])) == _entries(_page(content))


@pytest.mark.parametrize("command, frozen", [("build", True), ("serve", False), ("gh-deploy", False)])
def test_only_mkdocs_build_exits_without_the_last_garbage_collections(command, frozen):
    # serve goes on building: objects frozen there would never be collected
    import gc

    quick = hook("quick_exit")
    quick.on_startup(command=command, dirty=False)
    try:
        quick.on_shutdown()
        assert (gc.get_freeze_count() > 0) == frozen
    finally:
        gc.unfreeze()
