"""What a gradient check is given, checked before f is called once.

`setup` copies the point, matches the claimed gradient to it key by key and
shape by shape, and picks the step and the threshold; `fcnet.gradcheck.checks`
calls it first.  A claimed gradient with a NaN, ±inf or complex entry is not an
error of the caller but a gradient that fails: `setup` returns its first such
entry as ``bad`` and the check reports the failure, naming it.

>>> import numpy as np
>>> s = setup(lambda x: 0.0, np.zeros(2), np.array([1.0, np.nan]), None, None)
>>> s.bad
('x[1]', nan, "grads['x'] has nan at x[1]; a non-finite gradient never passes")
"""

from __future__ import annotations

import math
import warnings
from numbers import Real
from typing import NamedTuple

import numpy as np

from ..core.validate import NonFiniteError, first_non_finite_index, real_float, refuse_masked
from .arguments import MAX_EPS, check_step

__all__ = ["PrecisionWarning", "Setup", "setup", "entry_name", "count", "rng"]


class PrecisionWarning(UserWarning):
    """A finite-difference check run in low precision with too small a step."""


class Setup(NamedTuple):
    """The checked arguments of a check; ``bad`` is None or ``(entry, value, why)``."""

    f: object
    work: dict
    claimed: dict
    h: float
    threshold: float
    bad: tuple | None


def entry_name(key, index) -> str:
    """``"W1[2, 0]"``."""
    return f"{key}[{', '.join(str(int(i)) for i in index)}]"


def _claimed(k, g, shape):
    """grads[k] as float64 of ``shape``, and its first entry that is not a finite real, ``(index, value, why)``."""
    refuse_masked(g, f"grads[{k!r}]")  # np.asarray would drop the mask
    g = np.asarray(g)
    if g.dtype.kind not in "fiuc":
        raise TypeError(f"grads[{k!r}] has dtype {g.dtype}; expected a real floating array")
    if g.shape != shape:
        raise ValueError(f"grads[{k!r}] has shape {g.shape}; expected params[{k!r}]'s shape {shape}")
    if g.dtype.kind == "c":  # never cast silently: the gradient of a real function is real
        imag = np.argwhere(g.imag != 0)
        ix = tuple(int(i) for i in (imag[0] if len(imag) else np.zeros(g.ndim, dtype=int)))
        why = f"grads[{k!r}] is complex ({g.dtype}, imaginary part {g[ix].imag:g} at {entry_name(k, ix)})"
        return np.zeros(shape), (ix, complex(g[ix]), why + "; the gradient of a real function is real")
    g = g.astype(np.float64, copy=False)
    if not np.isfinite(g).all():
        ix = first_non_finite_index(g)
        why = f"grads[{k!r}] has {g[ix]} at {entry_name(k, ix)}; a non-finite gradient never passes"
        return g, (ix, float(g[ix]), why)
    return g, None


def _point(k, v):
    """params[k] copied: a finite float32-or-better array."""
    refuse_masked(v, f"params[{k!r}]")
    v = np.array(v, copy=True, order="C")  # C order: sparse_check perturbs entries through a flat view
    if v.dtype.kind != "f":
        raise TypeError(f"params[{k!r}] has dtype {v.dtype}; expected a floating array")
    if np.finfo(v.dtype).eps > MAX_EPS:
        raise TypeError(f"params[{k!r}] has dtype {v.dtype}, too coarse for finite differences; expected float32/64")
    if not np.isfinite(v).all():
        ix = first_non_finite_index(v)
        raise NonFiniteError(f"params[{k!r}] has a non-finite entry {v[ix]} at index {ix}; expected a finite point")
    return v


def setup(f, params, grads, h, threshold) -> Setup:
    """Copy params, match grads to them, pick h and threshold, warn on low precision."""
    if not callable(f):
        raise TypeError(f"f is a {type(f).__name__}; expected a callable f(params) -> float")
    if isinstance(params, np.ndarray):
        params, grads, f_array = {"x": params}, {"x": grads}, f
        f = lambda p: f_array(p["x"])  # noqa: E731
    if not isinstance(params, dict) or not isinstance(grads, dict) or not params:
        raise TypeError(
            f"params and grads are {type(params).__name__} and {type(grads).__name__}; "
            "expected non-empty dicts of arrays (or two arrays)"
        )
    if set(grads) != set(params):
        raise ValueError(f"grads has keys {sorted(map(str, grads))}; expected the keys of params {sorted(params)}")
    work, claimed, bad = {}, {}, None
    for k, v in params.items():
        work[k] = _point(k, v)
        claimed[k], why = _claimed(k, grads[k], work[k].shape)
        if why and bad is None:
            bad = (entry_name(k, why[0]), why[1], why[2])
    low = [k for k, v in work.items() if np.finfo(v.dtype).eps > 1e-10]
    eps = max(np.finfo(v.dtype).eps for v in work.values())
    scale = max(1.0, *(float(np.max(np.abs(v), initial=0.0)) for v in work.values()))
    h = 1e-5 if h is None else check_step(h)
    # the step where truncation h²·|f'''|/6 and round-off eps·|f|/h balance
    suggest = float(np.cbrt(eps) * scale)
    if low and h < suggest / 3 and bad is None:
        warnings.warn(
            f"params {low} are {work[low[0]].dtype}: machine epsilon is {eps:.1e}, so each f value carries "
            f"round-off of about eps·|f| and (f(x+h) − f(x−h))/2h an error of about eps·|f|/h = {eps / h:.0e}·|f| "
            f"at h={h:g}, which swamps the truncation error h²·f'''/6; use h ≈ cbrt(eps)·scale = {suggest:.1e} "
            f"(scale = max(1, max |x|) = {scale:.3g}), or check in float64",
            PrecisionWarning,
            stacklevel=3,
        )
    if threshold is None:
        threshold = 1e-3 if low else 1e-6
    elif (
        isinstance(threshold, bool | np.bool_)
        or not isinstance(threshold, Real)
        or not 0 <= real_float(threshold, "threshold", "a finite real number >= 0") < math.inf
    ):
        raise ValueError(f"threshold is {threshold!r:.80}; expected a finite real number >= 0")
    return Setup(f, work, claimed, float(h), float(threshold), bad)


def count(value, name: str, low: int, high: int | None = None) -> int:
    """An integer in [low, high] (a bool is refused), or raise naming ``name``."""
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    if not ok or value < low or (high is not None and value > high):
        span = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{name} is {value!r}; expected an integer {span}")
    return int(value)


def rng(seed) -> np.random.Generator:
    """A Generator from an integer seed >= 0, or the Generator given."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(count(seed, "seed", 0))
