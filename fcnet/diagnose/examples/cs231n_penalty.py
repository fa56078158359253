"""A student's net with CS231n's penalty, λ‖W‖² (no ½) and its gradient 2λW, not the notes' ½λ‖W‖²."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = 1.0 / (1.0 + np.exp(-(W1 @ X + b1[:, None])))
    z2 = W2 @ a1 + b2[:, None]
    log_probs = z2 - z2.max(axis=0) - np.log(np.exp(z2 - z2.max(axis=0)).sum(axis=0))
    dz2 = np.exp(log_probs)
    dz2[y, np.arange(N)] -= 1
    dz2 /= N
    dz1 = (W2.T @ dz2) * a1 * (1 - a1)
    # --8<-- [start:mistake]
    loss = -np.mean(log_probs[y, np.arange(N)]) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dz1 @ X.T + 2 * reg * W1
    dW2 = dz2 @ a1.T + 2 * reg * W2
    # --8<-- [end:mistake]
    return loss, {"W1": dW1, "b1": dz1.sum(axis=1), "W2": dW2, "b2": dz2.sum(axis=1)}
