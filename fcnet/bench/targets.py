"""The benchmark's targets, and its results as a plain-text report.

`fcnet.bench.race` measures; this module judges and prints.  The targets are
speed goals for the report, never assertions in a test.

>>> verdicts({"steps": [], "checks": {}})["gemm_fraction_met"] is None   # not measured: None, not False
True
"""

from __future__ import annotations

__all__ = ["SHAPES", "DTYPES", "TARGETS", "verdicts", "format_results"]

#: (N, D_in, H, C) of the race
SHAPES = ((64, 784, 128, 10), (256, 784, 512, 10), (1024, 784, 1024, 10))
DTYPES = ("float64", "float32")

TARGETS = {
    "ratio_max": 1.0,  # ours / PyTorch at every shape and dtype
    "ratio_small": 0.8,  # ... at the two smaller shapes (an aim)
    "gemm_fraction_large_float64": 0.8,  # at (1024, 784, 1024, 10), float64
    "directional_cheaper": 100.0,  # full check time / directional check time, (D_in, H, C) = (64, 32, 10)
}


def verdicts(out: dict) -> dict:
    """Which of `TARGETS` a run met: True, False, or None when this run did not measure it."""
    steps = out["steps"]
    small = [s for s in steps if (s["N"], s["D_in"], s["H"], s["C"]) in SHAPES[:2]]
    large = [s for s in steps if (s["N"], s["D_in"], s["H"], s["C"]) == SHAPES[2] and s["dtype"] == "float64"]
    v = {"targets": TARGETS}
    v["ratio_max_met"] = all(s["ratio"] <= TARGETS["ratio_max"] for s in steps)
    v["ratio_small_met"] = all(s["ratio"] <= TARGETS["ratio_small"] for s in small)
    v["gemm_fraction_met"] = (
        large[0]["numpy_gemm_fraction"] >= TARGETS["gemm_fraction_large_float64"] if large else None
    )
    d = out.get("checks", {}).get("modes", {}).get("directional")
    v["directional_met"] = d["times_cheaper"] >= TARGETS["directional_cheaper"] if d else None
    return v


def format_results(out: dict) -> str:
    """The results as a plain-text report: machine, GEMM rates, the race table, the check costs."""
    m = out["machine"]
    tw = out["torch_worker"]
    blas = ", ".join(
        f"{b['internal_api']} {b['version']} ({b['architecture']}, {b['num_threads']} threads)"
        for b in out["numpy_worker"]["blas"]
    )
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores; {m['platform']}; {m['date']}; "
        f"load {m['loadavg_start']} -> {m['loadavg_end']}",
        f"numpy {out['numpy_worker']['numpy']} with {blas or 'unknown BLAS'}; env {out['numpy_worker']['env'] or '{}'}",
        f"torch {tw['torch']} ({tw['threads']} threads, BLAS {tw['blas']})",
        "GEMM (best of the repeats) "
        + ", ".join(
            f"{d}: {g['gflops']:.1f} GFLOP/s ({g['n']}², {1e3 * g['seconds']:.1f} ms)" for d, g in out["gemm"].items()
        ),
        "",
        f"{'(N, D_in, H, C)':<22} {'dtype':<8} {'ours ms':>9} {'torch ms':>9} {'ours/torch':>10} {'(of minima)':>11} "
        f"{'ours GEMM%':>10} {'torch GEMM%':>11} {'valid. ms':>9}",
    ]
    for s in out["steps"]:
        shape = f"({s['N']}, {s['D_in']}, {s['H']}, {s['C']})"
        lines.append(
            f"{shape:<22} {s['dtype']:<8} {s['numpy_ms']:>9.3f} {s['torch_ms']:>9.3f} {s['ratio']:>10.2f} "
            f"{s['numpy_min_ms'] / s['torch_min_ms']:>11.2f} "
            f"{100 * s['numpy_gemm_fraction']:>9.1f}% {100 * s['torch_gemm_fraction']:>10.1f}%"
            f" {s['validation_ms']:>9.3f}"
        )
    c = out["checks"]
    lines.append("")
    if "modes" in c:
        net = c["net"]
        lines.append(f"gradient checks on (D_in, H, C) = ({net['D_in']}, {net['H']}, {net['C']}), N = {net['N']}:")
        for mode, r in c["modes"].items():
            lines.append(
                f"  {mode:<12} {1e3 * r['seconds']:>9.2f} ms  {r['n_evals']:>5} evaluations  "
                f"{r['relative_cost']:.2e} of full ({r['times_cheaper']:.0f}x cheaper)"
            )
    else:
        lines.append(f"gradient checks: not measured ({c.get('error')})")
    v = out["targets"]
    lines.append("")
    lines.append(
        f"targets: ours/torch <= 1.0 everywhere: {v['ratio_max_met']}; "
        f"<= 0.8 at the two smaller shapes: {v['ratio_small_met']}; "
        f">= 80% GEMM at (1024, 784, 1024, 10) float64: {v['gemm_fraction_met']}; "
        f"directional >= 100x cheaper: {v['directional_met']}"
    )
    lines.append(f"({out['seconds']:.0f} s, {out['settings']['rounds']} rounds per configuration)")
    return "\n".join(lines)
