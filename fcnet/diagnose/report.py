"""The diagnosis: one verdict for the loss and for each gradient, as text, as JSON, in a test.

``str(diagnosis)`` is the human report (one line per entry: ok, or the cause,
where and how much, and the derivation to reread); `Diagnosis.to_json` is
the ``--json`` object; ``repr`` is one line that fits pytest's assertion
message, and `Diagnosis.assert_passed` raises AssertionError with the whole
report.

>>> v = Verdict("W1", False, "missing-reg", "batch-mean-l2", "the penalty's gradient λW is missing")
>>> d = Diagnosis("net.py:loss_and_grads", {"loss": Verdict.right("loss", "ok"), "W1": v})
>>> d.passed, d.to_json()["grads"]["W1"]["cause"]
(False, 'missing-reg')
>>> d
<Diagnosis of net.py:loss_and_grads: FAILED: W1 missing-reg (reread batch-mean-l2)>
"""

from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass, field

from .causes import DERIVATIONS

__all__ = ["Verdict", "Diagnosis", "ENTRIES", "RECENT_FAILURES"]

#: The entries of a diagnosis, in the order of the report.
ENTRIES = ("loss", "W1", "b1", "W2", "b2")

#: The last failing diagnoses made in this process, newest last, for the pytest plugin
#: (`fcnet.diagnose.pytest_plugin`), which shows them under a failing test.
RECENT_FAILURES: deque = deque(maxlen=8)


@dataclass(frozen=True)
class Verdict:
    """The verdict on one entry (the loss, or the gradient of one parameter).

    Attributes
    ----------
    entry : str
        ``"loss"``, ``"W1"``, ``"b1"``, ``"W2"`` or ``"b2"``.
    ok : bool
    cause : str or None
        An id of `fcnet.diagnose.causes.CAUSES`; None when ok.
    see : str or None
        The id of the derivation to reread (anchor ``backprop/#see`` on the site).
    message : str
        What is wrong, where (a smallest probe that shows it) and how much.
    probe : str or None
        The name of a smallest probe that shows it.
    error : float or None
        The norm-relative error there (None when it is not a number: a shape, a nan).
    """

    entry: str
    ok: bool
    cause: str | None
    see: str | None
    message: str
    probe: str | None = None
    error: float | None = None

    @classmethod
    def right(cls, entry: str, message: str) -> Verdict:
        return cls(entry, True, None, None, message)

    def to_json(self) -> dict:
        return {"ok": self.ok, "cause": self.cause, "see": self.see, "message": self.message}

    def summary(self) -> str:
        """``"ok"``, or the cause, the error, a smallest probe and the derivation, on one short line."""
        if self.ok:
            return "ok"
        parts = [
            f"error {self.error:.2g}" if self.error is not None else "",
            f"on probe '{self.probe}'" * bool(self.probe),
        ]
        where = " ".join(p for p in parts if p)
        see = f"reread {DERIVATIONS[self.see][0]}" if self.see else ""
        return f"{self.cause:<19} " + ", ".join(p for p in (where, see) if p)


@dataclass
class Diagnosis:
    """What `fcnet.diagnose` found.

    Attributes
    ----------
    target : str
        ``"FILE:FUNCTION"``, what was diagnosed.
    verdicts : dict of Verdict
        One per entry of `ENTRIES`.
    probes : list of dict
        The probes, each with its sizes, λ, status and the error of every entry on it.
    output : str
        What the function printed (ignored, but shown).
    how : str
        Where it ran, and under which limits.
    """

    target: str
    verdicts: dict
    probes: list = field(default_factory=list)
    output: str = ""
    how: str = ""

    @property
    def passed(self) -> bool:
        """True when the loss and every gradient match the reference on every probe."""
        return all(v.ok for v in self.verdicts.values())

    def to_json(self) -> dict:
        """``{"passed", "loss", "grads": {"W1", "b1", "W2", "b2"}, "probes"}``, the ``--json`` object."""
        return {
            "passed": self.passed,
            "loss": self.verdicts["loss"].to_json(),
            "grads": {k: v.to_json() for k, v in self.verdicts.items() if k != "loss"},
            "probes": self.probes,
        }

    def __str__(self) -> str:
        lines = [f"fcnet diagnose: {self.target}"]
        if self.how:
            lines.append(f"ran {self.how}")
        lines.append("")
        verdicts = list(self.verdicts.values())
        for v, after in zip(verdicts, [*verdicts[1:], None]):
            lines.append(f"{v.entry:<5} {v.summary()}".rstrip())
            if not v.ok and not (after and after.message == v.message):  # a message shared by a run: once, after it
                lines += textwrap.wrap(v.message, 80, initial_indent=" " * 6, subsequent_indent=" " * 6,
                                       break_on_hyphens=False, break_long_words=False)  # fmt: skip
        if self.output.strip():
            printed = self.output.strip().splitlines()
            lines += ["", f"it printed {len(printed)} line(s), ignored; the first: {printed[0][:80]!r}"]
        wrong = [k for k, v in self.verdicts.items() if not v.ok]
        lines.append("")
        if wrong:
            lines.append(f"FAILED: {', '.join(wrong)} wrong")
        else:
            lines.append(f"passed: the loss and every gradient match fcnet's on all {len(self.probes)} probes")
        return "\n".join(lines)

    def __repr__(self) -> str:
        if self.passed:
            return f"<Diagnosis of {self.target}: passed>"
        groups: dict = {}
        for k, v in self.verdicts.items():
            if not v.ok:
                groups.setdefault((v.cause, v.see), []).append(k)
        parts = [
            f"{', '.join(keys)} {cause}" + (f" (reread {see})" if see else "") for (cause, see), keys in groups.items()
        ]
        return f"<Diagnosis of {self.target}: FAILED: {'; '.join(parts)}>"

    def assert_passed(self) -> None:
        """Raise AssertionError with the whole report unless the diagnosis passed."""
        if not self.passed:
            raise AssertionError("\n" + str(self))
