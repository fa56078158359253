"""Wrong: the bias gradients are the batch mean of δ, whose 1/N is already in δ (N times too small)."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = 1 / (1 + np.exp(-(W1 @ X + b1[:, None])))
    z2 = W2 @ a1 + b2[:, None]
    log_p = z2 - z2.max(axis=0)
    log_p -= np.log(np.exp(log_p).sum(axis=0))
    loss = -log_p[y, np.arange(N)].mean() + 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))

    delta2 = np.exp(log_p)
    delta2[y, np.arange(N)] -= 1
    delta2 /= N
    delta1 = (W2.T @ delta2) * a1 * (1 - a1)
    db1 = delta1.mean(axis=1)
    db2 = delta2.mean(axis=1)
    return loss, {"W1": delta1 @ X.T + reg * W1, "b1": db1, "W2": delta2 @ a1.T + reg * W2, "b2": db2}
