"""Ctrl-C and SIGTERM at any moment of a command: one line on stderr, exit 130 or 143, never a traceback.

Three regimes, because a command has three kinds of moment:

* **while nothing needs cleaning up** (NumPy and the package being imported under ``python -m
  fcnet``, before `fcnet.cli.main` starts), `exit_quietly` makes SIGINT and SIGTERM end the
  process at once with one line and status 128 + signal (130, 143).  ``fcnet/__init__.py``
  calls it first thing when it is imported to run the command line
  (`exit_quietly_if_command`), so the ~0.3 s of imports are covered;
* **while the command runs**, `raising` makes SIGINT raise `KeyboardInterrupt` and SIGTERM raise
  `Terminated`, so that ``finally`` blocks run (a save removes its temporary file) before
  `fcnet.cli.main` turns either into its status and ends the process with it (`exit_with`).
  A signal that arrives inside an import is raised once the import is over (the exception would
  be lost in the import lock's callback, where Python only prints it, or end the process by
  SIGABRT inside a C++ extension's callback, as torch's); and a command whose exception was lost
  anyway still ends with the signal's status (`received`);
* **once the command has finished**, `ignore`: the process exits with the command's status.

Only the interpreter's own start-up, before ``fcnet/__init__.py`` runs at all (site and its
``.pth`` files: some 20 ms on a quiet machine), is left to Python's default: a signal then
kills the process or shows Python's traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager

__all__ = [
    "Terminated",
    "STATUS",
    "started_as_command",
    "exit_quietly",
    "exit_quietly_if_command",
    "exit_with",
    "ignore",
    "raising",
    "received",
]

#: the exit status for each signal: 128 + its number, as a shell reports a process it killed
STATUS = {signal.SIGINT: 128 + signal.SIGINT, signal.SIGTERM: 128 + signal.SIGTERM}
_WORDS = {signal.SIGINT: b"interrupted", signal.SIGTERM: b"terminated"}


class Terminated(BaseException):
    """SIGTERM arrived while a command ran (a BaseException, as KeyboardInterrupt: no ``except Exception`` eats it)."""


def _module_run(orig_argv: list[str]) -> str | None:
    """The module that ``python [options] -m MODULE ...`` runs, read from the interpreter's own arguments, or None."""
    args = iter(orig_argv[1:])
    for arg in args:
        if arg == "-m":
            return next(args, None)
        if arg.startswith("-m"):
            return arg[2:]
        if arg in ("-X", "-W", "--check-hash-based-pycs"):  # options whose value is the next argument
            next(args, None)
        elif arg == "-" or not arg.startswith("-") or arg.startswith("-c"):  # a script, stdin, or -c code
            return None
    return None


def started_as_command() -> bool:
    """True while this interpreter was started as ``python -m fcnet ...`` or as the ``fcnet`` script."""
    if _module_run(getattr(sys, "orig_argv", [])) == "fcnet":
        return True
    return bool(sys.argv) and os.path.basename(sys.argv[0]) == "fcnet"


def exit_with(status: int) -> None:
    """End the process now with ``status``, the output flushed.

    For a command that was interrupted: CPython remembers a `KeyboardInterrupt` that reached
    certain C code (even one caught later) and then ends the process by SIGINT instead of with
    the status given to `sys.exit`.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(status)


def _exit_now(signum, frame) -> None:
    try:
        os.write(2, b"python -m fcnet: " + _WORDS.get(signum, b"stopped") + b"\n")
    except OSError:
        pass
    os._exit(STATUS.get(signum, 128 + signum))


def exit_quietly() -> None:
    """From now on SIGINT and SIGTERM end the process at once: one line on stderr, status 130 or 143."""
    if threading.current_thread() is threading.main_thread():
        for signum in STATUS:
            signal.signal(signum, _exit_now)


def exit_quietly_if_command() -> None:
    """`exit_quietly` when this interpreter runs the command line (``fcnet/__init__.py`` calls it first thing)."""
    if started_as_command():
        exit_quietly()


def ignore() -> None:
    """From now on SIGINT and SIGTERM are ignored: for the moments after a command has finished.

    Python's exit resets the handlers it installed to the default action (death by the signal),
    but leaves an ignored signal ignored.
    """
    if threading.current_thread() is threading.main_thread():
        for signum in STATUS:
            signal.signal(signum, signal.SIG_IGN)


#: the signals that arrived while `raising` was in force, in order
_received: list[int] = []
#: how long a signal that arrived inside an import waits before it is looked at again
RETRY_SECONDS = 0.01


def received() -> int | None:
    """The first signal that arrived while `raising` was in force (None if none did): a command that returns
    normally after one lost its exception (raised where Python only prints it, as in a ``__del__``)."""
    return _received[0] if _received else None


def _in_import(frame) -> bool:
    """Whether ``frame`` runs inside an import: the import machinery's frames are below it."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back
    return False


def _raise(signum, frame) -> None:
    """SIGINT: KeyboardInterrupt, SIGTERM: `Terminated`, raised where the command runs, never inside an import."""
    if signum in STATUS and signum not in _received:
        _received.append(signum)
    if not _received:  # a SIGALRM of no signal of ours
        return
    pending = _received[0]
    if _in_import(frame):
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)  # SIGALRM: here again, once the import is over
        return
    raise KeyboardInterrupt if pending == signal.SIGINT else Terminated


@contextmanager
def raising():
    """Within: SIGINT raises KeyboardInterrupt and SIGTERM `Terminated` (inside an import: once it is over); the
    handlers found are restored after.

    Outside the main thread (where Python runs no signal handler) it changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    watched = (*STATUS, signal.SIGALRM)
    before = {signum: signal.getsignal(signum) for signum in watched}
    for signum in watched:
        signal.signal(signum, _raise)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for signum, handler in before.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
