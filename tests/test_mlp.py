"""The L-layer net: the notes' net as its depth-1 case, PyTorch and finite differences.

Agreement is gated per gradient on `fcnet.norm_rel_error`, as in test_net.py.
"""

import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import fcnet
from fcnet import init_params, loss_and_grads, mlp_forward, mlp_keys, mlp_loss_and_grads, norm_rel_error
from fcnet.core.activations import ACTIVATIONS
from fcnet.gradcheck.checks import full_check
from fcnet.witnesses.torch_mlp import torch_mlp_loss_and_grads

NAMES = list(ACTIVATIONS)


@st.composite
def problems(draw, max_depth=4):
    """(params, X, y, reg, activations): depth 1..4 hidden layers, mixed activations, small sizes."""
    activations = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=max_depth))
    sizes = draw(st.lists(st.integers(1, 6), min_size=len(activations) + 1, max_size=len(activations) + 1))
    sizes.append(draw(st.integers(2, 5)))  # C ≥ 2 classes
    seed = draw(st.integers(0, 2**32 - 1))
    params = init_params(sizes, seed=seed, scale=draw(st.floats(0.5, 2.0)), bias_scale=0.5)
    rng = np.random.default_rng(seed)
    N = draw(st.integers(1, 6))
    X, y = rng.standard_normal((sizes[0], N)), rng.integers(0, sizes[-1], N)
    return params, X, y, draw(st.sampled_from([0.0, 1e-3, 0.5])), activations


def test_the_notes_net_is_the_depth_1_case_bit_for_bit(example):
    _, (params, X, y, reg) = example
    loss, grads = mlp_loss_and_grads(params, X, y, reg, ["sigmoid"])
    loss_2, grads_2 = loss_and_grads(params, X, y, reg)
    assert loss == loss_2 and list(grads) == list(grads_2)
    assert all(np.array_equal(grads[k], grads_2[k]) for k in grads)
    assert np.array_equal(mlp_forward(params, X, ["sigmoid"]), fcnet.forward(params, X))


