"""Hostile values, round two: a masked array anywhere in the public API, and Python integers beyond any float.

A mask is never honoured silently: every entry point refuses a `numpy.ma.MaskedArray` by name
(TypeError), so a hidden label −1 cannot become the last class and a hidden NaN cannot slip
past "checked finite".  An integer such as 10**400 is refused where a float is taken
(ValueError naming the argument), never a bare OverflowError.
"""

import numpy as np
import pytest

import fcnet
from fcnet import (
    SGD,
    accuracy,
    affine_backward,
    affine_forward,
    directional_check,
    forward,
    full_check,
    init_params,
    l2_backward,
    l2_forward,
    log_softmax,
    loss_and_grads,
    mlp_forward,
    mlp_loss_and_grads,
    norm_rel_error,
    numerical_gradient,
    numerical_gradients,
    predict,
    random_example,
    rel_error,
    save_params,
    sigmoid_backward,
    sigmoid_forward,
    softmax,
    softmax_ce_backward,
    softmax_ce_forward,
    sparse_check,
    train,
)
from fcnet.core.activations import get_activation

PARAMS, X, Y, REG = random_example(N=6, D_in=3, H=4, C=3, seed=0)
HUGE = 10**400


def masked(a, hide=0):
    """``a`` as a masked array hiding its first ``hide`` entries (none by default: the mask alone must fail)."""
    mask = np.zeros(np.shape(a), dtype=bool)
    mask.flat[:hide] = True
    return np.ma.array(a, mask=mask)


def with_param(key, value):
    return {**PARAMS, key: value}


def ce_cache():
    return softmax_ce_forward(PARAMS["W2"] @ np.ones((4, 6)), Y)[1]


_Z = np.linspace(-1, 1, 12).reshape(3, 4)
_F = lambda x: float(np.sum(x**2))  # noqa: E731
_TOY = np.array([1.0, -2.0, 0.5])
_XS = np.random.default_rng(0).standard_normal((2, 12))
_YS = (_XS[0] > 0).astype(int)

