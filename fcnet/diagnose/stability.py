"""The stability verdict: what the function does at extreme logits, apart from whether it is right.

The ordinary probes decide whether the loss and the gradients are right; the
probes with logits in the hundreds and the thousands decide only this.  Three
findings, most specific first:

* ``sigmoid-overflow``: nan (or an exception) on the probe whose
  pre-activations are in the thousands, where the logits are ordinary: a
  sigmoid written as ``e^z / (1 + e^z)``, a σ' written as
  ``e^(−z) / (1 + e^(−z))²``, or ``math.exp``, which raises.
* ``softmax-overflow``: nan at extreme logits.  ``np.exp(806)`` is inf and
  ``inf / inf`` is nan: a softmax that is not shifted by the column's max.
* ``log-underflow``: the loss is inf while the gradients are right.  The
  softmax was shifted (the textbook recipe), but a probability 3000 below the
  largest logit is 0 in float64 and ``-np.log(0)`` is inf: take the
  log-softmax, ``z − max − log Σ e^(z − max)``, instead of the log of p.
* ``unstable``: finite, but wrong beyond roundoff at extreme logits only
  (a log clipped as ``log(p + 1e-12)``, say).

Each message names the line of the student's file that most likely holds it
(the first ``exp(`` beside a ``1 +``, the first other ``exp(`` of the logits,
or the first ``log(``), when the source can be read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np

from .classify import verdict
from .report import STABILITY, Verdict
from .uses import parse

__all__ = ["stability_verdict", "find_line", "SATURATED", "saturated_raise"]

#: The probe whose sigmoids saturate (its logits are ordinary).
SATURATED = "saturated"

_EXP = re.compile(r"\bexp\((?!\s*-)")  # e^z of the logits, not a sigmoid's e^(−z)
_LOG = re.compile(r"\blog\(")  # not logaddexp, log1p or log_softmax
_SIGMOID = re.compile(r"1\s*\+\s*(np\.|math\.)?exp\(|exp\(.*\)\s*/\s*\(?\s*1\s*\+")  # 1 + e^…, e^… / (1 + …)
_SIGMOID_FIX = "compute σ as 1 / (1 + np.exp(−z)) (inf in the exponent gives 0, not nan) and σ' from a1 as a1(1 − a1)"


def saturated_raise(error: str, probe, source=None):
    """``(detail, where)`` for a function that raised where its sigmoids saturate (``math.exp``, say)."""
    line = find_line(source, _SIGMOID)
    detail = f"it raised {error} where the sigmoid saturates (z1 up to ±{_z1_max(probe):.0f})"
    return detail + f"; {_SIGMOID_FIX}" + (f" ({line})" if line else ""), (
        probe.name,
        None,
        f"on probe {probe.describe()}",
    )


def _z1_max(probe) -> float:
    W1, b1 = probe.params["W1"], probe.params["b1"]
    return float(np.abs(W1 @ probe.X + b1[:, None]).max())


def find_line(source: str | None, pattern: re.Pattern, prefer: str = "") -> str:
    """``"line 14: p = np.exp(z2) / ..."``, the first line of ``source`` matching ``pattern`` (one with
    ``prefer`` in it first), or ``""``.

    >>> import re
    >>> find_line(None, re.compile("x"))
    ''
    """
    try:
        text = Path(source).read_text(encoding="utf-8", errors="replace") if source else ""
    except OSError:
        return ""
    strings = set()  # the lines of string literals (docstrings): prose, not code
    for node in ast.walk(parse(text) or ast.Module(body=[], type_ignores=[])):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.update(range(node.lineno, node.end_lineno + 1))
    hits = [
        (n, line.strip())
        for n, line in enumerate(text.splitlines(), 1)
        if n not in strings and pattern.search(line.split("#")[0])
    ]
    hits.sort(key=lambda h: prefer not in h[1] if prefer else 0)
    if not hits:
        return ""
    n, line = hits[0]
    return f"line {n}: {line if len(line) <= 60 else line[:59] + '…'}"


def stability_verdict(records, refs, probes, tol, source=None, judged=("loss", "W1", "b1", "W2", "b2")) -> Verdict:
    """The stability verdict from the extreme probes' records and references (a relative tolerance ``tol``).

    Only the entries in ``judged`` (those right on the ordinary probes) are compared with the
    reference: a wrong entry is wrong everywhere, and is named by its own verdict, not here.
    """
    findings: dict[str, tuple[str, tuple]] = {}
    for r, ref, p in zip(records, refs, probes):
        where = (p.name, None, f"on probe {p.describe()}")
        top = float(np.abs(p.logits).max())
        loss, grads = r["loss"], {k: g for k, g in r["grads"].items() if k in judged}
        nan = any(np.isnan(g).any() for g in grads.values()) or (loss is not None and np.isnan(loss))
        if p.name == SATURATED and (nan or (loss is not None and np.isinf(loss))):
            line = find_line(source, _SIGMOID)
            findings.setdefault(
                "sigmoid-overflow",
                (f"nan where the sigmoid saturates (z1 up to ±{_z1_max(p):.0f}, the logits ordinary): e^z overflowed;"
                 f" {_SIGMOID_FIX}" + (f" ({line})" if line else ""), where),
            )  # fmt: skip
        elif any(np.isnan(g).any() for g in grads.values()):
            line = find_line(source, _EXP)
            fix = "subtract each column's max from the logits before np.exp" + (f" ({line})" if line else "")
            findings.setdefault(
                "softmax-overflow",
                (f"nan at logits up to {top:.0f}: e^z overflowed to inf, inf/inf is nan; {fix}", where),
            )
        elif loss is not None and not np.isfinite(loss):
            line = find_line(source, _LOG, prefer="loss")
            fix = "compute log ŷ as the log-softmax, z − max − log Σ e^(z − max), not np.log of the softmax"
            why = "−log 0 is inf" if np.isinf(loss) else "0·log 0 is nan (a one-hot Y times log ŷ)"
            findings.setdefault(
                "log-underflow",
                (
                    f"the loss is {loss} at logits up to {top:.0f}: a probability underflowed to 0 and {why}"
                    f" (the max shift alone does not prevent it); {fix}" + (f" ({line})" if line else ""),
                    where,
                ),
            )
        else:
            wrong = [k for k, g in grads.items() if not np.all(np.isfinite(g))]
            if "loss" in judged and loss is not None and abs(loss - ref.loss) > tol * ref.loss_scale:
                wrong.insert(0, "loss")
            wrong += [
                k
                for k, g in grads.items()
                if np.all(np.isfinite(g))
                and g.shape == ref.grads[k].shape
                and np.linalg.norm(g - ref.grads[k]) > tol * ref.scale[k]
            ]
            if wrong:
                findings.setdefault(
                    "unstable",
                    (f"{', '.join(wrong)} right at ordinary logits but wrong at logits up to {top:.0f}"
                     " (a clipped log, log(p + ε)?)", where),
                )  # fmt: skip
    if not findings:
        return Verdict.right(STABILITY, f"finite and right on the {len(probes)} probes with extreme logits")
    (cause, (detail, where)), *also = findings.items()
    return verdict(STABILITY, cause, detail, where=where, also=[(c, d) for c, (d, _) in also])
