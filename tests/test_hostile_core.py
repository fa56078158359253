"""Hostile calls into the NumPy core: each is refused with the right error type and a message naming the culprit.

The nets (`loss_and_grads`, `forward`, the L-layer pair), the building blocks (affine, sigmoid, the
other activations, softmax and its cross-entropy, L2), the parameters and worked examples, and `train`.
A finite input that overflows must raise `NumericalOverflowError` naming the quantity, never a
RuntimeWarning (pytest turns warnings into errors here, so a warning would fail these tests too).
"""

import re

import numpy as np
import pytest

import fcnet
from fcnet import NonFiniteError, NumericalOverflowError
from fcnet.core import activations as act
from fcnet.witnesses import registry

P, X, Y, REG = fcnet.seed_example()  # W1 (4, 3), b1 (4,), W2 (5, 4), b2 (5,); X (3, 2); y (2,)
Z = np.array([[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]])  # logits (C=3, N=2)
CE_CACHE = fcnet.softmax_ce_forward(Z, np.array([0, 2]))[1]
AFF_CACHE = fcnet.affine_forward(np.ones((2, 3)), np.ones((3, 5)), np.zeros(2))[1]
SIG = fcnet.sigmoid_forward(np.zeros((3, 2)))[1]


def with_(key, value):
    return {**P, key: value}


def full(key, value):
    return {**P, key: np.full(P[key].shape, value)}


NETS = [
    # y and reg are required by the losses
    ("loss-y-None", lambda: fcnet.loss_and_grads(P, X, None, REG), TypeError, "y is None; expected integer class"),
    ("loss-reg-None", lambda: fcnet.loss_and_grads(P, X, Y, None), TypeError, "reg is None; expected the L2 strength"),
    ("mlp-y-None", lambda: fcnet.mlp_loss_and_grads(P, X, None, REG, ["tanh"]), TypeError, "y is None"),
    ("mlp-reg-None", lambda: fcnet.mlp_loss_and_grads(P, X, Y, None, ["relu"]), TypeError, "reg is None"),
    ("torch-y-None", lambda: fcnet.torch_loss_and_grads(P, X, None, REG), TypeError, "y is None"),
    ("torch-mlp-reg-None", lambda: fcnet.torch_mlp_loss_and_grads(P, X, Y, None, ["gelu"]), TypeError, "reg is None"),
    ("reg-bool", lambda: fcnet.loss_and_grads(P, X, Y, True), TypeError, r"reg is a bool \(True\)"),
    # finite input, non-finite result: the quantity that overflowed is named
    (
        "W1-1e200",
        lambda: fcnet.loss_and_grads(full("W1", 1e200), X, Y, REG),
        NumericalOverflowError,
        "Σ‖W‖² overflowed",
    ),
    (
        "W2-1e308",
        lambda: fcnet.loss_and_grads(full("W2", 1e308), X, Y, REG),
        NumericalOverflowError,
        r"z2 = W2 a1 \+ b2",
    ),
    (
        "X-1e308-relu",
        lambda: fcnet.mlp_loss_and_grads(P, np.full((3, 2), 1e308), Y, REG, ["relu"]),
        NumericalOverflowError,
        r"z1 = W1 X \+ b1 is not finite \(inf at index \(0, 0\)\)",
    ),
    (
        "z2-relu",
        lambda: fcnet.mlp_loss_and_grads(full("W1", 1e307), X, Y, 0.0, ["relu"]),
        NumericalOverflowError,
        r"z2 = W2 a1 \+ b2 is not finite",
    ),
    ("reg-1e300", lambda: fcnet.loss_and_grads(full("W2", 1e5), X, Y, 1e300), NumericalOverflowError, "L2 penalty"),
    ("forward-W2", lambda: fcnet.forward(full("W2", 1e308), X), NumericalOverflowError, r"forward: z2 = W2 a1 \+ b2"),
    (
        "mlp-relu-W1",
        lambda: fcnet.mlp_loss_and_grads(full("W1", 1e308), X, Y, REG, ["relu"]),
        NumericalOverflowError,
        r"mlp_loss_and_grads: z1 = W1 X \+ b1 is not finite",
    ),
    (
        "mlp-forward-zs",
        lambda: fcnet.mlp_forward(full("W1", 1e308), X, ["tanh"], return_pre_activations=True),
        NumericalOverflowError,
        "mlp_forward: z1 = W1 X",
    ),
    (
        "torch-W2",
        lambda: fcnet.torch_loss_and_grads(full("W2", 1e308), X, Y, REG),
        NumericalOverflowError,
        r"torch_loss_and_grads: z2 = W2 a1 \+ b2",
    ),
    (
        "float32-range",
        lambda: fcnet.loss_and_grads(
            {k: np.full(v.shape, 3e38 if k == "W2" else 1, np.float32) for k, v in P.items()},
            X.astype(np.float32),
            Y,
            0.1,
        ),
        NumericalOverflowError,
        r"overflowed float32's range \(±3.4e\+38\)",
    ),
    (
        "nan-W2",
        lambda: fcnet.loss_and_grads(full("W2", np.nan), X, Y, REG),
        NonFiniteError,
        r"params\['W2'\] has a non",
    ),
    ("predict-params", lambda: fcnet.predict(list(P.values()), X), TypeError, "params is a list; expected a dict"),
    ("accuracy-params", lambda: fcnet.accuracy([1, 2], X, Y), TypeError, "params is a list"),
    ("accuracy-label", lambda: fcnet.accuracy(P, X, np.array([0, 7])), ValueError, "y contains label 7"),
    ("accuracy-y-float", lambda: fcnet.accuracy(P, X, np.array([0.0, 1.0])), TypeError, "y has dtype float64"),
]

