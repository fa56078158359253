"""The built site: strict build, formulas from SymPy, excerpts from source, anchors, nothing external.

The site is built once per session (tests/site_build.py) with ``mkdocs build --strict``.
"""

from __future__ import annotations

import html
import json
import os
import re
from urllib.parse import urlsplit

import pytest
from site_build import ROOT, build_site, pages

from fcnet.site.snippets import section

pytestmark = pytest.mark.site

# the excerpt is the <code> inside the <pre> (the label above it is a <code> too)
SNIPPET = re.compile(
    r'<div class="fcnet-snippet" data-snippet="([^"]+)"[^>]*>.*?<pre[^>]*>(?:<span></span>)?<code>(.*?)</code>', re.S
)
SOURCE = re.compile(
    r'<div class="fcnet-source" data-source="([^"]+)">.*?<pre[^>]*>(?:<span></span>)?<code>(.*?)</code>', re.S
)
# Hosts that appear in the JS/CSS the pages load without ever being requested, each with the
# reason; the browser test confirms that no request leaves 127.0.0.1.
INERT_HOSTS = {
    "www.w3.org": "XML/SVG/MathML namespace identifiers",
    "unpkg.com": "Material's Mermaid loader: runs only for .mermaid blocks (asserted absent)",
    "api.github.com": "Material's repository facts: only with repo_url (asserted unset)",
    "github.com": "licence and source comments",
    "clipboardjs.com": "licence comment",
    "fontawesome.com": "licence comment",
    "cdn.jsdelivr.net": "MathJax's speech-rule-engine, loaded only by the menu's explorer (menu disabled)",
    "www.mathjax.org": "MathJax's About dialog, part of the disabled menu",
    "lunrjs.com": "licence comment",
    "tartarus.org": "licence comment",
    "bit.ly": "comment",
    "stackoverflow.com": "comment in print-site's CSS",
}


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).rstrip("\n")


@pytest.fixture(scope="module")
def build():
    return build_site()


@pytest.fixture(scope="module")
def site(build):
    assert build.returncode == 0, build.log[-5000:]
    return build.site


@pytest.fixture(scope="module")
def built(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in pages(site)}


def test_strict_build_passes_without_warnings(build):
    if os.environ.get("FCNET_SITE_DIR"):
        pytest.skip("FCNET_SITE_DIR: checking a site built elsewhere, not the build")
    assert build.returncode == 0, build.log[-5000:]
    # mkdocs' own log lines; the kernels' "[IPKernelApp] WARNING | ..." chatter is not the build's
    warnings = [line for line in build.log.splitlines() if re.match(r"^WARNING\b", line)]
    assert not warnings, "\n".join(warnings)
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "site-build-seconds.txt").write_text(f"{build.seconds:.1f}\n")


def test_every_derivation_is_on_the_backprop_page_as_the_module_renders_it(built):
    from fcnet.derivations import all_derivations

    page = built["backprop/index.html"]
    for d in all_derivations():
        # MathJax reads the text content, so the LaTeX is there HTML-escaped (<, >, &)
        assert html.escape(d.latex(), quote=False) in page, d.id
        assert len(re.findall(rf'\sid="{re.escape(d.id)}"', page)) == 1, d.id
        heading = re.search(rf'<h2 id="{re.escape(d.id)}">(.*?)</h2>', page, re.S)
        assert heading and f"({d.number})" in _text(heading.group(1)), d.id
        for step in d.steps:
            assert html.escape(step.latex(), quote=False) in page, (d.id, step.prose)
        for ref in d.snippets:
            assert f'data-snippet="{ref}"' in page, (d.id, ref)
        # listed in the page's table of contents, so readers see the anchor
        assert re.search(rf'<a href="#{re.escape(d.id)}" class="md-nav__link">', page), d.id


def test_every_code_excerpt_equals_its_source_section(built):
    found = 0
    for name, page in built.items():
        for ref, code in SNIPPET.findall(page):
            assert _text(code) == section(html.unescape(ref)), (name, ref)
            found += 1
    assert found >= 20, found


