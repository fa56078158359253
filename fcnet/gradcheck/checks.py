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
from dataclasses import dataclass, field

import numpy as np

from ..core.validate import NumericalOverflowError
from .claims import PrecisionWarning, count, entry_name, rng, setup
from .numerical import _numerical_gradient, norm_rel_error, numerical_gradients, rel_error

__all__ = ["CheckReport", "PrecisionWarning", "full_check", "sparse_check", "directional_check"]


@dataclass(frozen=True)
class CheckReport:
    """The outcome of one gradient check.

    ``error`` = ‖g − ĝ‖ / max(‖g‖, ‖ĝ‖) over everything compared (the claimed
    gradient g, the numerical ĝ) is what ``passed = error <= threshold`` gates on: unlike the
    entry-wise ``max_rel_error`` (CS231n's `fcnet.rel_error`, reported beside
    it) it does not explode on entries that are zero in both.  ``worst`` names
    the entry (``"W1[2, 0]"``) or direction (``"direction 1"``) with the largest
    |g − ĝ|, ``analytic`` and ``numerical`` are the values there; ``checked``
    lists what was compared and ``n_evals`` counts the calls of f.  A claimed
    gradient with a NaN, ±inf or complex entry fails without a call of f:
    ``worst`` names that entry and ``reason`` says what is wrong with it.
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
    reason: str = ""

    def __str__(self) -> str:
        verdict = "pass" if self.passed else "FAIL"
        return (
            f"{self.mode} check: {verdict}, error {self.error:.1e} (threshold {self.threshold:.0e}); worst "
            f"{self.worst}: analytic {self.analytic:.6g}, numerical {self.numerical:.6g}; max entry-wise "
            f"rel error {self.max_rel_error:.1e}; {self.n_evals} evaluations of f, h={self.h:g}"
            + (f"; {self.reason}" if self.reason else "")
        )


def _report(mode, pairs, threshold, n_evals, h):
    """pairs: list of (name, analytic, numerical) -> CheckReport gated on `norm_rel_error`.

    It passes only when the error is finite and at most ``threshold``: a NaN never passes.
    """
    names = tuple(p[0] for p in pairs)
    g = np.array([p[1] for p in pairs], dtype=np.float64)  # the claimed gradient
    g_num = np.array([p[2] for p in pairs], dtype=np.float64)  # ĝ, the finite differences
    error = norm_rel_error(g, g_num)
    with np.errstate(all="ignore"):  # g − ĝ may overflow near the float range: that entry is then the worst
        gap = np.abs(g - g_num)
    i = int(np.argmax(np.where(np.isnan(gap), np.inf, gap)))
    return CheckReport(
        mode,
        error,
        threshold,
        math.isfinite(error) and error <= threshold,
        names[i],
        float(g[i]),
        float(g_num[i]),
        rel_error(g, g_num),
        n_evals,
        h,
        names,
    )


def _refused(mode, s) -> CheckReport:
    """The report for a claimed gradient with a NaN, ±inf or complex entry: failed, f never called."""
    name, value, why = s.bad
    analytic = value.real if isinstance(value, complex) else value
    return CheckReport(mode, math.inf, s.threshold, False, name, analytic, math.nan, math.inf, 0, s.h, (name,), why)


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
    s = setup(f, params, grads, h, threshold)
    if s.bad:
        return _refused("full", s)
    f, work, claimed, h, threshold = s.f, s.work, s.claimed, s.h, s.threshold
    numeric = numerical_gradients(f, work, h)
    pairs = [(entry_name(k, ix), claimed[k][ix], numeric[k][ix]) for k in work for ix in np.ndindex(work[k].shape)]
    return _report("full", pairs, threshold, 2 * len(pairs), h)


def sparse_check(f, params, grads, k: int | None = None, seed: int = 0, h=None, threshold=None) -> CheckReport:
    """Compare ``k`` entries drawn without replacement (seeded) with their centred differences.

    Parameters are those of `full_check`, plus ``k`` (how many entries, at
    most P; default min(10, P)) and ``seed``.  ``report.checked`` names the entries drawn.

    >>> import numpy as np
    >>> sparse_check(lambda x: float(np.sum(x ** 2)), np.array([1.0, 2.0]), np.array([2.0, 4.0])).checked
    ('x[0]', 'x[1]')
    """
    s = setup(f, params, grads, h, threshold)
    f, work, claimed, h, threshold = s.f, s.work, s.claimed, s.h, s.threshold
    entries = [(key, ix) for key in work for ix in np.ndindex(work[key].shape)]
    k = min(10, len(entries)) if k is None else count(k, "k", 1, len(entries))  # at most P, the number of parameters
    draw = rng(seed)
    if s.bad:
        return _refused("sparse", s)
    picks = np.sort(draw.choice(len(entries), size=k, replace=False))
    pairs = []
    for p in picks:
        key, ix = entries[p]
        flat = work[key].reshape(-1)  # a view: work arrays are fresh C-order copies (claims._point)
        i = int(np.ravel_multi_index(ix, work[key].shape)) if ix else 0
        numeric = _numerical_gradient(lambda _: f(work), flat[i : i + 1], h, entry_name(key, ix))[0]
        pairs.append((entry_name(key, ix), claimed[key][ix], numeric))
    return _report("sparse", pairs, threshold, 2 * k, h)


def directional_check(f, params, grads, n_directions: int = 2, seed: int = 0, h=None, threshold=None) -> CheckReport:
    """Compare ∇f·v with the centred difference along ``n_directions`` random unit v.

    Parameters are those of `full_check`, plus ``n_directions`` and ``seed``.
    v is Gaussian over all P entries, normalised to ‖v‖ = 1.
    """
    s = setup(f, params, grads, h, threshold)
    f, work, claimed, h, threshold = s.f, s.work, s.claimed, s.h, s.threshold
    n_directions = count(n_directions, "n_directions", 1)
    draw = rng(seed)
    if s.bad:
        return _refused("directional", s)
    P = sum(v.size for v in work.values())
    # |∇f·v| ≤ ‖∇f‖ ≤ √P · max |∂f/∂p| for a unit v: refuse a gradient so large that ∇f·v could overflow
    largest = max(float(np.max(np.abs(g), initial=0.0)) for g in claimed.values())
    if not largest * math.sqrt(P) < np.finfo(np.float64).max / 4:
        raise NumericalOverflowError(
            f"grads has entries up to {largest:.3g}: ∇f·v could overflow float64 over its {P} entries; scale f down"
        )
    pairs = []
    for j in range(n_directions):
        flat = draw.standard_normal(P)
        flat /= np.linalg.norm(flat)
        parts = np.split(flat, np.cumsum([v.size for v in work.values()])[:-1])
        v = {k: part.reshape(work[k].shape).astype(work[k].dtype) for k, part in zip(work, parts, strict=True)}
        dtype = np.result_type(*work.values())
        t = np.zeros(1, dtype=dtype)
        # --8<-- [start:directional-derivative]
        # ∇f·v = Σ_p ⟨∂f/∂p, v_p⟩ ≈ (f(x + h v) − f(x − h v)) / 2h, the centred difference of t ↦ f(x + t v) at t = 0
        analytic = math.fsum(float(np.vdot(claimed[k], v[k])) for k in work)
        numeric = _numerical_gradient(lambda t: f({k: work[k] + t[0] * v[k] for k in work}), t, h, "t")[0]
        # --8<-- [end:directional-derivative]
        pairs.append((f"direction {j}", analytic, numeric))
    return _report("directional", pairs, threshold, 2 * n_directions, h)
