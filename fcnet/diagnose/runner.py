"""The child process: ``python -m fcnet.diagnose.runner JOBDIR`` runs the student's function on every probe.

It reads ``JOBDIR/job.json`` (written by `fcnet.diagnose.sandbox`), limits
its own address space, file sizes and CPU time, imports the student's
function, and calls it on every probe (`fcnet.diagnose.calls.call_on_probes`).
It writes ``started``, ``ready`` and ``probe I`` lines to ``JOBDIR/progress``
as it goes, so that the parent knows where a hang or a crash happened, each
probe's record to ``JOBDIR/probe-I.json`` and ``JOBDIR/probe-I.npz`` (no
pickle) as soon as it is made, so that a hang or a crash keeps the probes
finished before it, and ``JOBDIR/results.json`` at the end.  It prints
nothing: the student may print, and the results never travel through
stdout.  A file that does not import, or has no such function, is reported
in ``results.json`` as ``{"load_error": …}``.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import os
import sys
from pathlib import Path

import numpy as np

from .calls import call_on_probes, located

__all__ = ["load_function", "set_limits", "main"]


class LoadError(Exception):
    """The student's file does not import, or has no such function."""


def set_limits(memory_mb: float, cpu_s: float, fsize_mb: float = 64) -> None:
    """Limit this process: ``memory_mb`` MiB more address space, ``cpu_s`` seconds of CPU, files of ``fsize_mb`` MiB."""
    try:
        import resource
        import signal
    except ImportError:  # pragma: no cover - not on Windows
        return
    used = 0
    try:
        status = Path("/proc/self/status").read_text()
        used = next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):  # not Linux: RLIMIT_AS is then not enforced anyway
        pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails with OSError instead of killing us
    for limit, value in (
        (resource.RLIMIT_AS, used + int(memory_mb * 2**20)),
        (resource.RLIMIT_CPU, int(cpu_s) + 1),
        (resource.RLIMIT_FSIZE, int(fsize_mb * 2**20)),
    ):
        hard = resource.getrlimit(limit)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):  # pragma: no cover - a platform that refuses: run without that limit
            pass


def _functions(module) -> list[str]:
    return sorted(n for n, v in vars(module).items() if inspect.isfunction(v) and v.__module__ == module.__name__)


def load_function(job: dict):
    """The student's function: ``job["module"]`` imported by name, or ``job["file"]`` loaded from its path."""
    sys.path[:0] = [p for p in job.get("sys_path", []) if p not in sys.path]
    name = job.get("module")
    shown = job.get("name") or job.get("file") or name
    try:
        if name:
            module = importlib.import_module(name)
        else:
            path = Path(job["file"])
            sys.path.insert(0, str(path.parent))
            spec = importlib.util.spec_from_file_location("__student__", path)
            module = importlib.util.module_from_spec(spec)
            sys.modules["__student__"] = module
            spec.loader.exec_module(module)
    except BaseException as exc:  # a SyntaxError, an ImportError, a sys.exit() at import: all reported
        raise LoadError(f"{shown} does not import: {located(exc, [job.get('file') or ''])}") from None
    fn = module
    for part in job["qualname"].split("."):
        fn = getattr(fn, part, None)
    if not callable(fn):
        found = _functions(module)
        raise LoadError(
            f"{shown} has no function {job['qualname']!r}; "
            + (f"its functions: {', '.join(found)}" if found else "it defines no function")
        )
    return fn, getattr(module, "__file__", None) or job.get("file") or ""


def _write(jobdir: Path, name: str, summary: dict, arrays: dict) -> None:
    """Write ``name.json`` and ``name.npz``, then rename them into place: the parent never reads half a file."""
    np.savez(jobdir / f"{name}.tmp.npz", **arrays)
    (jobdir / f"{name}.tmp.json").write_text(json.dumps(summary), encoding="utf-8")
    os.replace(jobdir / f"{name}.tmp.npz", jobdir / f"{name}.npz")
    os.replace(jobdir / f"{name}.tmp.json", jobdir / f"{name}.json")


def _write_record(jobdir: Path, i: int, record: dict) -> None:
    """Probe ``i``'s record as ``probe-I.json`` and ``probe-I.npz``: a later hang or crash keeps it."""
    r = dict(record)
    arrays = dict(r.pop("grads"))
    arrays["loss"] = np.float64(np.nan if r["loss"] is None else r["loss"])
    r["has_loss"] = r.pop("loss") is not None
    _write(jobdir, f"probe-{i}", r, arrays)


def main(jobdir: str) -> None:
    jobdir = Path(jobdir)
    job = json.loads((jobdir / "job.json").read_text(encoding="utf-8"))
    set_limits(job["memory_mb"], job["cpu_s"])
    progress = open(jobdir / "progress", "a", buffering=1, encoding="utf-8")  # open until os._exit
    progress.write("started\n")
    try:
        fn, file = load_function(job)
    except LoadError as exc:
        _write(jobdir, "results", {"load_error": str(exc)}, {})
        return
    progress.write("ready\n")
    records = call_on_probes(
        fn,
        on_start=lambda i: progress.write(f"probe {i}\n"),
        files=[file],
        layout=job.get("layout", "columns"),
        on_done=lambda i, r: _write_record(jobdir, i, r),
    )
    _write(jobdir, "results", {"probes": len(records)}, {})


if __name__ == "__main__":
    main(sys.argv[1])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # no atexit handler or thread the student left behind can keep this process alive
