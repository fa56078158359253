"""The supervisor: a process that runs no student code, starts the one that does, and ends everything it started.

`supervise` makes its process a *child subreaper* (Linux ``prctl(PR_SET_CHILD_SUBREAPER)``,
called through ctypes): a process the student's code starts, even in a new session
or after a double fork, becomes the supervisor's child when its parent dies, instead
of init's, so the supervisor finds every descendant in ``/proc`` and kills them all
when the work ends, times out or is interrupted.  A subreaper needs no privilege and
no cgroup set-up (cgroups need root or a delegated systemd scope, which a student's
laptop or a CI runner rarely gives); its limit is that a process that escapes the
tree on purpose (by asking another service to start it) is not followed.

While the work runs it sums the memory of the whole tree (the private resident
memory of every descendant) and counts the processes: more than the memory limit
or than `MAX_PROCESSES` kills the tree, and the reason is written to
``JOBDIR/status.json`` for the parent.  Files made in ``/dev/shm`` during the
run that no live process holds open are removed at the end (the student's tree
is dead by then; a file another program made and closed meanwhile goes too).  The supervisor also gets
SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), and SIGTERM, SIGINT or
SIGHUP ends the tree before it exits.  Off Linux, it only waits.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import sys
import time
from pathlib import Path

__all__ = ["supervise", "descendants", "kill_tree", "MAX_PROCESSES", "subreaper_available"]

#: The processes the student's code may have at once, its own included; more kill the tree ("forking is limited").
MAX_PROCESSES = 16
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36
_SHM = Path("/dev/shm")


def _prctl(option: int, value: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def subreaper_available() -> bool:
    """Whether this platform has child subreapers (Linux)."""
    return sys.platform.startswith("linux")


def _children(pid: int) -> list[int]:
    """The children of ``pid``: from ``/proc/PID/task/PID/children``, or by every process's parent where the
    kernel lacks that file."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        if Path(f"/proc/{pid}").exists():
            return [p for p, parent in _parents().items() if parent == pid]
        return []
    except OSError:
        return []


def _parents() -> dict[int, int]:
    """pid -> parent pid, of every process (``/proc/PID/stat``'s fourth field, after the command's parentheses)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                out[int(entry.name)] = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
    return out


def descendants(pid: int | None = None) -> list[int]:
    """Every live descendant of ``pid`` (default: this process), parents before their children."""
    found, todo = [], [os.getpid() if pid is None else pid]
    while todo and len(found) < 10000:
        kids = _children(todo.pop())
        found += kids
        todo += kids
    return found


def kill_tree() -> None:
    """SIGKILL every descendant and reap them, until none is left (an orphan comes back to us as a subreaper)."""
    for _ in range(1000):
        pids = descendants()
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        if not pids:
            return
        time.sleep(0.002)


def _private_mib(pids) -> float:
    """The private resident memory of ``pids`` together, MiB (resident minus file-backed and shared pages)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/statm").read_text().split()
            total += int(fields[1]) - int(fields[2])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def _shm() -> set:
    try:
        return set(os.listdir(_SHM))
    except OSError:
        return set()


def _open_anywhere(paths: set) -> set:
    """Those of ``paths`` that a live process holds open or mapped (its ``/proc/PID/fd`` and ``maps``)."""
    held = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if (target := os.readlink(fd)) in paths:
                        held.add(target)
        with contextlib.suppress(OSError):
            maps = (entry / "maps").read_text()
            held |= {p for p in paths if p in maps}
    return held


def _clean_shm(before: set, since: float) -> list[str]:
    """Remove the files that appeared in /dev/shm during the run (ours, made after ``since``) and that no live
    process holds open (the student's tree is dead by now: another program's are left alone); the names removed."""
    candidates = {}
    for name in _shm() - before:
        path = _SHM / name
        with contextlib.suppress(OSError):
            st = path.lstat()
            if st.st_uid == os.getuid() and st.st_ctime >= since - 1 and not path.is_dir():
                candidates[str(path)] = name
    if not candidates:
        return []
    held = _open_anywhere(set(candidates))
    removed = []
    for path, name in candidates.items():
        if path not in held:
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed.append(name)
    return removed


def supervise(work, jobdir, memory_mb: float) -> None:
    """Fork, run ``work()`` in the child, wait for it, kill every descendant, write ``status.json``; never returns.

    ``status.json``: ``{"status": exit status or −signal, "reason": None, "memory" or "processes",
    "shm": [names removed]}``.  ``work`` must end with ``os._exit``.
    """
    jobdir = Path(jobdir)
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: the work runs here, killed with this process
        work()
    reaper = subreaper_available() and _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    if subreaper_available():
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    start, shm = time.time(), _shm()
    state = {"status": None, "reason": None, "reaper": reaper}

    def finish(code: int = 0):
        kill_tree()
        state["shm"] = _clean_shm(shm, start)
        with contextlib.suppress(OSError):
            (jobdir / "status.tmp").write_text(json.dumps(state), encoding="utf-8")
            os.replace(jobdir / "status.tmp", jobdir / "status.json")
        os._exit(code)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: finish(128 + signum))
    pid = os.fork()
    if pid == 0:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        try:
            work()
        finally:
            os._exit(70)
    limit, tick = None, 0
    try:
        pidfd = os.pidfd_open(pid)  # wakes the wait below as soon as the worker ends
    except (AttributeError, OSError):
        pidfd = None
    while state["status"] is None:
        with contextlib.suppress(ChildProcessError):  # the worker, and orphans that came back to us
            while (got := os.waitpid(-1, os.WNOHANG))[0] > 0:
                if got[0] == pid:
                    state["status"] = os.waitstatus_to_exitcode(got[1])
        if state["status"] is not None:
            break
        tick += 1
        if reaper and tick % 2 == 0:
            tree = descendants()
            memory = _private_mib(tree)
            limit = limit if limit is not None else memory + memory_mb
            if len(tree) > MAX_PROCESSES:
                state["reason"] = "processes"
            elif memory > limit:
                state["reason"] = "memory"
            if state["reason"]:
                break
        if pidfd is None:
            time.sleep(0.005)
        else:
            select.select([pidfd], [], [], 0.005)
    finish()