def test_every_definition_shown_equals_its_source(built):
    from fcnet.site.render import _def_source

    shown = [(name, ref, code) for name, page in built.items() for ref, code in SOURCE.findall(page)]
    assert shown
    for name, ref, code in shown:
        path, _, qualname = html.unescape(ref).partition(":")
        assert _text(code) == _def_source(path, qualname), (name, ref)


def test_markdown_pages_wrap_every_fcnet_snippet_for_the_check_above(built):
    for md in sorted((ROOT / "docs").glob("*.md")):
        refs = re.findall(r'--8<-- "(fcnet/[^"]+)"', md.read_text(encoding="utf-8"))
        url = "index.html" if md.stem == "index" else f"{md.stem}/index.html"
        wrapped = [ref for ref, _ in SNIPPET.findall(built[url])]
        assert sorted(refs) == sorted(wrapped), md.name


def test_notebook_pages_offer_their_ipynb(site):
    notebooks = sorted(p for p in (ROOT / "docs").rglob("*.py") if "hooks" not in p.relative_to(ROOT / "docs").parts)
    assert len(notebooks) >= 6
    for nb in notebooks:
        rel = nb.relative_to(ROOT / "docs").with_suffix("")
        page = site / rel / "index.html"
        target = site / rel / f"{nb.stem}.ipynb"
        assert f'href="{nb.stem}.ipynb"' in page.read_text(encoding="utf-8"), rel
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["nbformat"] == 4 and data["cells"] and data["metadata"]["kernelspec"]["name"] == "python3"


def _urls(text: str):
    return re.findall(r"https?://[^\s\"'<>()\\]+", text)


def test_pages_reference_nothing_outside_127_0_0_1(site, built):
    loaded = set()
    for name, page in built.items():
        for url in _urls(page):
            host = urlsplit(url).hostname
            assert host in ("127.0.0.1", "www.w3.org"), (name, url)
        assert 'class="mermaid"' not in page, name
        base = (site / name).parent
        for ref in re.findall(r'<script[^>]+src="([^"]+)"|<link[^>]+href="([^"]+\.css)"', page):
            ref = next(r for r in ref if r)
            assert not ref.startswith(("http:", "https:", "//")), (name, ref)
            loaded.add((base / ref).resolve())
    loaded |= set(site.glob("assets/javascripts/workers/*.js"))  # the search worker, started by the bundle
    assert any(p.name == "tex-mml-chtml.js" for p in loaded)
    for asset in sorted(loaded):
        for url in _urls(asset.read_text(encoding="utf-8", errors="replace")):
            host = urlsplit(url).hostname or ""
            if host.startswith("${"):  # a template literal: Material's GitHub/GitLab facts, only with repo_url
                continue
            assert host == "127.0.0.1" or host in INERT_HOSTS, (asset.name, url)


def test_the_conditions_that_keep_those_hosts_inert():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "repo_url" not in config and re.search(r"^\s*font: false", config, re.M)
    mathjax = (ROOT / "docs/javascripts/mathjax-config.js").read_text(encoding="utf-8")
    assert re.search(r"enableMenu:\s*false", mathjax)
    assert not re.search(r"https?://", mathjax)
    assert "document$" not in mathjax  # instant navigation is off: no re-typeset hook
    assert "navigation.instant" not in config


def test_mathjax_is_vendored_with_its_licence():
    mj = ROOT / "docs/assets/mathjax"
    assert (mj / "LICENSE").read_text().lstrip().startswith("Apache License")
    assert "3.2.2" in (mj / "VERSION").read_text()
    assert (mj / "es5/tex-mml-chtml.js").stat().st_size > 1_000_000
    assert list((mj / "es5/output/chtml/fonts/woff-v2").glob("*.woff"))
    assert (mj / "es5/input/tex/extensions/ams.js").is_file()
    size = sum(p.stat().st_size for p in mj.rglob("*") if p.is_file())
    assert size < 3_000_000, size  # only the three parts the site loads


def test_every_page_of_the_nav_is_built(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert "/backprop/" in locs and len(locs) >= 10
    for loc in locs:
        assert (site / loc.lstrip("/") / "index.html").is_file(), loc
    assert (site / "print_page" / "index.html").is_file()  # the all-on-one-page view (not in the sitemap)
