"""Naming the cause: from what the function returned on every probe to one verdict per entry.

A gradient is ok when it matches the reference on every probe within
roundoff.  It is given the ordinary probes only: what happens at extreme
logits is the stability's verdict (`fcnet.diagnose.stability`).  Otherwise,
in this order: a return value that is not an array (``bad-return``); a shape
that is neither the parameter's nor, for a weight, its transpose
(``wrong-shape``); nan or inf where the reference is finite
(``not-finite``), with the causes that explain the finite probes; then the
simplest `fcnet.diagnose.fit.Explanation` that holds on every probe, each
departure from the right one a cause; then entries that are exactly negated
(``sign``); else ``unknown``, with where and how much.  Every message names a
smallest probe that shows the error.  (The loss: `fcnet.diagnose.loss`.)
"""

from __future__ import annotations

import numpy as np

from ..gradcheck.numerical import norm_rel_error
from .causes import CAUSES, reread
from .fit import TOL, explain, negated
from .report import Verdict

__all__ = ["grad_verdict", "verdict", "first_shown"]

_FACTOR_TEXT = {"N": "N", "1/N": "1/N", "2": "2", "1/2": "½", "-1": "−1", "-N": "−N", "-1/N": "−1/N"}


def verdict(entry, cause, detail, see="", where=None, also=()) -> Verdict:
    """A failing verdict; ``see`` defaults to the cause's derivation, ``where`` is `first_shown`'s triple.

    ``also`` holds the other causes that apply, ``(cause, detail)``, less specific ones last: they
    are listed in the verdict's ``causes`` after ``cause`` and in its message.
    """
    see = CAUSES[cause].see if see == "" else see
    probe, error, text = where or (None, None, "")
    parts = [detail] + ([text] if text else []) + [f"also {c}: {d}" for c, d in also]
    causes = tuple(dict.fromkeys([cause, *(c for c, _ in also)]))
    message = "; ".join(parts) + (f"; {reread(see)}" if see else "")
    return Verdict(entry, False, cause, see, message, probe, error, causes=causes)


def first_shown(key, values, refs, probes, scale, tol=TOL) -> tuple | None:
    """``(probe, error, text)``: a smallest probe that shows the error, how much, and where."""
    for v, ref, p in zip(values, refs, probes):
        r = ref.loss if key == "loss" else ref.grads[key]
        if key == "loss":
            if abs(v - r) > tol * ref.loss_scale:
                return p.name, abs(v - r) / abs(r), f"on probe {p.describe()}: {v:.6g}, expected {r:.6g}"
        elif v.shape != r.shape:
            return p.name, None, f"on probe {p.describe()} its shape is {v.shape}, expected {r.shape}"
        elif np.linalg.norm(v - r) > tol * scale(ref):
            i = np.unravel_index(np.argmax(np.abs(v - r)), r.shape)
            err = norm_rel_error(v, r)
            ix = ", ".join(map(str, i))
            return (
                p.name,
                err,
                (
                    f"on probe {p.describe()}: norm-relative error {err:.2g}, "
                    f"largest at {key}[{ix}]: {v[i]:.6g}, expected {r[i]:.6g}"
                ),
            )
    return None


