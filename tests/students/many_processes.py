"""Hostile: starts 40 processes at once (a fork bomb, tamed)."""

import subprocess


def loss_and_grads(params, X, y, reg):
    procs = [subprocess.Popen(["sleep", "60"]) for _ in range(40)]
    for p in procs:
        p.wait()
    return 0.0, {}
