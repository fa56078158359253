"""Bad input: a clear error naming the argument, what was seen and what was expected."""

import numpy as np
import pytest

import fcnet


def _case(mutate):
    """Apply ``mutate(params, X, y, reg) -> (params, X, y, reg)`` to a fresh seed example."""
    params, X, y, reg = fcnet.seed_example()
    return mutate(params, X, y, reg)


def _set(params, key, value):
    return {**params, key: value}


def _drop(params, key):
    return {k: v for k, v in params.items() if k != key}


BAD = [
    # (id, mutate, exception, regex the message must match)
    (
        "W1-wrong-D_in",
        lambda p, X, y, r: (_set(p, "W1", np.ones((4, 2))), X, y, r),
        ValueError,
        r"params\['W1'\] has shape \(4, 2\) but X has D_in=3 rows; expected W1 of shape \(4, 3\)",
    ),
    (
        "W2-wrong-H",
        lambda p, X, y, r: (_set(p, "W2", np.ones((5, 3))), X, y, r),
        ValueError,
        r"params\['W2'\] has shape \(5, 3\) but params\['W1'\] has 4 rows; expected W2 of shape \(5, 4\)",
    ),
    (
        "b1-wrong-length",
        lambda p, X, y, r: (_set(p, "b1", np.ones(3)), X, y, r),
        ValueError,
        r"params\['b1'\] has shape \(3,\) but params\['W1'\] has 4 rows; expected b1 of shape \(4,\)",
    ),
    (
        "b2-2d",
        lambda p, X, y, r: (_set(p, "b2", np.ones((5, 1))), X, y, r),
        ValueError,
        r"params\['b2'\] has shape \(5, 1\); expected 1-D",
    ),
    (
        "W1-1d",
        lambda p, X, y, r: (_set(p, "W1", np.ones(12)), X, y, r),
        ValueError,
        r"params\['W1'\] has shape \(12,\); expected 2-D",
    ),
    ("missing-key", lambda p, X, y, r: (_drop(p, "b2"), X, y, r), ValueError, r"missing \['b2'\]"),
    ("extra-key", lambda p, X, y, r: ({**p, "W3": np.ones((2, 5))}, X, y, r), ValueError, r"unexpected \['W3'\]"),
    (
        "params-not-dict",
        lambda p, X, y, r: (list(p.values()), X, y, r),
        TypeError,
        r"params is a list; expected a dict",
    ),
    (
        "X-1d",
        lambda p, X, y, r: (p, X.ravel(), y, r),
        ValueError,
        r"X has shape \(6,\); expected a 2-D array of shape \(D_in, N\)",
    ),
    (
        "X-row-layout",
        lambda p, X, y, r: (p, X.T, y, r),
        ValueError,
        r"X has D_in=2 rows; expected W1 of shape \(4, 2\)",
    ),
    ("X-empty-batch", lambda p, X, y, r: (p, X[:, :0], y[:0], r), ValueError, r"X has shape \(3, 0\): an empty batch"),
    (
        "X-nan",
        lambda p, X, y, r: (p, np.where(X == 3, np.nan, X), y, r),
        ValueError,
        r"X has a non-finite entry nan at index \(1, 1\); expected finite values",
    ),
    (
        "W2-inf",
        lambda p, X, y, r: (_set(p, "W2", np.where(p["W2"] > 0, np.inf, 0)), X, y, r),
        ValueError,
        r"params\['W2'\] has a non-finite entry inf",
    ),
    ("X-complex", lambda p, X, y, r: (p, X + 1j, y, r), TypeError, r"X has dtype complex128; expected a real"),
    ("X-strings", lambda p, X, y, r: (p, np.array([["a", "b"]] * 3), y, r), TypeError, r"X has dtype <U1"),
    (
        "y-float",
        lambda p, X, y, r: (p, X, y.astype(float), r),
        TypeError,
        r"y has dtype float64; expected integer class labels",
    ),
    ("y-bool", lambda p, X, y, r: (p, X, np.array([True, False]), r), TypeError, r"y has dtype bool; expected integer"),
    (
        "y-out-of-range",
        lambda p, X, y, r: (p, X, np.array([3, 5]), r),
        ValueError,
        r"y contains label 5; expected labels in \[0, 5\) for C=5 classes",
    ),
    ("y-negative", lambda p, X, y, r: (p, X, np.array([-1, 2]), r), ValueError, r"y contains label -1"),
    (
        "y-wrong-length",
        lambda p, X, y, r: (p, X, np.array([1, 2, 3]), r),
        ValueError,
        r"y has shape \(3,\); expected \(2,\), one label per column of X",
    ),
    (
        "y-one-hot",
        lambda p, X, y, r: (p, X, np.eye(5, dtype=int)[:, y], r),
        ValueError,
        r"y has shape \(5, 2\); expected \(2,\)",
    ),
    (
        "reg-negative",
        lambda p, X, y, r: (p, X, y, -0.1),
        ValueError,
        r"reg is -0.1; expected a finite real number >= 0",
    ),
    ("reg-nan", lambda p, X, y, r: (p, X, y, float("nan")), ValueError, r"reg is nan; expected a finite"),
    ("reg-inf", lambda p, X, y, r: (p, X, y, float("inf")), ValueError, r"reg is inf"),
    ("reg-string", lambda p, X, y, r: (p, X, y, "0.5"), TypeError, r"reg is a str \('0.5'\); expected a real number"),
    ("reg-array", lambda p, X, y, r: (p, X, y, np.array([0.5])), TypeError, r"reg is a ndarray"),
]


