"""The diagnosis: one verdict for the loss, each gradient and the stability, as text, as JSON, in a test.

The loss and the gradients are judged on the ordinary probes: they decide
``passed`` and the score (one point each).  The stability is judged on the
probes with extreme logits: a finding there is a warning, unless the
diagnosis is strict.  ``str(diagnosis)`` is the human report (one line per
entry: ok, or its causes, where and how much, and the derivation to reread);
`Diagnosis.to_json` is the ``--json`` object; ``repr`` is one line that fits pytest's assertion
message, and `Diagnosis.assert_passed` raises AssertionError with the whole
report.

>>> v = Verdict("W1", False, "missing-reg", "batch-mean-l2", "the penalty's gradient λW is missing")
>>> d = Diagnosis("net.py:loss_and_grads", {"loss": Verdict.right("loss", "ok"), "W1": v})
>>> d.passed, d.to_json()["grads"]["W1"]["causes"], d.score
(False, ['missing-reg'], 1.0)
>>> d
<Diagnosis of net.py:loss_and_grads: FAILED: W1 missing-reg (reread batch-mean-l2)>
"""

from __future__ import annotations

import sys
import textwrap
from collections import deque
from dataclasses import dataclass, field

from .causes import DERIVATIONS

__all__ = ["Verdict", "Diagnosis", "ENTRIES", "STABILITY", "NOT_JUDGED", "RECENT_FAILURES", "fcnet_version"]


def fcnet_version() -> str:
    """fcnet's version, as every JSON names it (read from the loaded package: importing it here would be a cycle)."""
    return sys.modules["fcnet"].__version__


#: The entries judged on the ordinary probes, in the order of the report: one point each.
ENTRIES = ("loss", "W1", "b1", "W2", "b2")

#: The entry judged on the extreme probes: a warning, or a point when the diagnosis is strict.
STABILITY = "stability"

#: How a stability verdict begins when there was nothing to judge (no entry right on the ordinary probes).
NOT_JUDGED = "not judged"

#: The last failing diagnoses made in this process, newest last, for the pytest plugin
#: (`fcnet.diagnose.pytest_plugin`), which shows them under a failing test.
RECENT_FAILURES: deque = deque(maxlen=8)


@dataclass(frozen=True)
class Verdict:
    """The verdict on one entry (the loss, or the gradient of one parameter).

    Attributes
    ----------
    entry : str
        ``"loss"``, ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"`` or ``"stability"``.
    ok : bool
    cause : str or None
        An id of `fcnet.diagnose.causes.CAUSES`, the most specific of ``causes``; None when ok.
    see : str or None
        The id of the derivation to reread (anchor ``backprop/#see`` on the site).
    message : str
        What is wrong, where (a smallest probe that shows it) and how much.
    probe : str or None
        The name of a smallest probe that shows it.
    error : float or None
        The norm-relative error there (None when it is not a number: a shape, a nan).
    causes : tuple of str
        Every cause that applies, most specific first (``(cause,)`` by default).
    credit : float
        The part of its point the entry earns: 1 when ok; for a run that timed out or crashed, the
        fraction of the ordinary probes it finished, if it was right on all of them; else 0.
    """

    entry: str
    ok: bool
    cause: str | None
    see: str | None
    message: str
    probe: str | None = None
    error: float | None = None
    causes: tuple = ()
    credit: float | None = None

    def __post_init__(self):
        if not self.causes and self.cause:
            object.__setattr__(self, "causes", (self.cause,))
        if self.credit is None:
            object.__setattr__(self, "credit", 1.0 if self.ok else 0.0)

    @classmethod
    def right(cls, entry: str, message: str) -> Verdict:
        return cls(entry, True, None, None, message)

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "cause": self.cause,
            "causes": list(self.causes),
            "see": self.see,
            "message": self.message,
            "score": round(self.credit, 4),
        }

    def summary(self) -> str:
        """``"ok"``, or the cause, the error, a smallest probe and the derivation, on one short line."""
        if self.ok:
            return NOT_JUDGED if self.message.startswith(NOT_JUDGED) else "ok"
        parts = [
            f"error {self.error:.2g}" if self.error is not None else "",
            f"on probe '{self.probe}'" * bool(self.probe),
        ]
        where = " ".join(p for p in parts if p)
        see = f"reread {DERIVATIONS[self.see][0]}" if self.see else ""
        return f"{' + '.join(self.causes):<19} " + ", ".join(p for p in (where, see) if p)


