"""Correct, vectorised, the notes' layout: the textbook softmax (shift by the max, then log of p)."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = sigmoid(W1 @ X + b1[:, None])
    z2 = W2 @ a1 + b2[:, None]
    e = np.exp(z2 - z2.max(axis=0))
    p = e / e.sum(axis=0)
    loss = -np.log(p[y, np.arange(N)]).mean() + 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))

    dz2 = p.copy()
    dz2[y, np.arange(N)] -= 1
    dz2 /= N
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    grads = {
        "W1": dz1 @ X.T + reg * W1,
        "b1": dz1.sum(axis=1),
        "W2": dz2 @ a1.T + reg * W2,
        "b2": dz2.sum(axis=1),
    }
    return loss, grads
