"""The built site: strict build, formulas from SymPy once each, excerpts from source, anchors, nothing external.

The site is built once per session (the ``site_build`` fixture, tests/site_build.py) with
``mkdocs build --strict``.  The notebook pages are found from docs/ (tests/notebooks.py), never from a hand-kept list.
"""

from __future__ import annotations

import html
import json
import os
import re
from urllib.parse import urlsplit

import pytest
from notebooks import PENDING, counts, header, nav_files, notebook_pages
from site_build import ROOT, pages

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
def build(site_build):
    return site_build


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
    # no warning line of any kind when nothing is wrong: mkdocs' own, the kernels' (which talk over IPC, so none
    # warns about TCP without encryption), MkDocs' 2.0 banner (NO_MKDOCS_2_WARNING): a real one cannot hide in noise
    warnings = [line for line in build.log.splitlines() if "warning" in line.lower()]
    assert not warnings, "\n".join(warnings)
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "site-build-seconds.txt").write_text(f"{build.seconds:.1f}\n")


def _nav_pages() -> list[str]:
    """The site paths of mkdocs.yml's nav, in reading order (``""`` for the home page)."""
    return [re.sub(r"(^|/)index/$", r"\1", f.rsplit(".", 1)[0] + "/") for f in nav_files()]


def _file(path: str) -> str:
    return f"{path}index.html"


def test_each_derivation_is_rendered_once_on_its_page_and_tagged_once(built):
    from fcnet.derivations import all_derivations
    from fcnet.derivations.parts import page as page_of

    for d in all_derivations():
        page = built[_file(page_of(d.id))]
        assert page.count(f'data-derivation="{d.id}"') == 1, d.id
        assert len(re.findall(rf'\sid="{re.escape(d.id)}"', page)) == 1, d.id
        # the heading is a short name, "D5 · Through the hidden layer"; the formula is in the body
        heading = re.search(rf'<h3 id="{re.escape(d.id)}">(.*?)</h3>', page, re.S)
        assert heading and _text(heading.group(1)).rstrip("¶") == f"{d.number} · {d.title}", d.id
        # MathJax reads the text content, so the LaTeX is there HTML-escaped (<, >, &)
        for step in d.steps:
            assert all(html.escape(line, quote=False) in page for line in step.lines()), (d.id, step.prose)
        assert all(html.escape(line, quote=False) in page for line in d.result_lines()), d.id
        for ref in d.snippets:
            assert f'data-snippet="{ref}"' in page or f"<code>{ref}</code>, shown under" in page, (d.id, ref)
        # listed in the page's table of contents, so readers see the anchor
        assert re.search(rf'<a href="#{re.escape(d.id)}" class="md-nav__link">', page), d.id
    # said once: one equation tag per result on the whole site, and no derivation rendered twice
    for name, text in built.items():
        if name == "print_page/index.html":  # the all-on-one-page view repeats every page by design
            continue
        for d in all_derivations():
            expected = 1 if name == _file(page_of(d.id)) else 0
            assert text.count(rf"\tag{{{d.number}}}") == expected, (name, d.number)
    assert "All steps in one block" not in built["backprop/index.html"]


def test_a_pages_derivations_are_exactly_the_registrys_for_it_and_numbered_in_reading_order(built):
    from fcnet.derivations import all_derivations
    from fcnet.derivations.parts import PARTS
    from fcnet.derivations.parts import page as page_of

    order = _nav_pages()
    numbers = []
    for path in order:
        text = built[_file(path)]
        rendered = re.findall(r'<section class="fcnet-derivation" data-derivation="([^"]+)" data-number="D(\d+)"', text)
        assert [i for i, _ in rendered] == [d.id for d in all_derivations() if page_of(d.id) == path], path
        numbers += [int(n) for _, n in rendered]
    # D1, D2, … as a reader meets them, page after page in the nav's order
    assert numbers == list(range(1, len(all_derivations()) + 1)), numbers
    assert all(p.page in order for p in PARTS) and len({p.page for p in PARTS}) == 3


