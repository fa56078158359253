"""Grading a class: many files at once, a CSV gradebook, Gradescope's ``results.json``.

`expand` turns the paths given (files and folders: a folder means its
``*.py`` files) into the list of files to grade; `grade` diagnoses them,
``jobs`` at a time (each in its own child process); a file that cannot be
diagnosed (it does not import, it has no such function) is a `Graded` with
an ``error`` and a score of 0, never an exception.  `write_csv` writes one
row per file; `gradescope_json` is the object Gradescope's autograder reads
from ``/autograder/results/results.json`` (fields as in Gradescope's
"Autograder Specifications": ``score``, ``execution_time``, ``output``,
``tests`` with ``name``, ``score``, ``max_score``, ``status``, ``output``,
``visibility``; fcnet's own fields under ``extra_data``).
"""

from __future__ import annotations

import csv
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .causes import CAUSES, reread
from .report import ENTRIES, STABILITY, Diagnosis, fcnet_version
from .sandbox import UsageError

__all__ = ["Graded", "expand", "grade", "write_csv", "gradescope_json", "CSV_COLUMNS", "VISIBILITIES"]

#: The suffixes of the files a grader reads.
SUFFIXES = (".py", ".ipynb")

#: Gradescope's visibility settings, from least to most visible.
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")

#: The CSV's columns: the file's, then one per entry (its causes, or "ok"), then why it could not be graded.
CSV_COLUMNS = ("file", "passed", "score", "max_score", "seconds", *ENTRIES, STABILITY, "error", "notes")


@dataclass
class Graded:
    """One file's grade: its diagnosis, or why it has none (``error``), and the seconds it took."""

    file: str
    diagnosis: Diagnosis | None
    error: str | None
    seconds: float
    strict: bool = False

    @property
    def passed(self) -> bool:
        return self.diagnosis is not None and self.diagnosis.passed

    @property
    def score(self) -> float:
        return self.diagnosis.score if self.diagnosis else 0.0

    @property
    def max_score(self) -> int:
        return len(ENTRIES) + self.strict

    def to_json(self) -> dict:
        """The diagnosis's JSON, or ``{"file", "fcnet", "seconds", "passed", "score", "max_score", "error"}``."""
        if self.diagnosis is not None:
            return {**self.diagnosis.to_json(), "error": None}
        return {
            "file": self.file,
            "fcnet": fcnet_version(),
            "seconds": round(self.seconds, 3),
            "passed": False,
            "score": 0.0,
            "max_score": self.max_score,
            "error": self.error,
        }


def expand(paths) -> list[Path]:
    """The files to grade: each file given, and each folder's ``*.py`` files (sorted); UsageError otherwise."""
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.glob("*.py") if f.is_file())
            if not found:
                raise UsageError(f"the folder {str(p)!r} holds no .py file to grade")
            files += found
        elif p.is_file():
            if p.suffix not in SUFFIXES:
                raise UsageError(f"{str(p)!r} is not a .py file or a .ipynb notebook; expected one of {SUFFIXES}")
            files.append(p)
        else:
            raise UsageError(f"no such file or folder: {str(p)!r}")
    return list(dict.fromkeys(files))


def grade_one(path, function="loss_and_grads", **options) -> Graded:
    """Diagnose one file; a file that cannot be diagnosed is a `Graded` with its ``error``."""
    from .api import diagnose_path

    start = time.perf_counter()
    try:
        d = diagnose_path(path, function, **options)
    except UsageError as err:
        return Graded(str(path), None, str(err), time.perf_counter() - start, options.get("strict", False))
    return Graded(str(path), d, None, d.seconds, d.strict)


def grade(paths, function="loss_and_grads", jobs=None, **options) -> list[Graded]:
    """Grade every file of ``paths`` (`expand`), ``jobs`` at a time (default: the CPU count), in order.

    ``options`` are those of `fcnet.diagnose.api.diagnose_path`: timeout, memory_mb, strict, rtol, layout.
    """
    files = expand(paths)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files)))
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # each job waits on its own child process
        return list(pool.map(lambda f: grade_one(f, function, **options), files))


def _cell(d: Diagnosis | None, entry: str) -> str:
    if d is None or entry not in d.verdicts:
        return ""
    v = d.verdicts[entry]
    return v.summary() if v.ok else " ".join(v.causes)


def write_csv(graded: list[Graded], path) -> None:
    """One row per file: file, passed, score, max_score, seconds, each entry's causes ("ok" if right), error, notes."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for g in graded:
            d = g.diagnosis
            w.writerow(
                [g.file, g.passed, f"{g.score:g}", g.max_score, f"{g.seconds:.2f}"]
                + [_cell(d, e) for e in (*ENTRIES, STABILITY)]
                + [g.error or "", " | ".join(d.notes) if d else ""]
            )


def _test(name: str, v, points: int, visibility: str) -> dict:
    """One Gradescope test: an entry's verdict, worth ``points``."""
    if v.ok:
        output = "ok: " + v.message
    else:
        causes = "; ".join(f"{c}: {CAUSES[c].summary}" for c in v.causes)
        output = f"{causes}\n\n{v.message.rsplit('; reread (', 1)[0]}"
        if v.see:
            output += f"\n\nTo fix it, {reread(v.see)} (on the course site)."
    return {
        "name": name,
        "score": round(v.credit * points, 4),
        "max_score": points,
        "status": "passed" if v.ok else "failed",
        "output": output,
        "visibility": visibility,
    }


_NAMES = {
    "loss": "the loss",
    "W1": "dW1",
    "b1": "db1",
    "W2": "dW2",
    "b2": "db2",
    STABILITY: "stability (extreme logits, saturated sigmoids)",
}


def gradescope_json(g: Graded, visibility: str = "visible") -> dict:
    """Gradescope's ``results.json`` for one file: one test per entry, the stability included.

    Each entry is worth one point; the stability is worth one point with ``strict`` and none
    otherwise (a warning the student sees, not a grade).  ``visibility`` (one of `VISIBILITIES`) is
    every test's and the whole result's.
    """
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility is {visibility!r}; expected one of {list(VISIBILITIES)}")
    extra = {"file": g.file, "fcnet": fcnet_version(), "seconds": round(g.seconds, 3), "passed": g.passed}
    if g.diagnosis is None:
        return {
            "score": 0.0,
            "execution_time": round(g.seconds, 3),
            "output": f"Could not be graded: {g.error}",
            "visibility": visibility,
            "extra_data": {**extra, "error": g.error},
            "tests": [],
        }
    d = g.diagnosis
    tests = [_test(f"{_NAMES[k]} ({k})" if k != STABILITY else _NAMES[k], d.verdicts[k], 1, visibility)
             for k in ENTRIES]  # fmt: skip
    if STABILITY in d.verdicts:
        tests.append(_test(_NAMES[STABILITY], d.verdicts[STABILITY], int(d.strict), visibility))
    summary = str(d)
    return {
        "score": d.score,
        "execution_time": round(g.seconds, 3),
        "output": summary,
        "visibility": visibility,
        "extra_data": {**extra, "max_score": d.max_score, "strict": d.strict, "notes": d.notes},
        "tests": tests,
    }
