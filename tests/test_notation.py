"""One notation: every derivation's symbols are in the table, and the table's code names are true.

The derivations print in the table's forms (ᵀ as ``^{\\top}``, ⊙ as ``\\odot``, ‖·‖_F, CE for one
example's loss, W⁽²⁾ rather than W2 in prose); a departure, or a symbol the table does not define,
fails.  The pages are held to the same table in ``tests/test_site_notation.py``.
"""

import re

import numpy as np
import pytest

import fcnet
from fcnet.derivations import all_derivations
from fcnet.derivations.prose import segments
from fcnet.site import blocks
from fcnet.site.latex_check import GENERIC, math_segments, problems, prose_names, symbols
from fcnet.site.notation import INDEX_BASE, SYMBOLS, table_tokens
from fcnet.site.trace import net_trace

DERIVATIONS = all_derivations()


def _prose(d):
    return " ".join([d.title, d.precondition] + [s.prose for s in d.steps])


@pytest.mark.parametrize("d", DERIVATIONS, ids=lambda d: f"{d.number}-{d.id}")
def test_every_symbol_of_every_derivation_is_in_the_table(d):
    # the math of the LaTeX: not its label (fcnet:<id>) nor the word "Result:" between the steps and the result
    found = problems(re.sub(r"\\label\{[^{}]*\}|^Result:$", "", d.latex(), flags=re.M))
    for step in d.steps:  # each step's LaTeX is inside d.latex(); checked alone too, so none hides in the block
        assert set(problems(step.latex())) <= set(found), step.latex()
    assert found == []  # the step prose's math (\\intertext) included


@pytest.mark.parametrize("d", DERIVATIONS, ids=lambda d: f"{d.number}-{d.id}")
def test_derivation_prose_writes_math_as_the_table_does(d):
    prose = _prose(d)
    assert prose_names(prose) == []  # no W2, δ1, A1 = σ(Z1) outside the math
    math = [piece for is_math, piece in segments(prose) if is_math]
    assert {m: problems(m) for m in math if problems(m)} == {}  # the title's and precondition's math too


def test_the_prose_check_sees_code_names_and_stray_forms():
    # what D5 and D6 wrote before the notation was one: the checks above would fail on it
    assert prose_names("Column by column, the chain through the hidden layer (D5), A1 = σ(Z1).") == ["A1", "Z1"]
    assert problems(r"\partial L/\partial a = W^{T} \delta") == [
        "form: L written for a loss",
        "form: T for the transpose",
    ]


@pytest.mark.parametrize(
    "latex, expected",
    [
        (r"A1 = \sigma(Z1)", ["symbol: A", "symbol: Z"]),  # D6's prose, were it LaTeX
        (r"\gamma \Delta", [r"symbol: \Delta", r"symbol: \gamma"]),  # an undefined Greek letter; Δ without its layer
        (r"\sum_{n=1}^{N} \mathrm{CE}^{(n)}", ["form: a sum over n from 1 to N (indices start at 0)"]),
        (r"\Delta^{(1)} X^{\top} + \lambda \lVert W^{(1)} \rVert_F^{2}", []),
        (r"z_l = W_l a + b", ["form: a layer as a subscript (W_l for W^{(l)})"]),
        (r"W^{(3)}_{hd}", ["symbol: W^{(3)}"]),
        (r"W^{(2)\top} \delta^{(2)} \odot \sigma'(z^{(1)})", []),  # a transposed layer symbol is still that symbol
        (r"{W^{(1)}_{hs}}", ["symbol: s"]),  # s is no symbol of the table
    ],
)
def test_the_checker_catches_what_the_table_does_not_define(latex, expected):
    assert problems(latex) == expected


def test_the_checker_reads_the_symbols_it_should():
    tex = (
        r"\frac{\partial J}{\partial W^{(2)}_{pq}} = \frac{1}{N} \sum_{n=0}^{N - 1} {\Delta^{(2)}_{pn}} {A^{(1)}_{qn}}"
    )
    assert symbols(tex) == {r"\frac", r"\partial", "J", "W^{(2)}", "p", "q", "N", "n", r"\Delta^{(2)}", "A^{(1)}"}
    assert math_segments(r"a $x$ b \(y\) c $$z$$") == ["x", "y", "z"]


