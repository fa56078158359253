"""The verdict on the loss: fitted, probe by probe, from its three terms.

The loss is ``a·CE + c·½λ(‖W1‖² + ‖W2‖²) + e·½λ(‖b1‖² + ‖b2‖²)`` with the
factors of `fcnet.diagnose.fit.explain_loss` (a = N: the cross-entropies
summed, not averaged; c = 0: no penalty; c = 2: λ‖W‖² without the ½; e = 1:
the biases penalised).  A loss that is not finite where the reference is, at
extreme logits, is judged apart (`fcnet.diagnose.stability`); here, the
ordinary probes only, a loss that is not finite is ``not-finite``.
"""

from __future__ import annotations

import numpy as np

from .classify import first_shown, verdict
from .fit import TOL, explain_loss
from .report import Verdict

__all__ = ["loss_verdict"]

#: (factor, its rule) -> (cause, what it means)
_LOSS_CAUSES = {
    ("a", "N"): ("loss-not-mean", "the data loss is the sum of the cross-entropies, N times their mean"),
    ("a", "1/N"): ("loss-not-mean", "the data loss is the mean divided by N again"),
    ("a", "-1"): ("sign", "negated: the cross-entropy is −log ŷ_y, not log ŷ_y"),
    ("c", "0"): ("loss-missing-reg", "the penalty ½λ(‖W1‖² + ‖W2‖²) is missing"),
    ("c", "2"): ("loss-reg-factor", "the penalty is λ(‖W1‖² + ‖W2‖²), not ½λ(‖W1‖² + ‖W2‖²)"),
    ("c", "1/2"): ("loss-reg-factor", "the penalty is ¼λ(‖W1‖² + ‖W2‖²), not ½λ(‖W1‖² + ‖W2‖²)"),
    ("e", "1"): ("reg-on-bias", "the penalty includes the biases, ½λ(‖b1‖² + ‖b2‖²)"),
}


def loss_verdict(records, refs, probes, tol=TOL) -> Verdict:
    """The verdict on the loss, from every probe's record and reference (a relative tolerance ``tol``)."""
    for r, p in zip(records, probes):
        if "loss" in r["problems"]:
            return verdict("loss", "bad-return", f"{r['problems']['loss']} (probe {p.describe()})")
    values = [r["loss"] for r in records]
    bad = [i for i, v in enumerate(values) if not np.isfinite(v)]
    if bad:
        p, v = probes[bad[0]], values[bad[0]]
        where = (p.name, None, f"on probe {p.describe()}")
        return verdict("loss", "not-finite", f"{v} where the reference is finite", where=where)
    where = first_shown("loss", values, refs, probes, None, tol)
    if where is None:
        return Verdict.right("loss", f"matches the reference on all {len(probes)} probes")
    fits = explain_loss(values, refs, [p.N for p in probes], tol)
    if fits:
        a, c, e = min(fits, key=lambda f: (f[0] != "1") + (f[1] != "1") + (f[2] != "0"))
        causes = [_LOSS_CAUSES[k] for k in (("a", a), ("c", c), ("e", e)) if k in _LOSS_CAUSES]
        (cause, detail), *also = causes
        see = "softmax-ce-grad" if cause == "sign" else ""
        return verdict("loss", cause, detail, see=see, where=where, also=also)
    return verdict("loss", "unknown", "wrong in a way no cause explains", where=where)
