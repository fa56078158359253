"""Running a function here, in a thread, under a time limit only: ``sandbox=False``, or no fork (Windows).

A lambda, a closure or a function defined in a notebook cell cannot be imported
by a child process from its file and name, and fcnet pickles nothing: on POSIX
it runs in a forked child (`fcnet.diagnose.sandbox.run_forked`); where there is
no fork, or when told, `run_in_process` calls it on every probe in a daemon thread
and waits ``timeout`` seconds; a thread that outlives them is abandoned (it
cannot be killed) and reported as ``timeout``.  There is no memory limit, and
what it prints is captured while it runs.
"""

from __future__ import annotations

import contextlib
import io
import threading

from .calls import call_on_probes
from .probes import PROBES
from .sandbox import Run

__all__ = ["run_in_process"]


def run_in_process(fn, *, timeout=10.0, reason="", layout="columns") -> Run:
    """Run ``fn`` on every probe in this process, in a daemon thread given ``timeout`` seconds.

    A run that times out keeps the records of the probes it finished.
    """
    how = f"in this process (time limit {timeout:g} s, no memory limit)" + (f": {reason}" if reason else "")
    box: dict = {"records": []}
    buffer = io.StringIO()

    def work():
        call_on_probes(
            fn,
            on_start=lambda i: box.update(at=i),
            files=[getattr(fn, "__code__", None) and fn.__code__.co_filename or ""],
            layout=layout,
            on_done=lambda i, r: box["records"].append(r),
        )

    thread = threading.Thread(target=work, daemon=True, name="fcnet-diagnose")
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        thread.start()
        thread.join(timeout)
    if thread.is_alive():
        where = f"on probe {PROBES[box.get('at', 0)].describe()}"
        return Run(
            records=list(box["records"]),
            failure=("timeout", f"did not return within {timeout:g} s {where} (still running, abandoned)"),
            output=buffer.getvalue(),
            how=how,
        )
    return Run(records=box["records"], output=buffer.getvalue(), how=how)
