"""How fast is one training step?  Our NumPy net against PyTorch autograd, as a user's loop meets it.

One step is a forward and a backward pass, loss and every gradient, of the
public, validated `fcnet.loss_and_grads`: as a plain call (``plain``) and with
a `fcnet.Workspace` (``workspace``), against
`fcnet.witnesses.torch_net.TwoLayerNet` (``torch``).  In float64 two more
sides show what the allocator costs: the layers composed with a new array for
every result (``naive``, the plain composition `fcnet.core.net.net_steps`), in a fresh
process and in one where a 16 MiB block was freed first (``primed``: the
state that hides the cost).  The step's five matrix products alone
(``products``) give the floor: no NumPy step on this machine's BLAS can take
less, so ``products`` / PyTorch is the lowest ratio any target can ask for.
The race is written by hand because `timeit` and pytest-benchmark time one
callable in one process, and a fair race alternates the sides, each in a
process of its own, and counts their page faults.

Every side of every configuration runs in a fresh process of its own
(`fcnet.bench.worker`), a plain loop of steps with nothing run before it in
that process; the sides take turns, a block of steps (about 0.25 s) each with
a pause between (OpenBLAS's idle threads spin for about 0.1 s after a call and
would slow whichever side ran next), the first side alternating from round
to round.  A time is the median of all the steps a side ran; page faults are
the minor faults (``ru_minflt``) per timed step, after 3 untimed steps.  The
machine's GEMM rate is measured in a process of its own.  The workers run
without ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` (which pin an old
kernel on some machines); the report names the kernel they got.

The step's matrix products cost 2N(2·H·D_in + 3·C·H) flops (W1X, dW1 = δ1Xᵀ;
W2a1, dW2 = δ2a1ᵀ, W2ᵀδ2); divided by a step's time and by the GEMM rate they
give the fraction of the machine's matrix throughput the step achieves.

>>> step_flops(1024, 784, 1024, 10) / 1e9   # about 3.3 GFLOP per step at the largest shape
3.351248896
"""

from __future__ import annotations

import datetime
import math
import os
import platform
import statistics
import time

from .processes import REMOVED_ENV, Worker, one_shot, worker_env
from .targets import DTYPES, SHAPES, verdicts

__all__ = ["SHAPES", "DTYPES", "REMOVED_ENV", "step_flops", "run_bench", "machine_info", "worker_env"]

#: the net whose gradient checks are costed: (D_in, H, C), and its batch N
CHECK_NET = {"D_in": 64, "H": 32, "C": 10, "N": 16}


def step_flops(N: int, D_in: int, H: int, C: int) -> int:
    """Flops of the matrix products in one forward + backward step: 2N(2·H·D_in + 3·C·H)."""
    # --8<-- [start:step-flops]
    # forward W1 X (2·H·D_in·N) and W2 a1 (2·C·H·N); backward δ1 Xᵀ (2·H·D_in·N), δ2 a1ᵀ and W2ᵀ δ2 (2·C·H·N each)
    return 2 * N * (2 * H * D_in + 3 * C * H)
    # --8<-- [end:step-flops]


def machine_info() -> dict:
    """CPU model, core count, platform, Python version and the date (UTC) of this run."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _race(workers, rounds: int, block: float, gap: float) -> dict[str, dict]:
    """Alternate blocks of timed steps between the workers; every step's seconds and all faults, per side."""
    warm = {}
    for w in workers:  # a pause after each: the block sizes come from times no other side's spinning threads slowed
        warm[w.side] = statistics.median(w.call("time", repeats=3)["times"])
        time.sleep(gap)
    repeats = {k: max(2, min(500, math.ceil(block / max(t, 1e-6)))) for k, t in warm.items()}
    out = {w.side: {"times": [], "faults": 0} for w in workers}
    for r in range(rounds):
        for w in workers if r % 2 == 0 else workers[::-1]:
            reply = w.call("time", repeats=repeats[w.side])
            out[w.side]["times"] += reply["times"]
            out[w.side]["faults"] += reply["faults"]
            time.sleep(gap)  # let this side's spinning BLAS threads go idle before the other side starts
    return out


