"""Key takeaways: three to five lines for every teaching page, in the one notation."""

import ast
import re
import xml.etree.ElementTree as ET

import pytest

from fcnet.derivations import all_derivations
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


# --- nothing derived is hand-typed --------------------------------------------------------------------------------


def _flat(latex: str) -> str:
    """LaTeX without ``\\left``, ``\\right`` and spaces, so that a typed formula meets SymPy's rendering of it."""
    return re.sub(r"\\left|\\right|\s+", "", latex)


def _derived_results():
    """(Dn, right-hand side) of every derivation's result as SymPy renders it; a bare symbol is not a formula."""
    for d in all_derivations():
        for line in d.result_lines():
            rhs = _flat(line.split("&=")[-1])
            if not re.fullmatch(r"\\?[A-Za-z]+(\^\{\(\w\)\})?", rhs):  # δ⁽¹⁾ for ∂CE/∂b⁽¹⁾: a symbol, said anywhere
                yield d.number, rhs


def _typed(module: str) -> list[str]:
    """The string literals of a registry's source: what is typed there (a formula rendered from SymPy is not)."""
    tree = ast.parse((ROOT / "fcnet" / "site" / f"{module}.py").read_text(encoding="utf-8"))
    return [_flat(n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("module", ["takeaways", "corrections"])
def test_no_derived_result_is_typed_in_the_registry(module):
    typed = _typed(module)
    assert [(number, rhs) for number, rhs in _derived_results() if any(rhs in text for text in typed)] == []


def test_the_typed_result_check_would_catch_the_first_layer_gradient():
    typed = _flat(r"the gradient is \(\delta^{(1)} x^{\top}\), for the batch \(\frac{1}{N} \Delta^{(1)} X^{\top}\)")
    assert {number for number, rhs in _derived_results() if rhs in typed} == {"D5"}
    assert ("D5", _flat(r"\delta^{(1)}")) not in set(_derived_results())  # a bare symbol is no formula