LAYERS = [
    (
        "affine-W-1d",
        lambda: fcnet.affine_forward(np.ones(3), np.ones((3, 2)), np.zeros(1)),
        ValueError,
        r"W has shape \(3,\)",
    ),
    (
        "affine-a-rows",
        lambda: fcnet.affine_forward(np.ones((2, 3)), np.ones((4, 5)), np.zeros(2)),
        ValueError,
        re.escape("a has shape (4, 5) but W has shape (2, 3); expected a of shape (3, N)"),
    ),
    (
        "affine-b-length",
        lambda: fcnet.affine_forward(np.ones((2, 3)), np.ones((3, 5)), np.zeros(3)),
        ValueError,
        re.escape("b has shape (3,) but W has 2 rows; expected b of shape (2,)"),
    ),
    (
        "affine-b-2d",
        lambda: fcnet.affine_forward(np.ones((2, 3)), np.ones((3, 5)), np.zeros((2, 1))),
        ValueError,
        "b has shape",
    ),
    (
        "affine-W-complex",
        lambda: fcnet.affine_forward(np.ones((2, 3)) * 1j, np.ones((3, 1)), np.zeros(2)),
        TypeError,
        "W has dtype complex128",
    ),
    (
        "affine-a-bool",
        lambda: fcnet.affine_forward(np.ones((2, 3)), np.ones((3, 1), bool), np.zeros(2)),
        TypeError,
        "a has dtype bool",
    ),
    (
        "affine-b-None",
        lambda: fcnet.affine_forward(np.ones((2, 3)), np.ones((3, 1)), None),
        TypeError,
        "b has dtype object",
    ),
    (
        "affine-a-ragged",
        lambda: fcnet.affine_forward(np.ones((2, 3)), [[1.0], [2.0, 3.0]], np.zeros(2)),
        TypeError,
        "a could not be read",
    ),
    (
        "affine-dout-shape",
        lambda: fcnet.affine_backward(np.ones((3, 5)), AFF_CACHE),
        ValueError,
        re.escape("dout has shape (3, 5); expected (2, 5)"),
    ),
    (
        "affine-dout-1d",
        lambda: fcnet.affine_backward(np.ones(10), AFF_CACHE),
        ValueError,
        re.escape("dout has shape (10,)"),
    ),
    (
        "affine-cache-3",
        lambda: fcnet.affine_backward(np.ones((2, 5)), (*AFF_CACHE, 1)),
        TypeError,
        "cache is a tuple of length 3",
    ),
    ("affine-cache-str", lambda: fcnet.affine_backward(np.ones((2, 5)), "Wa"), TypeError, "cache is a str"),
    ("affine-need-da", lambda: fcnet.affine_backward(np.ones((2, 5)), AFF_CACHE, "yes"), TypeError, "need_da is 'yes'"),
    ("sigmoid-str", lambda: fcnet.sigmoid_forward("abc"), TypeError, "z has dtype <U3"),
    ("sigmoid-None", lambda: fcnet.sigmoid_forward(None), TypeError, "z has dtype object"),
    ("sigmoid-complex", lambda: fcnet.sigmoid_forward(np.zeros((2, 2), complex)), TypeError, "z has dtype complex128"),
    (
        "sigmoid-dout-shape",
        lambda: fcnet.sigmoid_backward(np.ones((2, 3)), SIG),
        ValueError,
        re.escape("dout has shape (2, 3); expected (3, 2)"),
    ),
    ("sigmoid-cache-list", lambda: fcnet.sigmoid_backward(np.ones((3, 2)), [1, 2]), TypeError, "cache is a list"),
    ("tanh-bool", lambda: act.tanh_forward(np.ones((2, 2), bool)), TypeError, "z has dtype bool"),
    (
        "relu-dout",
        lambda: act.relu_backward(np.ones((2, 2)), act.relu_forward(np.ones((3, 3)))[1]),
        ValueError,
        "dout has shape",
    ),
    ("gelu-cache", lambda: act.gelu_backward(np.ones((2, 2)), None), TypeError, "cache is a NoneType"),
    ("softplus-str", lambda: act.softplus_forward(["a"]), TypeError, "z has dtype <U1"),
    ("activation-int", lambda: fcnet.get_activation(5), ValueError, "activation 5 is unknown"),
]