def _row(N, D_in, H, C, dtype, raced, validation, gemm) -> dict:
    gflop = step_flops(N, D_in, H, C) / 1e9
    sides = {}
    for side, r in raced.items():
        t = statistics.median(r["times"])
        sides[side] = {
            "ms": 1e3 * t,
            "min_ms": 1e3 * min(r["times"]),
            "faults_per_step": r["faults"] / len(r["times"]),
            "gemm_fraction": gflop / t / gemm[dtype]["gflops"],
            "steps": len(r["times"]),
        }
    torch_ms = sides["torch"]["ms"]
    ratios = {side: s["ms"] / torch_ms for side, s in sides.items() if side != "torch"}
    val = statistics.median(validation["times"])
    return {"N": N, "D_in": D_in, "H": H, "C": C, "dtype": dtype, "sides": sides, "ratios": ratios} | {
        "validation_ms": 1e3 * val,
        "validation_fraction": 1e3 * val / sides["workspace"]["ms"],
    }


def run_bench(quick=False, rounds=None, gap=None, block=None, log=None) -> dict:
    """Run the whole benchmark and return its results as a JSON-ready dict.

    Parameters
    ----------
    quick : bool
        The smallest shape only, 2 short rounds, a 512² GEMM: seconds, for tests; its numbers are rough.
    rounds : int, optional
        Blocks per side and configuration (default 7, quick 2).
    gap : float, optional
        Seconds of pause after each block (default 0.15 > the 0.1 s OpenBLAS spins; quick 0.05).
    block : float, optional
        Seconds each block of steps aims to last (default 0.25, quick 0.05).
    log : callable, optional
        ``log(str)`` for progress lines.
    """
    log = log or (lambda s: None)
    rounds = rounds or (2 if quick else 7)
    gap = gap if gap is not None else (0.05 if quick else 0.15)
    block = block if block is not None else (0.05 if quick else 0.25)
    start, load_start = time.perf_counter(), os.getloadavg()
    out = {"machine": machine_info(), "removed_env": worker_env()[1], "workers": one_shot("info")}
    out["settings"] = {"quick": quick, "rounds": rounds, "gap_seconds": gap, "block_seconds": block}
    out["gemm"] = one_shot("gemm", n=512 if quick else 2048, repeats=3 if quick else 7)
    log("GEMM " + ", ".join(f"{g['n']}² {d}: {g['gflops']:.1f} GFLOP/s" for d, g in out["gemm"].items()))
    out["steps"] = []
    for N, D_in, H, C in SHAPES[:1] if quick else SHAPES:
        for dtype in DTYPES:
            sides = ("plain", "workspace") + (("naive", "primed") if dtype == "float64" else ()) + ("products", "torch")
            workers = [Worker(side) for side in sides]
            try:
                for w in workers:  # all build at once: the torch worker's import is the slow part
                    w.send("setup", N=N, D_in=D_in, H=H, C=C, dtype=dtype)
                for w in workers:
                    w.receive("setup")
                raced = _race(workers, rounds, block, gap)
                validation = workers[1].call("validation", repeats=20)
            finally:
                for w in workers:
                    w.close()
            row = _row(N, D_in, H, C, dtype, raced, validation, out["gemm"])
            out["steps"].append(row)
            log(
                f"({N}, {D_in}, {H}, {C}) {dtype}: "
                + ", ".join(
                    f"{k} {s['ms']:.3f} ms ({s['faults_per_step']:.0f} faults)" for k, s in row["sides"].items()
                )
            )
    out["checks"] = _checks()
    out["machine"]["loadavg_start"] = [round(x, 2) for x in load_start]
    out["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    out["targets"] = verdicts(out)
    out["seconds"] = time.perf_counter() - start
    return out


def _checks() -> dict:
    """Each gradient-check mode's time, relative to the full check."""
    try:
        res = one_shot("checks", **CHECK_NET)
    except RuntimeError as exc:
        return {"net": CHECK_NET, "error": str(exc)}
    full = res["full"]["seconds"]
    modes = {
        m: r | {"relative_cost": r["seconds"] / full, "times_cheaper": full / r["seconds"]} for m, r in res.items()
    }
    return {"net": CHECK_NET, "modes": modes}