@dataclass
class Diagnosis:
    """What `fcnet.diagnose` found.

    Attributes
    ----------
    target : str
        ``"FILE:FUNCTION"``, what was diagnosed.
    verdicts : dict of Verdict
        One per entry of `ENTRIES`, then `STABILITY` (absent when the run gave no verdict on it).
    probes : list of dict
        The probes, each with its sizes, λ, status and the error of every entry on it.
    output : str
        What the function printed (ignored, but shown).
    how : str
        Where it ran, and under which limits.
    file : str or None
        The file diagnosed, as it was named.
    seconds : float or None
        How long the diagnosis took.
    strict : bool
        Whether a stability finding fails the file (and the stability earns a point).
    notes : list of str
        What the reader should know about how it was judged (float32 tolerances, the layout).
    uses_reference : str or None
        What the file used of fcnet's own answer (cause ``uses-reference``): a warning, a failure when strict.
    """

    target: str
    verdicts: dict
    probes: list = field(default_factory=list)
    output: str = ""
    how: str = ""
    file: str | None = None
    seconds: float | None = None
    strict: bool = False
    notes: list = field(default_factory=list)
    uses_reference: str | None = None

    def counted(self) -> list:
        """The verdicts that earn points: the loss and the gradients, and the stability when strict."""
        return [v for k, v in self.verdicts.items() if k != STABILITY or self.strict]

    @property
    def passed(self) -> bool:
        """True when the loss and every gradient match the reference on every ordinary probe (and, if strict,
        nothing is unstable at extreme logits)."""
        return all(v.ok for v in self.counted()) and not (self.strict and self.uses_reference)

    @property
    def score(self) -> float:
        """Points earned: one per right entry of `ENTRIES` (and the stability, if strict); see `Verdict.credit`."""
        return round(sum(v.credit for v in self.counted()), 4)

    @property
    def max_score(self) -> int:
        return len(ENTRIES) + self.strict

    def to_json(self) -> dict:
        """The ``--json`` object.

        ``{"file", "target", "fcnet", "seconds", "passed", "score", "max_score", "strict", "notes",
        "loss", "grads": {"W1", "b1", "W2", "b2"}, "stability", "output", "probes"}``; each verdict has
        ``ok``, ``cause``, ``causes``, ``see``, ``message`` and ``score``.
        """
        return {
            "file": self.file,
            "target": self.target,
            "fcnet": fcnet_version(),
            "seconds": None if self.seconds is None else round(self.seconds, 3),
            "passed": self.passed,
            "score": self.score,
            "max_score": self.max_score,
            "strict": self.strict,
            "notes": list(self.notes),
            "uses_reference": (
                {"cause": "uses-reference", "message": self.uses_reference} if self.uses_reference else None
            ),
            "loss": self.verdicts["loss"].to_json(),
            "grads": {k: self.verdicts[k].to_json() for k in ENTRIES[1:] if k in self.verdicts},
            "stability": self.verdicts[STABILITY].to_json() if STABILITY in self.verdicts else None,
            "output": self.output[:4000],
            "probes": self.probes,
        }

    def __str__(self) -> str:
        lines = [f"fcnet diagnose: {self.target}"]
        if self.how:
            lines.append(f"ran {self.how}")
        lines.append("")
        verdicts = list(self.verdicts.values())
        for v, after in zip(verdicts, [*verdicts[1:], None]):
            lines.append(f"{v.entry:<9} {v.summary()}".rstrip())
            if not v.ok and not (after and after.message == v.message):  # a message shared by a run: once, after it
                lines += textwrap.wrap(v.message, 80, initial_indent=" " * 10, subsequent_indent=" " * 10,
                                       break_on_hyphens=False, break_long_words=False)  # fmt: skip
        if self.output.strip():
            printed = self.output.strip().splitlines()
            lines += ["", f"it printed {len(printed)} line(s), ignored; the first: {printed[0][:80]!r}"]
        for n in self.notes:
            lines += ["", *textwrap.wrap(f"note: {n}", 80, subsequent_indent=" " * 6, break_on_hyphens=False)]
        wrong = [k for k, v in self.verdicts.items() if not v.ok and k != STABILITY]
        unstable = STABILITY in self.verdicts and not self.verdicts[STABILITY].ok
        ordinary = sum(not p["extreme"] for p in self.probes)
        score = f"score {self.score:g}/{self.max_score}"
        lines.append("")
        if self.uses_reference:
            lines += textwrap.wrap(f"uses-reference: {self.uses_reference}", 80, subsequent_indent=" " * 10,
                                   break_on_hyphens=False) + [""]  # fmt: skip
        if wrong or (unstable and self.strict):
            lines.append(f"FAILED: {', '.join(wrong + [STABILITY] * (unstable and self.strict))} wrong ({score})")
        elif self.strict and self.uses_reference:
            lines.append(f"FAILED: uses-reference, and --strict fails it ({score})")
        else:
            lines.append(
                f"passed: the loss and every gradient match fcnet's on all {ordinary} ordinary probes ({score})"
            )
        if unstable and not self.strict and not wrong:
            lines.append("warning: unstable at extreme logits (see stability above; --strict fails it)")
        if self.uses_reference and not self.strict:
            lines.append("warning: uses-reference (see above; --strict fails it)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        if self.passed:
            unstable = STABILITY in self.verdicts and not self.verdicts[STABILITY].ok
            return f"<Diagnosis of {self.target}: passed" + (
                f" (unstable: {self.verdicts[STABILITY].cause})>" if unstable else ">"
            )
        groups: dict = {}
        for k, v in self.verdicts.items():
            if not v.ok and (k != STABILITY or self.strict):
                groups.setdefault((v.cause, v.see), []).append(k)
        if self.strict and self.uses_reference:
            groups.setdefault(("uses-reference", None), []).append("answer")
        parts = [
            f"{', '.join(keys)} {cause}" + (f" (reread {see})" if see else "") for (cause, see), keys in groups.items()
        ]
        return f"<Diagnosis of {self.target}: FAILED: {'; '.join(parts)}>"

    def assert_passed(self) -> None:
        """Raise AssertionError with the whole report unless the diagnosis passed."""
        if not self.passed:
            raise AssertionError("\n" + str(self))
