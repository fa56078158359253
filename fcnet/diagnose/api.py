"""Behind `fcnet.diagnose.diagnose` and `~fcnet.diagnose.diagnose_file`: find the code, run it, judge it.

A function defined in a file is run in a child process by its file and name
(found with `inspect`; nothing is pickled), so a hang, a crash or a huge
allocation cannot take the caller down.  A function that cannot be found
again that way (a lambda, a closure, a decorated function, a notebook cell)
runs in this process, under a time limit only, and the report says so; pass
``sandbox=True`` to refuse that instead.
"""

from __future__ import annotations

import inspect
import sys
from functools import cache
from pathlib import Path

import numpy as np

from ..gradcheck.numerical import norm_rel_error
from .classify import grad_verdict, verdict
from .inprocess import run_in_process
from .limits import check_limits
from .loss import loss_verdict
from .probes import PROBES
from .reference import reference
from .report import ENTRIES, RECENT_FAILURES, Diagnosis
from .sandbox import Run, UsageError, run_file

__all__ = ["diagnose_callable", "diagnose_path", "judge", "locate"]


@cache
def _references() -> tuple:
    return tuple(reference(p) for p in PROBES)


def locate(fn) -> tuple[str, str | None, str] | str:
    """``(file, module, qualname)`` to find ``fn`` again in a child process, or why that cannot be done."""
    if not inspect.isfunction(fn):
        return f"{fn!r} is not a plain function"
    qualname = fn.__qualname__
    if "<" in qualname:
        return f"{qualname} is a lambda or is defined inside another function"
    try:
        file = inspect.getsourcefile(inspect.unwrap(fn))  # a decorated function: the file of its body
    except TypeError:
        file = None
    if not file or not Path(file).is_file():
        return f"{qualname} has no source file (defined in a notebook or at the prompt?)"
    owner = sys.modules.get(fn.__module__)
    found = owner
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if found is not fn:
        return f"{fn.__module__}.{qualname} is not {qualname} itself (decorated, or redefined?)"
    module = None if fn.__module__ == "__main__" else fn.__module__
    return str(Path(file).resolve()), module, qualname


def diagnose_callable(fn, timeout, memory_mb, sandbox) -> Diagnosis:
    """`fcnet.diagnose.diagnose`: in a child process if ``fn`` can be found in a file, else (or if told) here."""
    check_limits(timeout, memory_mb)
    where = locate(fn) if sandbox is not False else "sandbox=False"
    if isinstance(where, str):
        if sandbox:
            raise UsageError(f"cannot run {fn!r} in a child process: {where}; define it with def at the top of a file")
        run = run_in_process(fn, timeout=timeout, reason=where)
        return judge(run, getattr(fn, "__qualname__", repr(fn)))
    file, module, qualname = where
    run = run_file(file, qualname, module, timeout=timeout, memory_mb=memory_mb, sys_path=_absolute(sys.path))
    return judge(run, f"{Path(file).name}:{qualname}")


def diagnose_path(path, function, timeout, memory_mb) -> Diagnosis:
    """`fcnet.diagnose.diagnose_file`: the file is imported in a child process only."""
    check_limits(timeout, memory_mb)
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {str(path)!r}")
    run = run_file(path.resolve(), function, timeout=timeout, memory_mb=memory_mb, name=str(path))
    return judge(run, f"{path.name}:{function}")


def _absolute(paths) -> list[str]:
    return [str(Path(p or ".").resolve()) for p in paths]


def judge(run: Run, target: str) -> Diagnosis:
    """The diagnosis of a run: one verdict per entry, and the probes with the error of each entry on each."""
    refs, records = _references(), run.records
    if run.failure is not None:
        verdicts = {k: verdict(k, *run.failure) for k in ENTRIES}
    elif any(r["status"] == "raised" for r in records):
        raised = [(r, p) for r, p in zip(records, PROBES) if r["status"] == "raised"]
        (first, p) = raised[0]
        detail = f"{first['error']}, on probe {p.describe()} ({len(raised)} of the {len(PROBES)} probes raised)"
        verdicts = {k: verdict(k, "raised", detail) for k in ENTRIES}
    else:
        context: dict = {}
        verdicts = {"loss": loss_verdict(records, refs, PROBES)}
        for key in ("W2", "W1", "b2", "b1"):
            verdicts[key] = grad_verdict(key, records, refs, PROBES, context)
        changed = next(((r, p) for r, p in zip(records, PROBES) if r["mutated"]), None)
        if changed:
            r, p = changed
            detail = f"it changes {', '.join(r['mutated'])} in place (probe {p.describe()})"
            verdicts.update({k: verdict(k, "mutates-input", detail) for k, v in verdicts.items() if v.ok})
    verdicts = {k: verdicts[k] for k in ENTRIES}
    diagnosis = Diagnosis(target, verdicts, _probes(records, refs), run.output, run.how)
    if not diagnosis.passed:
        RECENT_FAILURES.append(diagnosis)
    return diagnosis


def _probes(records, refs) -> list[dict]:
    out = []
    for i, (p, ref) in enumerate(zip(PROBES, refs)):
        r = records[i] if i < len(records) else {"status": "not run", "error": None, "grads": {}, "loss": None}
        loss = r["loss"]
        errors = {"loss": abs(loss - ref.loss) / abs(ref.loss) if loss is not None and np.isfinite(loss) else None}
        for k in ENTRIES[1:]:
            g = r["grads"].get(k)
            ok = g is not None and g.shape == ref.grads[k].shape and np.all(np.isfinite(g))
            errors[k] = norm_rel_error(g, ref.grads[k]) if ok else None
        out.append(
            {
                "name": p.name,
                **p.sizes,
                "reg": p.reg,
                "extreme": p.extreme,
                "note": p.note,
                "status": r["status"],
                "exception": r.get("error"),
                "errors": errors,
            }
        )
    return out