def test_each_derivation_is_introduced_once_by_the_text_the_handout_prints(built):
    # one source for both: fcnet.derivations.parts.INTROS, under the heading on the site, in the PDF's section
    from fcnet.derivations import all_derivations
    from fcnet.derivations.parts import INTROS
    from fcnet.derivations.parts import page as page_of
    from fcnet.derivations.prose import segments

    assert set(INTROS) == {d.id for d in all_derivations()}
    for d in all_derivations():
        page = built[_file(page_of(d.id))]
        section = page[page.index(f'data-derivation="{d.id}"') :]
        intro = re.search(r'<p class="arithmatex fcnet-intro">(.*?)</p>', section[: section.index("</section>")], re.S)
        assert intro, d.id
        words = next(piece for is_math, piece in segments(INTROS[d.id]) if not is_math and len(piece) > 20)
        assert words.strip() in html.unescape(intro.group(1)), d.id
        # said once on the page: the page's own prose does not repeat it (a folded exercise answer may quote it)
        prose = re.sub(r"<details\b.*?</details>", "", page, flags=re.S)
        assert _text(prose).count(words.strip()) == 1, (d.id, words)


def _derivation_links(built):
    """(page, href, the page it resolves to, the fragment) for every link to a derivation's anchor in the site."""
    from urllib.parse import urljoin

    from fcnet.derivations import all_derivations

    ids = {d.id for d in all_derivations()}
    for name, text in built.items():
        if name == "print_page/index.html":  # print-site rewrites its links to its own prefixed ids
            continue
        for href in re.findall(r'<a\s[^>]*?href="([^"]*#[^"]+)"', text):
            target, _, fragment = html.unescape(href).partition("#")
            if fragment in ids and not target.startswith(("http:", "https:")):
                resolved = urlsplit(urljoin(f"http://site/{name}", target or name.rsplit("/", 1)[-1])).path
                yield name, href, resolved.lstrip("/"), fragment


def test_every_link_to_a_derivation_lands_on_the_page_that_renders_it(built):
    from fcnet.derivations.parts import page as page_of

    links = list(_derivation_links(built))
    for name, href, resolved, ident in links:
        assert resolved in (page_of(ident), _file(page_of(ident))), (name, href, page_of(ident))
        assert f'id="{ident}"' in built[_file(page_of(ident))], (name, href)
    # the check sees links from several pages and to every page that renders derivations
    assert len({name for name, *_ in links}) >= 5 and {page_of(i) for *_, i in links} == {
        "backprop/",
        "numerical-gradient/",
        "beyond/deeper-nets/",
    }
    from fcnet.derivations import all_derivations

    # the Cite page's table links every derivation
    assert {i for name, *_, i in links if name == "cite/index.html"} == {d.id for d in all_derivations()}


def test_an_old_backprop_anchor_of_a_derivation_rendered_elsewhere_is_sent_there(built):
    # citations of backprop/#ID keep working for every derivation another page renders (the browser test follows one)
    from fcnet.derivations import all_derivations
    from fcnet.derivations.parts import href
    from fcnet.derivations.parts import page as page_of

    page = built["backprop/index.html"]
    found = re.search(r"var targets = (\{.*?\});", page)
    assert found, "the Backprop page has no script for anchors of derivations rendered elsewhere"
    targets = json.loads(html.unescape(found.group(1)) if "&quot;" in found.group(1) else found.group(1))
    elsewhere = {d.id: href(d.id, "backprop/") for d in all_derivations() if page_of(d.id) != "backprop/"}
    assert targets == elsewhere and {"numdiff-toy", "relu-grad"} <= set(targets)


