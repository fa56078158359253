"""The notes' two toy functions of w = (w1, w2), in NumPy, checked at the notes' point (1, 2).

    f1(w) = cos w1 · cos w2 + σ(w2)        f2(w) = log(w1 + w2) + w1² w2

Their exact gradients are derivation D7 (`fcnet.derivations`, SymPy); these are the
functions the finite differences evaluate.  Each computes in the dtype of ``w``, so a
float32 ``w`` gives a float32 value: the round-off the numerical-gradient page measures.

>>> import numpy as np
>>> float(f2(POINT))          # log 3 + 1² · 2
3.09861228866811
>>> f2(POINT.astype(np.float32)).dtype
dtype('float32')
"""

from __future__ import annotations

import numpy as np

from ..core.layers import sigmoid_forward

__all__ = ["POINT", "TOYS", "f1", "f2"]

#: The notes' point, (w1, w2) = (1, 2).
POINT = np.array([1.0, 2.0])


def f1(w: np.ndarray) -> np.floating:
    """The notes' first toy function, cos w1 · cos w2 + σ(w2), for ``w`` of shape (2,)."""
    return np.cos(w[0]) * np.cos(w[1]) + sigmoid_forward(np.asarray(w[1]))[0]


def f2(w: np.ndarray) -> np.floating:
    """The notes' second toy function, log(w1 + w2) + w1² w2, for ``w`` of shape (2,)."""
    return np.log(w[0] + w[1]) + w[0] ** 2 * w[1]


#: name -> function, in the notes' order.
TOYS = {"f1": f1, "f2": f2}