@pytest.mark.parametrize("mutate, exc, pattern", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_loss_and_grads_rejects_bad_input(mutate, exc, pattern):
    with pytest.raises(exc, match=pattern):
        fcnet.loss_and_grads(*_case(mutate))


@pytest.mark.parametrize("mutate, exc, pattern", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_torch_witness_rejects_bad_input_the_same_way(mutate, exc, pattern):
    with pytest.raises(exc, match=pattern):
        fcnet.torch_loss_and_grads(*_case(mutate))


@pytest.mark.parametrize(
    "mutate, exc, pattern",
    [c[1:] for c in BAD if not c[0].startswith(("y-", "reg-"))],
    ids=[c[0] for c in BAD if not c[0].startswith(("y-", "reg-"))],
)
def test_forward_rejects_bad_params_and_X(mutate, exc, pattern):
    params, X, _, _ = _case(mutate)
    with pytest.raises(exc, match=pattern):
        fcnet.forward(params, X)


def test_numerical_gradient_rejects_bad_arguments():
    with pytest.raises(TypeError, match=r"x is an ndarray of dtype int64; expected a floating ndarray"):
        fcnet.numerical_gradient(lambda x: 0.0, np.arange(3))
    with pytest.raises(TypeError, match=r"x is a list"):
        fcnet.numerical_gradient(lambda x: 0.0, [1.0])
    with pytest.raises(ValueError, match=r"h is 0.0; expected a finite step > 0"):
        fcnet.numerical_gradient(lambda x: 0.0, np.zeros(2), h=0.0)


def test_norm_rel_error_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but b has shape \(3,\)"):
        fcnet.norm_rel_error(np.zeros(2), np.zeros(3))


def test_huge_finite_inputs_are_accepted_without_warnings():
    # their sum overflows to inf, which must not be mistaken for a non-finite entry
    params, X, y, reg = fcnet.seed_example()
    X = np.full((3, 2), 1e308)
    X[0, 0] = -1e308
    with np.errstate(all="raise", under="ignore"):
        fcnet.core.validate.check_X(X)
    with pytest.raises(ValueError, match=r"X has a non-finite entry -inf at index \(0, 1\)"):
        fcnet.core.validate.check_X(np.array([[1e308, -np.inf], [1e308, 1.0]]))
