"""The pages speak the one notation: every formula a reader meets uses the table's symbols and forms.

The table is `fcnet.site.notation.SYMBOLS` (rendered on the Notation page) and the checker is
`fcnet.site.latex_check.problems`; ``tests/test_notation.py`` holds the derivations to it, this file
the pages' text, the exercises, the corrections and the code comments the site shows.
"""

from __future__ import annotations

import re

import pytest
from notebooks import DOCS, cells, notebook_pages

from fcnet.site.corrections import CORRECTIONS
from fcnet.site.exercises import EXERCISES
from fcnet.site.latex_check import index_as_value, math_segments, problems
from fcnet.site.snippets import section, sections

MARKDOWN_PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.glob("*.md"))


def _without_code(text: str) -> str:
    """Text without fenced blocks (indented ones too, as in tabs) and inline code: a shell ``$`` is not math."""
    text = re.sub(r"^(\s*)```.*?^\1```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def page_math(page: str) -> list[str]:
    """The math of a page's prose: a notebook's markdown cells, or a markdown page."""
    if page.endswith(".py"):
        text = "\n".join(c.source for c in cells(page) if c.kind == "markdown")
    else:
        text = (DOCS / page).read_text(encoding="utf-8")
    return math_segments(_without_code(text))


def _flagged(check, segments) -> dict[str, list[str]]:
    """Each segment that ``check`` finds something in, with what it found."""
    return {seg: found for seg in segments if (found := check(seg))}


def _departures(segments) -> dict[str, list[str]]:
    return _flagged(problems, segments)


@pytest.mark.parametrize("page", notebook_pages() + MARKDOWN_PAGES)
def test_every_formula_on_every_page_is_in_the_notation(page):
    assert _departures(page_math(page)) == {}


@pytest.mark.parametrize("ex", EXERCISES.values(), ids=lambda ex: ex.id)
def test_every_exercise_and_its_answer_are_in_the_notation(ex):
    text = ex.question + "\n" + ex.answer().text
    assert _departures(math_segments(text)) == {}
    # and no TeX outside the math: a number written 1.2\times 10^{-3} in text reaches the search index raw
    prose = re.sub(r"\\\(.*?\\\)|\\\[.*?\\\]", "", _without_code(text), flags=re.S)
    assert not re.findall(r"\\[A-Za-z]+|\^\{|_\{", prose), prose


@pytest.mark.parametrize("c", CORRECTIONS, ids=lambda c: c.id)
def test_every_correction_is_written_in_the_notation(c):
    # the claim is a quotation (of the notes, or of what a page said) and keeps its own symbols
    assert _departures(math_segments(c.correction)) == {}


#: Forms the notation replaced, as they would appear in a unicode code comment.
COMMENT_FORMS = {
    "a transpose written ^T": re.compile(r"\^\{?T\b"),
    "∘ for the entry-wise product": re.compile("∘"),
    "a squared norm without its F": re.compile(r"‖²(?!_F)"),
    "L for a loss": re.compile(r"∂L\b"),
}


def _comments(ref: str) -> list[str]:
    return [line.strip() for line in section(ref).splitlines() if line.strip().startswith("#")]


@pytest.mark.parametrize("ref", [r for r in sections() if r.startswith("fcnet/")])
def test_the_code_comments_the_site_shows_use_the_notations_forms(ref):
    found = {name: line for line in _comments(ref) for name, form in COMMENT_FORMS.items() if form.search(line)}
    assert found == {}


def test_the_checks_above_catch_the_departures_they_are_for():
    # 1-based sums, W_l, x^T, ‖W‖, ∘ and ∂L: each would be caught if a page wrote it
    assert _departures(math_segments(r"sums $\sum_{n=1}^{N} \mathrm{CE}^{(n)}$ and $W_l$ and $x^T$")) != {}
    assert set(_departures(math_segments(r"$\lVert W \rVert$, $A \circ B$, $\partial L/\partial W$"))) == {
        r"\lVert W \rVert",
        r"A \circ B",
        r"\partial L/\partial W",
    }
    assert sum(len(page_math(p)) for p in notebook_pages()) > 200  # the pages' formulas are read
    assert _without_code("a `$x$` b\n```\n$y$\n```\n$z$").count("$") == 2
    assert [n for n, f in COMMENT_FORMS.items() if f.search("# ∂L/∂W = δ a^T ∘ σ'(z), ‖W‖²")] == [
        "a transpose written ^T",
        "∘ for the entry-wise product",
        "a squared norm without its F",
        "L for a loss",
    ]


def _index_problems(segments) -> dict[str, list[str]]:
    return _flagged(index_as_value, segments)


@pytest.mark.parametrize("page", notebook_pages() + MARKDOWN_PAGES)
def test_an_index_letter_keeps_its_one_meaning_on_every_page(page):
    # n is an example, i, j, c a class, p, q an entry, l a layer, on every page: never a quantity of its own
    assert _index_problems(page_math(page)) == {}


@pytest.mark.parametrize("ex", EXERCISES.values(), ids=lambda ex: ex.id)
def test_an_index_letter_keeps_its_one_meaning_in_every_exercise(ex):
    assert _index_problems(math_segments(ex.question + "\n" + ex.answer().text)) == {}


def test_an_index_letter_keeps_its_one_meaning_in_every_derivation():
    from fcnet.derivations import all_derivations

    for d in all_derivations():
        segments = [line for s in d.steps for line in s.lines()] + d.result_lines()
        segments += [m for text in (d.precondition, *(s.prose for s in d.steps)) for m in math_segments(text)]
        assert _index_problems(segments) == {}, d.id


def test_the_index_check_sees_a_second_meaning():
    # the gradient-check formula as the page wrote it before ĝ: n for the numerical gradient
    assert index_as_value(r"\lVert a - n \rVert_F / \max(\lVert a \rVert_F, \lVert n \rVert_F)") == ["n"]
    assert index_as_value(r"\hat{Y}_{kn} - Y_{kn}, \quad 0 \le n < N") == []
