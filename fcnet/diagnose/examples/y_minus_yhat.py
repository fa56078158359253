"""A student's net that takes the output error as y − ŷ, as in a least-squares textbook."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = 1.0 / (1.0 + np.exp(-(W1 @ X + b1[:, None])))
    z2 = W2 @ a1 + b2[:, None]
    log_probs = z2 - z2.max(axis=0) - np.log(np.exp(z2 - z2.max(axis=0)).sum(axis=0))
    loss = -np.mean(log_probs[y, np.arange(N)]) + 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))
    Y = np.eye(W2.shape[0])[:, y]
    # --8<-- [start:mistake]
    dz2 = (Y - np.exp(log_probs)) / N
    # --8<-- [end:mistake]
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    return loss, {"W1": dz1 @ X.T + reg * W1, "b1": dz1.sum(axis=1), "W2": dz2 @ a1.T + reg * W2, "b2": dz2.sum(axis=1)}