# (id, call, name the message starts with)
MASKED = [
    # the two-layer net and the L-layer net
    (
        "loss_and_grads-y-hidden-minus-one",
        lambda: loss_and_grads(PARAMS, X, np.ma.array([0, 1, -1, 0, 1, 2], mask=[0, 0, 1, 0, 0, 0]), REG),
        "y",
    ),
    (
        "loss_and_grads-y-hidden-99",
        lambda: loss_and_grads(PARAMS, X, np.ma.array([0, 1, 99, 0, 1, 2], mask=[0, 0, 1, 0, 0, 0]), REG),
        "y",
    ),
    ("loss_and_grads-y-no-hidden", lambda: loss_and_grads(PARAMS, X, masked(Y), REG), "y"),
    ("loss_and_grads-X", lambda: loss_and_grads(PARAMS, masked(X, 2), Y, REG), "X"),
    ("loss_and_grads-W1", lambda: loss_and_grads(with_param("W1", masked(PARAMS["W1"], 1)), X, Y, REG), "params['W1']"),
    ("loss_and_grads-b1", lambda: loss_and_grads(with_param("b1", masked(PARAMS["b1"])), X, Y, REG), "params['b1']"),
    ("loss_and_grads-W2", lambda: loss_and_grads(with_param("W2", masked(PARAMS["W2"])), X, Y, REG), "params['W2']"),
    ("loss_and_grads-b2", lambda: loss_and_grads(with_param("b2", masked(PARAMS["b2"], 1)), X, Y, REG), "params['b2']"),
    ("loss_and_grads-workspace", lambda: loss_and_grads(PARAMS, masked(X), Y, REG, workspace=fcnet.Workspace()), "X"),
    ("forward-X", lambda: forward(PARAMS, masked(X)), "X"),
    ("forward-W1", lambda: forward(with_param("W1", masked(PARAMS["W1"])), X), "params['W1']"),
    ("mlp_loss_and_grads-y", lambda: mlp_loss_and_grads(PARAMS, X, masked(Y, 1), REG, ["sigmoid"]), "y"),
    ("mlp_loss_and_grads-X", lambda: mlp_loss_and_grads(PARAMS, masked(X), Y, REG, ["relu"]), "X"),
    ("mlp_forward-b2", lambda: mlp_forward(with_param("b2", masked(PARAMS["b2"])), X, ["tanh"]), "params['b2']"),
    ("predict-X", lambda: predict(PARAMS, masked(X)), "X"),
    ("accuracy-y", lambda: accuracy(PARAMS, X, masked(Y, 1)), "y"),
    ("torch_loss_and_grads-X", lambda: fcnet.torch_loss_and_grads(PARAMS, masked(X), Y, REG), "X"),
    (
        "torch_mlp_loss_and_grads-y",
        lambda: fcnet.torch_mlp_loss_and_grads(PARAMS, X, masked(Y, 1), REG, ["sigmoid"]),
        "y",
    ),
    # the building blocks
    ("affine_forward-W", lambda: affine_forward(masked(np.ones((2, 3))), np.ones((3, 4)), np.zeros(2)), "W"),
    ("affine_forward-a", lambda: affine_forward(np.ones((2, 3)), masked(np.ones((3, 4)), 1), np.zeros(2)), "a"),
    ("affine_forward-b", lambda: affine_forward(np.ones((2, 3)), np.ones((3, 4)), masked(np.zeros(2))), "b"),
    (
        "affine_backward-dout",
        lambda: affine_backward(masked(np.ones((2, 4))), (np.ones((2, 3)), np.ones((3, 4)))),
        "dout",
    ),
    ("sigmoid_forward-z", lambda: sigmoid_forward(masked(_Z, 3)), "z"),
    ("sigmoid_backward-dout", lambda: sigmoid_backward(masked(_Z), sigmoid_forward(_Z)[1]), "dout"),
    ("softmax-z", lambda: softmax(masked(_Z)), "z"),
    ("log_softmax-z", lambda: log_softmax(masked(_Z, 1)), "z"),
    ("softmax_ce_forward-z", lambda: softmax_ce_forward(masked(_Z), np.array([0, 1, 2, 0])), "z"),
    ("softmax_ce_forward-y", lambda: softmax_ce_forward(_Z, np.ma.array([0, 1, -1, 0], mask=[0, 0, 1, 0])), "y"),
    ("l2_forward-weights", lambda: l2_forward([masked(np.ones((2, 2)))], 0.5), "weights[0]"),
    ("l2_backward-W", lambda: l2_backward(masked(np.ones((2, 2))), 0.5), "W"),
    ("relu_forward-z", lambda: get_activation("relu").forward(masked(_Z)), "z"),
    ("gelu_forward-z", lambda: get_activation("gelu").forward(masked(_Z, 2)), "z"),
    # gradient checking
    ("numerical_gradient-x", lambda: numerical_gradient(_F, masked(_TOY.copy())), "x"),
    (
        "numerical_gradients-params",
        lambda: numerical_gradients(lambda p: _F(p["w"]), {"w": masked(_TOY.copy())}),
        "params['w']",
    ),
    ("rel_error-a", lambda: rel_error(masked([1.0, 2.0], 1), [1.0, 2.0]), "a"),
    ("rel_error-b", lambda: rel_error([1.0, 2.0], masked([1.0, np.nan], 0)), "b"),
    ("norm_rel_error-a", lambda: norm_rel_error(masked([3.0, 4.0]), [3.0, 4.0]), "a"),
    ("norm_rel_error-b", lambda: norm_rel_error([3.0, 4.0], masked([3.0, 4.0], 2)), "b"),
    ("full_check-params", lambda: full_check(_F, masked(_TOY), 2 * _TOY), "params['x']"),
    ("full_check-grads", lambda: full_check(_F, _TOY, masked(2 * _TOY, 1)), "grads['x']"),
    ("sparse_check-grads", lambda: sparse_check(_F, _TOY, masked(2 * _TOY), k=2), "grads['x']"),
    ("directional_check-params", lambda: directional_check(_F, masked(_TOY, 1), 2 * _TOY), "params['x']"),
    # training and checkpoints
    ("train-X", lambda: train(masked(_XS), _YS, hidden=2, epochs=1), "X"),
    ("train-y", lambda: train(_XS, masked(_YS, 1), hidden=2, epochs=1), "y"),
    ("train-y-given-C", lambda: train(_XS, masked(_YS, 1), hidden=2, epochs=1, C=2), "y"),
    ("train-y_test", lambda: train(_XS, _YS, hidden=2, epochs=1, X_test=_XS, y_test=masked(_YS)), "y_test: y"),
    ("train-X_test", lambda: train(_XS, _YS, hidden=2, epochs=1, X_test=masked(_XS), y_test=_YS), "X_test"),
    ("SGD-params", lambda: SGD({"a": np.ma.array([np.nan, 1.0], mask=[1, 0])}, lr=0.1), "params['a']"),
    (
        "SGD-step-grads",
        lambda: SGD({"a": np.zeros(2)}, lr=0.1).step({"a": np.ma.array([np.nan, 1.0], mask=[1, 0])}),
        "grads['a']",
    ),
    ("save_params-W1", lambda: save_params("unused.npz", with_param("W1", masked(PARAMS["W1"], 1))), "params['W1']"),
]