def test_the_table_defines_each_token_once_and_generic_symbols_are_not_in_it():
    tokens = [t for s in SYMBOLS for t in s.tokens]
    assert len(tokens) == len(set(tokens)), sorted(t for t in tokens if tokens.count(t) > 1)
    assert not set(tokens) & set(GENERIC)
    for s in SYMBOLS:
        assert s.latex and s.text and s.code and s.meaning, s


def test_the_index_convention_is_the_derivations_and_the_codes():
    # every sum of every derivation starts at INDEX_BASE and ends at a size minus one (0-based)
    sums = [
        m for d in DERIVATIONS for m in re.findall(r"\\sum_\{\w+=(\d+)\}\^\{([^{}]*(?:\{[^{}]*\})?[^{}]*)\}", d.latex())
    ]
    assert sums and all(lo == str(INDEX_BASE) and hi.replace(" ", "").endswith("-1") for lo, hi in sums), sums


@pytest.fixture(scope="module")
def namespace():
    params, X, y, reg = fcnet.second_example()
    t = net_trace(params, X, y, reg)
    N, (H, D_in), C = X.shape[1], params["W1"].shape, params["W2"].shape[0]
    from fcnet.core.losses import log_softmax

    names = dict(X=X, y=y, N=N, D_in=D_in, H=H, C=C, n=1, params=params, grads=t.grads, np=np)
    names.update(z1=t.z1, a1=t.a1, z2=t.z2, probs=t.probs, dz1=t.dz1, dz2=t.dz2, log_softmax=log_softmax)
    names["Y"] = np.eye(C)[:, y]
    return names


# the rows whose shape is written in N, D_in, H, C alone: their code evaluates on the second example
EVALUABLE = [s for s in SYMBOLS if re.fullmatch(r"\((?:(?:N|D_in|H|C)(?:, )?)+,?\)", s.shape)]


@pytest.mark.parametrize("s", EVALUABLE, ids=lambda s: s.text)
def test_each_code_name_has_the_shape_the_table_gives(s, namespace):
    value = eval(s.code, {}, namespace)  # the table's code column is real code
    sizes = {k: namespace[k] for k in ("N", "D_in", "H", "C")}
    assert np.shape(value) == eval(s.shape, {}, sizes), s


def test_the_table_says_what_the_code_computes(namespace):
    ns, rows = namespace, {s.text: s for s in SYMBOLS}
    N, C, y = ns["N"], ns["C"], ns["y"]
    # Δ⁽²⁾ = Ŷ − Y carries no 1/N, and the code's dz2 = ∂J/∂Z⁽²⁾ = Δ⁽²⁾/N
    np.testing.assert_allclose(eval(rows["Δ⁽²⁾"].code, {}, ns), ns["probs"] - ns["Y"], rtol=1e-15, atol=1e-16)
    # CE⁽ⁿ⁾ as the table writes it: its mean over the examples is J's data term
    ces = [eval(rows["CE"].code, {}, ns | {"n": n}) for n in range(N)]
    params, X, _, _ = fcnet.second_example()
    assert np.mean(ces) == pytest.approx(fcnet.loss_and_grads(params, X, y, 0.0)[0], rel=1e-15)
    # y (one example's one-hot label) is column n of Y, and its 1 is in row y[n]
    assert np.array_equal(eval(rows["y"].code, {}, ns), np.eye(C)[y[ns["n"]]])


def test_the_table_renders_as_markdown():
    md = blocks.notation_table_markdown()
    assert md.count("\n| \\(") == len(SYMBOLS)
    for s in SYMBOLS:
        assert f"`{s.code}`" in md and s.latex in md
    assert set(table_tokens()) >= {"W^{(1)}", r"\Delta^{(1)}", "A^{(1)}", r"\hat{Y}", "Z^{(2)}", r"\delta^{(2)}"}