def test_an_excerpt_shown_once_is_linked_after(built):
    page = built["backprop/index.html"]
    links = re.findall(
        r'<p class="fcnet-snippet-ref fcnet-seen"><code>([^<]+)</code>, shown under <a href="#([^"]+)">', page
    )
    assert links, "D5 and D6 reuse D4's lines: they should link to them"
    from fcnet.derivations import get

    for ref, ident in links:
        assert ref in get(ident).snippets, (ref, ident)  # the derivation linked to shows the excerpt
    shown = re.findall(r'<div (?=[^>]*class="fcnet-snippet")[^>]*data-snippet="([^"]+)"', page)
    assert len(shown) == len(set(shown)) and {ref for ref, _ in links} <= set(shown)


def test_every_code_excerpt_equals_its_source_section(built):
    found = 0
    for name, page in built.items():
        for ref, code in SNIPPET.findall(page):
            assert _text(code) == section(html.unescape(ref)), (name, ref)
            found += 1
    assert found >= 20, found


def test_every_definition_shown_equals_its_source(built):
    from fcnet.site.render import def_source

    shown = [(name, ref, code) for name, page in built.items() for ref, code in SOURCE.findall(page)]
    assert shown
    for name, ref, code in shown:
        path, _, qualname = html.unescape(ref).partition(":")
        assert _text(code) == def_source(path, qualname), (name, ref)


def test_markdown_pages_wrap_every_fcnet_snippet_for_the_check_above(built):
    for md in sorted((ROOT / "docs").glob("*.md")):
        refs = re.findall(r'--8<-- "(fcnet/[^"]+)"', md.read_text(encoding="utf-8"))
        url = "index.html" if md.stem == "index" else f"{md.stem}/index.html"
        wrapped = [ref for ref, _ in SNIPPET.findall(built[url])]
        assert sorted(refs) == sorted(wrapped), md.name