@pytest.mark.parametrize("call, name", [c[1:] for c in MASKED], ids=[c[0] for c in MASKED])
def test_a_masked_array_is_refused_by_name(call, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match=r"is a masked array \(numpy\.ma\.MaskedArray\); expected a plain ndarray") as e:
        call()
    assert str(e.value).startswith(f"{name} is a masked array"), str(e.value)
    assert not list(tmp_path.iterdir())  # nothing was saved


def test_sgd_with_a_masked_nan_changes_nothing():
    p = np.array([0.0, 1.0])
    opt = SGD({"a": p}, lr=0.1)
    with pytest.raises(TypeError, match=r"grads\['a'\] is a masked array"):
        opt.step({"a": np.ma.array([np.nan, 1.0], mask=[1, 0])})
    np.testing.assert_array_equal(p, [0.0, 1.0])


def test_the_plain_data_of_a_mask_still_works():
    # the refusal is about the mask, not the values: .filled() and .data pass as the same plain arrays
    y = np.ma.array(Y, mask=np.zeros(6, bool))
    assert loss_and_grads(PARAMS, X, y.filled(0), REG)[0] == loss_and_grads(PARAMS, X, Y, REG)[0]


# (id, call, exception, message fragment)
HUGE_INTEGERS = [
    ("loss_and_grads-reg", lambda: loss_and_grads(PARAMS, X, Y, HUGE), "reg is an integer of 1329 bits (about 1e400)"),
    (
        "loss_and_grads-reg-negative",
        lambda: loss_and_grads(PARAMS, X, Y, -HUGE),
        "reg is an integer of 1329 bits (about -1e400)",
    ),
    ("loss_and_grads-reg-2**1024", lambda: loss_and_grads(PARAMS, X, Y, 2**1024), "reg is an integer of 1025 bits"),
    (
        "mlp_loss_and_grads-reg",
        lambda: mlp_loss_and_grads(PARAMS, X, Y, HUGE, ["relu"]),
        "reg is an integer of 1329 bits",
    ),
    ("l2_forward-reg", lambda: l2_forward([np.ones((2, 2))], HUGE), "reg is an integer of 1329 bits"),
    (
        "l2_backward-reg",
        lambda: l2_backward(np.ones((2, 2)), 10**1000),
        "reg is an integer of 3322 bits (about 1e1000)",
    ),
    ("random_example-reg", lambda: random_example(2, 2, 2, 2, reg=HUGE), "reg is an integer of 1329 bits"),
    ("softmax_ce_backward-dout", lambda: softmax_ce_backward(HUGE, ce_cache()), "dout is an integer of 1329 bits"),
    (
        "init_params-scale",
        lambda: init_params([3, 2], np.random.default_rng(0), scale=HUGE),
        "scale is an integer of 1329 bits",
    ),
    (
        "init_params-bias_scale",
        lambda: init_params([3, 2], np.random.default_rng(0), bias_scale=HUGE),
        "bias_scale is an integer of 1329 bits",
    ),
    ("SGD-lr", lambda: SGD({"a": np.zeros(2)}, lr=HUGE), "lr is an integer of 1329 bits"),
    ("SGD-lr-huger", lambda: SGD({"a": np.zeros(2)}, lr=10**5000), "lr is an integer of 16610 bits (about 1e5000)"),
    ("SGD-momentum", lambda: SGD({"a": np.zeros(2)}, lr=0.1, momentum=HUGE), "momentum is an integer of 1329 bits"),
    ("train-lr", lambda: train(_XS, _YS, hidden=2, epochs=1, lr=HUGE), "lr is an integer of 1329 bits"),
    (
        "train-momentum",
        lambda: train(_XS, _YS, hidden=2, epochs=1, momentum=HUGE),
        "momentum is an integer of 1329 bits",
    ),
    ("train-reg", lambda: train(_XS, _YS, hidden=2, epochs=1, reg=HUGE), "reg is an integer of 1329 bits"),
    (
        "numerical_gradient-f-value",
        lambda: numerical_gradient(lambda w: HUGE, _TOY.copy()),
        "f's value at x + h·e(0,) is an integer of 1329 bits",
    ),
    (
        "numerical_gradients-loss-value",
        lambda: numerical_gradients(lambda p: HUGE, {"w": _TOY.copy()}),
        "f's value at params['w'] + h·e(0,) is an integer",
    ),
    ("full_check-f-value", lambda: full_check(lambda x: HUGE, _TOY, 2 * _TOY), "is an integer of 1329 bits"),
    (
        "directional_check-f-value",
        lambda: directional_check(lambda x: HUGE, _TOY, 2 * _TOY),
        "f's value at t + h·e(0,) is an integer",
    ),
    (
        "full_check-threshold",
        lambda: full_check(_F, _TOY, 2 * _TOY, threshold=HUGE),
        "threshold is an integer of 1329 bits",
    ),
    ("numerical_gradient-h", lambda: numerical_gradient(_F, _TOY.copy(), h=HUGE), "h is 1000000"),
]


