"""Exercises for the Benchmarks page: flops, the GEMM fraction, what a faster sigmoid could buy, memory."""

from __future__ import annotations

import numpy as np

from ....bench import archive
from ....bench.race import step_flops
from ....bench.targets import SHAPES
from ..base import Answer, num


def _flops():
    N, D_in, H, C = SHAPES[0]
    flops = step_flops(N, D_in, H, C)
    text = (
        rf"A product of an \((m \times k)\) and a \((k \times n)\) matrix costs \(2mkn\) flops. Forward: "
        rf"\(W^{{(1)}} X\), \(2 H D_{{\mathrm{{in}}}} N\), and \(W^{{(2)}} A^{{(1)}}\), \(2 C H N\); backward: "
        r"\(\Delta^{(1)} X^{\top}\) like the first, and \(\Delta^{(2)} A^{(1)\top}\), \(W^{(2)\top} \Delta^{(2)}\) "
        rf"like the second: \(2N(2 H D_{{\mathrm{{in}}}} + 3 C H)\) = {flops:,} at \((N, D_{{\mathrm{{in}}}}, H, C) ="
        rf" ({N}, {D_in}, {H}, {C})\), about \({num(flops / 1e6, 3)}\) MFLOP."
    )
    return Answer(flops, text)


def _largest_float64(res: dict) -> dict:
    return next(s for s in res["steps"] if (s["N"], s["D_in"], s["H"], s["C"]) == SHAPES[2] and s["dtype"] == "float64")


def _gemm_fraction():
    res = archive.load("bench")
    sides = _largest_float64(res)["sides"]
    ms = sides["plain"]["ms"]  # the step without a workspace: the table gives its time, not its fraction
    flops, rate = step_flops(*SHAPES[2]), res["gemm"]["float64"]["gflops"]
    fraction = flops / (ms * 1e-3) / (rate * 1e9)
    text = (
        rf"\({num(flops / 1e9, 4)}\) GFLOP in \({num(ms, 4)}\) ms (the plain step) is "
        rf"\({num(flops / ms / 1e6, 4)}\) GFLOP/s, against the machine's \({num(rate, 4)}\) GFLOP/s for "
        rf"one large matrix product: {100 * fraction:.1f}%, where the step with a workspace reaches "
        rf"{100 * sides['workspace']['gemm_fraction']:.1f}% (measured {res['machine']['date']})."
    )
    return Answer(fraction, text)


def _amdahl():
    prof = archive.load("profile")
    row = next(r for r in prof["rows"] if tuple(r["shape"]) == SHAPES[2] and r["dtype"] == "float64")
    step, sigma = row["step_ms"], row["phases_ms"]["a1 = σ(z1)"]
    best = step / (step - sigma)
    share = sigma / step
    text = (
        rf"Amdahl's law: the sigmoid takes \({num(100 * share, 3)}\%\) of the step, so without it the step would "
        rf"take \({num(100 * (1 - share), 3)}\%\) of its time, a speed-up of at most "
        rf"\(1/(1 - {num(share, 3)}) = {num(best, 3)}\times\) (profile of {prof['machine']['date']}). The matrix "
        r"products are most of the rest, and they already run near the GEMM rate."
    )
    return Answer(best, text)


def _memory():
    N, _, H, _ = SHAPES[2]
    sizes = {d: np.empty((H, N), dtype=d).nbytes for d in ("float64", "float32")}
    text = (
        rf"\(H \cdot N = {H} \cdot {N} = {H * N:,}\) entries: {sizes['float64']:,} bytes "
        rf"({sizes['float64'] / 2**20:g} MiB) in float64 and {sizes['float32']:,} bytes in float32. That is why the "
        r"core computes \(\sigma\) and its backward pass in place on one buffer: every extra \((H, N)\) temporary "
        "is another pass over 8 MiB of memory."
    )
    return Answer(sizes, text)
