"""The built site in a real browser: at 1280 px, on a 390 px phone, in dark mode, and the print page.

Serves the site (built once per session by tests/site_build.py) on 127.0.0.1 and visits every
page of the built tree (the all-on-one-page view included) in Debian's headless Chromium through
Playwright; never `playwright install`.  Checked on every page: math typeset, nothing fetched
from outside, links and anchors work, no id twice; at 1280 px no display equation is wider than
its column, every table shows every column and every figure (SVG or image) fits; on a phone the
page never scrolls sideways and a wide equation, table or figure scrolls inside its own box, which
shows a cue (a shadow on the hidden side); a code block's copy button never covers its text; in
dark mode every plot takes the page's colours and nothing is a glaring light box.  Screenshots go
to test-artifacts/screenshots/.
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
from notebooks import PENDING
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
    page.wait_for_load_state("networkidle")

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

    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name.replace('/', '_')}-{width}.png"), full_page=True)
    problems += [f"{name}: console error: {c}" for c in console]
    problems += [f"{name}: request leaving 127.0.0.1: {u}" for u in outside]


def _urls(site, server):
    urls = [urljoin(server, p.relative_to(site).as_posix().removesuffix("index.html")) for p in pages(site)]
    assert len(urls) >= 10 and any(u.endswith("/print_page/") for u in urls), urls
    return urls


def _visit_all(browser, urls, site, server, **context) -> list[str]:
    fit = context.pop("fit", True)
    problems: list[str] = []
    ctx = browser.new_context(**context)
    try:
        for url in urls:
            page = ctx.new_page()
            try:
                _visit(page, url, site, server, problems, fit=fit)
            finally:
                page.close()
    finally:
        ctx.close()
    return problems


def test_every_page_at_1280_px_works_offline_and_its_formulas_and_tables_fit(site, server, browser):
    problems = _visit_all(browser, _urls(site, server), site, server, viewport={"width": 1280, "height": 900})
    assert not _not_pending(problems), "\n".join(_not_pending(problems))


def test_every_page_on_a_390_px_phone_scrolls_wide_formulas_and_tables_in_their_own_box(site, server, browser):
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    urls = [u for u in _urls(site, server) if not u.endswith("/print_page/")]  # a page to print, not to read
    problems = _not_pending(_visit_all(browser, urls, site, server, fit=False, **phone))
    assert not problems, "\n".join(problems)


def test_in_dark_mode_plots_follow_the_palette_and_nothing_glares(site, server, browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    problems, figures = [], 0
    try:
        for url in _urls(site, server):
            name = urlsplit(url).path.strip("/") or "index"
            page = ctx.new_page()
            try:
                page.goto(url, wait_until="load")
                page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
                page.evaluate("() => MathJax.startup.promise")
                dark = page.evaluate(DARK_JS, PENDING_SECTIONS)
                if dark["scheme"] != "slate":
                    problems.append(f"{name}: the dark palette (slate) is not applied: {dark['scheme']}")
                figures += len(dark["figures"])
                problems += [
                    f"{name}: a plot's text is dark on the dark page (luminance {v:.2f})"
                    for v in dark["figures"]
                    if v < 0.6
                ]
                problems += [f"{name}: a plot left as an image, not in the page's colours: {i}" for i in dark["images"]]
                problems += [f"{name}: a light box in dark mode: {b}" for b in dark["light"]]
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{name.replace('/', '_')}-dark.png"), full_page=True)
            finally:
                page.close()
    finally:
        ctx.close()
    assert figures >= 6, f"only {figures} plots found: the check would see nothing"
    assert not _not_pending(problems), "\n".join(_not_pending(problems))


def test_the_print_page_has_every_page_unique_ids_and_working_anchors(site, server, browser):
    # _visit checks links and duplicate ids on every page; here the all-on-one-page view explicitly,
    # with every nav page in it (API reference aside: excluded in mkdocs.yml)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(urljoin(server, "print_page/"), wait_until="load")
        assert page.evaluate(DUPLICATE_IDS_JS) == []
        anchors = page.evaluate(
            "() => [...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href').slice(1))"
        )
        ids = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
        broken = sorted({a for a in anchors if a and a not in ids})
        assert not broken, broken
        from fcnet.derivations import all_derivations
        from fcnet.derivations.parts import page as page_of

        # print-site prefixes each id with its page's path
        assert all(f"{page_of(d.id).strip('/').replace('/', '-')}-{d.id}" in ids for d in all_derivations())
    finally:
        page.close()


@pytest.mark.parametrize("ident", ["softmax-ce-grad", "numdiff-toy", "softplus-grad"])
@pytest.mark.parametrize("via", ["its page", "backprop/"])
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
