"""Tables and the figure of the benchmarks page, built from the committed results (`fcnet.bench.archive`).

Nothing here measures: every function turns a results dict into HTML for
`fcnet.site.show`, so that the page's cells hold no rendering code.

>>> from fcnet.bench import archive
>>> html = race_table(archive.load("bench"))
>>> html.count("<tr>") == 1 + len(archive.load("bench")["steps"])   # a header and a row per configuration
True
"""

from __future__ import annotations

from ..bench.memory import RATIO_MAX
from .figures import style, svg_html
from .render import Markup, table_html

__all__ = [
    "shape_label",
    "machine_table",
    "busy_note",
    "race_table",
    "allocator_table",
    "race_figure",
    "floor_note",
    "memory_table",
    "threads_table",
    "threads_verdict",
    "sixteen_cores_table",
    "checks_table",
    "profile_table",
    "targets_table",
]

SIDE_NAMES = {"plain": "plain call", "workspace": "with a Workspace", "torch": "PyTorch"}
#: the allocator table's columns
SIDES_BY_STATE = {
    "naive": "a new array for every result, fresh process",
    "primed": "the same, after a 16 MiB block was freed",
    "plain": "plain call (one block per call)",
    "workspace": "with a Workspace",
}


def shape_label(s: dict) -> str:
    return f"({s['N']}, {s['D_in']}, {s['H']}, {s['C']})"


def machine_table(res: dict) -> str:
    """Where, when and how the race was run."""
    m, w = res["machine"], res["workers"]
    blas = "; ".join(
        f"{b['internal_api']} {b['version']}, kernel {b['architecture']}, {b['num_threads']} threads" for b in w["blas"]
    )
    removed = ", ".join(f"{k}={v}" for k, v in res["removed_env"].items()) or "none was set"
    rows = [
        ["measured", m["date"]],
        ["CPU", f"{m['cpu']}, {m['cores']} cores"],
        ["system", f"{m['platform']}, Python {m['python']}"],
        ["NumPy", f"{w['numpy']} ({blas or 'BLAS unknown'})"],
        ["PyTorch", f"{w['torch']} ({w['torch_threads']} threads, BLAS {w['torch_blas']})"],
        ["OpenBLAS overrides removed for both sides", removed],
        ["1-minute load average", f"{m['loadavg_start'][0]} at the start, {m['loadavg_end'][0]} at the end"],
        [
            "GEMM rate (NumPy, own process)",
            ", ".join(f"{d}: {g['gflops']:.1f} GFLOP/s" for d, g in res["gemm"].items()),
        ],
        ["settings", f"{res['settings']['rounds']} rounds per configuration, {res['seconds']:.0f} s in all"],
    ]
    return table_html(["", "this run"], rows, caption="Where and how these numbers were measured.")


def busy_note(res: dict) -> str:
    """A warning when other work shared the machine (the benchmark alone keeps the load near 1)."""
    m = res["machine"]
    start, end = m["loadavg_start"][0], m["loadavg_end"][0]
    if start > 1.0 or end > 2.0:
        return (
            '<div class="admonition warning"><p class="admonition-title">A busy machine</p>'
            f"<p>The load average was {start} at the start and {end} at the end of this run on {m['cores']} cores: "
            "other processes competed for the CPU, so the times are noisy and below the machine's best. "
            "The sides still ran turn by turn under the same conditions.</p></div>"
        )
    return f"<p>The load average was {start} at the start and {end} at the end: no other work of note.</p>"


def race_table(res: dict) -> str:
    """Median ms per step of each side, the ratios to PyTorch, page faults per step, the GEMM fraction."""
    rows = []
    for s in res["steps"]:
        sd, r = s["sides"], s["ratios"]
        rows.append(
            [
                shape_label(s),
                s["dtype"],
                *(f"{sd[k]['ms']:.3f}" for k in ("plain", "workspace", "torch")),
                Markup(f"<b>{r['plain']:.2f}</b>"),
                Markup(f"<b>{r['workspace']:.2f}</b>"),
                f"{r['products']:.2f}" if "products" in r else "—",
                " / ".join(f"{sd[k]['faults_per_step']:.0f}" for k in ("plain", "workspace", "torch")),
                f"{100 * sd['workspace']['gemm_fraction']:.0f}%",
            ]
        )
    head = ["(N, D_in, H, C)", "dtype", "plain (ms)", "workspace (ms)", "PyTorch (ms)", "plain / PyTorch"]
    head += ["workspace / PyTorch", "the five products alone / PyTorch"]
    head += ["faults per step: plain / workspace / PyTorch", "workspace: of the GEMM rate"]
    caption = (
        "Median time of one forward + backward step; a ratio below 1 means ours is faster. The products alone are "
        "the step's five matrix products and nothing else: no NumPy step can go below them."
    )
    return table_html(head, rows, caption=caption)


