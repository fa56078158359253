"""The built site in a real browser: math typeset, nothing fetched from outside, links and images work.

Serves the site (built once per session by tests/site_build.py) on 127.0.0.1 and visits every
page of the built tree in Debian's headless Chromium through Playwright; never `playwright
install`.  A screenshot of each page goes to test-artifacts/screenshots/.
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
from site_build import ROOT, build_site, pages

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
def site():
    build = build_site()
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


def _visit(page, url, site, base, problems):
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

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name.replace('/', '_')}.png"), full_page=True)
    problems += [f"{name}: console error: {c}" for c in console]
    problems += [f"{name}: request leaving 127.0.0.1: {u}" for u in outside]


def test_every_page_renders_offline_with_working_links(site, server, browser):
    urls = [urljoin(server, p.relative_to(site).as_posix().removesuffix("index.html")) for p in pages(site)]
    assert len(urls) >= 10, urls
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        for url in urls:
            page = context.new_page()
            try:
                _visit(page, url, site, server, problems)
            finally:
                page.close()
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_derivation_anchor_scrolls_to_its_heading(site, server, browser):
    from fcnet.derivations import all_derivations

    d = all_derivations()[-1]
    page = browser.new_page()
    try:
        page.goto(urljoin(server, f"backprop/#{d.id}"), wait_until="load")
        heading = page.locator(f"h2#{d.id}")
        assert heading.count() == 1
        assert f"({d.number})" in heading.inner_text()
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < 900, box  # scrolled into the viewport
    finally:
        page.close()