def _causes(key, e, context) -> list[tuple[str, str, str]]:
    """The causes of an explanation, as ``(cause, see, detail)``, most specific first."""
    out = []
    bias = key[0] == "b"
    prime, _, column = e.variant.partition(", ") if key in ("W1", "b1") else ("", "", e.variant)
    if key in ("W1", "b1") and prime != "σ(1 − σ)":
        out.append(("sigmoid-derivative", "sigmoid-grad", f"σ'(z1) computed as {prime}, not σ(1 − σ)"))
    if bias and column and column != "sum":
        out.append(("bias-not-summed", "linear-grad", f"the {column} of δ instead of the sum over the batch"))
    if e.transposed:
        product = {"W1": "X δ1ᵀ for δ1 Xᵀ", "W2": "a1 δ2ᵀ for δ2 a1ᵀ"}[key]
        out.append(("transposed", "linear-grad", f"the transpose of d{key} ({product}?)"))
    a, c = e.a, e.c
    whole = not bias and a == c and a != "1"
    if a in ("N", "-N"):
        out.append(("missing-batch-mean", "batch-mean-l2", "N times too large: the batch mean's 1/N is missing"))
    if a in ("1/N", "-1/N"):
        # db = mean(δ) divides by N a second time (δ already carries the 1/N): a batch mean too many
        detail = "N times too small: the batch mean's 1/N is applied twice"
        out.append(("extra-batch-mean", "batch-mean-l2", detail + (" (the mean of δ, not its sum?)" * bias)))
    if a.startswith("-") and a.lstrip("-") in ("1", "N", "1/N"):
        upstream = key in ("W1", "b1") and context.get("W2") and context["W2"].a.startswith("-")
        see = "softmax-ce-grad" if key in ("W2", "b2") or upstream else "hidden-layer-grad"
        out.append(
            (
                "sign",
                see,
                "negated: the data term has the wrong sign (y − ŷ for ŷ − y?)" + (" and so does λW" if whole else ""),
            )
        )
    if a == "0":
        out.append(("unknown", None, "zero: nothing computed" if whole or c == "0" else "no data term: only a penalty"))
    elif a.lstrip("-") not in ("1", "N", "1/N"):  # 2, ½ or another constant: no cause of the vocabulary
        factor = _FACTOR_TEXT.get(a, a.lstrip("×"))
        out.append(("unknown", None, f"{factor} times the right {'gradient' if whole else 'data term'}"))
    if bias and c != "0":
        out.append(("reg-on-bias", "batch-mean-l2", f"λ{key} is added (biases are not regularised)"))
    elif not bias and not whole:
        if c == "0":
            out.append(("missing-reg", "batch-mean-l2", f"the penalty's gradient λ{key} is missing"))
        elif c == "-1":
            out.append(("sign", "batch-mean-l2", f"the penalty's gradient has the wrong sign: −λ{key}"))
        elif c != "1":
            factor = _FACTOR_TEXT.get(c, c.lstrip("×"))
            out.append(("reg-factor", "batch-mean-l2", f"the penalty's gradient is {factor}·λ{key}, not λ{key}"))
    return out


def grad_verdict(key, records, refs, probes, context, tol=TOL) -> Verdict:
    """The verdict on the gradient ``key``; ``context`` gathers the weights' explanations (W2, W1 first).

    ``tol``: the relative tolerance against each gradient's roundoff scale (`fcnet.diagnose.fit.TOL`).
    """
    for r, p in zip(records, probes):
        if key in r["problems"]:
            return verdict(key, "bad-return", f"{r['problems'][key]} (probe {p.describe()})")
    values = [r["grads"][key] for r in records]
    for v, ref, p in zip(values, refs, probes):
        r = ref.grads[key]
        if v.shape != r.shape and not (key[0] == "W" and v.shape == r.shape[::-1]):
            same = v.size == r.size and np.linalg.norm(v.ravel() - r.ravel()) <= tol * ref.scale[key]
            detail = f"shape {v.shape}, not {r.shape}, the shape of {key}" + (" (its values are right)" if same else "")
            return verdict(key, "wrong-shape", detail, where=(p.name, None, f"on probe {p.describe()}"))
    bad = [i for i, v in enumerate(values) if not np.all(np.isfinite(v))]
    rest = [i for i in range(len(values)) if i not in bad]
    found = _finite_verdict(key, *([seq[i] for i in rest] for seq in (values, refs, probes)), context, tol)
    if bad:
        p = probes[bad[0]]
        kind = "nan" if np.isnan(values[bad[0]]).any() else "inf"
        also = [] if found is None else [(c, found.message.split("; reread")[0]) for c in found.causes]
        where = (p.name, None, f"on probe {p.describe()}")
        return verdict(key, "not-finite", f"{kind} where the reference is finite", where=where, also=also)
    return found or Verdict.right(key, f"matches the reference on all {len(probes)} probes")


def _finite_verdict(key, values, refs, probes, context, tol=TOL) -> Verdict | None:
    """The verdict from the probes where the gradient is finite; None if it is right on all of them."""
    where = first_shown(key, values, refs, probes, lambda ref: ref.scale[key], tol)
    context[key] = None
    if where is None:
        return None
    explanations = explain(values, refs, key, [p.N for p in probes], tol)
    if explanations:
        context[key] = best = min(explanations, key=lambda e: len(_causes(key, e, {})))
        causes = _causes(key, best, context) or [("unknown", None, "a difference just above roundoff")]
        (cause, see, detail), *also = causes
        return verdict(key, cause, detail, see=see, where=where, also=[(c, d) for c, _, d in also])
    signs = [negated(v, ref.grads[key], ref.scale[key], tol) for v, ref in zip(values, refs)]
    if all(s is not None for s in signs) and any(signs):
        first = next(s for s in signs if s)
        entries = ", ".join(f"{key}[{', '.join(map(str, ix))}]" for ix in first[:4])
        return verdict(key, "sign", f"entries with the wrong sign: {entries}", see="linear-grad", where=where)
    return verdict(key, "unknown", "wrong in a way no cause explains", where=where)
