"""Divides by N twice: once in dz2 and again in every gradient."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = sigmoid(W1 @ X + b1[:, None])
    z2 = W2 @ a1 + b2[:, None]
    z2 -= z2.max(axis=0)
    log_probs = z2 - np.log(np.exp(z2).sum(axis=0))
    probs = np.exp(log_probs)
    loss = -log_probs[y, range(N)].sum() / N + 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))

    Y = np.zeros_like(probs)
    Y[y, range(N)] = 1
    dz2 = (probs - Y) / N
    dW2 = dz2 @ a1.T / N + reg * W2
    db2 = dz2.sum(axis=1) / N
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    dW1 = dz1 @ X.T / N + reg * W1
    db1 = dz1.sum(axis=1) / N
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