@given(
    N=st.integers(1, 8),
    D_in=st.integers(1, 8),
    H=st.integers(1, 8),
    C=st.integers(2, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_depth_1_sigmoid_equals_loss_and_grads_on_random_problems(N, D_in, H, C, seed):
    params, X, y, reg = fcnet.random_example(N, D_in, H, C, seed=seed)
    loss, grads = mlp_loss_and_grads(params, X, y, reg, ("sigmoid",))
    loss_2, grads_2 = loss_and_grads(params, X, y, reg)
    # the same calls in the same order: identical floats, not merely close
    assert loss == loss_2 and all(np.array_equal(grads[k], grads_2[k]) for k in grads_2)


def saturation(zs, activations) -> list[float]:
    """Per hidden layer, the smallest 1 − |a| of its tanh units or 1 − a of its sigmoid units (1 for other layers).

    There a unit's derivative, 1 − a² or a(1 − a), is a difference of nearly equal numbers: a is known to
    float64's round-off ε, so the derivative only to about ε / (1 − |a|) relatively.  Computed as the exact
    tails 2e^{-2|z|} / (1 + e^{-2|z|}) and e^{-z} / (1 + e^{-z}), not from a.
    """
    gaps = []
    for z, name in zip(zs, activations):
        if name == "tanh":
            e = np.exp(-2 * np.abs(z))
            gaps.append(float(np.min(2 * e / (1 + e))))
        elif name == "sigmoid":
            e = np.exp(-np.maximum(z, 0))  # only a → 1 cancels: for z ≤ 0, a(1 − a) ≈ a loses nothing
            gaps.append(float(np.min(np.where(z > 0, e / (1 + e), 1.0))))
        else:
            gaps.append(1.0)
    return gaps


@given(problem=problems())
def test_matches_torch_autograd_at_depth_1_to_4_with_mixed_activations(problem):
    params, X, y, reg, activations = problem
    _, zs = mlp_forward(params, X, activations, return_pre_activations=True)
    gaps = saturation(zs, activations)
    # a unit within 1e-12 of saturation keeps fewer than 4 digits of its derivative: nothing left to compare
    assume(min(gaps) > 1e-12)
    loss, grads = mlp_loss_and_grads(params, X, y, reg, activations)
    loss_t, grads_t = torch_mlp_loss_and_grads(params, X, y, reg, activations)
    # the same float64 arithmetic in another order: measured ≤ 8e-14 over 300 random problems
    # (cancellation in small gradients costs a few digits); the bound is 1e-9.  A nearly saturated
    # tanh or sigmoid unit on the way loses digits to cancellation in both, rounded differently: each layer
    # adds its ε / (1 − |a|), with a factor 4 of margin (tanh(z ≈ 11): 1 − |a| = 4e-10, measured 2.7e-7)
    tol = 1e-9 + 4 * np.finfo(np.float64).eps * sum(1 / g for g in gaps)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    assert list(grads) == list(mlp_keys(len(activations) + 1))
    for k in grads:
        if np.linalg.norm(grads_t[k]) < 1e-14:  # e.g. a hidden unit dead for every example under ReLU
            assert np.linalg.norm(grads[k]) < 1e-14, k
        else:
            assert norm_rel_error(grads[k], grads_t[k]) <= tol, (k, tol)


@pytest.mark.parametrize(
    ("z", "name", "gap"),
    [
        (11.15, "tanh", 2 / (np.exp(22.3) + 1)),
        (-11.15, "tanh", 2 / (np.exp(22.3) + 1)),
        (30.0, "sigmoid", 1 / (np.exp(30.0) + 1)),
        (-30.0, "sigmoid", 1.0),
        (30.0, "relu", 1.0),
    ],
)
def test_saturation_is_the_exact_distance_of_a_unit_from_its_bound(z, name, gap):
    assert saturation([np.array([[z, 0.0]])], [name]) == [pytest.approx(gap, rel=1e-12)]


@given(problem=problems(max_depth=3))
def test_matches_finite_differences_away_from_relu_kinks(problem):
    params, X, y, reg, activations = problem
    _, zs = mlp_forward(params, X, activations, return_pre_activations=True)
    # a step h = 1e-5 moves a pre-activation by at most h·(max |input| ≈ 10): keep every z 1e-3 from ReLU's kink
    assume(all(np.abs(z).min() > 1e-3 for z, name in zip(zs, activations) if name == "relu"))
    _, grads = mlp_loss_and_grads(params, X, y, reg, activations)
    report = full_check(lambda p: mlp_loss_and_grads(p, X, y, reg, activations)[0], params, grads)
    # centred differences at h = 1e-5: truncation ~1e-11, round-off ~eps·|J|/h ~1e-10 per entry;
    # gradients with a norm below 1e-6 would make that relative error meaningless
    assume(np.sqrt(sum(np.sum(g * g) for g in grads.values())) > 1e-6)
    assert report.error <= 1e-6, str(report)


def test_reg_applies_to_every_weight_matrix_and_no_bias():
    params = init_params([3, 4, 5, 2], seed=3, bias_scale=1.0)
    X, y, acts = np.random.default_rng(3).standard_normal((3, 4)), np.array([0, 1, 1, 0]), ["tanh", "gelu"]
    loss_0, grads_0 = mlp_loss_and_grads(params, X, y, 0.0, acts)
    loss_1, grads_1 = mlp_loss_and_grads(params, X, y, 0.3, acts)
    W = [params[f"W{l}"] for l in (1, 2, 3)]
    assert loss_1 - loss_0 == pytest.approx(0.5 * 0.3 * sum(np.sum(w * w) for w in W), rel=1e-12)
    for l in (1, 2, 3):
        np.testing.assert_allclose(grads_1[f"W{l}"] - grads_0[f"W{l}"], 0.3 * params[f"W{l}"], rtol=1e-12, atol=1e-15)
        assert np.array_equal(grads_1[f"b{l}"], grads_0[f"b{l}"])


def test_forward_returns_probabilities_and_pre_activations():
    params = init_params([3, 4, 5, 2], seed=0)
    X = np.ones((3, 7))
    probs, zs = mlp_forward(params, X, ["relu", "tanh"], return_pre_activations=True)
    assert probs.shape == (2, 7) and np.allclose(probs.sum(axis=0), 1.0)
    assert [z.shape for z in zs] == [(4, 7), (5, 7)]


PARAMS2 = init_params([3, 4, 2], seed=0)  # W1 (4, 3), W2 (2, 4): one hidden layer
X3, Y3 = np.ones((3, 2)), np.array([0, 1])


@pytest.mark.parametrize(
    "params, X, activations, error, match",
    [
        (
            PARAMS2,
            X3,
            ["relu", "tanh"],
            ValueError,
            r"params has 2 weight matrices \['W1', 'W2'\] but activations has 2 names \['relu', 'tanh'\]; "
            r"expected 1 name",
        ),
        (PARAMS2, X3, [], ValueError, r"params has 2 weight matrices \['W1', 'W2'\] but activations has 0 names \[\]"),
        (
            PARAMS2,
            X3,
            ["swish"],
            ValueError,
            r"activations\[0\]: activation 'swish' is unknown; expected one of " + re.escape(str(NAMES)),
        ),
        (PARAMS2, X3, "relu", TypeError, r"activations is a str \('relu'\); expected a list of names"),
        (
            {**PARAMS2, "b3": np.zeros(2)},
            X3,
            ["relu"],
            ValueError,
            r"params has keys .*; expected exactly \['W1', 'b1', 'W2', 'b2'\] \(unexpected \['b3'\]\)",
        ),
        (PARAMS2, np.ones((5, 2)), ["relu"], ValueError, r"params\['W1'\] has shape \(4, 3\) but X has D_in=5 rows"),
        (
            {**PARAMS2, "W2": np.ones((2, 3))},
            X3,
            ["relu"],
            ValueError,
            r"params\['W2'\] has shape \(2, 3\) but params\['W1'\] has 4 rows",
        ),
    ],
)
def test_bad_input_raises_naming_what_was_seen_and_expected(params, X, activations, error, match):
    with pytest.raises(error, match=match):
        mlp_loss_and_grads(params, X, Y3, 0.1, activations)


@pytest.mark.parametrize("sizes", [[3], [3, 0, 2], [3, 2.5, 2], []])
def test_init_params_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match=r"sizes is .*; expected at least two positive integers"):
        init_params(sizes)


def test_init_params_is_reproducible_and_scaled():
    a, b = init_params([400, 300, 10], seed=5), init_params([400, 300, 10], seed=5)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert a["W1"].std() == pytest.approx(1 / np.sqrt(400), rel=0.02) and not a["b1"].any()
