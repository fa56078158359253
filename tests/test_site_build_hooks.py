"""The build's own speed-ups (docs/hooks/print_site_anchors.py, jinja_cache.py, site_hooks.py's notebook
stylesheet) change how long a build takes, never what it builds."""

from __future__ import annotations

import doctest
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


@pytest.mark.parametrize("name", ["print_site_anchors", "site_hooks"])
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
