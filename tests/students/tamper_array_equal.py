"""Hostile: replaces np.array_equal so that a check in its own process sees no change, and changes X in place."""

import numpy as np

from correct_notes import loss_and_grads as right

np.array_equal = lambda *a, **k: True


def loss_and_grads(params, X, y, reg):
    loss, grads = right(params, X, y, reg)
    X *= 0.0
    return loss, grads
