"""Running untrusted code: the judge here, the student's code in a child process tree that ends with the run.

`run_file` writes the probes' arrays into a private job folder and starts
``python -m fcnet.diagnose.runner JOBDIR`` in a new session, with one BLAS
thread, its output sent to a file; `run_forked` forks this process instead (for
a function that cannot be imported again from a file: a lambda, a notebook
cell, a function whose file changed on disk).  Either way the child becomes the
supervisor of a worker that runs the student's code (`fcnet.diagnose.guard`,
`fcnet.diagnose.runner`), and this process waits: 30 s for the interpreter to
start, then ``timeout`` seconds for the student's import and all the calls
together.  A hang is killed with the whole tree the student's code started.

The answers come back raw, an uncompressed ``.npz`` (one ``.npy`` per array) and
a small JSON per probe, and are read here with a size cap and no pickle
(`read_npz`, `collect`); every
probe sent must have its answer, else the run failed (a crash, an ``os._exit``,
a limit) and is reported by the probe it happened on.  Nothing the child does
to its own modules changes what is compared, or with what: the references are
computed here.  SIGINT, SIGTERM or SIGHUP while waiting (`interrupt`) ends every
child tree and removes every job folder.  This is a guard against mistakes and
against a submission forging its verdict, not a sandbox: the code runs as you.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .calls import MAX_BYTES, sent_arrays, to_record
from .guard import MAX_PROCESSES
from .probes import PROBES

__all__ = [
    "Run", "UsageError", "InternalError", "Interrupted", "run_file", "run_forked", "read_npy", "read_npz", "collect",
    "interrupt", "reset", "STARTUP_S",
]  # fmt: skip

#: Seconds the child may take to start Python, NumPy and fcnet, before the time limit starts.
STARTUP_S = 30.0
_FCNET_ROOT = str(Path(__file__).resolve().parents[2])
_JSON_BYTES = 1 << 16
_STOP = threading.Event()
_LIVE: set = set()
_LIVE_LOCK = threading.Lock()
_REPORT = "please report it to fcnet's issue tracker, with the file that caused it"


class UsageError(ValueError):
    """No such file, no such function, or a file that does not import (exit status 2)."""


class InternalError(RuntimeError):
    """fcnet itself failed: not the student's fault (exit status 3)."""

    def __init__(self, what: str):
        super().__init__(f"internal error in fcnet, not in the file graded: {what}; {_REPORT}")


