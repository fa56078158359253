"""The original notes' code, reproduced as a fixture for the corrections' tests (not a test module).

Transcribed from the notes with the fewest changes that let it run under Python 3 and NumPy 2,
each marked ``# changed:``: ``print`` statements dropped (Python 2 syntax), ``np.matlib.repmat``
written as ``np.tile`` (the same array; ``numpy.matlib`` warns on import), ``scipy.linalg.norm``
as ``np.linalg.norm`` (the same number).  Everything else, ``cache['logits']`` included, is the
notes' own.  ``f_numpy`` keeps its call of ``sigmoid_numpy``, which the notes never define.
"""

import numpy as np


def python_feedforward(X, cache):
    assert X.shape[0] == cache["W1"].shape[1]
    cache["X"] = X
    z1 = cache["W1"].dot(X) + np.tile(cache["b1"], (cache["N"], 1)).T  # changed: np.matlib.repmat
    cache["z1"] = z1
    a1 = 1.0 / (1.0 + np.exp(-z1))
    cache["a1"] = a1
    assert a1.shape[0] == cache["W2"].shape[1]
    z2 = cache["W2"].dot(a1) + np.tile(cache["b2"], (cache["N"], 1)).T  # changed: np.matlib.repmat
    cache["z2"] = z2
    logits = np.exp(z2) / np.tile(np.sum(np.exp(z2), axis=0), (cache["D_out"], 1))  # changed: np.matlib.repmat
    cache["logits"] = logits  # also called cache.yc, a2
    return logits


def norms(cache):
    all_sum = np.linalg.norm(cache["W1"]) ** 2  # changed: scipy.linalg.norm
    all_sum += np.linalg.norm(cache["W2"]) ** 2
    return all_sum


def python_loss(cache, y):
    yc_scores = cache["logits"][y, np.arange(cache["N"])]
    ce_sum = -np.sum(np.log(yc_scores))
    data_loss = ce_sum / cache["N"]  # divide by batch size
    reg_loss = 0.5 * cache["reg"] * norms(cache)
    loss = data_loss + reg_loss
    return loss  # changed: print "Loss: ", loss


def python_backprop(cache, grads, y):
    mm = np.matmul
    one_hot_y = np.zeros((cache["D_out"], cache["N"]))
    one_hot_y[y, np.arange(cache["N"])] = np.ones(cache["N"])
    diff = (1.0 / cache["N"]) * (cache["logits"] - one_hot_y)
    grads["dW2"] = mm(diff, cache["a1"].T) + cache["reg"] * cache["W2"]  # 0.5 cancels
    grads["db2"] = np.sum(diff.T, axis=0).T
    da1 = mm(cache["W2"].T, diff)
    dz1 = np.multiply(da1, np.multiply(cache["a1"], (1 - cache["a1"])))
    grads["dW1"] = mm(dz1, cache["X"].T) + cache["reg"] * cache["W1"]  # 0.5 cancels
    grads["db1"] = np.sum(dz1.T, axis=0).T


def notes_example():
    """The notes' ``main()``: N = 2, D_in = 3, H = 4, D_out = 5, reg = 0.5; returns ``(X, y, cache)``."""
    N, D_in, H, D_out = 2, 3, 4, 5
    cache = {"reg": 0.5, "N": N, "D_in": D_in, "H": H, "D_out": D_out}
    X = np.reshape(np.array(range(D_in * N)), (D_in, N))
    y = np.array([3, 4])
    cache["W1"] = np.ones((H, D_in))
    cache["W1"][:, 1] *= 2.0
    cache["W1"][:, 2] *= 3.0
    cache["W2"] = np.ones((D_out, H)) * 2.0
    cache["b1"] = np.ones(cache["H"])
    cache["b2"] = np.ones(cache["D_out"]) * 2.0
    return X, y, cache


def f_numpy(w):
    w1, w2 = w
    a = np.cos(w1)
    b = np.cos(w2)
    c = a * b
    d = sigmoid_numpy(w2)  # noqa: F821  (the notes never define it)
    g = w1 + w2
    h = np.log(g)
    i = np.square(w1)
    j = i * w2
    f1 = c + d  # noqa: F841
    f2 = h + j
    # return f1
    return f2


#: The notes' PyTorch input lines, as written.
NOTES_TORCH_INPUT = "X = Variable(X.type(torch.FloatTensor), volatile=False)"