def allocator_table(res: dict) -> str:
    """float64: a new array for every result, in a fresh process and after a 16 MiB block was freed; our step."""
    rows = []
    for s in (s for s in res["steps"] if s["dtype"] == "float64"):
        sd = s["sides"]
        extra_ms = sd["naive"]["ms"] - sd["primed"]["ms"]
        extra_faults = sd["naive"]["faults_per_step"] - sd["primed"]["faults_per_step"]
        per_fault = f"{1e3 * extra_ms / extra_faults:.1f} µs" if extra_faults > 10 else "— (both fault)"
        cells = [f"{sd[k]['ms']:.3f} ms, {sd[k]['faults_per_step']:.0f} faults" for k in SIDES_BY_STATE]
        rows.append([shape_label(s), *cells, per_fault])
    head = ["(N, D_in, H, C), float64", *SIDES_BY_STATE.values(), "fresh − primed, per fault"]
    caption = "One step in each allocator state; faults are minor page faults per step, once warm."
    return table_html(head, rows, caption=caption)


def floor_note(res: dict) -> str:
    """What the products alone say about the targets: which are out of reach on this machine, with the numbers."""
    t = res["targets"]["targets"]
    f64 = [s for s in res["steps"] if s["dtype"] == "float64" and "products" in s["ratios"]]
    if not f64:
        return "<p>This run did not time the products alone.</p>"
    floors = ", ".join(f"{s['ratios']['products']:.2f} at {shape_label(s)}" for s in f64)
    out = [
        "<p>The column <i>the five products alone</i> is a floor: the step's five matrix products and nothing "
        "else, into arrays made once, in a process of their own. No NumPy step can take less on this machine's "
        f"BLAS, whatever it does with the rest. In float64, the products alone / PyTorch's whole step: {floors}.</p>"
    ]
    above = [shape_label(s) for s in f64 if s["ratios"]["products"] > t["workspace_ratio_max"]]
    if above:
        out.append(
            f"<p>So a step ≤ {t['workspace_ratio_max']} × PyTorch is out of reach at {' and '.join(above)}: the "
            "products alone take longer. PyTorch spreads its element-wise work over both cores, while NumPy's runs "
            "on one.</p>"
        )
    large = next((s for s in f64 if s["N"] == 1024 and s["H"] == 1024), None)
    if large is not None:
        products, step = large["sides"]["products"], large["sides"]["workspace"]
        frac = t["gemm_fraction_large_float64"]
        budget = products["ms"] * (products["gemm_fraction"] / frac - 1)  # ms beyond the products at `frac`
        rest = step["ms"] - products["ms"]
        out.append(
            f"<p>At {shape_label(large)} the products alone reach {100 * products['gemm_fraction']:.0f}% of the "
            f"GEMM rate (a 2048² product's). For the whole step to reach {100 * frac:.0f}%, everything else it does "
            f"(the sigmoid, its derivative, the biases and sums, the penalty, the checks) would have to fit in "
            f"{max(budget, 0):.1f} ms; it takes {rest:.1f} ms.</p>"
        )
    return "".join(out)


