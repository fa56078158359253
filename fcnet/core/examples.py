"""The worked examples: the notes' own, and a second one that is not degenerate.

Both return ``(params, X, y, reg)`` in float64, fresh arrays on every call.

The notes' example is degenerate: every row of W2 is equal, so
W2ᵀ(ŷ − y) = 0 for every column, no signal reaches layer 1 and dW1 = λW1,
db1 = 0 whatever the code does with the data term.

>>> import numpy as np
>>> params, X, y, reg = seed_example()
>>> X
array([[0., 1.],
       [2., 3.],
       [4., 5.]])
>>> np.ptp(params["W2"], axis=0)   # every column of W2 is constant: the rows are equal
array([0., 0., 0., 0.])
>>> params, X, y, reg = second_example()
>>> [params[k].shape for k in ("W1", "b1", "W2", "b2")], X.shape, y
([(4, 3), (4,), (5, 4), (5,)], (3, 3), array([3, 0, 2]))
"""

from __future__ import annotations

import numpy as np

from .params import check_float_dtype, check_seed, init_params
from .validate import check_reg

__all__ = ["EXAMPLES", "seed_example", "second_example", "random_example"]


def seed_example():
    """The notes' worked example: N=2, D_in=3, H=4, C=5, reg=0.5.

    Returns
    -------
    params : dict of ndarray
        ``"W1"`` (4, 3) with columns all 1, all 2, all 3; ``"b1"`` (4,) all 1;
        ``"W2"`` (5, 4) all 2; ``"b2"`` (5,) all 2.
    X : ndarray, shape (3, 2)
        ``arange(6).reshape(3, 2)``.
    y : ndarray of int, shape (2,)
        ``[3, 4]``.
    reg : float
        0.5.
    """
    N, D_in, H, C = 2, 3, 4, 5
    W1 = np.ones((H, D_in)) * np.array([1.0, 2.0, 3.0])
    params = {"W1": W1, "b1": np.ones(H), "W2": np.full((C, H), 2.0), "b2": np.full(C, 2.0)}
    X = np.arange(D_in * N, dtype=np.float64).reshape(D_in, N)
    y = np.array([3, 4])
    return params, X, y, 0.5


def second_example():
    """A small non-degenerate example: N=3, D_in=3, H=4, C=5, reg=0.25.

    Every entry is a multiple of 1/8, so float64 holds it exactly and an exact
    (SymPy) evaluation sees the very same numbers.  The rows of W2 differ, no
    pre-activation is beyond |z1| < 2 (no saturation), no probability is
    below 0.05, and every gradient entry is away from zero.

    Returns
    -------
    params : dict of ndarray
        ``"W1"`` (4, 3), ``"b1"`` (4,), ``"W2"`` (5, 4), ``"b2"`` (5,).
    X : ndarray, shape (3, 3)
    y : ndarray of int, shape (3,)
    reg : float
        0.25.
    """
    W1 = np.array(
        [
            [0.5, -0.25, 0.125],
            [-0.375, 0.25, 0.5],
            [0.25, 0.625, -0.5],
            [-0.125, -0.5, 0.375],
        ]
    )
    b1 = np.array([0.125, -0.25, 0.375, -0.125])
    W2 = np.array(
        [
            [0.75, -0.5, 0.25, 0.125],
            [-0.25, 0.5, -0.625, 0.375],
            [0.375, 0.125, 0.5, -0.75],
            [-0.5, -0.375, 0.125, 0.625],
            [0.125, 0.25, -0.375, -0.25],
        ]
    )
    b2 = np.array([0.25, -0.125, 0.0, 0.125, -0.25])
    X = np.array(
        [
            [1.0, -0.5, 0.75],
            [-0.25, 1.5, 0.5],
            [0.5, 0.25, -1.0],
        ]
    )
    y = np.array([3, 0, 2])
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, X, y, 0.25


def random_example(
    N: int, D_in: int, H: int, C: int, seed: int = 0, scale: float = 1.0, reg: float = 0.1, dtype=np.float64
):
    """A random problem of the given sizes, reproducible from ``seed``.

    Weights are Gaussian with standard deviation ``scale / sqrt(fan_in)``
    (so pre-activations stay of order ``scale``), biases and X standard
    Gaussian times ``scale``, labels uniform over the C classes.

    Returns
    -------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float

    Examples
    --------
    >>> params, X, y, reg = random_example(N=4, D_in=3, H=5, C=2, seed=1)
    >>> params["W1"].shape, X.shape, y.shape
    ((5, 3), (3, 4), (4,))
    >>> bool(np.array_equal(random_example(4, 3, 5, 2, seed=1)[1], X))
    True
    """
    for name, value in (("N", N), ("D_in", D_in), ("H", H), ("C", C)):
        if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} is {value!r}; expected a positive integer")
    dtype, reg = check_float_dtype(dtype), check_reg(reg)
    rng = np.random.default_rng(check_seed(seed))
    params = init_params([D_in, H, C], rng, scale=scale, bias_scale=scale)
    X = rng.standard_normal((D_in, N)) * scale
    y = rng.integers(0, C, size=N)
    return {k: v.astype(dtype) for k, v in params.items()}, X.astype(dtype), y, reg


#: name -> function returning ``(params, X, y, reg)``: the worked examples that the command line
#: (``python -m fcnet example --which NAME``), the witnesses' report, the tests and the pages read.
EXAMPLES = {"seed": seed_example, "second": second_example}
