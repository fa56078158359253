"""The built site in a real browser: at 1280 px, on a 390 px phone, in dark mode, and the print page.

Serves the site (built once per session by tests/site_build.py) on 127.0.0.1 and visits every
page of the built tree (the all-on-one-page view included) in Debian's headless Chromium through
Playwright; never `playwright install`.  Checked on every page: math typeset, nothing fetched
from outside, links and anchors work, no id twice; at 1280 px no display equation is wider than
its column, every table shows every column and every figure (SVG or image) fits; on a phone the
page never scrolls sideways and a wide equation, table or figure scrolls inside its own box, which
shows a cue (a shadow on the hidden side); a code block's copy button never covers its text; in
dark mode every plot takes the page's colours and nothing is a glaring light box.  Each page and
width is a test of its own, so pytest-xdist spreads them over the cores.  With
``FCNET_SCREENSHOTS=1`` a full-page screenshot of each goes to test-artifacts/screenshots/ (they
are for a person to look at, and take a third of the time).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from notebooks import DOCS, PENDING, notebook_pages
from site_build import ROOT, pages

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"


def _screenshot(page, name: str) -> None:
    """A full-page screenshot of ``page`` under `SHOTS` when ``FCNET_SCREENSHOTS=1``."""
    if os.environ.get("FCNET_SCREENSHOTS", "0").strip() == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


#: Pages still expected to fail (tests/notebooks.py), by URL path and by their section's id on the print page.
PENDING_PATHS = tuple(p.removesuffix(".py") for p in PENDING)
PENDING_SECTIONS = [p.replace("/", "-") for p in PENDING_PATHS]


def _not_pending(problems: list[str]) -> list[str]:
    """The problems of pages that are not pending (those are reported by the tests that mark them xfail)."""
    return [p for p in problems if not p.startswith(PENDING_PATHS)]


# Text that must not survive typesetting.  Code (pre, code, notebook inputs) is removed first:
# the notebooks' code cells hold LaTeX strings on purpose.
RAW_TEX = ("\\(", "\\)", "\\[", "$$", "\\frac", "\\begin{", "\\tag{")
VISIBLE_TEXT_JS = """() => {
  const root = (document.querySelector('article') || document.body).cloneNode(true);
  root.querySelectorAll('pre, code, script, style, mjx-container, .jp-CodeCell .jp-InputArea, .highlight')
      .forEach(e => e.remove());
  return root.textContent;
}"""
MATH_PROBLEMS_JS = """() => ({
  merror: document.querySelectorAll('mjx-merror, merror').length,
  red: [...document.querySelectorAll('mjx-container [style*="color: red"], mjx-container [mathcolor="red"]')]
        .map(e => e.textContent),
  typeset: document.querySelectorAll('mjx-container').length,
})"""


def _chromium_or_skip():
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium); never `playwright install`"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " - under CI a missing browser is a failure")
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(site_build):
    build = site_build
    assert build.returncode == 0, build.log[-3000:]
    return build.site


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _ids(site: Path, path: str) -> set[str]:
    """The ids (and a[name]) in the built file that serves URL path ``path``."""
    file = site / path.lstrip("/")
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    text = file.read_text(encoding="utf-8")
    return set(re.findall(r'\sid="([^"]+)"', text)) | set(re.findall(r'<a\s[^>]*name="([^"]+)"', text))


# Every display equation and table that does not fit its box, and what would scroll or clip it.
LAYOUT_JS = """(PENDING) => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const out = [], vw = window.innerWidth;
  // the box it scrolls in: the nearest scrolling ancestor (or itself) that the window shows whole
  const scroller = el => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX, r = a.getBoundingClientRect();
      if ((o === 'auto' || o === 'scroll') && r.left >= -1 && r.right <= vw + 1) return a;
    }
    return null;
  };
  const wide = [];
  document.querySelectorAll('article mjx-container[display="true"]').forEach(c => {
    const m = c.querySelector('mjx-math');
    const need = Math.max(c.scrollWidth, m ? m.getBoundingClientRect().width : 0);
    wide.push({kind: 'equation', el: c, need, text: c.textContent.slice(0, 50)});
  });
  document.querySelectorAll('article table').forEach(t => {
    wide.push({kind: 'table', el: t, need: t.scrollWidth, text: t.textContent.trim().slice(0, 50)});
  });
  // figures: inline SVG drawings and plots (not an SVG inside another), and images
  document.querySelectorAll('article svg, article img').forEach(f => {
    if (f.tagName.toLowerCase() === 'svg' && f.parentElement.closest('svg')) return;
    if (f.closest('mjx-container, button, clipboard-copy, .md-clipboard, .md-code__nav')) return;
    const label = f.getAttribute('aria-label') || f.getAttribute('alt') || f.getAttribute('data-diagram') || '';
    wide.push({kind: 'figure', el: f, need: f.getBoundingClientRect().width, text: label.slice(0, 50)});
  });
  for (const w of wide) {
    const section = w.el.closest('section.print-page');
    if (section && PENDING.includes(section.id)) continue;
    const box = w.el.parentElement.getBoundingClientRect();
    if (w.el.getBoundingClientRect().width === 0) continue;  // not displayed (a closed tab)
    const s = scroller(w.el);
    // the column: the item's box, never wider than the article's text column
    const article = w.el.closest('article') || document.body;
    const column = Math.min(box.width, article.getBoundingClientRect().width);
    // a box that scrolls sideways says so: a shadow (a gradient background) on the hidden side
    const cue = !!s && getComputedStyle(s).backgroundImage.includes('gradient');
    out.push({kind: w.kind, text: w.text, need: Math.round(w.need), box: Math.round(column),
              scrolls: !!s, cue, scrollRight: s ? Math.round(s.getBoundingClientRect().right) : null, vw});
  }
  // the copy button of a code block never covers the code's text
  const covered = [];
  // Material's button (in the pre) and mkdocs-jupyter's (beside a notebook cell's code)
  document.querySelectorAll('article .md-code__button, article .md-clipboard, article clipboard-copy').forEach(b => {
    const host = b.closest('pre') || b.closest('.jp-InputArea') || b.parentElement;
    const code = host.tagName === 'PRE' ? host.querySelector('code') || host : host.querySelector('pre');
    const r = b.getBoundingClientRect();
    if (!code || r.width === 0) return;
    const range = document.createRange();
    range.selectNodeContents(code);
    const hit = [...range.getClientRects()].some(t => t.width > 0 && t.right > r.left + 1 && t.left < r.right - 1 &&
                                                    t.bottom > r.top + 1 && t.top < r.bottom - 1);
    if (hit) covered.push(code.textContent.slice(0, 50));
  });
  // a long output line scrolls; it is never broken mid-word
  const wrapped = [...document.querySelectorAll('article .jp-OutputArea-output pre')]
    .filter(p => getComputedStyle(p).whiteSpace !== 'pre').map(p => p.textContent.slice(0, 50));
  return {items: out, pageWidth: document.documentElement.scrollWidth, vw, wrapped, covered};
}"""

DUPLICATE_IDS_JS = """() => {
  const seen = new Map();
  document.querySelectorAll('[id]').forEach(e => seen.set(e.id, (seen.get(e.id) || 0) + 1));
  return [...seen].filter(([id, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`);
}"""

# Colours in dark mode: each plot's text colour, plots left as images, and large light boxes.
DARK_JS = """(PENDING) => {
  const lum = c => {
    const m = c.match(/[\\d.]+/g);
    if (!m) return [0, 0];
    const [r, g, b, a] = m.map(Number);
    return [(0.2126 * r + 0.7152 * g + 0.0722 * b) / 255, a === undefined ? 1 : a];
  };
  const figures = [...document.querySelectorAll('svg.fcnet-figure')].map(f => lum(getComputedStyle(f).color)[0]);
  const mine = e => { const s = e.closest('section.print-page'); return !(s && PENDING.includes(s.id)); };
  const images = [...document.querySelectorAll('article .jp-OutputArea-output img')].filter(mine)
    .map(i => i.src.slice(0, 40));
  const light = [];
  document.querySelectorAll('article *').forEach(e => {
    if (!mine(e)) return;
    const [l, a] = lum(getComputedStyle(e).backgroundColor);
    const r = e.getBoundingClientRect();
    const what = `${e.tagName.toLowerCase()}.${e.className}`.slice(0, 80);
    if (a > 0.5 && l > 0.8 && r.width * r.height > 30000) light.push(what);
  });
  return {scheme: document.body.getAttribute('data-md-color-scheme'), figures, images, light};
}"""


def _layout_problems(page, name, fit: bool) -> list[str]:
    """``fit``: every equation, table and figure fits its column (desktop); else wide ones scroll in their own box,
    with a visible cue (phone)."""
    layout = page.evaluate(LAYOUT_JS, PENDING_SECTIONS)
    problems = []
    if layout["pageWidth"] > layout["vw"] + 1:
        problems.append(f"{name}: the page scrolls sideways ({layout['pageWidth']} px in a {layout['vw']} px window)")
    problems += [f"{name}: an output's lines wrap mid-word: {text!r}" for text in layout["wrapped"]]
    problems += [f"{name}: the copy button covers the code {text!r}" for text in layout["covered"]]
    for item in layout["items"]:
        overflows = item["need"] > item["box"] + 1
        if fit and overflows:
            problems.append(
                f"{name}: {item['kind']} {item['need']} px wide in a {item['box']} px column: {item['text']!r}"
            )
        elif overflows and not (item["scrolls"] and item["scrollRight"] <= item["vw"] + 1):
            problems.append(f"{name}: {item['kind']} clipped, not scrolling in its own box: {item['text']!r}")
        elif overflows and not item["cue"]:
            problems.append(f"{name}: {item['kind']} scrolls with no visible cue: {item['text']!r}")
    return problems


def _visit(page, url, site, base, problems, fit: bool = True):
    """Load one page and append every problem found to ``problems``."""
    console, outside = [], []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: console.append(f"failed request: {r.url}"))

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    response = page.goto(url, wait_until="load")
    name = urlsplit(url).path.strip("/") or "index"
    if response is None or response.status != 200:
        problems.append(f"{name}: HTTP {response and response.status}")
        return
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
    page.evaluate("() => MathJax.startup.promise")
    page.evaluate("() => document.fonts.ready.then(() => true)")  # MathJax's fonts, before anything is measured

    math = page.evaluate(MATH_PROBLEMS_JS)
    if math["merror"]:
        problems.append(f"{name}: {math['merror']} MathJax error node(s)")
    if math["red"]:
        problems.append(f"{name}: undefined macros shown in red: {math['red'][:5]}")
    text = page.evaluate(VISIBLE_TEXT_JS)
    for raw in RAW_TEX:
        if raw in text:
            i = text.index(raw)
            problems.append(f"{name}: raw {raw!r} left in the text: …{text[max(0, i - 60) : i + 60]!r}…")

    for src in page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
    ):
        problems.append(f"{name}: image did not load: {src}")

    here = urlsplit(page.url).path
    live_ids = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
    for href in page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"):
        target, fragment = urldefrag(href)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            continue
        if parts.hostname != "127.0.0.1":
            problems.append(f"{name}: link to another host: {href}")
            continue
        if not target.startswith(base):  # the canonical site_url's port, not this server's
            target = urljoin(base, parts.path.lstrip("/"))
        local = urlsplit(target).path
        file = site / local.lstrip("/")
        if not (file.is_file() or (file / "index.html").is_file()):
            problems.append(f"{name}: broken link {href}")
        elif fragment and local == here and fragment not in live_ids:  # ids made by scripts count here
            problems.append(f"{name}: missing anchor #{fragment} on this page")
        elif (
            fragment
            and local != here
            and (file.is_dir() or file.suffix == ".html")
            and fragment not in _ids(site, local)
        ):
            problems.append(f"{name}: missing anchor #{fragment} in {local}")

    for href in page.evaluate("() => [...document.querySelectorAll('a[href$=\".ipynb\"]')].map(a => a.href)"):
        got = page.request.get(href)
        try:
            nb = json.loads(got.body())
            ok = got.status == 200 and nb.get("nbformat") == 4 and nb.get("cells")
        except ValueError:
            ok = False
        if not ok:
            problems.append(f"{name}: notebook download {href} gave HTTP {got.status} or no notebook JSON")

    problems += [f"{name}: id used more than once: {d}" for d in page.evaluate(DUPLICATE_IDS_JS)]
    problems += _layout_problems(page, name, fit)

    _screenshot(page, f"{name.replace('/', '_')}-{page.viewport_size['width']}")
    problems += [f"{name}: console error: {c}" for c in console]
    problems += [f"{name}: request leaving 127.0.0.1: {u}" for u in outside]


def _site_paths() -> list[str]:
    """The URL path of every page the build makes, known before it (read from docs/, not from mkdocs.yml, which
    costs seconds to load at collection): the Markdown and notebook pages, and print-site's view."""
    sources = [p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")] + notebook_pages()
    paths = [re.sub(r"(^|/)index/$", r"\1", re.sub(r"\.(md|py)$", "/", f)) for f in sorted(sources)]
    return [*paths, "print_page/"]


SITE_PATHS = _site_paths()
#: the phone test leaves out the all-on-one-page view: a page to print, not to read
PHONE_PATHS = [p for p in SITE_PATHS if p != "print_page/"]


def _name(path: str) -> str:
    return path.strip("/") or "index"


def test_the_browser_tests_visit_every_page_the_build_made(site):
    built = {p.relative_to(site).as_posix().removesuffix("index.html") for p in pages(site)}
    assert built == set(SITE_PATHS) and len(built) >= 10


def _visit_one(browser, path, site, server, fit=True, **context) -> list[str]:
    problems: list[str] = []
    ctx = browser.new_context(**context)
    try:
        _visit(ctx.new_page(), urljoin(server, path), site, server, problems, fit=fit)
    finally:
        ctx.close()
    return _not_pending(problems)


#: a plot the dark-mode check reads the colour of (DARK_JS): an <svg> of class fcnet-figure
_PLOT = re.compile(r'<svg\b[^>]*\bclass="[^"]*\bfcnet-figure\b')
#: the palette's toggle in the header, as a reader switches to dark mode
_TO_DARK = "label[title='Switch to dark mode']"


def _dark_problems(page, name: str, plots: int) -> list[str]:
    """What is wrong with ``page`` in dark mode; ``plots``: how many plots its HTML holds."""
    dark = page.evaluate(DARK_JS, PENDING_SECTIONS)
    problems = []
    if dark["scheme"] != "slate":
        problems.append(f"{name}: the dark palette (slate) is not applied: {dark['scheme']}")
    if len(dark["figures"]) != plots:
        problems.append(f"{name}: the check saw {len(dark['figures'])} of the page's {plots} plots")
    problems += [
        f"{name}: a plot's text is dark on the dark page (luminance {v:.2f})" for v in dark["figures"] if v < 0.6
    ]
    problems += [f"{name}: a plot left as an image, not in the page's colours: {i}" for i in dark["images"]]
    problems += [f"{name}: a light box in dark mode: {b}" for b in dark["light"]]
    return problems


@pytest.mark.parametrize("path", SITE_PATHS, ids=_name)
def test_a_page_at_1280_px_in_dark_mode_and_on_a_390_px_screen(site, server, browser, path):
    """One visit: at 1280 px it works offline and every formula, table and figure fits its column; switched to
    dark mode nothing glares; narrowed to 390 px a wide formula, table or figure scrolls in its own box."""
    name, problems = _name(path), []
    plots = len(_PLOT.findall((site / path / "index.html").read_text(encoding="utf-8")))
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        _visit(page, urljoin(server, path), site, server, problems)
        # then dark mode, as a reader switches to it (without the palette's fade: the colours are read at once);
        # not on the all-on-one-page view, whose sections are the pages, each switched on its own
        if path != "print_page/":
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            page.click(_TO_DARK)
            page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
            problems += _dark_problems(page, name, plots)
            _screenshot(page, f"{name.replace('/', '_')}-dark")
        # then a phone's width (a page to print is not read on one); PHONE_EMULATED loads some as a phone does
        if path in PHONE_PATHS:
            page.set_viewport_size({"width": 390, "height": 844})
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            problems += _layout_problems(page, f"{name} at 390 px", fit=False)
            _screenshot(page, f"{name.replace('/', '_')}-390")
    finally:
        ctx.close()
    problems = _not_pending(problems)
    assert not problems, "\n".join(problems)


def test_a_reader_whose_system_is_dark_gets_the_dark_palette(site, server, browser):
    # the palette's other way in: prefers-color-scheme on load (the test above switches with the toggle)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = ctx.new_page()
        page.goto(urljoin(server, "beyond/benchmarks/"), wait_until="load")
        page.evaluate("() => MathJax.startup.promise")
        html = (site / "beyond" / "benchmarks" / "index.html").read_text(encoding="utf-8")
        problems = _dark_problems(page, "beyond/benchmarks", len(_PLOT.findall(html)))
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)


#: pages also loaded as a phone loads them (mobile viewport, touch), not only narrowed: the widest formulas,
#: tables and figures
PHONE_EMULATED = ["backprop/", "notation/", "beyond/benchmarks/"]


@pytest.mark.parametrize("path", PHONE_EMULATED, ids=_name)
def test_on_a_390_px_phone_wide_formulas_tables_and_figures_scroll_in_their_own_box(site, server, browser, path):
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    problems = _visit_one(browser, path, site, server, fit=False, **phone)
    assert not problems, "\n".join(problems)


def test_the_site_has_plots_for_the_dark_mode_check_to_see(site):
    plots = sum(len(_PLOT.findall(p.read_text(encoding="utf-8"))) for p in pages(site) if "print_page" not in p.parts)
    assert plots >= 6, f"only {plots} plots found: the dark-mode check would see nothing"


def test_the_print_page_holds_every_derivation_under_its_pages_prefix(site):
    # the browser test above checks its ids (none twice) and its anchors, as on every page; here, that every
    # derivation is in it, under the id print-site gives it (its page's key, then its own id)
    from fcnet.derivations import all_derivations
    from fcnet.derivations.parts import page as page_of

    html = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    # print-site prefixes each id with its page's path
    ids = {d.id: f'id="{page_of(d.id).strip("/").replace("/", "-")}-{d.id}"' for d in all_derivations()}
    missing = [d for d, id_ in ids.items() if id_ not in html]
    assert not missing, missing


@pytest.mark.parametrize(
    "ident, via",
    # softmax-ce-grad's page is backprop/: its two addresses are one
    [
        ("softmax-ce-grad", "its page"),
        *((i, v) for i in ("numdiff-toy", "softplus-grad") for v in ("its page", "backprop/")),
    ],
)
def test_derivation_anchor_scrolls_to_its_heading(site, server, browser, ident, via):
    # a derivation's anchor on its own page, and the address citations used before it moved there, backprop/#ID
    from fcnet.derivations import get
    from fcnet.derivations.parts import page as page_of

    d = get(ident)
    page = browser.new_page()
    try:
        start = page_of(ident) if via == "its page" else via
        page.goto(urljoin(server, f"{start}#{d.id}"), wait_until="load")
        page.wait_for_url(f"**/{page_of(ident)}#{d.id}")
        heading = page.locator(f"h3#{d.id}")
        assert heading.count() == 1
        assert heading.inner_text().startswith(f"{d.number} · {d.title}")
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < 900, box  # scrolled into the viewport
    finally:
        page.close()
