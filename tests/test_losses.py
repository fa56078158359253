"""Softmax, cross-entropy and L2: values, stability and gradients."""

import numpy as np
import pytest

from fcnet import (
    l2_backward,
    l2_forward,
    log_softmax,
    norm_rel_error,
    numerical_gradient,
    softmax,
    softmax_ce_backward,
    softmax_ce_forward,
)


def test_softmax_columns_sum_to_one_and_match_the_definition(rng):
    z = rng.standard_normal((5, 4))
    p = softmax(z)
    np.testing.assert_allclose(p.sum(axis=0), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(p, np.exp(z) / np.exp(z).sum(axis=0), rtol=1e-14)


@pytest.mark.parametrize("scale", [1e3, 3e3, 1e4])
def test_log_softmax_is_finite_at_extreme_logits(rng, scale):
    z = rng.uniform(-1, 1, (6, 5)) * scale
    with np.errstate(all="raise", under="ignore"):
        logp = log_softmax(z)
    assert np.isfinite(logp).all() and (logp <= 0).all()
    # log ŷ_k = z_k − max z − log Σ e^{z_j − max z}; the sum is in [1, C], so the error is a few ulps of |z|
    ref = z - z.max(axis=0) - np.log(np.exp(z - z.max(axis=0)).sum(axis=0))
    np.testing.assert_allclose(logp, ref, rtol=1e-15, atol=0)


def test_notes_softmax_overflows_where_ours_does_not():
    z2 = np.array([[800.0, 1.0], [0.0, 2.0]])
    with pytest.raises(FloatingPointError), np.errstate(over="raise"):
        np.exp(z2) / np.sum(np.exp(z2), axis=0)  # the notes' logits = np.exp(z2) / ...
    with np.errstate(all="raise", under="ignore"):
        assert np.isfinite(softmax(z2)).all()


def test_cross_entropy_is_the_mean_negative_log_probability(rng):
    z, y = rng.standard_normal((4, 6)), rng.integers(0, 4, 6)
    loss, _ = softmax_ce_forward(z, y)
    assert loss == pytest.approx(-np.mean(np.log(softmax(z)[y, np.arange(6)])), rel=1e-14)


def test_cross_entropy_gradient_matches_finite_differences(rng):
    z, y = rng.standard_normal((5, 3)), np.array([4, 0, 2])
    _, cache = softmax_ce_forward(z, y)
    num = numerical_gradient(lambda zz: softmax_ce_forward(zz, y)[0], z)
    # smooth, O(1) derivatives: truncation ~h² = 1e-10, round-off ~1e-11
    assert norm_rel_error(softmax_ce_backward(1.0, cache), num) < 1e-8


def test_cross_entropy_gradient_is_probs_minus_onehot_over_n(rng):
    z, y = rng.standard_normal((3, 4)), np.array([0, 2, 2, 1])
    _, cache = softmax_ce_forward(z, y)
    onehot = np.eye(3)[:, y]
    np.testing.assert_allclose(softmax_ce_backward(2.0, cache), 2.0 * (softmax(z) - onehot) / 4, rtol=1e-14, atol=1e-16)


def test_l2_penalty_and_gradient(rng):
    W1, W2, reg = rng.standard_normal((3, 2)), rng.standard_normal((2, 3)), 0.7
    assert l2_forward((W1, W2), reg) == pytest.approx(0.5 * reg * (np.sum(W1**2) + np.sum(W2**2)), rel=1e-15)
    num = numerical_gradient(lambda w: l2_forward((w,), reg), W1.copy())
    # quadratic: the centred difference is exact up to round-off
    assert norm_rel_error(l2_backward(W1, reg), num) < 1e-9