def race_figure(res: dict) -> str:
    """Time per step of each side (log scale) and the ratios to PyTorch, as an inline SVG in the site's colours."""
    from matplotlib.figure import Figure

    with style():  # the site's palette: ink in currentColor, a transparent background (light and dark)
        fig = Figure(figsize=(10, 3.8))
        ax_t, ax_r = fig.subplots(1, 2)
        shapes = list(dict.fromkeys(shape_label(s) for s in res["steps"]))
        x = list(range(len(shapes)))
        sides = ("plain", "workspace", "torch")
        for k, dtype in enumerate(("float64", "float32")):
            rows = [s for s in res["steps"] if s["dtype"] == dtype]
            for j, side in enumerate(sides):
                off = (k * 3 + j - 2.5) * 0.13
                bar = {"color": f"C{j}", "alpha": 1.0 if k == 0 else 0.5, "label": f"{SIDE_NAMES[side]}, {dtype}"}
                ax_t.bar([i + off for i in x[: len(rows)]], [s["sides"][side]["ms"] for s in rows], 0.13, **bar)
            for j, side in enumerate(sides[:2]):
                ls = "-" if k == 0 else "--"
                label = f"{SIDE_NAMES[side]}, {dtype}"
                ax_r.plot(x[: len(rows)], [s["ratios"][side] for s in rows], "o" + ls, color=f"C{j}", label=label)
        ax_t.set(yscale="log", ylabel="ms per step (median)", title="time per step")
        ax_r.axhline(1.0, color="0.4", lw=1, ls="--")
        target = res["targets"]["targets"]["workspace_ratio_max"]
        ax_r.axhline(target, color="0.6", lw=1, ls=":")
        title = f"ratio (below 1: ours faster; dotted: the {target:g} target)"
        ax_r.set(ylabel="ours / PyTorch", title=title, ylim=(0, None))
        for ax in (ax_t, ax_r):
            ax.set_xticks(x, shapes, fontsize=8)
            ax.set_xlabel("(N, D_in, H, C)")
            ax.grid(alpha=0.3, axis="y")
            ax.legend(fontsize=7)
    return svg_html(fig, "Time per step and ratio to PyTorch, plain call and Workspace, float64 and float32.")


def memory_table(mem: dict) -> str:
    """Peak memory of one step per variant, against the minimum its arrays need."""
    rows = []
    for name, r in mem["variants"].items():
        peak = r["inputs_bytes"] + r["peak_above_inputs_bytes"]
        rows.append(
            [SIDE_NAMES.get(name, name), f"{peak / 2**20:.0f}", Markup(f"<b>{r['ratio']:.3f}</b>"), r["measured_by"]]
        )
    s = mem["shape"]
    minimum = next(iter(mem["variants"].values()))["minimum_bytes"]
    caption = (
        f"(N, D_in, H, C) = ({s['N']}, {s['D_in']}, {s['H']}, {s['C']}), float64; minimum {minimum / 2**20:.0f} MiB: "
        "the inputs, one (H, N) array and the gradients. Measured "
        f"{mem['machine']['date']}, each variant in a fresh process."
    )
    return table_html(["step", "peak (MiB)", "peak / minimum", "measured by"], rows, caption=caption)


def threads_table(th: dict) -> str:
    """The element-wise work split across a thread pool, against one thread, on this machine."""
    rows = [
        [
            r["shape"],
            f"{r['serial_ms']:.3f}",
            f"{r['threads_ms']:.3f}",
            Markup(f"<b>{r['threads_ms'] / r['serial_ms']:.2f}</b>"),
        ]
        for r in th["rows"]
    ]
    caption = f"Workspace step, float64, median of alternating fresh processes; measured {th['machine']['date']}."
    return table_html(["(N, D_in, H, C)", "one thread (ms)", f"{th['threads']} threads (ms)", "ratio"], rows, caption)


def threads_verdict(th: dict) -> str:
    """Where the thread pool paid (ratio below 0.95), where it broke even (0.95 to 1.05) and where it cost.

    Each word is read from the ratios it describes, so the sentence cannot say "nothing" beside a cost.
    """
    groups = {"pays": [], "even": [], "costs": []}
    for r in th["rows"]:
        kind = "pays" if r["ratio"] < 0.95 else "even" if r["ratio"] <= 1.05 else "costs"
        groups[kind].append(f"{r['shape']} ({r['ratio']:.2f})")
    if not groups["even"] and not groups["costs"]:
        return f"<p>The pool pays at every shape: {', '.join(groups['pays'])}; fcnet's step is still one-threaded.</p>"
    said = [f"It pays at {', '.join(groups['pays'])}" if groups["pays"] else "It pays nowhere"]
    if groups["even"]:
        said.append(f"it neither costs nor gains at {', '.join(groups['even'])}")
    if groups["costs"]:
        said.append(f"it makes the step slower at {', '.join(groups['costs'])}")
    text = "; ".join(said) + (
        ". With two cores, OpenBLAS's threads are still spinning when the element-wise work starts, and the pool "
        "adds its hand-offs to every call. So fcnet's step stays one-threaded, one line per formula; on a machine "
        "with many cores the argument above applies in full."
    )
    return f"<p>{text}</p>"


