"""Parameter names and the one initialiser.

The two-layer net's parameters are the dict ``{"W1", "b1", "W2", "b2"}``
(`KEYS`); an L-layer net's are ``W1, b1, …, WL, bL`` (`mlp_keys`).  Gradients
use the same keys and shapes.  `init_params` draws all of them, for the
worked random examples, the L-layer net and training alike.

>>> KEYS == mlp_keys(2)
True
>>> p = init_params([3, 5, 4, 2], seed=1)
>>> [p[k].shape for k in mlp_keys(3)], float(p["b1"].sum())
([(5, 3), (5,), (4, 5), (4,), (2, 4), (2,)], 0.0)
"""

from __future__ import annotations

from numbers import Real

import numpy as np

__all__ = ["KEYS", "mlp_keys", "init_params", "check_seed", "check_float_dtype"]

#: The two-layer net's parameters, in the order of the forward pass.
KEYS = ("W1", "b1", "W2", "b2")

#: The initialisation schemes: how the standard deviation of W's entries follows from its fan-in and fan-out.
SCHEMES = ("lecun", "glorot")


def mlp_keys(L: int) -> tuple[str, ...]:
    """The parameter keys of an L-layer net: ``("W1", "b1", …, "WL", "bL")``.

    >>> mlp_keys(3)
    ('W1', 'b1', 'W2', 'b2', 'W3', 'b3')
    """
    if isinstance(L, bool) or not isinstance(L, int | np.integer) or L < 1:
        raise ValueError(f"L is {L!r}; expected an integer >= 1")
    return tuple(k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}"))


def check_seed(seed, name: str = "seed"):
    """An integer seed >= 0 (a bool is refused), or a numpy Generator; returned as given.

    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed is -1; expected an integer >= 0 or a numpy.random.Generator
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"{name} is {seed!r}; expected an integer >= 0 or a numpy.random.Generator")
    return seed


def check_float_dtype(dtype, name: str = "dtype") -> np.dtype:
    """A real floating dtype (float16, float32, float64, ...), or raise naming ``name``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} is {dtype!r}; expected a floating dtype such as np.float64") from None
    if dt.kind != "f":
        raise TypeError(f"{name} is {dt}; expected a floating dtype such as np.float64 (weights are real numbers)")
    return dt


def init_params(
    sizes, seed=0, *, scheme: str = "lecun", scale: float = 1.0, bias_scale: float = 0.0, dtype=np.float64
) -> dict[str, np.ndarray]:
    """Random parameters for layer sizes ``[D_in, H₁, …, H_{L−1}, C]``.

    Parameters
    ----------
    sizes : sequence of int, length L + 1 >= 2
        ``[D_in, H, C]`` for the notes' two-layer net.
    seed : int or numpy.random.Generator, default 0
        A Generator is used (and advanced) as it is, so that a training run
        draws its initial weights and its shuffles from one stream.
    scheme : {"lecun", "glorot"}, default "lecun"
        The standard deviation of Wₗ's entries: ``1/sqrt(fan_in)`` (LeCun: every zₗ
        stays of order ``scale``) or ``sqrt(2/(fan_in + fan_out))`` (Glorot).
    scale : float, default 1.0
        Multiplies that standard deviation.
    bias_scale : float, default 0.0
        Standard deviation of bₗ's entries; 0 gives zero biases (and draws nothing).
    dtype : float dtype, default float64

    Returns
    -------
    params : dict of ndarray
        ``"Wl"`` (sizes[l], sizes[l−1]) and ``"bl"`` (sizes[l],) for l = 1 … L,
        drawn in the order W1, b1, W2, b2, ….

    Examples
    --------
    >>> p = init_params([64, 32, 10], np.random.default_rng(0), scheme="glorot")
    >>> [p[k].shape for k in KEYS], round(float(p["W1"].std()), 2), round(float(np.sqrt(2 / 96)), 2)
    ([(32, 64), (32,), (10, 32), (10,)], 0.14, 0.14)
    """
    sizes = list(sizes) if np.iterable(sizes) else sizes
    if (
        not isinstance(sizes, list)
        or len(sizes) < 2
        or not all(isinstance(s, int | np.integer) and not isinstance(s, bool) and s >= 1 for s in sizes)
    ):
        raise ValueError(f"sizes is {sizes!r}; expected at least two positive integers [D_in, ..., C]")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme is {scheme!r}; expected one of {list(SCHEMES)}")
    for name, value in (("scale", scale), ("bias_scale", bias_scale)):
        if isinstance(value, int) and value.bit_length() > 1000:  # a Python int may be beyond any float
            try:
                float(value)
            except OverflowError:
                raise ValueError(
                    f"{name} is an integer of {value.bit_length()} bits, beyond float64's range; expected a finite "
                    "real number >= 0"
                ) from None
        if isinstance(value, bool | np.bool_) or not isinstance(value, Real) or not 0 <= value < np.inf:
            raise ValueError(f"{name} is {value!r}; expected a finite real number >= 0")
    dtype = check_float_dtype(dtype)
    rng = np.random.default_rng(check_seed(seed))
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        # --8<-- [start:init-weights]
        # Glorot: Var W = 2 / (fan_in + fan_out) keeps the variance of z about that of its input
        # (Glorot & Bengio 2010), so σ(z) starts in its steep middle rather than its flat tails;
        # LeCun: Var W = 1 / fan_in;  b = 0 unless bias_scale > 0
        std = np.sqrt(2.0 / (fan_in + fan_out)) if scheme == "glorot" else 1.0 / np.sqrt(fan_in)
        W = rng.standard_normal((fan_out, fan_in)) * (scale * std)
        # --8<-- [end:init-weights]
        b = rng.standard_normal(fan_out) * bias_scale if bias_scale else np.zeros(fan_out)
        params[f"W{l}"], params[f"b{l}"] = W.astype(dtype, copy=False), b.astype(dtype, copy=False)
    return params
