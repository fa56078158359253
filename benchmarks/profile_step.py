"""Where the time of one `fcnet.loss_and_grads` step goes.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/profile_step.py [--json]

Times, at each shape of `fcnet.bench.race` and in float64 and float32, every phase of the step as
fcnet's core computes it (the same calls `fcnet.core.net.loss_and_grads` makes, one by one), and
the matrix products alone.  Medians of 15 runs.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from fcnet.bench.race import SHAPES, machine_info
from fcnet.bench.worker import make_problem
from fcnet.core.layers import affine_backward, affine_forward, sigmoid_backward, sigmoid_forward
from fcnet.core.losses import l2_backward, l2_forward, softmax_ce_backward, softmax_ce_forward
from fcnet.core.net import loss_and_grads
from fcnet.core.params import KEYS
from fcnet.core.validate import check_batch


def median_ms(fn, repeats=15):
    fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return 1e3 * statistics.median(out)


def profile(N, D_in, H, C, dtype):
    params, X, y, reg = make_problem(N, D_in, H, C, dtype)
    W1, b1, W2, b2 = (params[k] for k in KEYS)
    z1, aff1 = affine_forward(W1, X, b1)
    a1, sig1 = sigmoid_forward(z1)
    z2, aff2 = affine_forward(W2, a1, b2)
    _, ce = softmax_ce_forward(z2, y)
    dz2 = softmax_ce_backward(1.0, ce)
    _, _, da1 = affine_backward(dz2, aff2)
    dz1 = sigmoid_backward(da1, sig1)
    phases = {
        "validation (check_batch)": lambda: check_batch(params, X, y, reg),
        "z1 = W1 X + b1": lambda: affine_forward(W1, X, b1),
        "a1 = σ(z1)": lambda: sigmoid_forward(z1),
        "z2 = W2 a1 + b2": lambda: affine_forward(W2, a1, b2),
        "softmax-CE forward + backward": lambda: softmax_ce_backward(1.0, softmax_ce_forward(z2, y)[1]),
        "L2 forward + backward": lambda: (l2_forward((W1, W2), reg), l2_backward(W1, reg) + 0, l2_backward(W2, reg)),
        "dW2, db2, da1": lambda: affine_backward(dz2, aff2),
        "dz1 = da1 ⊙ σ'(z1)": lambda: sigmoid_backward(da1, sig1),
        "dW1, db1": lambda: affine_backward(dz1, aff1, need_da=False),
    }
    row = {"shape": [N, D_in, H, C], "dtype": dtype, "step_ms": median_ms(lambda: loss_and_grads(params, X, y, reg))}
    row["phases_ms"] = {name: median_ms(fn) for name, fn in phases.items()}
    row["gemm_only_ms"] = {
        "W1 @ X": median_ms(lambda: W1 @ X),
        "dz1 @ X.T": median_ms(lambda: dz1 @ X.T),
        "W2 @ a1 + W2.T @ dz2 + dz2 @ a1.T": median_ms(lambda: (W2 @ a1, W2.T @ dz2, dz2 @ a1.T)),
    }
    return row


def main() -> int:
    load_start = os.getloadavg()
    rows = [profile(*shape, dtype) for shape in SHAPES for dtype in ("float64", "float32")]
    machine = machine_info() | {
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }
    if "--json" in sys.argv:
        print(json.dumps({"machine": machine, "rows": rows}, indent=1))
        return 0
    print(f"{machine}")
    for r in rows:
        print(
            f"\n{tuple(r['shape'])} {r['dtype']}: step {r['step_ms']:.3f} ms"
            f" (sum of phases {sum(r['phases_ms'].values()):.3f})"
        )
        for section in ("phases_ms", "gemm_only_ms"):
            for name, ms in r[section].items():
                print(f"  {name:<42} {ms:9.3f} ms")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