LOSSES = [
    ("ce-label-negative", lambda: fcnet.softmax_ce_forward(Z, np.array([-1, 0])), ValueError, "y contains label -1"),
    (
        "ce-label-C",
        lambda: fcnet.softmax_ce_forward(Z, np.array([0, 3])),
        ValueError,
        re.escape("y contains label 3; expected labels in [0, 3)"),
    ),
    (
        "ce-few-labels",
        lambda: fcnet.softmax_ce_forward(Z, np.array([1])),
        ValueError,
        re.escape("y has shape (1,); expected (2,)"),
    ),
    ("ce-float-labels", lambda: fcnet.softmax_ce_forward(Z, np.array([0.0, 1.0])), TypeError, "y has dtype float64"),
    ("ce-bool-labels", lambda: fcnet.softmax_ce_forward(Z, np.array([True, False])), TypeError, "y has dtype bool"),
    ("ce-labels-None", lambda: fcnet.softmax_ce_forward(Z, None), TypeError, "y has dtype object"),
    (
        "ce-z-1d",
        lambda: fcnet.softmax_ce_forward(np.ones(3), np.array([0])),
        ValueError,
        re.escape("z has shape (3,); expected a 2-D"),
    ),
    ("ce-empty-batch", lambda: fcnet.softmax_ce_forward(np.ones((3, 0)), np.array([], int)), ValueError, "empty batch"),
    ("ce-no-classes", lambda: fcnet.softmax_ce_forward(np.ones((0, 2)), np.array([0, 0])), ValueError, "C=0 classes"),
    (
        "ce-z-nan",
        lambda: fcnet.softmax_ce_forward(np.where(Z > 2, np.nan, Z), np.array([0, 1])),
        NonFiniteError,
        r"z has a non-finite entry nan at index \(1, 1\)",
    ),
    (
        "ce-z-span",
        lambda: fcnet.softmax_ce_forward(np.array([[1e308], [-1e308]]), np.array([1])),
        NumericalOverflowError,
        r"z\[:, 0\] spans -1e\+308 to 1e\+308",
    ),
    ("softmax-inf", lambda: fcnet.softmax(np.array([[np.inf], [1.0]])), NonFiniteError, "z has a non-finite entry inf"),
    (
        "softmax-span",
        lambda: fcnet.softmax(np.array([[1.7e308, 0.0], [-1.7e308, 0.0]])),
        NumericalOverflowError,
        "too wide for float64",
    ),
    ("softmax-complex", lambda: fcnet.softmax(Z + 0j), TypeError, "z has dtype complex128"),
    (
        "log-softmax-3d",
        lambda: fcnet.log_softmax(np.ones((2, 2, 2))),
        ValueError,
        re.escape("z has shape (2, 2, 2); expected a 2-D"),
    ),
    ("log-softmax-str", lambda: fcnet.log_softmax(np.array([["a"]])), TypeError, "z has dtype <U1"),
    (
        "ce-dout-None",
        lambda: fcnet.softmax_ce_backward(None, CE_CACHE),
        TypeError,
        "dout is None; expected a finite real",
    ),
    ("ce-dout-nan", lambda: fcnet.softmax_ce_backward(np.nan, CE_CACHE), TypeError, "dout is nan"),
    ("ce-dout-bool", lambda: fcnet.softmax_ce_backward(True, CE_CACHE), TypeError, "dout is True"),
    (
        "ce-dout-array",
        lambda: fcnet.softmax_ce_backward(np.ones(2), CE_CACHE),
        TypeError,
        r"dout is array\(\[1., 1.\]\)",
    ),
    ("ce-cache-str", lambda: fcnet.softmax_ce_backward(1.0, "cache"), TypeError, "cache is a str"),
    (
        "ce-cache-labels",
        lambda: fcnet.softmax_ce_backward(1.0, (CE_CACHE[0], np.zeros(2))),
        TypeError,
        r"cache\[1\] \(y\) is not integer labels",
    ),
    (
        "l2-reg-negative",
        lambda: fcnet.l2_forward([P["W1"]], -1.0),
        ValueError,
        "reg is -1.0; expected a finite real number >= 0",
    ),
    ("l2-reg-None", lambda: fcnet.l2_forward([P["W1"]], None), TypeError, "reg is a NoneType"),
    ("l2-reg-str", lambda: fcnet.l2_forward([P["W1"]], "0.1"), TypeError, r"reg is a str \('0.1'\)"),
    ("l2-reg-bool", lambda: fcnet.l2_forward([P["W1"]], False), TypeError, "reg is a bool"),
    (
        "l2-bare-array",
        lambda: fcnet.l2_forward(P["W1"], 0.1),
        TypeError,
        "weights is a ndarray; expected a list or tuple",
    ),
    ("l2-weights-None", lambda: fcnet.l2_forward(None, 0.1), TypeError, "weights is a NoneType"),
    ("l2-weight-str", lambda: fcnet.l2_forward([P["W1"], "W2"], 0.1), TypeError, r"weights\[1\] has dtype <U2"),
    (
        "l2-nan",
        lambda: fcnet.l2_forward([P["W1"], full("W2", np.nan)["W2"]], 0.1),
        NonFiniteError,
        r"weights\[1\] has a non-finite entry nan",
    ),
    (
        "l2-overflow",
        lambda: fcnet.l2_forward([np.full((2, 2), 1e200)], 1.0),
        NumericalOverflowError,
        "Σ‖W‖² overflowed float64",
    ),
    ("l2-backward-inf", lambda: fcnet.l2_backward(P["W1"], np.inf), ValueError, "reg is inf"),
    ("l2-backward-W-str", lambda: fcnet.l2_backward("W", 0.1), TypeError, "W has dtype <U1"),
]

