"""Hostile: imports a module that is not there."""

import numpy as np
from my_helpers import softmax  # noqa: F401


def loss_and_grads(params, X, y, reg):
    return 0.0, {k: np.zeros_like(v) for k, v in params.items()}
