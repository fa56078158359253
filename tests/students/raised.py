"""Forgets the transpose in W2ᵀ δ2: the shapes only agree when W2 is square, elsewhere NumPy raises."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = 1.0 / (1.0 + np.exp(-(W1.dot(X) + b1[:, None])))
    z2 = W2.dot(a1) + b2[:, None]
    shifted = z2 - z2.max(axis=0)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0))
    loss = -log_probs[y, np.arange(N)].mean() + 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))
    dz2 = np.exp(log_probs)
    dz2[y, np.arange(N)] -= 1
    dz2 /= N
    da1 = W2.dot(dz2)
    dz1 = da1 * a1 * (1 - a1)
    return loss, {
        "W1": dz1.dot(X.T) + reg * W1,
        "b1": dz1.sum(axis=1),
        "W2": dz2.dot(a1.T) + reg * W2,
        "b2": dz2.sum(axis=1),
    }
