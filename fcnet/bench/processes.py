"""The benchmark's worker processes: how they are started, and the environment they run in.

Every side of the race runs in a process of its own (`fcnet.bench.worker`),
started with this process's environment minus `REMOVED_ENV`: variables that
pin an old OpenBLAS kernel on some machines.  Only these subprocesses run
without them; nothing about the calling process changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

__all__ = ["REMOVED_ENV", "worker_env", "one_shot", "Worker"]

#: variables the workers run without (the benchmark's own subprocesses only)
REMOVED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def worker_env() -> tuple[dict, dict]:
    """The environment of the workers (this one without `REMOVED_ENV`), and what was removed."""
    env = dict(os.environ)
    return env, {k: env.pop(k) for k in REMOVED_ENV if k in env}


def one_shot(kind: str, **args) -> dict:
    """Run a one-shot probe (`fcnet.bench.probes`: ``info``, ``gemm``, ``checks``) in a fresh process; its reply."""
    cmd = [sys.executable, "-m", "fcnet.bench.probes", kind, json.dumps(args)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=worker_env()[0], timeout=600)
    if done.returncode:
        raise RuntimeError(f"the {kind} worker failed (code {done.returncode}): {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


class Worker:
    """A `fcnet.bench.worker` process for one side; `send` writes a request, `receive` waits for the reply."""

    def __init__(self, side: str):
        self.side = side
        cmd = [sys.executable, "-m", "fcnet.bench.worker", side]
        # a session of its own: a terminal's Ctrl-C reaches the command, which stops the worker (no traceback from it)
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=worker_env()[0], start_new_session=True
        )

    def send(self, op: str, **kw) -> None:
        self.proc.stdin.write(json.dumps({"op": op, **kw}) + "\n")
        self.proc.stdin.flush()

    def receive(self, op: str) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.side} worker exited (code {self.proc.wait()}) during {op!r}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"the {self.side} worker failed during {op!r}: {reply['error']}")
        return reply

    def call(self, op: str, **kw) -> dict:
        self.send(op, **kw)
        return self.receive(op)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.send("quit")
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.proc.stdout.close()
