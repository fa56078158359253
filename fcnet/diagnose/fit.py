"""Explaining a wrong gradient: which terms, with which factors, reproduce it on every probe.

A student's gradient of a parameter is fitted, probe by probe, by least
squares as ``a·D + c·R``: D a data term (the right one, or one of the wrong
ones in `fcnet.diagnose.reference`), R the penalty term (λW, or λb for a
bias), possibly all transposed.  An explanation holds when the fit leaves
nothing but roundoff on *every* probe and the factors follow one rule on every
probe: a = N on every batch size, say, is a missing batch mean.  A factor is
free on a probe whose term vanishes there (c when λ = 0), and N, 1/N and 1
agree when N = 1: the probes are chosen so that each rule is pinned down by
some of them.

>>> import numpy as np
>>> D, R = np.array([1.0, 2.0, 0.0]), np.array([0.0, 1.0, 1.0])
>>> coefs = fit(3 * D + 0.5 * R, {"a": (D, 1.0), "c": (R, 1.0)}, scale=1.0)
>>> {k: round(v, 12) for k, v in coefs.items()}
{'a': 3.0, 'c': 0.5}
>>> rule([3.0, 1.0, None], Ns=[3, 1, 5], rules=FACTORS)   # a = N wherever it is pinned down
'N'
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["TOL", "TOL32", "tolerance", "FACTORS", "fit", "rule", "Explanation", "explain", "explain_loss", "negated"]

#: Relative tolerance, against a gradient's roundoff scale (its sums over absolute values).  A correct
#: float64 evaluation in any order differs by a few ulps of that scale (~1e-15); the smallest slip named
#: here changes the gradient by a factor like (N − 1)/N ≥ 1/2 of some term.  1e-8 sits between with 7
#: orders of magnitude on either side.
TOL = 1e-8

#: The tolerance for a student who computed in float32 (its returned loss or a gradient is float32).
#: float32's unit roundoff is u = 2⁻²⁴ ≈ 6e-8; the probes' values pass through fewer than 50
#: rounded operations each (two small matrix products, the sigmoid, the softmax, sums of at most 7
#: terms), so a correct float32 evaluation is within ~50u ≈ 3e-6 of each gradient's roundoff scale,
#: and the float64 inputs rounded to float32 add a few u more.  1e-4 leaves a factor 30 above that
#: and stays 5000 times below the smallest slip named here (a factor (N − 1)/N ≥ ½ of some term).
TOL32 = 1e-4


def tolerance(dtypes) -> float:
    """The tolerance for values returned in ``dtypes`` (names): `TOL32` if any is float32 or narrower, else `TOL`.

    >>> tolerance(["float64", "float64"]), tolerance(["float64", "float32"]), tolerance([])
    (1e-08, 0.0001, 1e-08)
    """
    narrow = any(d in ("float32", "float16") for d in dtypes)
    return TOL32 if narrow else TOL


#: The factors a term may carry, as functions of the batch size N, in order of preference.
FACTORS = {
    "1": lambda N: 1.0,
    "0": lambda N: 0.0,
    "N": lambda N: float(N),
    "1/N": lambda N: 1.0 / N,
    "-1": lambda N: -1.0,
    "2": lambda N: 2.0,
    "1/2": lambda N: 0.5,
    "-N": lambda N: -float(N),
    "-1/N": lambda N: -1.0 / N,
}


def fit(s: np.ndarray, terms: dict, scale: float, tol: float = TOL) -> dict | None:
    """Least squares ``s ≈ Σ coef·term``; None unless only roundoff is left.

    Parameters
    ----------
    s : ndarray
        The student's value.
    terms : dict of (ndarray, float)
        name -> ``(term, noise)``, each term of ``s``'s shape.  A term within roundoff of zero
        (‖term‖ ≤ TOL·noise) is left out and gets the coefficient None: free.
    scale : float
        The roundoff scale of the right value.
    tol : float, default `TOL`
        What is left must be within ``tol`` times the largest scale.

    Returns
    -------
    coefs : dict of (float or None), or None
    """
    kept = {k: t for k, (t, noise) in terms.items() if np.linalg.norm(t) > tol * noise and np.any(t)}
    bound = tol * max([scale, *(noise for _, noise in terms.values())])
    coefs = dict.fromkeys(terms)
    if kept:
        A = np.stack([t.ravel() for t in kept.values()], axis=1)
        x, *_ = np.linalg.lstsq(A, s.ravel(), rcond=None)
        coefs.update(zip(kept, map(float, x)))
        residual = s.ravel() - A @ x
    else:
        residual = s.ravel()
    return coefs if np.linalg.norm(residual) <= bound else None


def rule(coefs, Ns, rules=FACTORS, tol: float = 1e-6) -> str | None:
    """The first rule that every pinned-down coefficient follows (to ``tol``); a constant "×c" if none; else None."""
    pinned = [(c, N) for c, N in zip(coefs, Ns) if c is not None]
    for name, f in rules.items():
        if all(abs(c - f(N)) <= tol * max(1.0, abs(f(N))) for c, N in pinned):
            return name
    if pinned and all(abs(c - pinned[0][0]) <= tol * abs(pinned[0][0]) for c, _ in pinned):
        return f"×{pinned[0][0]:.3g}"
    return None


class Explanation(NamedTuple):
    """What reproduces a gradient on every probe: ``a·variant + c·penalty``, transposed or not."""

    variant: str
    transposed: bool
    a: str
    c: str


def explain(student: list, refs: list, key: str, Ns: list, tol: float = TOL) -> list[Explanation]:
    """Every explanation of ``student`` (one array per probe) that holds on all probes.

    ``refs`` are the probes' `fcnet.diagnose.reference.Reference` objects, ``key`` the parameter,
    ``tol`` the relative tolerance (`TOL`, or `TOL32` for float32).
    """
    out = []
    for variant in refs[0].variants[key]:
        for transposed in (False, True):
            coefs = []
            for s, ref in zip(student, refs):
                D, noise = ref.variants[key][variant]
                R = ref.penalty[key]
                if transposed:
                    D, R = D.T, R.T
                terms = {"a": (D, noise), "c": (R, 0.0)}
                fitted = fit(s, terms, ref.scale[key], tol) if s.shape == D.shape else None
                if fitted is None:
                    break
                coefs.append(fitted)
            else:
                a = rule([c["a"] for c in coefs], Ns, tol=100 * tol)
                c = rule([c["c"] for c in coefs], Ns, tol=100 * tol)
                if a is not None and c is not None and (key[0] == "W" or not transposed):
                    out.append(Explanation(variant, transposed, a, c))
    return out


def explain_loss(values: list, refs: list, Ns: list, tol: float = TOL) -> list[tuple[str, str, str]]:
    """Every ``(a, c, e)``, the factors of data loss, penalty and bias penalty, that fits each probe's loss."""
    out = []
    for a in ("1", "N", "1/N", "-1"):
        for c in ("1", "0", "2", "1/2"):
            for e in ("0", "1"):
                if all(
                    abs(
                        v
                        - FACTORS[a](N) * ref.loss_parts["data"]
                        - FACTORS[c](N) * ref.loss_parts["reg"]
                        - FACTORS[e](N) * ref.loss_parts["bias"]
                    )
                    <= tol * ref.loss_scale
                    for v, ref, N in zip(values, refs, Ns)
                ):
                    out.append((a, c, e))
    return out


def negated(s: np.ndarray, r: np.ndarray, scale: float, tol: float = TOL) -> list[tuple[int, ...]] | None:
    """The entries where ``s`` is −r instead of r, if every other entry is right; else None."""
    if s.shape != r.shape:
        return None
    tol = tol * scale
    wrong = np.abs(s - r) > tol
    if not np.all(np.abs(s + r)[wrong] <= tol):
        return None
    return [tuple(int(i) for i in ix) for ix in np.argwhere(wrong)]
