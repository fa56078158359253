"""Correct: CS231n's row layout (X is (N, D), W is (D, H)), transposed at the boundary."""

import numpy as np


def two_layer_net(X, y, W1, b1, W2, b2, reg):
    """CS231n layout: X (N, D), W1 (D, H), W2 (H, C); returns loss and grads in that layout."""
    N = X.shape[0]
    h = 1.0 / (1.0 + np.exp(-(X.dot(W1) + b1)))
    scores = h.dot(W2) + b2
    shifted_logits = scores - np.max(scores, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted_logits), axis=1, keepdims=True)
    log_probs = shifted_logits - np.log(Z)
    probs = np.exp(log_probs)
    loss = -np.sum(log_probs[np.arange(N), y]) / N
    loss += 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    grads = {}
    grads["W2"] = h.T.dot(dscores) + reg * W2
    grads["b2"] = np.sum(dscores, axis=0)
    dh = dscores.dot(W2.T)
    dh_pre = dh * h * (1 - h)
    grads["W1"] = X.T.dot(dh_pre) + reg * W1
    grads["b1"] = np.sum(dh_pre, axis=0)
    return loss, grads


def loss_and_grads(params, X, y, reg):
    # the notes' layout: X is (D_in, N) and W is (out, in); CS231n's is the transpose of both
    loss, g = two_layer_net(X.T, y, params["W1"].T, params["b1"], params["W2"].T, params["b2"], reg)
    return loss, {"W1": g["W1"].T, "b1": g["b1"], "W2": g["W2"].T, "b2": g["b2"]}