class Interrupted(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived while a child ran: every child tree was ended."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


def reset() -> None:
    """Forget an earlier `interrupt` (a new grading in the same process)."""
    _STOP.clear()


def interrupt(signum: int) -> None:
    """End every running child tree (its supervisor kills what the student started); waits raise `Interrupted`."""
    _STOP.signum = signum
    _STOP.set()
    with _LIVE_LOCK:
        for proc in list(_LIVE):
            with contextlib.suppress(OSError):
                os.kill(proc.pid, signal.SIGTERM)


@dataclass
class Run:
    """What running the function gave: a record per probe, or why there are none."""

    records: list = field(default_factory=list)  # the probes finished, in order (all of them unless it failed)
    failure: tuple[str, str] | None = None  # (cause, message) when the run itself failed
    output: str = ""
    how: str = ""


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file, not a link, a FIFO or a device (which could block or never end a read)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _read(path: Path, limit: int = 65536, tail: bool = False) -> str:
    """At most ``limit`` bytes of ``path`` (its end if ``tail``), as text; "" if it cannot be read."""
    if not _regular(path):
        return ""
    try:
        with open(path, "rb") as f:
            if tail:
                f.seek(max(0, os.fstat(f.fileno()).st_size - limit))
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""


def _last_probe(progress: str) -> int | None:
    """The last well-formed ``probe I`` line of ``progress`` (I a probe's index), or None."""
    for line in reversed(progress.splitlines()):
        word, _, i = line.partition(" ")
        if word == "probe" and i.isdigit() and int(i) < len(PROBES):
            return int(i)
    return None


def _where(progress: str) -> str:
    i = _last_probe(progress)
    return "while importing the file" if i is None else f"on probe {PROBES[i].describe()}"


def _parse_npy(f, name: str, size: int, cap: int) -> np.ndarray:
    """The array in the open ``.npy`` ``f`` of ``size`` bytes, checked before anything is allocated."""
    if size > cap + 4096:
        raise ValueError(f"{name} has {size} bytes (at most {cap} expected)")
    version = np.lib.format.read_magic(f)
    read_header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    if version not in read_header:
        raise ValueError(f"{name} is a .npy of version {version}")
    shape, fortran, dtype = read_header[version](f)
    if dtype.hasobject or dtype.kind not in "biuf" or dtype.fields:
        raise ValueError(f"{name} holds {dtype}, not real numbers")
    count = math.prod(shape)
    data = f.read(cap + 1)
    if count * dtype.itemsize != len(data):
        raise ValueError(f"{name} has {len(data)} bytes of data for shape {shape} of {dtype}")
    return np.frombuffer(data, dtype=dtype, count=count).reshape(shape, order="F" if fortran else "C").copy()


def read_npy(path: Path, cap: int = MAX_BYTES) -> np.ndarray:
    """The array in ``path``, a ``.npy`` of real numbers of at most ``cap`` bytes; ValueError otherwise (no pickle)."""
    with open(path, "rb") as f:
        return _parse_npy(f, path.name, os.fstat(f.fileno()).st_size, cap)


#: The arrays an answer may hold: the return value's and the arguments after the call.
_MEMBERS = 16


def read_npz(path: Path, cap: int = MAX_BYTES) -> dict:
    """The arrays in ``path``, an uncompressed ``.npz`` of at most `_MEMBERS` ``.npy`` files of at most ``cap``
    bytes each; ValueError otherwise (a compressed member could inflate, a pickle could run code)."""
    size = path.stat().st_size
    if size > _MEMBERS * (cap + 8192):
        raise ValueError(f"{path.name} has {size} bytes")
    out = {}
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > _MEMBERS:
                raise ValueError(f"{path.name} holds {len(infos)} files")
            for info in infos:
                if info.compress_type != zipfile.ZIP_STORED:
                    raise ValueError(f"{path.name}: {info.filename} is compressed")
                if info.file_size > cap + 4096:
                    raise ValueError(f"{path.name}: {info.filename} has {info.file_size} bytes")
                data = z.read(info)
                out[info.filename.removesuffix(".npy")] = _parse_npy(io.BytesIO(data), info.filename, len(data), cap)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise ValueError(f"{path.name} is not a readable .npz ({exc})") from None
    return out


def collect(jobdir: Path, sent: list, layout: str) -> list[dict]:
    """The records of the probes the child answered, in order (up to the first unanswered), judged readable here.

    An answer that cannot be read (too large, not JSON, an array of objects, compressed,
    truncated) is the probe's ``bad-return`` record with the reason, never an exception.
    """
    records, out = [], jobdir
    for i, probe in enumerate(PROBES):
        summary, npz = out / f"probe-{i}.json", out / f"probe-{i}.npz"
        if not summary.exists() and not summary.is_symlink():
            break
        arrays, why = {}, None
        try:
            if not _regular(summary) or (npz.exists() and not _regular(npz)):
                raise ValueError("its answer is not a regular file")
            if summary.stat().st_size > _JSON_BYTES:
                raise ValueError(f"its summary has {summary.stat().st_size} bytes")
            meta = json.loads(summary.read_text(encoding="utf-8"))
            if npz.exists():
                arrays = read_npz(npz)
        except (OSError, ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            why = f"{type(exc).__name__}: {str(exc)[:200]}"
        records.append(to_record(probe.name, why or meta, arrays, sent[i], layout))
    return records


def _prepare(jobdir: Path, job: dict, layout: str) -> list:
    """Write the probes' arrays (in ``layout``) and ``job.json`` into ``jobdir``; the arrays sent, by probe."""
    (jobdir / "work").mkdir()  # the student's working directory
    sent = [sent_arrays(p, layout) for p in PROBES]
    np.savez(jobdir / "probes.npz", **{f"{i}.{k}": a for i, arrays in enumerate(sent) for k, a in arrays.items()})
    job = {**job, "probes": len(PROBES), "regs": [p.reg for p in PROBES], "layout": layout}
    (jobdir / "job.json").write_text(json.dumps(job), encoding="utf-8")
    return sent


def _tempdir():
    return tempfile.TemporaryDirectory(prefix="fcnet-diagnose-", ignore_cleanup_errors=True)


def run_file(
    file, qualname, module=None, *, timeout=10.0, memory_mb=1024, sys_path=(), name=None, layout="columns"
) -> Run:
    """Run ``qualname`` of ``file`` (or of ``module``, imported by name) on every probe in a child process.

    ``name`` is how messages call the file (default: its path); ``layout`` is how the probes are
    given (`fcnet.diagnose.calls.LAYOUTS`).  A run that hangs or crashes keeps the records of the
    probes it finished.
    """
    how = f"in a child process (time limit {timeout:g} s, memory limit {memory_mb:g} MiB)"
    with _tempdir() as tmp:
        jobdir = Path(tmp)
        job = {
            "file": file and str(file),
            "module": module,
            "qualname": qualname,
            "sys_path": list(sys_path),
            "name": name,
            "memory_mb": memory_mb,
            "cpu_s": STARTUP_S + timeout,
        }
        sent = _prepare(jobdir, job, layout)
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
            return _finish(proc, jobdir, sent, timeout, memory_mb, name or file or module, how, layout)


class _Forked:
    """A forked child, as much of `subprocess.Popen` as `_wait` and `_kill` use."""

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self):
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout=None):
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired("fork", timeout)
            time.sleep(0.005)
        return self.returncode


