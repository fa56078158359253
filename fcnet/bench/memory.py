"""How much memory does one step need?  ``python -m fcnet bench --memory``.

The minimum a step's arrays need is its inputs (X, y and the parameters),
one (H, N) array (the hidden layer: no backward pass works without it) and
its outputs (the gradients, as large as the parameters).  Each variant runs
in a fresh process of its own at (N, D_in, H, C) = (200000, 784, 512, 10):

* ``plain`` and ``workspace``: NumPy reports its arrays to `tracemalloc`, so
  the peak bytes above the inputs are exact; the workspace variant's peak
  includes the storage it keeps;
* ``torch``: `fcnet.torch_loss_and_grads`, the twin that hands PyTorch a
  row-major copy of X; its peak is read from ``ru_maxrss``.

Every process also reports its peak resident size above its size just
before the step (``ru_maxrss``), a cross-check that counts pages.  The ratio
is (inputs + peak above them) / minimum.

>>> minimum_bytes(200_000, 784, 512, 10) / 2**30   # X alone is 1.17 GiB
1.938...
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tracemalloc

import numpy as np

__all__ = ["SHAPE", "RATIO_MAX", "minimum_bytes", "run_memory", "format_memory"]

SHAPE = (200_000, 784, 512, 10)  # (N, D_in, H, C)
RATIO_MAX = 1.4  # the target: a step's peak over the minimum at SHAPE, for our plain and workspace calls
QUICK_SHAPE = (4_000, 100, 128, 10)
VARIANTS = ("plain", "workspace", "torch")


def _param_bytes(D_in: int, H: int, C: int) -> int:
    return 8 * (H * D_in + H + C * H + C)


def minimum_bytes(N: int, D_in: int, H: int, C: int) -> int:
    """Inputs (X, int64 y, the parameters) + one (H, N) array + the gradients, in float64."""
    return 8 * D_in * N + 8 * N + _param_bytes(D_in, H, C) + 8 * H * N + _param_bytes(D_in, H, C)


def _rss_now() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def _max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def measure(variant: str, N: int, D_in: int, H: int, C: int) -> dict:
    """One variant's peak, in this (fresh) process."""
    from .worker import make_problem

    params, X, y, reg = make_problem(N, D_in, H, C, "float64")  # drawn in place: no freed temporaries
    np.ones((8, 8)) @ np.ones((8, 8))  # OpenBLAS allocates its buffers on the first product: not the step's
    if variant == "torch":
        from .. import torch_loss_and_grads

        step = lambda: torch_loss_and_grads(params, X, y, reg)  # noqa: E731
        torch_loss_and_grads(*make_problem(2, D_in, 4, C, "float64"))  # torch's own start-up, at a tiny size
    else:
        from ..core.net import loss_and_grads
        from ..engine.workspace import Workspace

        workspace = Workspace() if variant == "workspace" else None
        step = lambda: loss_and_grads(params, X, y, reg, workspace=workspace)  # noqa: E731
    inputs = X.nbytes + y.nbytes + sum(p.nbytes for p in params.values())
    rss_before, max_before = _rss_now(), _max_rss()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    for _ in range(2):  # the second call is a loop's steady state (with a workspace: its storage is kept)
        step()
    traced = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    rss_peak = _max_rss() - rss_before
    peak = rss_peak if variant == "torch" else traced
    minimum = minimum_bytes(N, D_in, H, C)
    return {
        "variant": variant,
        "inputs_bytes": inputs,
        "minimum_bytes": minimum,
        "peak_above_inputs_bytes": peak,
        "measured_by": "ru_maxrss" if variant == "torch" else "tracemalloc",
        "ratio": (inputs + peak) / minimum,
        "traced_bytes": traced,
        "rss_peak_above_before_bytes": rss_peak,
        "rss_ratio": (inputs + rss_peak) / minimum,
        "max_rss_before_minus_rss_before_bytes": max_before - rss_before,
    }


def run_memory(quick: bool = False, log=None) -> dict:
    """Each variant in a fresh process; the results as a JSON-ready dict."""
    from .processes import worker_env
    from .race import machine_info

    log = log or (lambda s: None)
    N, D_in, H, C = QUICK_SHAPE if quick else SHAPE
    out = {"machine": machine_info(), "shape": {"N": N, "D_in": D_in, "H": H, "C": C}, "quick": quick}
    out["variants"] = {}
    for variant in VARIANTS:
        args = json.dumps({"variant": variant, "N": N, "D_in": D_in, "H": H, "C": C})
        cmd = [sys.executable, "-m", "fcnet.bench.memory", args]
        done = subprocess.run(cmd, capture_output=True, text=True, env=worker_env()[0], timeout=1800)
        if done.returncode:
            raise RuntimeError(f"the {variant} memory run failed (code {done.returncode}): {done.stderr[-500:]}")
        r = out["variants"][variant] = json.loads(done.stdout)
        log(f"{variant}: peak {r['ratio']:.3f} x the minimum ({r['measured_by']}; by ru_maxrss {r['rss_ratio']:.3f})")
    return out


def format_memory(out: dict) -> str:
    """The memory results as a plain-text report."""
    shape = out["shape"]
    lines = [
        f"peak memory of one step at (N, D_in, H, C) = ({shape['N']}, {shape['D_in']}, {shape['H']}, {shape['C']}), "
        f"float64; minimum {out['variants']['plain']['minimum_bytes'] / 2**20:.0f} MiB (inputs + one (H, N) array + "
        "the gradients):"
    ]
    for name, r in out["variants"].items():
        lines.append(
            f"  {name:<10} {(r['inputs_bytes'] + r['peak_above_inputs_bytes']) / 2**20:>9.0f} MiB  "
            f"{r['ratio']:.3f} x the minimum (by {r['measured_by']}; by ru_maxrss {r['rss_ratio']:.3f})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(measure(**json.loads(sys.argv[1]))))
