"""Odd return values: each is the student's bad return, not a crash of fcnet's."""

import numpy as np

from correct_notes import loss_and_grads as right


class Raises:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array here")


def int_loss_too_large(params, X, y, reg):
    return 10**400, right(params, X, y, reg)[1]


HUGE = []


def huge_int8_gradient(params, X, y, reg):
    loss, grads = right(params, X, y, reg)
    if not HUGE:
        HUGE.append(np.ones((20000, 20000), dtype=np.int8))  # 400 MB, made once
    grads["W1"] = HUGE[0]
    return loss, grads


def array_raises(params, X, y, reg):
    loss, grads = right(params, X, y, reg)
    grads["b1"] = Raises()
    return loss, grads
