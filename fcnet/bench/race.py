"""How fast is one training step?  Our NumPy net against PyTorch autograd.

One step is a forward and a backward pass, loss and every gradient: the public,
validated `fcnet.loss_and_grads` against `fcnet.witnesses.torch_net.TwoLayerNet` (its
parameters held as tensors, X a contiguous (N, D_in) tensor, ``loss.backward()``).

Each side runs in its own worker process (`fcnet.bench.worker`) and the two
take turns: a block of steps on one side, a pause, a block on the other,
the first side alternating from round to round.  On a 2-core machine
OpenBLAS's idle threads spin for about 0.1 s after each call; in one shared
process, or with no pause, they would slow whichever side runs next.

The step's matrix products cost 2N(2·H·D_in + 3·C·H) flops (W1X, dW1 = δ1Xᵀ;
W2a1, dW2 = δ2a1ᵀ, W2ᵀδ2); divided by the step's time and by the machine's
GEMM rate (the fastest of 7 NumPy matmuls at 2048², measured in the same run) they give the
fraction of the machine's matrix throughput the step achieves.

>>> step_flops(1024, 784, 1024, 10) / 1e9   # about 3.3 GFLOP per step at the largest shape
3.351248896
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

from .targets import DTYPES, SHAPES, verdicts

__all__ = ["SHAPES", "DTYPES", "step_flops", "run_bench", "machine_info"]

#: the net whose gradient checks are costed: (D_in, H, C), and its batch N
CHECK_NET = {"D_in": 64, "H": 32, "C": 10, "N": 16}


def step_flops(N: int, D_in: int, H: int, C: int) -> int:
    """Flops of the matrix products in one forward + backward step: 2N(2·H·D_in + 3·C·H)."""
    # --8<-- [start:step-flops]
    # forward W1 X (2·H·D_in·N) and W2 a1 (2·C·H·N); backward δ1 Xᵀ (2·H·D_in·N), δ2 a1ᵀ and W2ᵀ δ2 (2·C·H·N each)
    return 2 * N * (2 * H * D_in + 3 * C * H)
    # --8<-- [end:step-flops]


class _Worker:
    """A `fcnet.bench.worker` process; `call` sends one request and waits for the reply."""

    def __init__(self, kind: str):
        self.kind = kind
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fcnet.bench.worker", kind],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def call(self, op: str, **kw):
        self.proc.stdin.write(json.dumps({"op": op, **kw}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.kind} worker exited (code {self.proc.wait()}) during {op!r}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"the {self.kind} worker failed during {op!r}: {reply['error']}")
        return reply

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.proc.stdout.close()


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


def _race(workers, rounds: int, block: float, gap: float) -> dict[str, list[float]]:
    """Alternate blocks of timed steps between the workers; every step's seconds per side."""
    warm = {w.kind: statistics.median(w.call("time", repeats=3)["times"]) for w in workers}
    time.sleep(gap)
    repeats = {k: max(2, min(200, math.ceil(block / max(t, 1e-6)))) for k, t in warm.items()}
    times: dict[str, list[float]] = {w.kind: [] for w in workers}
    for r in range(rounds):
        for w in workers if r % 2 == 0 else workers[::-1]:
            times[w.kind] += w.call("time", repeats=repeats[w.kind])["times"]
            time.sleep(gap)  # let this side's spinning BLAS threads go idle before the other side starts
    return times


def run_bench(
    quick: bool = False, rounds: int | None = None, gap: float | None = None, block: float | None = None, log=None
) -> dict:
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
    shapes = SHAPES[:1] if quick else SHAPES
    gemm_n = 512 if quick else 2048
    start = time.perf_counter()
    load_start = os.getloadavg()
    np_w, torch_w = _Worker("numpy"), _Worker("torch")
    try:
        out = {"machine": machine_info(), "numpy_worker": np_w.call("info"), "torch_worker": torch_w.call("info")}
        out["settings"] = {
            "quick": quick,
            "rounds": rounds,
            "gap_seconds": gap,
            "block_seconds": block,
            "gemm_n": gemm_n,
        }
        out["gemm"] = {}
        for dtype in DTYPES:
            ts = np_w.call("gemm", n=gemm_n, dtype=dtype, repeats=3 if quick else 7)["times"]
            # the machine's throughput is its best: the fastest repeat (the median is recorded beside it)
            out["gemm"][dtype] = {
                "n": gemm_n,
                "seconds": min(ts),
                "median_seconds": statistics.median(ts),
                "gflops": 2 * gemm_n**3 / min(ts) / 1e9,
            }
            log(f"GEMM {gemm_n}² {dtype}: {out['gemm'][dtype]['gflops']:.1f} GFLOP/s")
            time.sleep(gap)
        out["steps"] = []
        for N, D_in, H, C in shapes:
            for dtype in DTYPES:
                for w in (np_w, torch_w):
                    w.call("setup", N=N, D_in=D_in, H=H, C=C, dtype=dtype)
                times = _race([np_w, torch_w], rounds, block, gap)
                t_np, t_torch = statistics.median(times["numpy"]), statistics.median(times["torch"])
                t_val = statistics.median(np_w.call("validation", repeats=20)["times"])
                time.sleep(gap)
                gflops = step_flops(N, D_in, H, C) / 1e9
                row = {
                    "N": N,
                    "D_in": D_in,
                    "H": H,
                    "C": C,
                    "dtype": dtype,
                    "numpy_ms": 1e3 * t_np,
                    "torch_ms": 1e3 * t_torch,
                    "numpy_min_ms": 1e3 * min(times["numpy"]),
                    "torch_min_ms": 1e3 * min(times["torch"]),
                    "ratio": t_np / t_torch,
                    "numpy_gemm_fraction": gflops / t_np / out["gemm"][dtype]["gflops"],
                    "torch_gemm_fraction": gflops / t_torch / out["gemm"][dtype]["gflops"],
                    "validation_ms": 1e3 * t_val,
                    "validation_fraction": t_val / t_np,
                    "steps_timed": {k: len(v) for k, v in times.items()},
                }
                out["steps"].append(row)
                log(f"({N}, {D_in}, {H}, {C}) {dtype}: ours {row['numpy_ms']:.3f} ms, PyTorch {row['torch_ms']:.3f} ms")
        out["checks"] = _checks(np_w)
    finally:
        np_w.close()
        torch_w.close()
    out["machine"]["loadavg_start"] = [round(x, 2) for x in load_start]
    out["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    out["targets"] = verdicts(out)
    out["seconds"] = time.perf_counter() - start
    return out


def _checks(np_w) -> dict:
    """Each gradient-check mode's time, relative to the full check."""
    try:
        res = np_w.call("checks", **CHECK_NET)
    except RuntimeError as exc:  # e.g. fcnet.gradcheck.checks missing
        return {"net": CHECK_NET, "error": str(exc)}
    full = res["full"]["seconds"]
    modes = {
        m: r | {"relative_cost": r["seconds"] / full, "times_cheaper": full / r["seconds"]} for m, r in res.items()
    }
    return {"net": CHECK_NET, "modes": modes}