SETUP = [
    (
        "init-seed-negative",
        lambda: fcnet.init_params([3, 4], seed=-1),
        ValueError,
        "seed is -1; expected an integer >= 0",
    ),
    ("init-seed-float", lambda: fcnet.init_params([3, 4], seed=1.5), ValueError, "seed is 1.5"),
    ("init-seed-bool", lambda: fcnet.init_params([3, 4], seed=True), ValueError, "seed is True"),
    (
        "init-dtype-int",
        lambda: fcnet.init_params([3, 4], dtype=np.int64),
        TypeError,
        "dtype is int64; expected a floating",
    ),
    ("init-dtype-junk", lambda: fcnet.init_params([3, 4], dtype="banana"), TypeError, "dtype is 'banana'"),
    ("init-size-bool", lambda: fcnet.init_params([3, True]), ValueError, r"sizes is \[3, True\]"),
    ("init-size-zero", lambda: fcnet.init_params([3, 0, 2]), ValueError, "expected at least two positive integers"),
    ("init-one-size", lambda: fcnet.init_params([3]), ValueError, r"sizes is \[3\]"),
    ("init-scale-nan", lambda: fcnet.init_params([3, 4], scale=np.nan), ValueError, "scale is nan"),
    ("init-bias-scale-inf", lambda: fcnet.init_params([3, 4], bias_scale=np.inf), ValueError, "bias_scale is inf"),
    ("init-scheme", lambda: fcnet.init_params([3, 4], scheme="he"), ValueError, "scheme is 'he'"),
    ("random-N-bool", lambda: fcnet.random_example(True, 3, 4, 2), ValueError, "N is True"),
    ("random-C-zero", lambda: fcnet.random_example(2, 3, 4, 0), ValueError, "C is 0"),
    ("random-reg", lambda: fcnet.random_example(2, 3, 4, 2, reg=-1.0), ValueError, "reg is -1.0"),
    ("random-dtype", lambda: fcnet.random_example(2, 3, 4, 2, dtype=np.int32), TypeError, "dtype is int32"),
    ("random-seed", lambda: fcnet.random_example(2, 3, 4, 2, seed=-5), ValueError, "seed is -5"),
    ("mlp-keys-zero", lambda: fcnet.mlp_keys(0), ValueError, "L is 0"),
    ("mlp-keys-bool", lambda: fcnet.mlp_keys(True), ValueError, "L is True"),
    ("mlp-activations-str", lambda: fcnet.mlp_loss_and_grads(P, X, Y, REG, "relu"), TypeError, "activations is a str"),
    (
        "mlp-activation-unknown",
        lambda: fcnet.mlp_forward(P, X, ["swish"]),
        ValueError,
        r"activations\[0\]: activation 'swish'",
    ),
    ("mlp-activation-count", lambda: fcnet.mlp_forward(P, X, ["relu", "tanh"]), ValueError, "expected 1 name"),
]

