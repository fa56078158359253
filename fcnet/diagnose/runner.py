"""The child's side: ``python -m fcnet.diagnose.runner JOBDIR`` calls the student's function on the probes it is given.

The parent (`fcnet.diagnose.sandbox`) draws the probes and writes their arrays
as ``JOBDIR/probes.npz``, and ``JOBDIR/job.json``.  This process
becomes the supervisor (`fcnet.diagnose.guard.supervise`): it forks the worker,
which limits its own address space, file sizes and CPU time, moves into the
private folder ``JOBDIR/work`` (its working directory and ``TMPDIR``), imports
the student's function and calls it on each probe.  It writes ``started``,
``ready`` and ``probe I`` lines to ``JOBDIR/progress`` as it goes, and each
answer as it is made, raw: ``JOBDIR/probe-I.npz`` (one ``.npy`` per array,
uncompressed) and ``JOBDIR/probe-I.json`` (status, the text of an exception,
the problems of the return value) (`fcnet.diagnose.calls.answer`).  It judges nothing: the parent reads the
answers with a size cap and no pickle, checks them, and judges
(`fcnet.diagnose.calls.to_record`).  It prints nothing: the student may print,
and the answers never travel through stdout.  A file that does not import, or
has no such function, is reported in ``JOBDIR/load_error``.

While it runs, `watch` counts calls to fcnet's own ``loss_and_grads``, its
forward pass, the torch twin and torch's autograd (the cause ``uses-reference``),
and ``fcnet.diagnose(...)`` called by the student's file does nothing (the file is
being graded: it is not run again).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import inspect
import json
import os
import sys
import traceback
from pathlib import Path

import numpy as np

from .calls import answer, located

__all__ = ["load_function", "set_limits", "work", "watch", "GRADING", "main"]

#: Set in the environment of the process that runs the student's code: `fcnet.diagnose` then returns None.
GRADING = "FCNET_DIAGNOSE_GRADING"

#: The functions that give the answer away: (module, attribute) -> the name a report uses.
REFERENCES = {
    ("fcnet.core.net", "loss_and_grads"): "fcnet.loss_and_grads",
    ("fcnet.core.net", "forward"): "fcnet.forward",
    ("fcnet.core.mlp", "mlp_loss_and_grads"): "fcnet.mlp_loss_and_grads",
    ("fcnet.core.mlp", "mlp_forward"): "fcnet.mlp_forward",
    ("fcnet", "torch_loss_and_grads"): "the torch twin (fcnet.torch_loss_and_grads)",
    ("fcnet.witnesses.torch_net", "torch_loss_and_grads"): "the torch twin (torch_loss_and_grads)",
    ("torch.autograd", "grad"): "torch.autograd.grad",
    ("torch.autograd", "backward"): "torch.autograd.backward",
}


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


def watch(used: set) -> None:
    """Wrap the functions of `REFERENCES` loaded so far, wherever fcnet re-exports them; a call adds to ``used``."""
    for (mod, attr), shown in REFERENCES.items():
        module = sys.modules.get(mod)
        original = getattr(module, attr, None)
        if original is None or getattr(original, "_fcnet_watched", False):
            continue

        def spy(*args, _f=original, _name=shown, **kwargs):
            used.add(_name)
            return _f(*args, **kwargs)

        spy = functools.wraps(original)(spy)
        spy._fcnet_watched = True
        for m in list(sys.modules.values()):
            if getattr(m, "__name__", "").split(".")[0] in ("fcnet", "torch") and getattr(m, attr, None) is original:
                setattr(m, attr, spy)
    torch = sys.modules.get("torch")
    tensor = getattr(torch, "Tensor", None)
    if tensor is not None and not getattr(tensor.backward, "_fcnet_watched", False):
        backward = tensor.backward

        def spy_backward(self, *args, **kwargs):
            used.add("torch autograd (Tensor.backward)")
            return backward(self, *args, **kwargs)

        spy_backward._fcnet_watched = True
        tensor.backward = spy_backward


def _save(path: Path, write) -> None:
    """Write ``path`` through a temporary name: the parent never reads half a file."""
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def _send(out: Path, i: int, meta: dict, arrays: dict) -> None:
    """Probe ``i``'s answer: its arrays as ``probe-I.npz`` (uncompressed, no pickle), then its summary as JSON."""

    def npz(path):
        with open(path, "wb") as f:
            np.savez(f, **arrays)

    _save(out / f"probe-{i}.npz", npz)
    _save(out / f"probe-{i}.json", lambda p: p.write_text(json.dumps(meta), encoding="utf-8"))


def work(fn_or_job, jobdir: Path, files=None) -> None:
    """The worker: load the function (from ``job``, or ``fn`` itself after a fork), answer every probe, ``os._exit``."""
    code = 0
    try:
        job = json.loads((jobdir / "job.json").read_text(encoding="utf-8"))
        set_limits(job["memory_mb"], job["cpu_s"])
        os.environ[GRADING] = "1"
        private = jobdir / "work"
        os.environ["TMPDIR"] = str(private)
        os.chdir(private)
        # fcnet's own set-up comes before "started": the time limit counts from there (the parent's _wait)
        used: set = set()
        watch(used)
        with np.load(jobdir / "probes.npz", allow_pickle=False) as a:
            probes = [{k: a[f"{i}.{k}"] for k in ("W1", "b1", "W2", "b2", "X", "y")} for i in range(job["probes"])]
        progress = open(jobdir / "progress", "a", buffering=1, encoding="utf-8")  # open until os._exit
        progress.write("started\n")
        if isinstance(fn_or_job, dict):
            try:
                fn, file = load_function(job)
            except LoadError as exc:
                text = str(exc)
                _save(jobdir / "load_error", lambda p: p.write_text(text, encoding="utf-8"))
                os._exit(0)
            files = [file]
        else:
            fn = fn_or_job
        watch(used)  # torch and the twin, if the student's file imported them
        progress.write("ready\n")
        out = jobdir
        for i, sent in enumerate(probes):
            progress.write(f"probe {i}\n")
            params, X, y = {k: sent[k] for k in ("W1", "b1", "W2", "b2")}, sent["X"], sent["y"]
            used.clear()
            watch(used)  # torch, if an earlier call imported it
            meta, arrays = answer(fn, params, X, y, job["regs"][i], files or [])
            meta["used"] = sorted(used)
            _send(out, i, meta, arrays)
    except BaseException:  # fcnet's own failure (or a file that sabotaged fcnet): the parent says which
        with contextlib.suppress(BaseException):
            (jobdir / "internal").write_text(traceback.format_exc()[-4000:], encoding="utf-8")
        code = 3
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no atexit handler or thread the student left behind can keep this process alive


def main(jobdir: str) -> None:
    """Supervise a worker that loads the job's function (`fcnet.diagnose.guard.supervise`)."""
    from .guard import supervise

    jobdir = Path(jobdir)
    job = json.loads((jobdir / "job.json").read_text(encoding="utf-8"))
    supervise(lambda: work(job, jobdir), jobdir, job["memory_mb"])


if __name__ == "__main__":
    main(sys.argv[1])
