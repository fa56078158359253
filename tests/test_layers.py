"""The affine and sigmoid forward/backward pairs against finite differences."""

import numpy as np
import pytest
import torch

from fcnet import affine_backward, affine_forward, norm_rel_error, numerical_gradient, sigmoid_backward, sigmoid_forward


@pytest.mark.parametrize("shape", [(1, 1, 1), (4, 3, 2), (5, 7, 3)])
def test_affine_backward_matches_finite_differences(rng, shape):
    H, D, N = shape
    W, a, b = rng.standard_normal((H, D)), rng.standard_normal((D, N)), rng.standard_normal(H)
    dout = rng.standard_normal((H, N))
    # the scalar L = Σ dout ⊙ z has ∂L/∂z = dout, so its gradients are exactly what backward returns
    L = lambda: float(np.sum(dout * affine_forward(W, a, b)[0]))  # noqa: E731
    dW, db, da = affine_backward(dout, affine_forward(W, a, b)[1])
    # L is linear in each argument, so the centred difference is exact up to round-off (~1e-11 relative)
    for got, arg in ((dW, W), (db, b), (da, a)):
        assert norm_rel_error(got, numerical_gradient(lambda _: L(), arg)) < 1e-9


@pytest.mark.parametrize("H, D", [(4, 4), (3, 5)], ids=["square", "wide"])
def test_affine_dW_is_not_its_transpose_against_torch_and_finite_differences(rng, H, D):
    # a square W hides a transposed dW = (δ aᵀ)ᵀ from every shape check; a non-symmetric one does not hide it here
    N = 6
    W, a, b, dout = (rng.standard_normal(shape) for shape in ((H, D), (D, N), (H,), (H, N)))
    if H == D:
        assert norm_rel_error(W, W.T) > 0.5  # far from symmetric
    dW, db, da = affine_backward(dout, affine_forward(W, a, b)[1])
    assert dW.shape == (H, D)
    Wt, at, bt = (torch.tensor(v, requires_grad=True) for v in (W, a, b))
    ((Wt @ at + bt[:, None]) * torch.from_numpy(dout)).sum().backward()
    num = numerical_gradient(lambda _: float(np.sum(dout * affine_forward(W, a, b)[0])), W)
    for got, want in ((dW, Wt.grad), (db, bt.grad), (da, at.grad)):
        # the same sums of products in another order: a few ulps
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-12, atol=1e-14)
    # linear in W: the centred difference is exact up to round-off
    assert norm_rel_error(dW, num) < 1e-9


def test_affine_backward_can_skip_da(rng):
    W, a, b = rng.standard_normal((3, 2)), rng.standard_normal((2, 4)), rng.standard_normal(3)
    z, cache = affine_forward(W, a, b)
    assert affine_backward(np.ones_like(z), cache, need_da=False)[2] is None


def test_sigmoid_backward_matches_finite_differences(rng):
    z = rng.standard_normal((4, 3)) * 3
    dout = rng.standard_normal((4, 3))
    _, cache = sigmoid_forward(z)
    dz = sigmoid_backward(dout, cache)
    num = numerical_gradient(lambda zz: float(np.sum(dout * sigmoid_forward(zz)[0])), z)
    # σ is smooth with |σ'''| ≤ 1/8: the truncation error h²/6·|σ'''| ~ 2e-12, round-off ~1e-11
    assert norm_rel_error(dz, num) < 1e-8


@pytest.mark.parametrize("z", [-1e4, -745.0, -709.0, -40.0, -1.0, 0.0, 1.0, 40.0, 709.0, 1e4])
def test_sigmoid_is_stable_and_accurate(z):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a, _ = sigmoid_forward(np.array([[z]]))
    # reference: 1/(1+e^{-z}) for z ≥ 0 and e^{z}/(1+e^{z}) for z < 0 never overflow
    ref = 1 / (1 + np.exp(-z)) if z >= 0 else np.exp(z) / (1 + np.exp(z))
    assert np.isfinite(a).all() and 0.0 <= a[0, 0] <= 1.0
    # a few ulps: logaddexp and exp each round once
    assert a[0, 0] == pytest.approx(ref, rel=1e-14, abs=0)


def test_notes_sigmoid_warns_where_ours_does_not():
    z = np.array([-1000.0, -720.0])
    with pytest.warns(RuntimeWarning, match="overflow"):
        notes = 1.0 / (1.0 + np.exp(-z))  # the notes' a1 = 1./(1. + np.exp(-z1))
    assert notes.tolist() == [0.0, 0.0]  # and e^{-720} ≈ 2e-313 is lost
    ours, _ = sigmoid_forward(z)  # pytest turns any warning into an error here
    assert ours[0] == 0.0 and ours[1] == np.exp(-720.0) > 0


@pytest.mark.parametrize("dtype, z", [(np.float32, -95.0), (np.float32, -60.0), (np.float64, -740.0)])
def test_sigmoid_far_tail_is_e_to_the_z_in_each_dtype(dtype, z):
    # past the point where e^{−z} overflows, σ(z) = e^{z} is still a positive (subnormal) number
    a, _ = sigmoid_forward(np.array([z], dtype=dtype))
    assert a.dtype == dtype and a[0] > 0
    assert a[0] == pytest.approx(np.exp(np.array(z, dtype=dtype)), rel=1e-6 if dtype == np.float32 else 1e-12)


def test_sigmoid_forward_leaves_z_alone(rng):
    z = rng.standard_normal((3, 4)) * 800
    before = z.copy()
    sigmoid_forward(z)
    assert np.array_equal(z, before)


@pytest.mark.parametrize("z", [np.array(0.0), np.array([0, 1]), np.zeros((0, 3))], ids=["0-d", "int", "empty"])
def test_sigmoid_forward_takes_any_real_array(z):
    a, _ = sigmoid_forward(z)
    assert a.shape == z.shape and a.dtype == np.float64
    np.testing.assert_array_equal(a, 1 / (1 + np.exp(-np.asarray(z, dtype=float))))
