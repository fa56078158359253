"""Hostile: returns the wrong types, one way per function."""

import numpy as np


def _right(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = 1.0 / (1.0 + np.exp(-(W1 @ X + b1[:, None])))
    z2 = W2 @ a1 + b2[:, None]
    z2 = z2 - z2.max(axis=0)
    log_probs = z2 - np.log(np.exp(z2).sum(axis=0))
    loss = -np.mean(log_probs[y, np.arange(N)]) + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dz2 = np.exp(log_probs)
    dz2[y, np.arange(N)] -= 1
    dz2 /= N
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    return loss, {"W1": dz1 @ X.T + reg * W1, "b1": dz1.sum(axis=1), "W2": dz2 @ a1.T + reg * W2, "b2": dz2.sum(axis=1)}


def returns_none(params, X, y, reg):
    _right(params, X, y, reg)


def swapped(params, X, y, reg):
    loss, grads = _right(params, X, y, reg)
    return grads, loss


def notes_keys(params, X, y, reg):
    loss, grads = _right(params, X, y, reg)
    return loss, {"d" + k: g for k, g in grads.items()}


def loss_as_array(params, X, y, reg):
    loss, grads = _right(params, X, y, reg)
    return np.array([loss]), grads


def strings(params, X, y, reg):
    loss, grads = _right(params, X, y, reg)
    return loss, {**grads, "b2": "not computed yet"}


def three_values(params, X, y, reg):
    loss, grads = _right(params, X, y, reg)
    return loss, grads, None
