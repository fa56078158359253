"""Hostile: starts processes meant to outlive the grading, writes files in its folder and /dev/shm, then hangs.

``MARKER`` (from the environment) names them, so that a test can look for survivors.
"""

import os
import subprocess
import sys
import time

MARKER = os.environ.get("FCNET_TEST_MARKER", "fcnet-escape")
SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)", MARKER]


def _double_fork():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, SLEEPER)
        os._exit(0)


def loss_and_grads(params, X, y, reg):
    subprocess.Popen(SLEEPER, start_new_session=True)
    _double_fork()
    with open(f"{MARKER}.bin", "wb") as f:
        f.write(b"\0" * (1 << 20))
    with open(f"/dev/shm/{MARKER}", "wb") as f:
        f.write(b"\0" * (1 << 20))
    if os.environ.get("FCNET_TEST_HANG"):
        time.sleep(600)
    return 0.0, {}
