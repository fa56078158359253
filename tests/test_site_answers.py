"""The answer-free site (``FCNET_ANSWERS=0``) against the default one: every answer absent, not hidden.

Absent from every HTML page (the all-on-one-page view included), every downloaded notebook
(``.ipynb``) and page source (``.py``), and the search index; the questions, and the checks
of the exercises that ask for code, are all there.  A marker of each answer is a phrase only
its folded block holds: the ``<summary>Answer</summary>`` of every block and the verdict
line ("The check says: right") under every code answer.
"""

from __future__ import annotations

import pytest
from site_build import pages
from test_site_browser import ARGS, CHROMIUM, _chromium_or_skip

from fcnet.site.exercises import EXERCISES, PAGES, exercises

pytestmark = pytest.mark.site

#: text only an answer holds (the first: every folded block's summary; the second: each code answer's verdict)
MARKERS = ("<summary>Answer</summary>", "The check says: right")


@pytest.fixture(scope="module")
def free(answer_free_site_build):
    build = answer_free_site_build
    assert build.returncode == 0, build.log[-3000:]
    return build.site


@pytest.fixture(scope="module")
def default(site_build):
    build = site_build
    assert build.returncode == 0, build.log[-3000:]
    return build.site


def _texts(site):
    """Every file a reader can fetch that could hold an answer: pages, notebooks, sources, the search index."""
    files = pages(site) + sorted(site.rglob("*.ipynb")) + sorted(site.rglob("*.py"))
    return {f.relative_to(site).as_posix(): f.read_text(encoding="utf-8") for f in files} | {
        "search/search_index.json": (site / "search" / "search_index.json").read_text(encoding="utf-8")
    }


def test_the_default_site_has_the_answers_folded(default):
    html = (default / "backprop" / "index.html").read_text(encoding="utf-8")
    assert html.count(MARKERS[0]) == len(exercises("backprop")) and MARKERS[1] in html
    assert "The check says: right" in (default / "search" / "search_index.json").read_text(encoding="utf-8")


def test_no_answer_anywhere_in_the_answer_free_site(free):
    texts = _texts(free)
    assert len(texts) > 20 and any(name.endswith(".ipynb") for name in texts)
    leaks = [f"{name}: {m!r}" for name, text in texts.items() for m in MARKERS if m in text]
    assert not leaks, leaks
    notebooks = [t for n, t in texts.items() if n.endswith((".ipynb", ".py")) and "exercises_html(" in t]
    assert notebooks and all("answers=False)" in t for t in notebooks)  # a student's run shows none either


@pytest.mark.parametrize("page", PAGES)
def test_the_answer_free_pages_keep_every_question(free, page):
    html = (free / page / "index.html").read_text(encoding="utf-8")
    for ex in exercises(page):
        assert f'id="ex-{ex.id}"' in html
        if ex.level == "write code":
            assert f"check(&quot;{ex.id}&quot;" in html or f'check("{ex.id}"' in html


def test_the_answer_free_search_index_is_smaller(free, default):
    sizes = {
        name: (site / "search" / "search_index.json").stat().st_size
        for name, site in [("free", free), ("default", default)]
    }
    print(f"search index: answer-free {sizes['free']:,} bytes, default {sizes['default']:,} bytes")
    assert sizes["free"] < sizes["default"]


@pytest.mark.browser
def test_the_answer_free_page_in_a_browser(free):
    """Backprop, answer-free, in Chromium: every exercise, no folded block, nothing to unfold."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    url = (free / "backprop" / "index.html").as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(url)
        counts = page.evaluate(
            "() => ({items: document.querySelectorAll('.fcnet-exercises li').length,"
            " details: document.querySelectorAll('.fcnet-exercises details').length,"
            " text: document.querySelector('.fcnet-exercises').innerText})"
        )
        browser.close()
    assert counts["items"] == len(exercises("backprop")) and counts["details"] == 0
    assert "Answer" not in counts["text"] and 'check("backprop-write-delta2", delta2)' in counts["text"]
    assert sum(ex.page == "backprop" for ex in EXERCISES.values()) == counts["items"]
