"""Behind `fcnet.diagnose.diagnose` and `~fcnet.diagnose.diagnose_file`: find the code, run it, judge it.

A function defined in a file is run in a child process by its file and name
(found with `inspect`; nothing is pickled), so a hang, a crash or a huge
allocation cannot take the caller down.  A function that cannot be found
again that way (a lambda, a closure, a decorated function, a notebook cell)
runs in this process, under a time limit only, and the report says so; pass
``sandbox=True`` to refuse that instead.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import os
import sys
import time
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np

from ..gradcheck.numerical import norm_rel_error
from .calls import LAYOUTS
from .classify import grad_verdict, verdict
from .fit import TOL, TOL32, tolerance
from .inprocess import run_in_process
from .limits import check_limits
from .loss import loss_verdict
from .notebook import notebook_as_script
from .probes import PROBES
from .reference import reference
from .report import ENTRIES, NOT_JUDGED, RECENT_FAILURES, STABILITY, Diagnosis, Verdict
from .sandbox import InternalError, Run, UsageError, run_file, run_forked
from .stability import SATURATED, saturated_raise, stability_verdict
from .uses import module_level_note, uses_reference

__all__ = ["diagnose_callable", "diagnose_path", "judge", "locate", "check_options"]


_FCNET = Path(__file__).resolve().parents[1]


@cache
def _trusted_roots() -> tuple:
    """fcnet's folder, the standard library's and the installed packages' (NumPy's): where reference code lives."""
    import sysconfig

    paths = {sysconfig.get_path(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    return (_FCNET, *(Path(p).resolve() for p in paths if p))


def _pristine() -> None:
    """Refuse to judge when a function the references are computed with was replaced in this process.

    A student's code run in this process before (a notebook that patched
    ``fcnet.diagnose.reference.net_steps``) would otherwise change the answers it is compared with.
    """
    for name in ("fcnet.diagnose.reference", "fcnet.core.net", "fcnet.core.layers", "fcnet.core.losses"):
        module = sys.modules.get(name)
        for attr, value in vars(module or object).items():
            code = getattr(inspect.unwrap(value), "__code__", None) if callable(value) else None
            if code is not None and not any(
                Path(code.co_filename).resolve().is_relative_to(r) for r in _trusted_roots()
            ):
                raise UsageError(
                    f"{name}.{attr} was replaced in this process (by code in {Path(code.co_filename).name}):"
                    " the references cannot be trusted; restart the session, or grade with python -m fcnet diagnose"
                )


@cache
def _computed() -> tuple:
    _pristine()
    return tuple(reference(p) for p in PROBES)


def _references() -> tuple:
    """The references of the probes, computed once, before any student code runs here (`_pristine` checked)."""
    return _computed()


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


def _same_code(a, b) -> bool:
    """Whether code objects ``a`` and ``b`` are the same code (bytecode, names, constants; nested code too)."""
    if (a.co_code, a.co_names, a.co_varnames) != (b.co_code, b.co_names, b.co_varnames):
        return False
    ca, cb = a.co_consts, b.co_consts
    if len(ca) != len(cb):
        return False
    return all(
        _same_code(x, y) if inspect.iscode(x) and inspect.iscode(y) else type(x) is type(y) and x == y
        for x, y in zip(ca, cb)
    )


def changed_on_disk(fn, file: str) -> str | None:
    """Why ``fn`` is not the function its file defines now (the file was edited since it was imported), or None."""
    try:
        tree = compile(Path(file).read_bytes(), file, "exec", dont_inherit=True)
    except (OSError, SyntaxError, ValueError) as exc:
        return f"{Path(file).name} no longer compiles ({type(exc).__name__})"
    todo, code = [tree], inspect.unwrap(fn).__code__
    while todo:
        c = todo.pop()
        if c.co_qualname == code.co_qualname and _same_code(c, code):
            return None
        todo += [k for k in c.co_consts if inspect.iscode(k)]
    return f"{Path(file).name} on disk no longer defines {fn.__qualname__} as it was imported (edited since?)"


def diagnose_callable(fn, timeout, memory_mb, sandbox, *, strict=False, rtol=None, layout="columns") -> Diagnosis:
    """`fcnet.diagnose.diagnose`: ``fn`` itself, in a child process.

    A function found in a file as it is on disk runs in a fresh child that imports the file; any
    other (a lambda, a notebook cell, a function whose file was edited since) in a forked child
    (POSIX), and the report says so; ``sandbox=False`` (or no fork, on Windows) runs it here.
    The references are computed before any of the student's code runs.
    """
    check_limits(timeout, memory_mb)
    check_options(rtol, layout)
    start = time.perf_counter()
    _references()  # before the student's code can run in this process
    where = locate(fn) if sandbox is not False else "sandbox=False"
    if not isinstance(where, str) and (changed := changed_on_disk(fn, where[0])):
        where = changed
    options = {"strict": strict, "rtol": rtol, "layout": layout}
    source = getattr(getattr(fn, "__code__", None), "co_filename", None)
    shown = getattr(fn, "__qualname__", None) or type(fn).__name__
    if isinstance(where, str):
        can_fork = hasattr(os, "fork") and sandbox is not False
        if sandbox and not can_fork:
            raise UsageError(f"cannot run {shown} in a child process: {where}; define it with def at the top of a file")
        if can_fork:
            run = run_forked(fn, timeout=timeout, memory_mb=memory_mb, name=shown, layout=layout,
                             files=[source or ""], reason=where)  # fmt: skip
        else:
            run = run_in_process(fn, timeout=timeout, reason=where, layout=layout)
        d = judge(run, shown, source=source, **options)
        d.notes.append(f"judged the function passed ({where})")
    else:
        file, module, qualname = where
        run = run_file(
            file, qualname, module, timeout=timeout, memory_mb=memory_mb, sys_path=_absolute(sys.path), layout=layout
        )
        d = judge(run, f"{Path(file).name}:{qualname}", source=file, **options)
        d.file = file
    d.seconds = time.perf_counter() - start
    return d


def diagnose_path(path, function, timeout, memory_mb, *, strict=False, rtol=None, layout="columns") -> Diagnosis:
    """`fcnet.diagnose.diagnose_file`: the file is imported in a child process only.

    A ``.ipynb`` file is run as its code cells in order (`fcnet.diagnose.notebook`).  When a run in
    the columns layout raises a shape error and a run in the rows layout does not, the report says
    to try ``--layout rows`` (and the other way round).
    """
    check_limits(timeout, memory_mb)
    check_options(rtol, layout)
    start = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {str(path)!r}")
    with contextlib.ExitStack() as stack:
        code = path.resolve()
        if path.suffix == ".ipynb":
            code = stack.enter_context(notebook_as_script(path))
        kw = {"timeout": timeout, "memory_mb": memory_mb, "name": str(path)}
        run = run_file(code, function, layout=layout, **kw)
        d = judge(run, f"{path.name}:{function}", source=code, strict=strict, rtol=rtol, layout=layout)
        other = LAYOUTS[1 - LAYOUTS.index(layout)]
        if _shape_error(d) and not _shape_error(judge(run_file(code, function, layout=other, **kw), "", layout=other)):
            d.notes.append(
                f"every entry raised a shape error in the {layout} layout, and it runs in the {other} layout:"
                f" try --layout {other}" + (" (CS231n's: X (N, D_in), W1 (D_in, H), W2 (H, C))" * (other == "rows"))
            )
    d.file, d.seconds = str(path), time.perf_counter() - start
    return d


def check_options(rtol, layout) -> None:
    """Refuse a tolerance that is not a finite real in (0, 1), or an unknown layout, naming it."""
    if rtol is not None and not (
        isinstance(rtol, int | float) and not isinstance(rtol, bool) and math.isfinite(rtol) and 0 < rtol < 1
    ):
        raise ValueError(f"rtol is {rtol!r}; expected a finite real number > 0 and < 1, or None")
    if layout not in LAYOUTS:
        raise ValueError(f"layout is {layout!r}; expected one of {list(LAYOUTS)}")


def _shape_error(d: Diagnosis) -> bool:
    """Whether the run raised an error about shapes (a matmul, a broadcast, an index) on the ordinary probes."""
    v = d.verdicts["loss"]
    words = ("shape", "broadcast", "matmul", "aligned", "dimension", "index", "size")
    return v.cause == "raised" and any(w in v.message.split(", on probe")[0] for w in words)


def _absolute(paths) -> list[str]:
    return [str(Path(p or ".").resolve()) for p in paths]


def judge(run: Run, target: str, **options) -> Diagnosis:
    """`judge_run`; a failure of fcnet's own judging is an `InternalError`, never the student's."""
    try:
        return judge_run(run, target, **options)
    except Exception as exc:
        raise InternalError(f"judging {target} failed: {type(exc).__name__}: {exc}") from exc


def judge_run(run: Run, target: str, *, source=None, strict=False, rtol=None, layout="columns") -> Diagnosis:
    """The diagnosis of a run: one verdict per entry, the stability, and the error of each entry on each probe.

    The loss and the gradients are judged on the ordinary probes the run finished, the stability on
    the extreme ones.  A run that timed out or crashed keeps the verdicts of the probes it
    finished.  ``source`` is the student's file (to quote a line), ``rtol`` overrides the
    tolerance chosen from the dtypes it returned (`fcnet.diagnose.fit.tolerance`).
    """
    refs, records = _references(), run.records
    dtypes = {d for r in records for d in r.get("dtypes", {}).values()}
    tol = rtol if rtol is not None else tolerance(dtypes)
    notes = []
    if rtol is not None:
        notes.append(f"judged with the tolerance given, {rtol:g} of each entry's roundoff scale")
    elif tol != TOL:
        narrow = sorted(d for d in dtypes if d in ("float32", "float16"))
        notes.append(
            f"it computed in {' and '.join(narrow)}: judged with float32 tolerances, {TOL32:g} of each"
            f" entry's roundoff scale (float64: {TOL:g})"
        )
    if layout == "rows":
        notes.append("run in the rows layout (CS231n's): X (N, D_in), W1 (D_in, H), W2 (H, C)")
    ordinary = [i for i, p in enumerate(PROBES) if not p.extreme]
    extreme = [i for i, p in enumerate(PROBES) if p.extreme]
    done = [i for i in ordinary if i < len(records)]
    raised = [(r, PROBES[i]) for i, r in enumerate(records) if r["status"] == "raised"]
    entries = (*ENTRIES, STABILITY)
    if run.failure is not None and not records:
        verdicts = {k: verdict(k, *run.failure) for k in entries}
    elif raised and any(not p.extreme for _, p in raised):
        (first, p) = raised[0]
        detail = f"{first['error']}, on probe {p.describe()} ({len(raised)} of the {len(records)} probes run raised)"
        verdicts = {k: verdict(k, "raised", detail) for k in entries}
    else:
        pick = [records[i] for i in done], [refs[i] for i in done], [PROBES[i] for i in done]
        context: dict = {}
        verdicts = {"loss": loss_verdict(*pick, tol=tol)}
        for key in ("W2", "W1", "b2", "b1"):
            verdicts[key] = grad_verdict(key, *pick, context, tol=tol)
        finished = [i for i in extreme if i < len(records)]
        if raised:
            (first, p) = raised[0]
            if p.name == SATURATED:
                detail, where = saturated_raise(first["error"], p, source)
                verdicts[STABILITY] = verdict(STABILITY, "sigmoid-overflow", detail, where=where)
            else:
                verdicts[STABILITY] = verdict(STABILITY, "raised", f"{first['error']}, on probe {p.describe()}")
        elif len(finished) < len(extreme) and run.failure is not None:
            verdicts[STABILITY] = verdict(STABILITY, *run.failure)
        elif not (judged := [k for k in ENTRIES if verdicts[k].ok]):
            same = {verdicts[k].causes for k in ENTRIES}
            verdicts[STABILITY] = (
                replace(verdicts["loss"], entry=STABILITY)
                if len(same) == 1
                else Verdict.right(STABILITY, NOT_JUDGED + ": no entry is right on the ordinary probes")
            )
        elif bad := [
            (records[i], PROBES[i]) for i in finished if set(records[i]["problems"]) & set(judged)
        ]:  # fmt: skip
            (r, p), *_ = bad
            problem = next(v for k, v in r["problems"].items() if k in judged)
            verdicts[STABILITY] = verdict(STABILITY, "bad-return", f"{problem} (probe {p.describe()})")
        else:
            ok = [i for i in finished if records[i]["status"] == "ok"]
            verdicts[STABILITY] = stability_verdict(
                [records[i] for i in ok], [refs[i] for i in ok], [PROBES[i] for i in ok], tol, source,
                judged=judged,
            )  # fmt: skip
        if run.failure is not None and len(done) < len(ordinary):
            cause, message = run.failure
            for k in ENTRIES:
                v = verdicts[k]
                if v.ok:
                    text = f"right on the {len(done)} of {len(ordinary)} ordinary probes it finished; {message}"
                    verdicts[k] = replace(verdict(k, cause, text), credit=len(done) / len(ordinary))
                else:
                    verdicts[k] = _also(v, cause, message)
        changed = next(((r, PROBES[i]) for i, r in enumerate(records) if r.get("mutated")), None)
        if changed:
            r, p = changed
            detail = f"it changes {', '.join(r['mutated'])} in place (probe {p.describe()})"
            verdicts.update(
                {k: verdict(k, "mutates-input", detail) if v.ok else _also(v, "mutates-input", detail)
                 for k, v in verdicts.items()}
            )  # fmt: skip
    verdicts = {k: verdicts[k] for k in entries}
    if note := module_level_note(source):
        notes.append(note)
    diagnosis = Diagnosis(target, verdicts, _probes(records, refs), run.output, run.how, strict=strict, notes=notes)
    diagnosis.uses_reference = uses_reference(source, records)
    if not diagnosis.passed:
        RECENT_FAILURES.append(diagnosis)
    return diagnosis


def _also(v: Verdict, cause: str, detail: str) -> Verdict:
    """``v`` with one more cause, listed after its own."""
    if cause in v.causes:
        return v
    return replace(v, causes=(*v.causes, cause), message=f"{v.message}; also {cause}: {detail}")


def _probes(records, refs) -> list[dict]:
    out = []
    for i, (p, ref) in enumerate(zip(PROBES, refs)):
        r = records[i] if i < len(records) else {"status": "not run", "error": None, "grads": {}, "loss": None}
        dtypes = sorted(set(r.get("dtypes", {}).values()))
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
                "dtypes": dtypes,
                "errors": errors,
            }
        )
    return out