_XS, _YS = np.random.default_rng(0).standard_normal((2, 40)), np.arange(40) % 2
TRAIN = [
    (
        "train-lr-huge",
        lambda: fcnet.train(_XS, _YS, hidden=4, epochs=3, lr=1e30, batch_size=4),
        NumericalOverflowError,
        r"training diverged in epoch 1, minibatch \d+: .*lr=1e\+30",
    ),
    ("train-seed", lambda: fcnet.train(_XS, _YS, seed=-1), ValueError, "seed is -1"),
    ("train-reg", lambda: fcnet.train(_XS, _YS, reg=-1.0), ValueError, "reg is -1.0"),
    ("train-reg-nan", lambda: fcnet.train(_XS, _YS, reg=np.nan), ValueError, "reg is nan"),
    ("train-callback", lambda: fcnet.train(_XS, _YS, callback=5), TypeError, "callback is a int"),
    ("train-C", lambda: fcnet.train(_XS, _YS, C=0), ValueError, "C is 0"),
    ("train-C-small", lambda: fcnet.train(_XS, _YS, C=1), ValueError, "y contains label 1"),
    (
        "train-momentum",
        lambda: fcnet.train(_XS, _YS, momentum=1.0),
        ValueError,
        r"momentum is 1.0; expected a number in \[0, 1\)",
    ),
    ("train-lr-zero", lambda: fcnet.train(_XS, _YS, lr=0.0), ValueError, "lr is 0.0"),
    ("train-hidden-bool", lambda: fcnet.train(_XS, _YS, hidden=True), ValueError, "hidden is True"),
    (
        "train-test-alone",
        lambda: fcnet.train(_XS, _YS, X_test=_XS),
        ValueError,
        "X_test and y_test must be given together",
    ),
    ("example-unknown", lambda: registry.example_report("third"), ValueError, "which is 'third'"),
    (
        "example-witnesses-str",
        lambda: registry.example_report("seed", "numpy"),
        TypeError,
        "witnesses is a str",
    ),
]

CASES = NETS + LAYERS + LOSSES + SETUP + TRAIN


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_a_message_naming_the_culprit(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_overflow_errors_are_value_and_floating_point_errors():
    # callers that catch ValueError (the CLI) or FloatingPointError (NumPy's errstate="raise") both catch them
    assert issubclass(NumericalOverflowError, ValueError) and issubclass(NumericalOverflowError, FloatingPointError)
    assert issubclass(NumericalOverflowError, NonFiniteError)


@pytest.mark.parametrize("which", ["W1", "W2"])
def test_huge_but_harmless_inputs_still_work(which):
    # b2 = 1e308 everywhere shifts every logit alike: softmax is unchanged, nothing overflows; and λ = 0 makes
    # ½λΣ‖W‖² zero even when Σ‖W‖² itself overflows (0 · inf would be nan)
    loss, _ = fcnet.loss_and_grads(full("b2", 1e308), X, Y, REG)
    assert loss == pytest.approx(fcnet.loss_and_grads(P, X, Y, REG)[0], rel=1e-12)
    params = {**P, which: np.where(np.arange(P[which].size).reshape(P[which].shape) % 2, 1e160, -1e160)}
    if which == "W1":
        params["W1"][:] = 1e160  # z1 = 1e160·X: σ saturates, nothing overflows before the penalty
    loss0, grads0 = fcnet.loss_and_grads(params, X, Y, 0.0)
    assert np.isfinite(loss0) and all(np.isfinite(g).all() for g in grads0.values())
