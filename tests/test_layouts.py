"""Column layout (the notes, fcnet) and row layout (CS231n, PyTorch) give the same gradients.

The notation page shows the sections marked below; the translation is a transpose of
every batch-shaped array and weight: X_rows = Xᵀ, W_rows = Wᵀ, and dW_rows = dWᵀ.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fcnet
from fcnet import KEYS


def cs231n_rows_loss_and_grads(params_rows, X_rows, y, reg):
    """The same net in CS231n's row layout: X (N, D_in), W1 (D_in, H), W2 (H, C)."""
    W1, b1, W2, b2 = (params_rows[k] for k in KEYS)
    N = X_rows.shape[0]
    # --8<-- [start:cs231n-rows]
    a1 = 1.0 / (1.0 + np.exp(-(X_rows @ W1 + b1)))  # (N, H)
    scores = a1 @ W2 + b2  # (N, C)
    shifted = scores - scores.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-softmax: the log taken inside
    loss = -logp[np.arange(N), y].mean() + 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))
    dscores = np.exp(logp)  # the probabilities
    dscores[np.arange(N), y] -= 1
    dscores /= N  # (N, C): rows, not columns
    dW2 = a1.T @ dscores + reg * W2  # (H, C) = (C, H)ᵀ
    db2 = dscores.sum(axis=0)
    dz1 = (dscores @ W2.T) * a1 * (1 - a1)  # (N, H)
    dW1 = X_rows.T @ dz1 + reg * W1  # (D_in, H) = (H, D_in)ᵀ
    db1 = dz1.sum(axis=0)
    # --8<-- [end:cs231n-rows]
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def torch_rows_loss_and_grads(params, X_rows, y, reg):
    """PyTorch's layout: rows of X, nn.Linear's weight stored (out, in) as in the notes."""
    import torch
    import torch.nn.functional as F

    W1, b1, W2, b2 = (torch.tensor(params[k], requires_grad=True) for k in KEYS)
    x, t = torch.from_numpy(X_rows), torch.from_numpy(y.astype(np.int64))
    # --8<-- [start:torch-rows]
    logits = F.linear(torch.sigmoid(F.linear(x, W1, b1)), W2, b2)  # x Wᵀ + b: (N, C)
    loss = F.cross_entropy(logits, t) + 0.5 * reg * (W1.square().sum() + W2.square().sum())
    loss.backward()  # W1.grad is (H, D_in)
    # --8<-- [end:torch-rows]
    return loss.item(), {k: p.grad.numpy() for k, p in zip(KEYS, (W1, b1, W2, b2))}


def to_rows(params):
    """The translation to CS231n's layout: transpose the weights, keep the biases."""
    return {k: (v.T.copy() if k.startswith("W") else v.copy()) for k, v in params.items()}


@st.composite
def nets(draw):
    N, D_in, H, C = (draw(st.integers(1, 5)) for _ in range(4))
    C = max(C, 2)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = {
        "W1": rng.normal(size=(H, D_in)),
        "b1": rng.normal(size=H),
        "W2": rng.normal(size=(C, H)),
        "b2": rng.normal(size=C),
    }
    X = rng.normal(size=(D_in, N))
    y = rng.integers(0, C, size=N)
    return params, X, y, draw(st.sampled_from([0.0, 0.25, 1.0]))


def _check_same(loss_cols, grads_cols, loss_rows, grads_rows, transpose):
    # the same float64 operations in another order: agreement to a few ulps of the values
    # (norm-relative ~1e-16 observed); 1e-12 leaves room and still catches a missing transpose or 1/N
    assert loss_rows == pytest.approx(loss_cols, rel=1e-12, abs=1e-14)
    for k, g in grads_cols.items():
        g_rows = grads_rows[k].T if (transpose and k.startswith("W")) else grads_rows[k]
        assert g_rows.shape == g.shape, k
        assert np.linalg.norm(g_rows - g) <= 1e-12 * max(1.0, np.linalg.norm(g)), k


@given(nets())
def test_cs231n_row_layout_gives_the_transposed_gradients(net):
    params, X, y, reg = net
    loss, grads = fcnet.loss_and_grads(params, X, y, reg)
    _check_same(loss, grads, *cs231n_rows_loss_and_grads(to_rows(params), X.T.copy(), y, reg), transpose=True)


@given(nets())
def test_pytorch_row_layout_gives_the_same_gradients(net):
    params, X, y, reg = net
    loss, grads = fcnet.loss_and_grads(params, X, y, reg)
    _check_same(loss, grads, *torch_rows_loss_and_grads(params, X.T.copy(), y, reg), transpose=False)


def test_a_missing_transpose_is_caught():
    # the check above can fail: comparing W1's row-layout gradient untransposed is a shape error
    params, X, y, reg = fcnet.second_example()
    loss, grads = fcnet.loss_and_grads(params, X, y, reg)
    with pytest.raises(AssertionError):
        _check_same(loss, grads, *cs231n_rows_loss_and_grads(to_rows(params), X.T.copy(), y, reg), transpose=False)