def run_forked(fn, *, timeout=10.0, memory_mb=1024, name=None, layout="columns", files=(), reason="") -> Run:
    """Run ``fn`` itself on every probe in a forked child (POSIX): the function passed, not a file's."""
    how = f"in a forked child process (time limit {timeout:g} s, memory limit {memory_mb:g} MiB)"
    how += f": {reason}" if reason else ""
    from .guard import supervise
    from .runner import work

    with _tempdir() as tmp:
        jobdir = Path(tmp)
        sent = _prepare(jobdir, {"memory_mb": memory_mb, "cpu_s": STARTUP_S + timeout}, layout)
        (jobdir / "output").touch()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.setsid()
                fd = os.open(jobdir / "output", os.O_WRONLY)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                supervise(lambda: work(fn, jobdir, list(files)), jobdir, memory_mb)
            finally:
                os._exit(70)
        return _finish(_Forked(pid), jobdir, sent, timeout, memory_mb, name, how, layout)


def _finish(proc, jobdir, sent, timeout, memory_mb, name, how, layout) -> Run:
    """Wait for the child, then read what it answered and why it stopped."""
    with _LIVE_LOCK:
        _LIVE.add(proc)
    try:
        failure = _wait(proc, jobdir, timeout, name)
    finally:
        _kill(proc)
        with _LIVE_LOCK:
            _LIVE.discard(proc)
    output = _read(jobdir / "output")
    progress = _read(jobdir / "progress", tail=True)
    records = collect(jobdir, sent, layout)
    if failure is None and len(records) < len(PROBES):
        failure = _why(jobdir, progress, proc.returncode, memory_mb, name, len(records))
    return Run(records=records, failure=failure, output=output, how=how)


def _why(jobdir, progress: str, rc, memory_mb, name, answered: int) -> tuple[str, str]:
    """Why the child stopped before answering every probe: a limit, a crash, fcnet's failure, or not importing."""
    try:
        status = json.loads(_read(jobdir / "status.json", 4096) or "{}")
        status = status if isinstance(status, dict) else {}
    except ValueError:
        status = {}
    where = _where(progress)
    ready = "ready" in progress.split()
    if status.get("reason") == "memory":
        text = f"its processes together used more than the memory limit of {memory_mb:g} MiB {where}"
        if ready:
            return ("crashed", text + " (the limit covers every process it starts)")
        raise UsageError(f"{name} does not import: {text}")
    if status.get("reason") == "processes":
        text = f"it started more than {MAX_PROCESSES} processes at once {where} (forking is limited)"
        if ready:
            return ("crashed", text)
        raise UsageError(f"{name} does not import: {text}")
    load_error = _read(jobdir / "load_error", 8192)
    if load_error and not ready:
        raise UsageError(load_error)
    internal = _read(jobdir / "internal", 4096, tail=True)
    if internal and not ready:
        raise InternalError(f"the child process failed before importing the file: {internal.strip().splitlines()[-1]}")
    code = status.get("status") if isinstance(status.get("status"), int) else rc
    died = f"exited with status {code}"
    if isinstance(code, int) and code < 0:
        with contextlib.suppress(ValueError):
            died = f"killed by signal {signal.Signals(-code).name}"
    if not ready:
        raise UsageError(f"{name} does not import: the process {died} while importing it")
    if internal:
        last = internal.strip().splitlines()[-1][:200]
        return ("crashed", f"fcnet's worker failed {where}: {last} (if the file does not change fcnet's modules,"
                           f" this is fcnet's fault: {_REPORT})")  # fmt: skip
    if code == 0:
        return ("crashed", f"the process {died} after answering {answered} of {len(PROBES)} probes, {where}"
                           " (os._exit, or its answers changed?)")  # fmt: skip
    return ("crashed", f"the process {died} {where} (os._exit, or a crash?)")


def _wait(proc, jobdir: Path, timeout: float, name) -> tuple[str, str] | None:
    """Wait for the child; stop it when a limit runs out, or raise `Interrupted`.  None if it ended by itself."""
    start, ready = time.monotonic(), None
    exited = _exit_signal(proc.pid)
    while proc.poll() is None:
        if _STOP.is_set():
            raise Interrupted(getattr(_STOP, "signum", signal.SIGINT))
        now = time.monotonic()
        if ready is None and (jobdir / "progress").exists():
            ready = now
        if (ready is None and now - start > STARTUP_S) or (ready is not None and now - ready > timeout):
            progress = _read(jobdir / "progress", tail=True)
            if ready is None:
                raise UsageError(f"Python, NumPy and fcnet did not start within {STARTUP_S:g} s: a machine overloaded?")
            if "ready" not in progress.split():
                raise UsageError(f"{name} does not import: it did not finish within the time limit of {timeout:g} s")
            return ("timeout", f"did not return within {timeout:g} s {_where(progress)}")
        exited(0.01)
    return None


def _exit_signal(pid: int):
    """A function that waits up to its argument's seconds, returning as soon as process ``pid`` ends (a Linux
    pidfd, so that no polling delay is added), or just sleeps where there is none."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return time.sleep
    import select
    import weakref

    def wait(seconds: float) -> None:
        select.select([fd], [], [], seconds)

    weakref.finalize(wait, os.close, fd)
    return wait


def _kill(proc) -> None:
    """End the supervisor, which ends everything the student's code started; SIGKILL its session if it lingers."""
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            os.kill(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows: no sessions
            proc.kill()
    proc.wait()
