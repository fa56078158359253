"""The planted bugs change exactly what they claim, and the table's shape."""

import numpy as np
import pytest

from fcnet import loss_and_grads
from fcnet.gradcheck.planted import PLANTED_BUGS, bug_table, planted_problem

PARAMS, X, Y, REG = planted_problem()
_, GRADS = loss_and_grads(PARAMS, X, Y, REG)


def changed(bad):
    return {k for k in GRADS if not np.array_equal(bad[k], GRADS[k])}


def test_problem_has_a_square_w1_and_nondegenerate_gradients():
    assert PARAMS["W1"].shape == (4, 4) and REG == 0.5
    assert not np.allclose(GRADS["W1"], GRADS["W1"].T)  # the transpose is a real change
    assert abs(GRADS["W2"][1, 2]) > 0.1  # the sign flip is a real change


def test_sign_error_flips_one_entry():
    bad = PLANTED_BUGS["sign error in dW2[1, 2]"](PARAMS, GRADS, REG)
    diff = bad["W2"] - GRADS["W2"]
    assert changed(bad) == {"W2"} and np.count_nonzero(diff) == 1 and diff[1, 2] == -2 * GRADS["W2"][1, 2]


def test_missing_half_adds_lambda_w_to_every_weight_and_no_bias():
    bad = PLANTED_BUGS["missing ½ in the L2 gradient"](PARAMS, GRADS, REG)
    assert changed(bad) == {"W1", "W2"}
    for k in ("W1", "W2"):
        np.testing.assert_allclose(bad[k] - GRADS[k], REG * PARAMS[k], rtol=1e-14, atol=1e-16)


def test_transposed_dw1():
    bad = PLANTED_BUGS["transposed dW1"](PARAMS, GRADS, REG)
    assert changed(bad) == {"W1"} and np.array_equal(bad["W1"], GRADS["W1"].T)


@pytest.mark.parametrize("bug", sorted(PLANTED_BUGS))
def test_bugs_leave_their_inputs_untouched(bug):
    before = {k: v.copy() for k, v in GRADS.items()}
    PLANTED_BUGS[bug](PARAMS, GRADS, REG)
    assert all(np.array_equal(before[k], GRADS[k]) for k in GRADS)


def test_bug_table_rows():
    rows = bug_table()
    assert [r["bug"] for r in rows] == ["none (correct gradient)", *PLANTED_BUGS]
    assert all(r[m].passed for m in ("full", "sparse", "directional") for r in rows[:1])
    assert not any(r[m].passed for m in ("full", "directional") for r in rows[1:])
