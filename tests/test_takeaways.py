"""Key takeaways: three to five lines for every teaching page, in the one notation."""

import xml.etree.ElementTree as ET

import pytest

from fcnet.site import blocks
from fcnet.site.exercises import PAGES
from fcnet.site.latex_check import math_segments, problems
from fcnet.site.snippets import ROOT
from fcnet.site.takeaways import TAKEAWAYS

TEACHING_PAGES = {*PAGES, "notation", "pytorch", "changes", "debugging"}


def test_every_teaching_page_has_takeaways_and_every_key_is_a_page():
    assert set(TAKEAWAYS) == TEACHING_PAGES
    for page in TAKEAWAYS:
        assert any((ROOT / "docs" / f"{page}{suffix}").is_file() for suffix in (".py", ".md")), page


@pytest.mark.parametrize("page", sorted(TAKEAWAYS))
def test_three_to_five_sentences_in_the_one_notation(page):
    lines = TAKEAWAYS[page]
    assert 3 <= len(lines) <= 5 and all(line.endswith(".") and line == line.strip() for line in lines)
    found = {seg: problems(seg) for line in lines for seg in math_segments(line)}
    assert {seg: p for seg, p in found.items() if p} == {}


def test_the_notation_check_would_catch_a_stray_symbol():
    assert problems(math_segments(r"the loss \(\partial L / \partial W_l\)")[0]) != []


@pytest.mark.parametrize("page", sorted(TAKEAWAYS))
def test_takeaways_render(page):
    root = ET.fromstring(blocks.takeaways_html(page))
    assert root.get("class").startswith("admonition abstract") and len(root.findall(".//li")) == len(TAKEAWAYS[page])
    md = blocks.takeaways_markdown(page).splitlines()
    assert md[0] == '!!! abstract "Key takeaways"' and sum(line.startswith("    - ") for line in md) == len(
        TAKEAWAYS[page]
    )


def test_an_unknown_page_is_named():
    with pytest.raises(ValueError, match="page is 'home'"):
        blocks.takeaways_html("home")
