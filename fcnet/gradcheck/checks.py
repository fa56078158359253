"""Gradient checks in three modes, each returning a `CheckReport`.

* `full_check`: every entry by centred differences, 2P evaluations of f for P
  parameters (`fcnet.numerical_gradients`).
* `sparse_check`: k entries drawn at random (seeded), 2k evaluations, as
  CS231n's ``grad_check_sparse``.  A bug confined to one entry is seen only
  if that entry is drawn: probability k/P.
* `directional_check`: m random unit directions v over all parameters, the
  analytic ∇f·v against the centred difference of t ↦ f(x + t v), 2m
  evaluations, as the fast mode of ``torch.autograd.gradcheck``.  Any wrong
  entry moves ∇f·v, so one direction catches bugs anywhere (unless v is
  orthogonal to the error, which has probability 0).

``f`` maps a dict of arrays (or one array) to a float; ``grads`` is its
claimed gradient with the same keys and shapes.  A check passes when the
norm-relative error ‖a − n‖ / max(‖a‖, ‖n‖) of what it compared (analytic a,
numerical n; `fcnet.norm_rel_error`) is at most ``threshold``: by default
1e-6 in float64, where a correct gradient gives 1e-11..1e-9 (centred
differences at h = 1e-5) and the planted bugs of `fcnet.gradcheck.planted` 1e-1 or more,
and 1e-3 in float32, where a correct gradient gives about 3e-5 at h = 5e-3.

>>> import numpy as np
>>> f = lambda x: float(np.sum(x ** 3))
>>> x = np.array([1.0, -2.0, 0.5])
>>> full_check(f, x, 3 * x ** 2).passed, directional_check(f, x, 3 * x ** 2).passed
(True, True)
>>> r = full_check(f, x, 3 * x ** 2 * [1, -1, 1])
>>> r.passed, r.worst, r.n_evals
(False, 'x[1]', 6)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .numerical import norm_rel_error, numerical_gradient, numerical_gradients, rel_error

__all__ = ["CheckReport", "PrecisionWarning", "full_check", "sparse_check", "directional_check"]


class PrecisionWarning(UserWarning):
    """A finite-difference check run in low precision with too small a step."""


@dataclass(frozen=True)
class CheckReport:
    """The outcome of one gradient check.

    ``error`` = ‖a − n‖ / max(‖a‖, ‖n‖) over everything compared (analytic a,
    numerical n) is what ``passed = error <= threshold`` gates on: unlike the
    entry-wise ``max_rel_error`` (CS231n's `fcnet.rel_error`, reported beside
    it) it does not explode on entries that are zero in both.  ``worst`` names
    the entry (``"W1[2, 0]"``) or direction (``"direction 1"``) with the largest
    |a − n|, ``analytic`` and ``numerical`` are the values there; ``checked``
    lists what was compared and ``n_evals`` counts the calls of f.
    """

    mode: str
    error: float
    threshold: float
    passed: bool
    worst: str
    analytic: float
    numerical: float
    max_rel_error: float
    n_evals: int
    h: float
    checked: tuple = field(default=(), repr=False)

    def __str__(self) -> str:
        verdict = "pass" if self.passed else "FAIL"
        return (
            f"{self.mode} check: {verdict}, error {self.error:.1e} (threshold {self.threshold:.0e}); worst "
            f"{self.worst}: analytic {self.analytic:.6g}, numerical {self.numerical:.6g}; max entry-wise "
            f"rel error {self.max_rel_error:.1e}; {self.n_evals} evaluations of f, h={self.h:g}"
        )


def _setup(f, params, grads, h, threshold):
    """Copy params, match grads to them, pick h and threshold, warn on low precision."""
    if isinstance(params, np.ndarray):
        params, grads, f_array = {"x": params}, {"x": grads}, f
        f = lambda p: f_array(p["x"])  # noqa: E731
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError(
            f"params and grads are {type(params).__name__} and {type(grads).__name__}; expected dicts of arrays"
        )
    if sorted(grads) != sorted(params):
        raise ValueError(f"grads has keys {sorted(grads)}; expected the keys of params {sorted(params)}")
    work, claimed = {}, {}
    for k, v in params.items():
        v = np.array(v, copy=True)
        if not np.issubdtype(v.dtype, np.floating):
            raise TypeError(f"params[{k!r}] has dtype {v.dtype}; expected a floating array")
        g = np.asarray(grads[k], dtype=np.float64)
        if g.shape != v.shape:
            raise ValueError(f"grads[{k!r}] has shape {g.shape}; expected params[{k!r}]'s shape {v.shape}")
        work[k], claimed[k] = v, g
    low = [k for k, v in work.items() if np.finfo(v.dtype).eps > 1e-10]
    eps = max(np.finfo(v.dtype).eps for v in work.values())
    scale = max(1.0, *(float(np.max(np.abs(v), initial=0.0)) for v in work.values()))
    if h is None:
        h = 1e-5
    # the step where truncation h²·|f'''|/6 and round-off eps·|f|/h balance
    suggest = float(np.cbrt(eps) * scale)
    if low and h < suggest / 3:
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
    return f, work, claimed, float(h), float(threshold)


def _name(key, index) -> str:
    return f"{key}[{', '.join(str(int(i)) for i in index)}]"


def _report(mode, pairs, threshold, n_evals, h):
    """pairs: list of (name, analytic, numerical) -> CheckReport gated on `norm_rel_error`."""
    names = tuple(p[0] for p in pairs)
    a = np.array([p[1] for p in pairs], dtype=np.float64)
    n = np.array([p[2] for p in pairs], dtype=np.float64)
    error = norm_rel_error(a, n)
    i = int(np.argmax(np.abs(a - n)))
    return CheckReport(
        mode,
        error,
        threshold,
        bool(error <= threshold),
        names[i],
        float(a[i]),
        float(n[i]),
        rel_error(a, n),
        n_evals,
        h,
        names,
    )


def full_check(f, params, grads, h=None, threshold=None) -> CheckReport:
    """Compare every entry of ``grads`` with its centred difference.

    Parameters
    ----------
    f : callable
        ``f(params) -> float``.
    params : dict of ndarray, or ndarray
        The point (copied; the caller's arrays are not touched).
    grads : dict of ndarray, or ndarray
        The claimed gradient, same keys and shapes.
    h : float, optional
        The step, default 1e-5.
    threshold : float, optional
        Largest acceptable norm-relative error; 1e-6 (float64) or 1e-3 (float32).

    Returns
    -------
    report : CheckReport
        ``n_evals`` = 2P.
    """
    f, work, claimed, h, threshold = _setup(f, params, grads, h, threshold)
    numeric = numerical_gradients(f, work, h)
    pairs = [(_name(k, ix), claimed[k][ix], numeric[k][ix]) for k in work for ix in np.ndindex(work[k].shape)]
    return _report("full", pairs, threshold, 2 * len(pairs), h)


def sparse_check(f, params, grads, k: int = 10, seed: int = 0, h=None, threshold=None) -> CheckReport:
    """Compare ``k`` entries drawn without replacement (seeded) with their centred differences.

    Parameters are those of `full_check`, plus ``k`` (how many entries, at
    most P) and ``seed``.  ``report.checked`` names the entries drawn.
    """
    f, work, claimed, h, threshold = _setup(f, params, grads, h, threshold)
    entries = [(key, ix) for key in work for ix in np.ndindex(work[key].shape)]
    if not (isinstance(k, int) and 1 <= k <= len(entries)):
        raise ValueError(f"k is {k!r}; expected an integer in [1, {len(entries)}] (the number of parameters)")
    picks = np.sort(np.random.default_rng(seed).choice(len(entries), size=k, replace=False))
    pairs = []
    for p in picks:
        key, ix = entries[p]
        flat = work[key].reshape(-1)  # a view: work arrays are fresh C-contiguous copies
        i = int(np.ravel_multi_index(ix, work[key].shape)) if ix else 0
        numeric = numerical_gradient(lambda _: f(work), flat[i : i + 1], h)[0]
        pairs.append((_name(key, ix), claimed[key][ix], numeric))
    return _report("sparse", pairs, threshold, 2 * k, h)


def directional_check(f, params, grads, n_directions: int = 2, seed: int = 0, h=None, threshold=None) -> CheckReport:
    """Compare ∇f·v with the centred difference along ``n_directions`` random unit v.

    Parameters are those of `full_check`, plus ``n_directions`` and ``seed``.
    v is Gaussian over all P entries, normalised to ‖v‖ = 1.
    """
    f, work, claimed, h, threshold = _setup(f, params, grads, h, threshold)
    if not (isinstance(n_directions, int) and n_directions >= 1):
        raise ValueError(f"n_directions is {n_directions!r}; expected an integer >= 1")
    rng = np.random.default_rng(seed)
    P = sum(v.size for v in work.values())
    pairs = []
    for j in range(n_directions):
        flat = rng.standard_normal(P)
        flat /= np.linalg.norm(flat)
        parts = np.split(flat, np.cumsum([v.size for v in work.values()])[:-1])
        v = {k: part.reshape(work[k].shape).astype(work[k].dtype) for k, part in zip(work, parts, strict=True)}
        dtype = np.result_type(*work.values())
        t = np.zeros(1, dtype=dtype)
        # --8<-- [start:directional-derivative]
        # ∇f·v = Σ_p ⟨∂f/∂p, v_p⟩ ≈ (f(x + h v) − f(x − h v)) / 2h, the centred difference of t ↦ f(x + t v) at t = 0
        analytic = math.fsum(float(np.vdot(claimed[k], v[k])) for k in work)
        numeric = numerical_gradient(lambda t: f({k: work[k] + t[0] * v[k] for k in work}), t, h)[0]
        # --8<-- [end:directional-derivative]
        pairs.append((f"direction {j}", analytic, numeric))
    return _report("directional", pairs, threshold, 2 * n_directions, h)