@pytest.mark.parametrize("call, fragment", [c[1:] for c in HUGE_INTEGERS], ids=[c[0] for c in HUGE_INTEGERS])
def test_an_integer_beyond_any_float_is_refused_by_name(call, fragment):
    with pytest.raises(ValueError) as e:
        call()
    assert fragment in str(e.value), str(e.value)
    assert not isinstance(e.value, OverflowError)


@pytest.mark.parametrize("value", [10**300, 2**1023])
def test_a_large_integer_that_fits_a_float_is_taken_as_that_float(value):
    # the refusal is for integers beyond float64 only
    assert fcnet.core.validate.check_reg(value) == float(value)


def test_a_negative_integer_that_fits_is_judged_as_a_float():
    with pytest.raises(ValueError, match=r"reg is -1e\+200; expected a finite real number >= 0"):
        fcnet.core.validate.check_reg(-(10**200))


# ---------------------------------------------------------------- the small items

LONG = np.finfo(np.longdouble)
beyond_float64 = pytest.mark.skipif(LONG.max <= np.finfo(np.float64).max, reason="longdouble is float64 here")


@beyond_float64
@pytest.mark.parametrize("measure", [rel_error, norm_rel_error], ids=lambda f: f.__name__)
@pytest.mark.parametrize("scale", ["1e400", "1e-400", "1e4000"])
def test_identical_longdouble_values_beyond_float64_give_zero(measure, scale):
    a = np.array([1.0, -3.0, 2.0], dtype=np.longdouble) * np.longdouble(scale)
    assert measure(a, a.copy()) == 0.0


@beyond_float64
@pytest.mark.parametrize("measure, expected", [(rel_error, 1e-3 / 2.001), (norm_rel_error, 1e-3 / 1.001)])
def test_a_longdouble_difference_beyond_float64_is_measured(measure, expected):
    a = np.array([2.0], dtype=np.longdouble) * np.longdouble("1e500")
    assert measure(a, a * np.longdouble("1.001")) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("P", [1, 2, 3, 9])
def test_sparse_check_on_fewer_than_ten_parameters_checks_them_all(P):
    x = np.arange(1.0, P + 1)
    report = sparse_check(_F, x, 2 * x)
    assert report.passed and len(report.checked) == P and report.n_evals == 2 * P


@pytest.mark.parametrize("k", [4, 10, 0])
def test_sparse_check_still_refuses_an_explicit_k_out_of_range(k):
    with pytest.raises(ValueError, match=rf"k is {k}; expected an integer in \[1, 3\]"):
        sparse_check(_F, _TOY, 2 * _TOY, k=k)
