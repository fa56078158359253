"""Correct, computed in float32 (as on a GPU): right to float32's rounding."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = (params[k].astype(np.float32) for k in ("W1", "b1", "W2", "b2"))
    X = X.astype(np.float32)
    reg = np.float32(reg)
    N = X.shape[1]
    a1 = 1 / (1 + np.exp(-(W1 @ X + b1[:, None])))
    z2 = W2 @ a1 + b2[:, None]
    shifted = z2 - z2.max(axis=0)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0))
    loss = -log_p[y, np.arange(N)].mean() + reg / 2 * (np.sum(W1**2) + np.sum(W2**2))

    dz2 = np.exp(log_p)
    dz2[y, np.arange(N)] -= 1
    dz2 /= N
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    return loss, {"W1": dz1 @ X.T + reg * W1, "b1": dz1.sum(1), "W2": dz2 @ a1.T + reg * W2, "b2": dz2.sum(1)}
