"""The benchmark's targets, and its results as a plain-text report.

`fcnet.bench.race` measures; this module judges and prints.  The targets are
goals for the report, never assertions in a test.  They are judged in
float64, as the issue that set them asks; float32 is reported beside.

>>> verdicts({"steps": [], "checks": {}})["gemm_fraction_met"] is None   # not measured: None, not False
True
"""

from __future__ import annotations

__all__ = ["SHAPES", "DTYPES", "TARGETS", "verdicts", "format_results"]

#: (N, D_in, H, C) of the race
SHAPES = ((64, 784, 128, 10), (256, 784, 512, 10), (1024, 784, 1024, 10))
DTYPES = ("float64", "float32")

TARGETS = {
    "workspace_ratio_max": 0.7,  # workspace step / PyTorch at every shape, float64
    "plain_ratio_max": 1.0,  # plain call / PyTorch at every shape, float64
    "gemm_fraction_large_float64": 0.7,  # workspace step at (1024, 784, 1024, 10), float64
    "workspace_faults_max": 50,  # minor page faults per workspace step, once warm, every configuration
    "directional_cheaper": 100.0,  # full check time / directional check time, (D_in, H, C) = (64, 32, 10)
}


def _all(values):
    """True or False over the values, None when there are none (not measured)."""
    values = list(values)
    return all(values) if values else None


def verdicts(out: dict) -> dict:
    """Which of `TARGETS` a run met: True, False, or None when this run did not measure it."""
    f64 = [s for s in out["steps"] if s["dtype"] == "float64"]
    large = [s for s in f64 if (s["N"], s["D_in"], s["H"], s["C"]) == SHAPES[2]]
    v = {"targets": TARGETS}
    v["workspace_ratio_met"] = _all(s["ratios"]["workspace"] <= TARGETS["workspace_ratio_max"] for s in f64)
    # the floor: the products alone / PyTorch; where it is above the target, no NumPy step can meet it
    v["workspace_ratio_reachable"] = _all(
        s["ratios"]["products"] <= TARGETS["workspace_ratio_max"] for s in f64 if "products" in s["ratios"]
    )
    v["plain_ratio_met"] = _all(s["ratios"]["plain"] <= TARGETS["plain_ratio_max"] for s in f64)
    v["gemm_fraction_met"] = _all(
        s["sides"]["workspace"]["gemm_fraction"] >= TARGETS["gemm_fraction_large_float64"] for s in large
    )
    v["workspace_faults_met"] = _all(
        s["sides"]["workspace"]["faults_per_step"] <= TARGETS["workspace_faults_max"] for s in out["steps"]
    )
    d = out.get("checks", {}).get("modes", {}).get("directional")
    v["directional_met"] = d["times_cheaper"] >= TARGETS["directional_cheaper"] if d else None
    return v


def _shape(s: dict) -> str:
    return f"({s['N']}, {s['D_in']}, {s['H']}, {s['C']})"


def format_results(out: dict) -> str:
    """The results as a plain-text report: machine, GEMM rates, the race table, the check costs, the targets."""
    m, w = out["machine"], out["workers"]
    blas = ", ".join(
        f"{b['internal_api']} {b['version']} (kernel {b['architecture']}, {b['num_threads']} threads)"
        for b in w["blas"]
    )
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores; {m['platform']}; {m['date']}; "
        f"load {m['loadavg_start']} -> {m['loadavg_end']}",
        f"numpy {w['numpy']} with {blas or 'unknown BLAS'}; torch {w['torch']} ({w['torch_threads']} threads, "
        f"BLAS {w['torch_blas']}); "
        f"OpenBLAS overrides removed for the workers: {out['removed_env'] or 'none (none was set)'}",
        "GEMM (best of the repeats) "
        + ", ".join(
            f"{d}: {g['gflops']:.1f} GFLOP/s ({g['n']}², {1e3 * g['seconds']:.1f} ms)" for d, g in out["gemm"].items()
        ),
        "",
        f"{'(N, D_in, H, C)':<22} {'dtype':<8} {'side':<10} {'ms':>9} {'/ torch':>8} {'faults/step':>11} {'GEMM %':>7}",
    ]
    for s in out["steps"]:
        for side, r in s["sides"].items():
            ratio = f"{s['ratios'][side]:.2f}" if side in s["ratios"] else ""
            lines.append(
                f"{_shape(s):<22} {s['dtype']:<8} {side:<10} {r['ms']:>9.3f} {ratio:>8} {r['faults_per_step']:>11.1f} "
                f"{100 * r['gemm_fraction']:>6.1f}%"
            )
        lines.append(f"{'':<22} {'':<8} validation {s['validation_ms']:>9.3f} ms of the workspace step")
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
    v, t = out["targets"], TARGETS
    lines += [
        "",
        "targets (float64):",
        f"  workspace step <= {t['workspace_ratio_max']} x PyTorch at every shape: {v['workspace_ratio_met']}",
        f"    reachable (the products alone <= {t['workspace_ratio_max']} x PyTorch at every shape): "
        f"{v.get('workspace_ratio_reachable')}; products alone / PyTorch: "
        + ", ".join(
            f"{_shape(s)} {s['ratios']['products']:.2f}"
            for s in out["steps"]
            if s["dtype"] == "float64" and "products" in s["ratios"]
        ),
        f"  plain call <= {t['plain_ratio_max']} x PyTorch at every shape: {v['plain_ratio_met']}",
        f"  workspace step >= {t['gemm_fraction_large_float64']:.0%} of the GEMM rate at {SHAPES[2]}: "
        f"{v['gemm_fraction_met']}",
        f"  <= {t['workspace_faults_max']} minor page faults per workspace step: {v['workspace_faults_met']}",
        f"  directional check >= {t['directional_cheaper']:.0f}x cheaper than the full check: {v['directional_met']}",
        f"({out['seconds']:.0f} s, {out['settings']['rounds']} rounds per configuration)",
    ]
    return "\n".join(lines)
