"""Forgets the penalty's gradient: dW = δ aᵀ without + λW."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = sigmoid(W1 @ X + b1[:, None])
    z2 = W2 @ a1 + b2[:, None]
    z2 = z2 - z2.max(axis=0)
    log_probs = z2 - np.log(np.exp(z2).sum(axis=0))
    loss = -np.mean(log_probs[y, np.arange(N)]) + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

    dz2 = np.exp(log_probs)
    dz2[y, np.arange(N)] -= 1
    dz2 /= N
    dW2 = dz2 @ a1.T
    db2 = dz2.sum(axis=1)
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    dW1 = dz1 @ X.T
    db1 = dz1.sum(axis=1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
