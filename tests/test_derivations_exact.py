"""fcnet.witnesses.sympy_exact: the worked examples evaluated exactly, against NumPy's float64."""

from decimal import Decimal
from functools import cache

import numpy as np
import pytest
import sympy as sp

import fcnet
from fcnet.witnesses.registry import example_report, to_json
from fcnet.witnesses.sympy_exact import DIGITS, exact_decimals, exact_loss_and_grads, sympy_witness

EXAMPLES = fcnet.EXAMPLES


@cache
def witness(which):
    return sympy_witness(*EXAMPLES[which]())


@pytest.mark.parametrize("which", sorted(EXAMPLES))
def test_numpy_float64_matches_the_exact_values(which):
    _, _, exact = witness(which)
    loss, grads = fcnet.loss_and_grads(*EXAMPLES[which]())
    pairs = [(Decimal(exact["loss"]), loss)]
    for k, g in grads.items():
        pairs += list(
            zip((Decimal(v) for v in np.ravel(np.array(exact["grads"][k], dtype=object))), np.ravel(g), strict=True)
        )
    for value, computed in pairs:
        if value == 0:
            # float64 round-off of O(1) terms that cancel exactly: ~1e-17 seen, 1e-15 allowed
            assert abs(computed) <= 1e-15
        else:
            # a few float64 operations per entry, each ≤ 1.1e-16 relative: 1e-12 is generous and still tight
            assert abs((Decimal(float(computed)) - value) / value) <= Decimal("1e-12")


@pytest.mark.parametrize("which", sorted(EXAMPLES))
def test_exact_decimals_have_at_least_30_digits(which):
    _, _, exact = witness(which)
    digits = exact["loss"].replace(".", "").lstrip("0")
    assert exact["digits"] >= 30 and len(digits) >= 30


def test_seed_example_degeneracy_is_exact():
    # every row of W2 is equal, so W2ᵀ(Ŷ − Y) = 0: db1 is exactly 0 and dW1 exactly λW1
    params, X, y, reg = fcnet.seed_example()
    _, grads = exact_loss_and_grads(params, X, y, reg)
    assert grads["b1"].is_zero_matrix
    lam_W1 = sp.Rational(reg) * sp.Matrix(params["W1"].tolist()).applyfunc(sp.Rational)
    assert grads["W1"] == lam_W1
    _, _, exact = witness("seed")
    assert exact["grads"]["b1"] == ["0"] * 4


def test_seed_loss_is_log5_plus_the_penalty():
    # all logits are equal, so ŷ = 1/5 in both columns: J = log 5 + ½λ(‖W1‖² + ‖W2‖²) = log 5 + ¼(56 + 80)
    loss, _ = exact_loss_and_grads(*fcnet.seed_example())
    assert sp.expand_log(loss, force=True) == sp.log(5) + 34


def test_report_gains_the_sympy_witness():
    report = example_report("seed", witnesses=("numpy", "sympy"))
    (pair,) = report["agreement"]
    # both are float64 roundings of the same numbers: a few ulps apart at most
    assert pair["norm_rel_error"] <= 1e-15
    js = to_json(report)
    assert js["witnesses"]["sympy"]["exact"]["loss"].startswith("35.6094379124341003746")
    assert "exact" not in js["witnesses"]["numpy"]
    assert len(js["witnesses"]["sympy"]["exact"]["grads"]["W2"]) == 5


def test_exact_loss_digits():
    _, _, exact = witness("second")
    assert exact["digits"] == DIGITS
    assert exact["loss"].startswith("2.150308192625934161260296785628868")


def test_interval_decimals_agree_with_sympy_evalf():
    # two independent evaluations of the same exact expressions: mpmath intervals and SymPy's evalf
    loss, grads = exact_loss_and_grads(*fcnet.second_example())
    loss_str, grads_str = exact_decimals(loss, grads)
    assert loss_str == str(sp.N(loss, DIGITS))
    for key, (r, c) in [("W1", (0, 0)), ("b1", (3, 0)), ("W2", (4, 3)), ("b2", (2, 0))]:
        assert grads_str[key][r][c] == str(sp.N(grads[key][r, c], DIGITS))
