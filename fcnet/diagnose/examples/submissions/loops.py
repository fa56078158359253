"""Correct, one example at a time: a loop over the batch, as on paper."""

import math

import numpy as np


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    D, N = X.shape
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    loss = 0.0
    for n in range(N):
        x = X[:, n]
        a1 = np.array([1 / (1 + math.exp(-(W1[h] @ x + b1[h]))) for h in range(len(b1))])
        z2 = W2 @ a1 + b2
        m = max(z2)
        log_sum = m + math.log(sum(math.exp(z - m) for z in z2))
        loss += (log_sum - z2[y[n]]) / N
        delta2 = np.array([math.exp(z - log_sum) for z in z2])
        delta2[y[n]] -= 1
        delta1 = (W2.T @ delta2) * a1 * (1 - a1)
        grads["W2"] += np.outer(delta2, a1) / N
        grads["b2"] += delta2 / N
        grads["W1"] += np.outer(delta1, x) / N
        grads["b1"] += delta1 / N
    loss += 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))
    grads["W1"] += reg * W1
    grads["W2"] += reg * W2
    return loss, grads
