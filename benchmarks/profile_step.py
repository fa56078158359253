"""Where the time of one workspace step goes.

    python benchmarks/profile_step.py [--json] [--save]

Times, at each shape of `fcnet.bench.race` and in float64 and float32, every
phase of `fcnet.loss_and_grads` with a `fcnet.Workspace`: the same calls on
the same arrays, one by one, as the step runs them (the building blocks skip
their own checks; fastest of 15 after one untimed run; a phase's arrays are
warm), and the matrix products alone.  Each configuration runs in a fresh
process of its own without the OpenBLAS overrides, as the race's workers do.
The benchmarks page shows each phase as a share of the step this script
timed; the step's own time on the page is the race's (`python -m fcnet
bench`).  ``--save`` writes ``fcnet/bench/results/profile-results.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np

from fcnet.bench import archive
from fcnet.bench.processes import worker_env
from fcnet.bench.race import SHAPES, machine_info
from fcnet.bench.worker import make_problem
from fcnet.core.losses import l2_forward
from fcnet.core.net import loss_and_grads
from fcnet.core.validate import check_batch
from fcnet.engine import inplace
from fcnet.engine.rows import row_blocks
from fcnet.engine.workspace import Workspace


def best_ms(fn, repeats=15):
    fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return 1e3 * min(out)


def profile(N, D_in, H, C, dtype):
    params, X, y, reg = make_problem(N, D_in, H, C, dtype)
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    ws = Workspace()
    row = {"shape": [N, D_in, H, C], "dtype": dtype}
    row["step_ms"] = best_ms(lambda: loss_and_grads(params, X, y, reg, workspace=ws))
    arrays = ws._arrays  # the arrays the step just used, in the roles below
    z1, z2, block = arrays["z1"], arrays["z2"], arrays["da1"]
    scratch, delta1 = np.empty_like(z1), np.empty_like(z1)
    a1 = inplace.sigmoid(inplace.affine(W1, X, b1, out=z1), out=z1)
    inplace.affine(W2, a1, b2, out=z2)
    _, probs = inplace.softmax_ce(z2.copy(), y, out=None, scratch=None)
    dz2 = inplace.softmax_ce_backward(probs, y, out=probs)

    def delta1_by_blocks():  # the step's loop, writing δ1 into ``delta1`` so that a1 stays σ(z1) for the next run
        for rows, da1 in row_blocks(H, block):
            np.matmul(W2[:, rows].T, dz2, out=da1)
            delta1[rows] = inplace.sigmoid_backward(da1, a1[rows], out=da1, scratch=scratch[rows])

    def ce_forward_backward():
        _, probs = inplace.softmax_ce(z2, y, out=z2, scratch=arrays["exp_z2"])
        inplace.softmax_ce_backward(probs, y, out=probs)

    delta1_by_blocks()
    phases = {
        "validation (check_batch)": lambda: check_batch(params, X, y, reg),
        "z1 = W1 X + b1": lambda: inplace.affine(W1, X, b1, out=scratch),
        "a1 = σ(z1)": lambda: inplace.sigmoid(z1, out=scratch),
        "z2 = W2 a1 + b2": lambda: inplace.affine(W2, a1, b2, out=z2),
        "softmax-CE forward + backward": ce_forward_backward,
        "dW2, db2": lambda: (np.matmul(dz2, a1.T, out=arrays["dW2"]), np.sum(dz2, axis=1, out=arrays["db2"])),
        "δ1 = (W2ᵀ δ2) ⊙ σ'(z1), by blocks of rows": delta1_by_blocks,
        "dW1, db1": lambda: (np.matmul(delta1, X.T, out=arrays["dW1"]), np.sum(delta1, axis=1, out=arrays["db1"])),
        "L2 forward + backward": lambda: (
            l2_forward((W1, W2), reg),
            np.add(arrays["dW1"], np.multiply(reg, W1, out=arrays["reg_W1"]), out=arrays["dW1"]),
            np.add(arrays["dW2"], np.multiply(reg, W2, out=arrays["reg_W2"]), out=arrays["dW2"]),
        ),
    }
    row["phases_ms"] = {name: best_ms(fn) for name, fn in phases.items()}
    row["gemm_only_ms"] = {
        "W1 @ X": best_ms(lambda: np.matmul(W1, X, out=scratch)),
        "δ1 @ X.T": best_ms(lambda: np.matmul(delta1, X.T, out=arrays["dW1"])),
        "W2 @ a1, δ2 @ a1.T, W2.T @ δ2": best_ms(
            lambda: (
                np.matmul(W2, a1, out=z2),
                np.matmul(dz2, a1.T, out=arrays["dW2"]),
                np.matmul(W2.T, dz2, out=scratch),
            )
        ),
    }
    return row


def _one(N, D_in, H, C, dtype) -> int:
    """``--one N D_in H C DTYPE``: one configuration in this (fresh) process, as JSON on stdout."""
    with np.errstate(all="ignore"):  # as the step runs them: the door checked the input and checks the result
        print(json.dumps(profile(int(N), int(D_in), int(H), int(C), dtype)))
    return 0


def _fresh(shape, dtype) -> dict:
    """One configuration in a fresh process of its own, without the OpenBLAS overrides, as the race's workers."""
    cmd = [sys.executable, __file__, "--one", *map(str, shape), dtype]
    done = subprocess.run(cmd, capture_output=True, text=True, env=worker_env()[0], timeout=900, check=True)
    return json.loads(done.stdout)


def main() -> int:
    if sys.argv[1:2] == ["--one"]:
        return _one(*sys.argv[2:7])
    load_start = os.getloadavg()
    rows = [_fresh(shape, dtype) for shape in SHAPES for dtype in ("float64", "float32")]
    machine = machine_info() | {
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }
    out = {"machine": machine, "rows": rows}
    if "--save" in sys.argv:
        print(f"saved {archive.save('profile', out)}", file=sys.stderr)
    if "--json" in sys.argv:
        print(json.dumps(out, indent=1))
        return 0
    print(machine)
    for r in rows:
        total = sum(r["phases_ms"].values())
        print(f"\n{tuple(r['shape'])} {r['dtype']}: step {r['step_ms']:.3f} ms (sum of phases {total:.3f})")
        for section in ("phases_ms", "gemm_only_ms"):
            for name, ms in r[section].items():
                print(f"  {name:<42} {ms:9.3f} ms")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
