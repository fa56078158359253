"""Correct: fcnet's style, forward/backward pairs with a cache."""

import numpy as np


def affine_forward(W, a, b):
    return W @ a + b[:, None], (W, a)


def affine_backward(dz, cache):
    W, a = cache
    return dz @ a.T, dz.sum(axis=1), W.T @ dz


def sigmoid_forward(z):
    a = np.exp(-np.logaddexp(0.0, -z))
    return a, a


def sigmoid_backward(da, a):
    return da * a * (1.0 - a)


def softmax_ce_forward(z, y):
    N = z.shape[1]
    logp = z - z.max(axis=0) - np.log(np.exp(z - z.max(axis=0)).sum(axis=0))
    return -logp[y, np.arange(N)].mean(), (np.exp(logp), y)


def softmax_ce_backward(cache):
    probs, y = cache
    N = probs.shape[1]
    dz = probs.copy()
    dz[y, np.arange(N)] -= 1.0
    return dz / N


def loss_and_grads(params, X, y, reg):
    z1, c1 = affine_forward(params["W1"], X, params["b1"])
    a1, s1 = sigmoid_forward(z1)
    z2, c2 = affine_forward(params["W2"], a1, params["b2"])
    data_loss, ce = softmax_ce_forward(z2, y)
    loss = data_loss + 0.5 * reg * (np.vdot(params["W1"], params["W1"]) + np.vdot(params["W2"], params["W2"]))
    dW2, db2, da1 = affine_backward(softmax_ce_backward(ce), c2)
    dW1, db1, _ = affine_backward(sigmoid_backward(da1, s1), c1)
    return loss, {"W1": dW1 + reg * params["W1"], "b1": db1, "W2": dW2 + reg * params["W2"], "b2": db2}
