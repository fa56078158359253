"""The two-layer net: NumPy against PyTorch autograd and finite differences.

Agreement is gated per gradient on the norm-relative error
‖a − b‖ / max(‖a‖, ‖b‖) (`fcnet.norm_rel_error`); CS231n's entry-wise
`rel_error` is computed in the report beside it but explodes on entries that
are zero in both, so nothing is gated on it.
"""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import fcnet
from fcnet import forward, loss_and_grads, norm_rel_error, numerical_gradients, random_example, torch_loss_and_grads

KEYS = fcnet.KEYS

# In the notes' example every row of W2 is equal, so W2ᵀ(ŷ − y) = 0: db1 is exactly 0 in exact
# arithmetic (SymPy's exact evaluation confirms it) and a norm-relative error of two round-off
# residues is meaningless.  It is checked with an absolute bound instead.
EXACTLY_ZERO = {("seed", "b1")}


def fd_grads(params, X, y, reg, h=1e-5):
    params = {k: v.copy() for k, v in params.items()}
    return numerical_gradients(lambda p: loss_and_grads(p, X, y, reg)[0], params, h)


def test_seed_example_is_degenerate_and_its_loss_is_exact():
    params, X, y, reg = fcnet.seed_example()
    loss, grads = loss_and_grads(params, X, y, reg)
    # ŷ is uniform, so CE = log 5; ½·0.5·(‖W1‖² + ‖W2‖²) = ¼(4·(1+4+9) + 20·4) = 34
    assert loss == pytest.approx(np.log(5) + 34, rel=1e-15)
    # no signal reaches layer 1: dW1 is the penalty's λW1 alone, db1 is 0 (up to round-off)
    np.testing.assert_allclose(grads["W1"], reg * params["W1"], rtol=1e-15)
    assert np.abs(grads["b1"]).max() < 1e-15


def test_second_example_is_not_degenerate():
    params, X, y, reg = fcnet.second_example()
    _, grads = loss_and_grads(params, X, y, reg)
    _, grads_no_reg = loss_and_grads(params, X, y, 0.0)
    for k in KEYS:  # every entry, with and without the penalty, is well away from zero
        assert np.abs(grads[k]).min() > 1e-3 and np.abs(grads_no_reg[k]).min() > 1e-3, k
    z1 = params["W1"] @ X + params["b1"][:, None]
    assert np.abs(z1).max() < 2 and forward(params, X).min() > 0.05  # nothing saturates


def test_numpy_matches_torch_on_worked_examples(example):
    name, (params, X, y, reg) = example
    loss, grads = loss_and_grads(params, X, y, reg)
    loss_t, grads_t = torch_loss_and_grads(params, X, y, reg)
    # same float64 operations in a different order: a few ulps (~1e-16 relative)
    assert loss == pytest.approx(loss_t, rel=1e-14)
    for k in KEYS:
        if (name, k) in EXACTLY_ZERO:
            assert np.linalg.norm(grads[k] - grads_t[k]) < 1e-15
        else:
            assert norm_rel_error(grads[k], grads_t[k]) <= 1e-12, k


def test_numpy_matches_finite_differences_on_worked_examples(example):
    name, (params, X, y, reg) = example
    loss, grads = loss_and_grads(params, X, y, reg)
    num = fd_grads(params, X, y, reg)
    for k in KEYS:
        if (name, k) in EXACTLY_ZERO:
            # round-off of a centred difference: ~eps·|J|/h = 2.2e-16·36/1e-5 ≈ 8e-10 per entry
            assert np.linalg.norm(num[k]) < 1e-8
        else:
            # truncation h²·|f'''|/6 ~ 1e-11 and round-off ~1e-10 against gradients of norm ≥ 0.1
            assert norm_rel_error(grads[k], num[k]) <= 1e-8, k


sizes = st.integers(1, 8)


@given(
    N=sizes,
    D_in=sizes,
    H=sizes,
    C=st.integers(2, 8),
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.1, 3.0),
    reg=st.sampled_from([0.0, 1e-3, 0.1, 1.0]),
)
def test_random_nets_agree_with_autograd_and_finite_differences(N, D_in, H, C, seed, scale, reg):
    params, X, y, _ = random_example(N, D_in, H, C, seed=seed, scale=scale)
    loss, grads = loss_and_grads(params, X, y, reg)
    # a gradient of near-zero norm (a saturated or dead layer) makes any relative measure compare
    # round-off with round-off: keep the draws where every gradient carries signal
    assume(all(np.linalg.norm(grads[k]) > 1e-3 for k in KEYS))
    loss_t, grads_t = torch_loss_and_grads(params, X, y, reg)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    num = fd_grads(params, X, y, reg)
    for k in KEYS:
        assert norm_rel_error(grads[k], grads_t[k]) <= 1e-9, k
        # round-off ~1e-11 per entry over ≤ 64 entries against a norm ≥ 1e-3: ≤ 1e-7
        assert norm_rel_error(grads[k], num[k]) <= 1e-6, k


@pytest.mark.parametrize("magnitude", [1e3, 3e3, 1e4])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_extreme_logits_stay_finite_and_match_autograd(magnitude, seed):
    params, X, y, _ = random_example(N=6, D_in=4, H=5, C=4, seed=seed)
    rng = np.random.default_rng(seed)
    # b2 dominates z2, so |z2| lies between ~magnitude/2 and ~magnitude; the labels avoid the argmax
    params["b2"] = rng.uniform(0.5, 1.0, 4) * magnitude * np.array([1, -1, 1, -1])
    y = (np.argmax(params["b2"]) + 1 + rng.integers(0, 3, 6)) % 4
    z2 = params["W2"] @ fcnet.sigmoid_forward(params["W1"] @ X + params["b1"][:, None])[0] + params["b2"][:, None]
    assert magnitude / 2 - 10 < np.abs(z2).min() and np.abs(z2).max() < magnitude + 10
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # and pytest turns warnings into errors
        loss, grads = loss_and_grads(params, X, y, 0.1)
    assert np.isfinite(loss) and loss > magnitude / 4
    _, grads_t = torch_loss_and_grads(params, X, y, 0.1)
    for k in KEYS:
        assert np.isfinite(grads[k]).all()
        assert norm_rel_error(grads[k], grads_t[k]) <= 1e-9, k


def test_forward_gives_column_stochastic_probabilities(example):
    _, (params, X, _, _) = example
    probs = forward(params, X)
    assert probs.shape == (params["W2"].shape[0], X.shape[1])
    np.testing.assert_allclose(probs.sum(axis=0), 1.0, atol=1e-15)


def test_loss_and_grads_leaves_its_inputs_alone(example):
    _, (params, X, y, reg) = example
    before = {k: v.copy() for k, v in params.items()}, X.copy(), y.copy()
    loss_and_grads(params, X, y, reg)
    assert all(np.array_equal(before[0][k], params[k]) for k in KEYS)
    assert np.array_equal(before[1], X) and np.array_equal(before[2], y)


def test_integer_inputs_are_promoted_to_float64():
    params, X, y, reg = fcnet.seed_example()
    loss, _ = loss_and_grads({k: v.astype(int) for k, v in params.items()}, X.astype(int), y, reg)
    assert loss == loss_and_grads(params, X, y, reg)[0]
