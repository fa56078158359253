"""Running untrusted code: a child process with a time limit and a memory limit, or this process.

`run_file` starts ``python -m fcnet.diagnose.runner JOBDIR`` in a new session
(so that a kill reaches anything it forks), with one BLAS thread, its output
sent to a file, and waits: 30 s for the interpreter to start, then
``timeout`` seconds for the student's import and all the calls together.  A
hang is killed; a crash, a ``sys.exit`` or an ``os._exit`` leaves no results
and is reported by the probe it happened on.  The memory limit is an address
space limit the child sets on itself (`fcnet.diagnose.runner.set_limits`):
a huge allocation raises MemoryError there.  This is a guard against mistakes,
not a security boundary: the code runs as you, with your files.

A function that cannot be found again from a file runs in this process
instead (`fcnet.diagnose.inprocess`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .probes import PROBES

__all__ = ["Run", "UsageError", "run_file", "STARTUP_S"]

#: Seconds the child may take to start Python, NumPy and fcnet, before the time limit starts.
STARTUP_S = 30.0
_FCNET_ROOT = str(Path(__file__).resolve().parents[2])


class UsageError(ValueError):
    """No such file, no such function, or a file that does not import (exit status 2)."""


@dataclass
class Run:
    """What running the function gave: a record per probe, or why there are none."""

    records: list = field(default_factory=list)  # the probes finished, in order (all of them unless it failed)
    failure: tuple[str, str] | None = None  # (cause, message) when the run itself failed
    output: str = ""
    how: str = ""


def _read(path: Path, limit: int = 65536) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""


def _where(progress: str) -> str:
    lines = progress.split()
    if lines.count("probe") == 0:
        return "while importing the file"
    i = int(lines[-1])
    return f"on probe {PROBES[i].describe()}"


def run_file(
    file, qualname, module=None, *, timeout=10.0, memory_mb=1024, sys_path=(), name=None, layout="columns"
) -> Run:
    """Run ``qualname`` of ``file`` (or of ``module``, imported by name) on every probe in a child process.

    ``name`` is how messages call the file (default: its path); ``layout`` is how the probes are
    given (`fcnet.diagnose.calls.LAYOUTS`).  A run that hangs or crashes keeps the records of the
    probes it finished.
    """
    how = f"in a child process (time limit {timeout:g} s, memory limit {memory_mb:g} MiB)"
    with tempfile.TemporaryDirectory(prefix="fcnet-diagnose-") as tmp:
        jobdir = Path(tmp)
        job = {
            "file": file and str(file),
            "module": module,
            "qualname": qualname,
            "sys_path": list(sys_path),
            "name": name,
            "memory_mb": memory_mb,
            "cpu_s": STARTUP_S + timeout,
            "layout": layout,
        }
        (jobdir / "job.json").write_text(json.dumps(job), encoding="utf-8")
        env = dict(
            os.environ,
            PYTHONDONTWRITEBYTECODE="1",
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
            PYTHONPATH=os.pathsep.join([_FCNET_ROOT, os.environ.get("PYTHONPATH", "")]),
        )
        with open(jobdir / "output", "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "fcnet.diagnose.runner", str(jobdir)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
            failure = _wait(proc, jobdir, timeout, name or file or module)
        output = _read(jobdir / "output")
        results = jobdir / "results.json"
        if failure is None and not results.exists():
            rc, progress = proc.returncode, _read(jobdir / "progress")
            died = f"killed by signal {signal.Signals(-rc).name}" if rc < 0 else f"exited with status {rc}"
            if "ready" not in progress:
                raise UsageError(f"{name or file or module} does not import: the process {died} while importing it")
            failure = ("crashed", f"the process {died} {_where(progress)} (os._exit, or a crash?)")
        if failure is None:
            summary = json.loads((jobdir / "results.json").read_text(encoding="utf-8"))
            if "load_error" in summary:
                raise UsageError(summary["load_error"])
        return Run(records=_records(jobdir), failure=failure, output=output, how=how)


def _records(jobdir: Path) -> list[dict]:
    """The records of the probes the child finished, in order, their arrays read from ``.npz`` without pickle."""
    records = []
    for i in range(len(PROBES)):
        if not (jobdir / f"probe-{i}.json").exists():
            break
        r = json.loads((jobdir / f"probe-{i}.json").read_text(encoding="utf-8"))
        with np.load(jobdir / f"probe-{i}.npz", allow_pickle=False) as arrays:
            r["grads"] = {k: arrays[k] for k in arrays.files if k != "loss"}
            r["loss"] = float(arrays["loss"]) if r.pop("has_loss") else None
        records.append(r)
    return records


def _wait(proc, jobdir: Path, timeout: float, name) -> tuple[str, str] | None:
    """Wait for the child; kill its whole session when a limit runs out.  None if it exited by itself."""
    start, ready = time.monotonic(), None
    while proc.poll() is None:
        now = time.monotonic()
        progress = _read(jobdir / "progress")
        if ready is None and "started" in progress:
            ready = now
        if (ready is None and now - start > STARTUP_S) or (ready is not None and now - ready > timeout):
            _kill(proc)
            if ready is None:
                raise UsageError(f"Python, NumPy and fcnet did not start within {STARTUP_S:g} s: a machine overloaded?")
            if "ready" not in progress:
                raise UsageError(f"{name} does not import: it did not finish within the time limit of {timeout:g} s")
            return ("timeout", f"did not return within {timeout:g} s {_where(_read(jobdir / 'progress'))}")
        time.sleep(0.02)
    _kill(proc)  # anything the student's code started in the child's session goes with it
    return None


def _kill(proc) -> None:
    """Kill the child's whole session (it is the leader of a new one), then reap the child."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows: no sessions
            proc.kill()
    proc.wait()
