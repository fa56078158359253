"""Keeps the summed axis: bias gradients of shape (H, 1) and (C, 1)."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = sigmoid(W1 @ X + b1.reshape(-1, 1))
    z2 = W2 @ a1 + b2.reshape(-1, 1)
    z2 = z2 - z2.max(axis=0)
    log_probs = z2 - np.log(np.exp(z2).sum(axis=0))
    loss = -np.mean(log_probs[y, np.arange(N)]) + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

    dz2 = np.exp(log_probs)
    dz2[y, np.arange(N)] -= 1
    dz2 /= N
    dW2 = dz2 @ a1.T + reg * W2
    db2 = np.sum(dz2, axis=1, keepdims=True)
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    dW1 = dz1 @ X.T + reg * W1
    db1 = np.sum(dz1, axis=1, keepdims=True)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
