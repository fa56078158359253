"""Correct: the notes' own style (a cache dict, one-hot labels), with a stable softmax."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def loss_and_grads(params, X, y, reg):
    cache = dict(params)
    cache["N"] = X.shape[1]
    cache["D_out"] = params["W2"].shape[0]
    cache["z1"] = cache["W1"].dot(X) + cache["b1"].reshape(-1, 1)
    cache["a1"] = sigmoid(cache["z1"])
    cache["z2"] = cache["W2"].dot(cache["a1"]) + cache["b2"].reshape(-1, 1)
    shifted = cache["z2"] - np.max(cache["z2"], axis=0)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=0))
    one_hot_y = np.zeros((cache["D_out"], cache["N"]))
    one_hot_y[y, np.arange(cache["N"])] = np.ones(cache["N"])
    ce_sum = -np.sum(one_hot_y * log_probs)
    norms = np.sum(cache["W1"] ** 2) + np.sum(cache["W2"] ** 2)
    loss = ce_sum / cache["N"] + 0.5 * reg * norms

    grads = {}
    diff = (np.exp(log_probs) - one_hot_y) / cache["N"]
    grads["W2"] = np.matmul(diff, cache["a1"].T) + reg * cache["W2"]  # 0.5 cancels
    grads["b2"] = np.sum(diff, axis=1)
    da1 = np.matmul(cache["W2"].T, diff)
    dz1 = np.multiply(da1, np.multiply(cache["a1"], (1 - cache["a1"])))
    grads["W1"] = np.matmul(dz1, X.T) + reg * cache["W1"]  # 0.5 cancels
    grads["b1"] = np.sum(dz1, axis=1)
    return loss, grads