def sixteen_cores_table(sixteen: dict) -> str:
    """The plain loop against PyTorch on a 16-core machine, 2 and 16 threads (``archive.load("sixteen-cores")``)."""
    rows = [[shape, f"{r['2']:.2f}", f"{r['16']:.2f}"] for shape, r in sixteen["ratios"].items()]
    return table_html(["(N, D_in, H, C)", "2 threads", "16 threads"], rows, caption="plain call / PyTorch, float64")


def checks_table(res: dict) -> str:
    """Each gradient-check mode's evaluations of J and time, relative to the full check."""
    c = res["checks"]
    if "modes" not in c:
        return f"<p>Not measured in this run: {c.get('error')}</p>"
    rows = [
        [mode, r["n_evals"], f"{1e3 * r['seconds']:.2f}", f"{r['relative_cost']:.2e}", f"{r['times_cheaper']:.0f}×"]
        for mode, r in c["modes"].items()
    ]
    caption = f"Batch N = {c['net']['N']}; sparse k = 10 entries, directional m = 2 directions."
    return table_html(["mode", "evaluations of J", "time (ms)", "relative to full", "times cheaper"], rows, caption)


def profile_table(prof: dict) -> str:
    """Each phase of the workspace step, and its matrix products alone, as a share of the step the profile timed.

    Shares, not milliseconds: the step's time on this page is the race's, measured in fresh processes the way a
    loop meets it; the profile times phases one by one in one process, at another moment of a shared machine.
    """
    rows = prof["rows"]
    share = lambda r, ms: f"{100 * ms / r['step_ms']:.0f}%"  # noqa: E731
    body = [[name, *(share(r, r["phases_ms"][name]) for r in rows)] for name in rows[0]["phases_ms"]]

    def rest(r):  # negative when the phases, timed alone, took longer than inside the step (noise, caches)
        left = r["step_ms"] - sum(r["phases_ms"].values())
        return share(r, left) if left >= 0 else f"— (the phases alone: {share(r, r['step_ms'] - left)})"

    body.append([Markup("<i>the rest: the guards, the workspace, Python's calls</i>"), *(rest(r) for r in rows)])
    body += [
        [Markup(f"<i>GEMM alone</i>: {n}"), *(share(r, r["gemm_only_ms"][n]) for r in rows)]
        for n in rows[0]["gemm_only_ms"]
    ]
    m = prof["machine"]
    caption = (
        f"Share of one workspace step; each phase the fastest of 15, timed alone. Measured {m['date']} on "
        f"{m['cpu']}, {m['cores']} cores; load {m['loadavg_start'][0]}."
    )
    return table_html(
        ["share of the step", *(Markup(f"{tuple(r['shape'])}<br>{r['dtype']}") for r in rows)], body, caption
    )


def targets_table(res: dict, mem: dict | None = None) -> str:
    """Each target of the issue and whether this run met it (speed targets in float64)."""
    v, t = res["targets"], res["targets"]["targets"]
    verdict = lambda ok: "not measured" if ok is None else ("met" if ok else Markup("<b>missed</b>"))  # noqa: E731
    large = "(1024, 784, 1024, 10)"
    rows = [
        [f"workspace step ≤ {t['workspace_ratio_max']} × PyTorch at every shape", v["workspace_ratio_met"]],
        [
            f"… reachable: the five products alone ≤ {t['workspace_ratio_max']} × PyTorch at every shape",
            v.get("workspace_ratio_reachable"),
        ],
        [f"plain call ≤ {t['plain_ratio_max']} × PyTorch at every shape", v["plain_ratio_met"]],
        [
            f"workspace step ≥ {t['gemm_fraction_large_float64']:.0%} of the GEMM rate at {large}",
            v["gemm_fraction_met"],
        ],
        [f"≤ {t['workspace_faults_max']} minor page faults per workspace step", v["workspace_faults_met"]],
        [f"directional check ≥ {t['directional_cheaper']:.0f}× cheaper than the full check", v["directional_met"]],
    ]
    rows = [[text, verdict(ok)] for text, ok in rows]
    if mem is not None:
        worst = max(r["ratio"] for k, r in mem["variants"].items() if k != "torch")
        target = f"peak memory ≤ {RATIO_MAX:g} × the minimum at N = {mem['shape']['N']:,}"
        rows.append([target, Markup(f"{verdict(worst <= RATIO_MAX)} ({worst:.3f})")])
    return table_html(["target", "this run"], rows)