@pytest.mark.parametrize("notebook", notebook_pages())
def test_notebook_pages_offer_their_ipynb_and_say_what_to_install(site, notebook):
    rel = notebook.removesuffix(".py")
    stem = rel.rsplit("/", 1)[-1]
    page = (site / rel / "index.html").read_text(encoding="utf-8")
    assert f'href="{stem}.ipynb"' in page, rel
    if notebook not in PENDING:
        extras = ",".join(header(notebook)["fcnet"]["extras"])
        assert (
            f"<code>pip install &quot;fcnet[{extras}]&quot;</code>" in page or f'pip install "fcnet[{extras}]"' in page
        )
    data = json.loads((site / rel / f"{stem}.ipynb").read_text(encoding="utf-8"))
    assert data["nbformat"] == 4 and data["cells"] and data["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("notebook", notebook_pages())
def test_a_page_shows_the_input_of_its_visible_cells_only(built, notebook):
    page = built[notebook.removesuffix(".py") + "/index.html"]
    visible, hidden = counts(notebook)
    assert page.count('class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor"') == visible, notebook
    # nbconvert's own cell <div> (the one with the cell's id) inside mkdocs-jupyter's
    assert len(re.findall(r'<div class="jp-Cell jp-CodeCell[^"]*celltag_hide-input" id="', page)) == hidden, notebook
    # the hidden code itself is nowhere on the page (the output it made is)
    assert "from fcnet.site import" not in page or notebook in PENDING


def test_the_search_index_holds_text_not_tex(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # TeX's commands and delimiters (not "\\n" in a code cell's text, which the index also holds unmarked)
    macros = "frac|begin|end|hat|sum|partial|left|right|mathrm|mathbf|text|operatorname|sigma|delta|lambda|cdot|tag"
    tex = re.compile(rf"\\(?:{macros})\b|\\[()\[\]]|\$\$|\^\{{|_\{{")
    assert tex.search(r"a \(\hat{y}_k\)") and tex.search(r"\[\begin{aligned}") and not tex.search('print("\\n")')
    found = []
    for doc in index["docs"]:
        text = re.sub(r"<pre\b.*?(?:</pre>|$)|<code\b.*?(?:</code>|$)", "", doc["text"], flags=re.S)  # code is code
        for where in (doc["title"], text):
            if m := tex.search(where):
                found.append(f"{doc['location']}: …{where[max(0, m.start() - 40) : m.end() + 40]}…")
    pending = tuple(p.removesuffix(".py") + "/" for p in PENDING)
    assert not [f for f in found if not f.startswith(pending)], found[:10]
    # and the math is still findable as text: D2's result reads ŷₖ − yₖ in the index
    assert any("ŷₖ − yₖ" in doc["text"] or "ŷ" in doc["text"] for doc in index["docs"])


def _pdflatex_required() -> bool:
    import shutil

    if shutil.which("pdflatex"):
        return True
    if os.environ.get("CI") == "true":
        pytest.fail("pdflatex not found: under CI the site must offer the derivations PDF (texlive-latex-base)")
    return False


def test_the_site_offers_every_derivation_as_one_pdf(site, built):
    links = [name for name, text in built.items() if "fcnet-derivations.pdf" in text]
    assert {"backprop/index.html", "cite/index.html", "index.html"} <= set(links)
    if not _pdflatex_required():
        pytest.skip("pdflatex is not installed: the pages say how to make the PDF instead")
    pdf = (site / "fcnet-derivations.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000
    assert 'href="../fcnet-derivations.pdf"' in built["backprop/index.html"]


def test_what_changed_names_each_test_once(built):
    text = _text(re.sub(r"<script\b.*?</script>|<style\b.*?</style>", "", built["changes/index.html"], flags=re.S))
    article = text[text.index("What changed from the notes") :]
    from fcnet.site.guards import _load

    cited = [n for n in _load() if f"{n}" in article]
    assert len(cited) >= 20
    assert all(article.count(n) == 1 for n in cited), [n for n in cited if article.count(n) != 1]


def _urls(text: str):
    return re.findall(r"https?://[^\s\"'<>()\\]+", text)


def test_pages_load_and_link_nothing_outside_127_0_0_1(site, built):
    # a URL in the text (a reference on the Cite page, a licence) is fine; one the page loads or links to is not
    loaded = set()
    for name, page in built.items():
        for attr, url in re.findall(r'\s(href|src|action|srcset|data)="(https?://[^"]*)"', page):
            host = urlsplit(url).hostname
            assert host in ("127.0.0.1",), (name, attr, url)
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
    # from mkdocs.yml's nav (the sitemap lists pages only when the site's address is set)
    import yaml

    def files(nav):
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from files(value) if isinstance(value, list) else [value]

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    built = [re.sub(r"(^|/)index/$", r"\1", f.rsplit(".", 1)[0] + "/") for f in files(config["nav"])]
    assert "backprop/" in built and len(built) >= 10
    for loc in built:
        assert (site / loc / "index.html").is_file(), loc
    assert (site / "print_page" / "index.html").is_file()  # the all-on-one-page view (not in the sitemap)


def test_the_site_names_an_address_only_when_one_is_set(site, built):
    # site_url comes from FCNET_SITE_URL alone (mkdocs.yml); unset, no page, sitemap or download names an address
    url = os.environ.get("FCNET_SITE_URL", "").strip()
    canonical = {name: re.findall(r'<link rel="canonical" href="([^"]*)"', page) for name, page in built.items()}
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8") if (site / "sitemap.xml").is_file() else ""
    if not url:
        assert not any(canonical.values()), [n for n, c in canonical.items() if c][:5]
        assert "<loc>" not in sitemap
        leaks = [
            p.relative_to(site).as_posix()
            for p in site.rglob("*")
            if p.suffix in (".html", ".xml", ".ipynb", ".json") and "127.0.0.1" in p.read_text(encoding="utf-8")
        ]
        assert not leaks, leaks
    else:
        assert all(c and c[0].startswith(url.rstrip("/")) for c in canonical.values())
        assert f"<loc>{url.rstrip('/')}/" in sitemap
