"""fcnet.site's builders, the MkDocs hooks and the API page, tested without building the site."""

from __future__ import annotations

import doctest
import re

import numpy as np
import pytest
from notebooks import DOCS, ROOT, hook

from fcnet.derivations import all_derivations, get
from fcnet.site import derivation_html, results_latex, results_table, svg_html, witness_tables
from fcnet.site.figures import INK, style


@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("mkdocs", reason="the hooks need the docs extra")
    return hook("site_hooks")


def test_the_hooks_doctests_pass(hooks):
    # docs/hooks is outside pytest's testpaths (it is build code, not in the wheel): run its doctests here
    result = doctest.testmod(hooks, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 7


def test_the_search_text_keeps_words_and_drops_tex(hooks):
    html = (
        r"<p>With \(\delta^{(2)} = \hat{y} - y\) and $\sum_i y_i = 1$:</p>"
        r'<div class="arithmatex">\[\begin{aligned} a &= b \end{aligned}\]</div>'
        r"$$x^2$$ <pre>print(f'$a$ \n')</pre> costs $5 and $6"
    )
    text = hooks.searchable(html)
    assert "δ⁽²⁾ = ŷ − y" in text and "Σᵢ yᵢ = 1" in text
    assert "\\[" not in text and "aligned" not in text and "x^2" not in text
    assert "<pre>print(f'$a$ \\n')</pre>" in text  # code is left alone
    assert "costs $5 and $6" in text  # dollars that are money, not math


def test_the_download_line_says_what_to_install(hooks):
    line = hooks.download_html("pytorch.ipynb", ["notebooks", "torch"])
    assert 'href="pytorch.ipynb"' in line and 'pip install "fcnet[notebooks,torch]"' in line
    assert 'pip install ".[notebooks,torch]"' in line


def test_the_api_reference_documents_every_public_module_under_its_subpackage():
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    listed, section = {}, None
    for line in text.splitlines():
        if m := re.match(r"## .*`(fcnet\.\w+)`", line):
            section = m.group(1)
        elif m := re.match(r"::: (fcnet(?:\.\w+)*)$", line):
            listed[m.group(1)] = section
    modules = {
        "fcnet." + ".".join(p.relative_to(ROOT / "fcnet").with_suffix("").parts)
        for p in (ROOT / "fcnet").rglob("*.py")
        if not p.name.startswith("_")
        and p.parent != ROOT / "fcnet"
        # the diagnoser's example student files are data (buggy on purpose), not API
        and (ROOT / "fcnet" / "diagnose" / "examples") not in p.parents
        # the exercises' answers: computed for the pages, not API (and absent from the answer-free site)
        and (ROOT / "fcnet" / "site" / "exercises" / "answers") not in p.parents
    }
    assert modules <= set(listed), sorted(modules - set(listed))
    for module in modules:  # each under the heading of its own subpackage
        assert listed[module] == ".".join(module.split(".")[:2]), module
    assert listed.get("fcnet") is None  # the package itself, first


def test_each_derivation_renders_with_one_tag_and_a_short_heading():
    for d in all_derivations():
        html = derivation_html(d, level=3)
        assert html.count(rf"\tag{{{d.number}}}") == 1 and html.count("\\tag") == 1, d.id
        assert f'<h3 id="{d.id}">{d.number} · ' in html.replace("&#x27;", "'"), d.id
        assert "All steps in one block" not in html and html.count('class="fcnet-steps"') == 1


def test_an_excerpt_already_shown_is_linked_to_the_derivation_that_showed_it():
    seen = {}
    first = derivation_html("linear-grad", seen=seen)
    again = derivation_html("hidden-layer-grad", seen=seen)
    assert 'data-snippet="fcnet/core/layers.py:affine-dW"' in first
    assert 'data-snippet="fcnet/core/layers.py:affine-dW"' not in again
    assert '<code>fcnet/core/layers.py:affine-dW</code>, shown under <a href="#linear-grad">D4</a>' in again


def test_summaries_label_each_derivation_once_and_tables_link_to_it():
    latex = results_latex("linear-grad", "hidden-layer-grad")
    assert latex.count(r"\text{(D4)}") == 1 and latex.count(r"\text{(D5)}") == 1 and "\\tag" not in latex
    table = results_table(["sigmoid-grad", "relu-grad"], here="beyond/deeper-nets/", names=["sigmoid", "relu"])
    # each linked where fcnet.derivations.parts places it: D3 on Backprop, D10 on this very page
    assert 'href="../../backprop/#sigmoid-grad">D3</a>' in table and 'href="#relu-grad">D10</a>' in table
    assert "\\tag" not in table


def _report(witnesses=("torch", "numpy", "sympy")):
    from fcnet import KEYS, seed_example

    params, *_ = seed_example()
    grads = {k: np.full(params[k].shape, 0.25) for k in KEYS}
    exact = {"loss": "1.5", "grads": {k: ["0.25"] * params[k].size for k in KEYS}}
    w = {name: {"loss": 1.5, "grads": grads} for name in witnesses}
    if "sympy" in w:
        w["sympy"]["exact"] = exact
    agreement = [{"a": "torch", "b": "numpy", "norm_rel_error": 0.0, "loss_abs_error": 0.0}]
    return {"example": "seed", "witnesses": w, "agreement": agreement}


def test_the_witness_tables_show_every_gradient_entry():
    agreement, entries = witness_tables(_report())
    assert entries.count("<tr>") == 1 + 1 + 41  # header, J, the 41 gradient entries of the notes' example
    assert "∂J/∂W1[3, 2]" in entries and "PyTorch autograd vs fcnet (NumPy)" in agreement


def test_the_witness_tables_need_all_three_witnesses():
    with pytest.raises(ValueError, match=r"report has no witness \['sympy'\]"):
        witness_tables(_report(("torch", "numpy")))


def test_plots_take_the_page_colour_and_ids_of_their_own():
    from matplotlib.figure import Figure

    with style():
        figs = []
        for _ in range(2):  # two equal plots, as on a page that draws the same thing twice
            fig = Figure(figsize=(3, 2))
            ax = fig.subplots()
            ax.plot([0, 1], [0, 1], label="a line")
            ax.set_title("title")
            ax.legend()
            figs.append(svg_html(fig))
    for svg in figs:
        assert svg.startswith('<svg class="fcnet-figure" role="img" aria-label="title"')
        assert INK not in svg and "currentColor" in svg
        assert "<style>.fcnet-figure *{" in svg  # Matplotlib's global "*" rule, scoped to the plot
    ids = [set(re.findall(r'\bid="([^"]+)"', svg)) for svg in figs]
    assert ids[0] and not ids[0] & ids[1]
    for svg, own in zip(figs, ids):  # every reference points at an id of the same plot
        assert set(re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', svg)) and all(
            ref in own for pair in re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', svg) for ref in pair if ref
        )


def test_every_step_of_a_derivation_shows_its_prose_math_for_mathjax():
    html = derivation_html(get("softmax-ce-grad"))
    assert '<p class="arithmatex">' in html
    assert r"\(\sum_i y_i = 1\)" in html  # the precondition's math, typeset
    assert "Σ_i" not in html and "e^{z" not in re.sub(r"\\\[.*?\\\]|\\\(.*?\\\)", "", html, flags=re.S)
