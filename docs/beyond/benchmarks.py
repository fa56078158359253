# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Benchmarks: one training step, NumPy against PyTorch
#
# How long does one forward + backward step of the notes' net take, loss and
# every gradient included, in our NumPy code and in PyTorch's CPU autograd?
# And how close does it come to the machine's matrix-multiply throughput?
#
# Nothing is timed while this page is built: it shows the results of a run of
# `python -m fcnet bench`, saved in `docs/beyond/bench-results.json`, and says
# on which machine and when they were measured.  To measure your own machine:
#
# ```bash
# env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python -m fcnet bench            # a table, about 1-2 minutes
# env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python -m fcnet bench --json > docs/beyond/bench-results.json
# ```
#
# (Some machines set those two variables to work around old OpenBLAS bugs; they
# slow a current NumPy, so the benchmark runs without them and reports the
# BLAS kernel it got.)
#
# ## How the race is run
#
# * **Ours**: the public `fcnet.loss_and_grads(params, X, y, reg)`, input
#   validation included, X in the notes' (D_in, N) layout.
# * **PyTorch**: `fcnet.witnesses.torch_net.TwoLayerNet`, its parameters held as tensors,
#   X a contiguous (N, D_in) tensor; a step clears the gradients, computes the
#   same J and calls `loss.backward()`.
# * Each side lives in **its own process**, and they **take turns**: a block of
#   steps (about 0.25 s) on one side, a pause of 0.15 s, a block on the other,
#   the first side alternating from round to round, 7 rounds.  On this 2-core
#   machine OpenBLAS's idle threads spin for about 0.1 s after each call; in one
#   shared process, or back to back, they would slow whichever side ran next.
# * A time is the **median** of all the steps a side ran.
# * The **GEMM fraction** divides the flops of the step's five matrix products
#   by its median time and by the machine's GEMM rate: the fastest of 7 NumPy
#   matmuls of 2048 × 2048 matrices, measured in the same run, in the same dtype:

# %%
import json

import matplotlib.pyplot as plt
import numpy as np

from fcnet.bench.race import SHAPES, step_flops
from fcnet.site import show, snippet_html, table_html
from fcnet.site.snippets import ROOT

show(snippet_html("fcnet/bench/race.py:step-flops"))

# %%
res = json.loads((ROOT / "docs/beyond/bench-results.json").read_text(encoding="utf-8"))
m, npw, tw = res["machine"], res["numpy_worker"], res["torch_worker"]
blas = "; ".join(
    f"{b['internal_api']} {b['version']}, kernel {b['architecture']}, {b['num_threads']} threads" for b in npw["blas"]
)
show(
    table_html(
        ["", "this run"],
        [
            ["measured", m["date"]],
            ["CPU", f"{m['cpu']}, {m['cores']} cores"],
            ["system", f"{m['platform']}, Python {m['python']}"],
            ["NumPy", f"{npw['numpy']} ({blas}); OpenBLAS/OMP variables: {npw['env'] or 'none'}"],
            ["PyTorch", f"{tw['torch']} ({tw['threads']} threads, BLAS {tw['blas']})"],
            ["1-minute load average", f"{m['loadavg_start'][0]} at the start, {m['loadavg_end'][0]} at the end"],
            ["GEMM rate (2048², NumPy)", ", ".join(f"{d}: {g['gflops']:.1f} GFLOP/s" for d, g in res["gemm"].items())],
            ["settings", f"{res['settings']['rounds']} rounds per configuration, {res['seconds']:.0f} s in all"],
        ],
        caption="Where and how these numbers were measured.",
    )
)

# %% [markdown]
# The benchmark itself keeps one or two cores busy, so the 1-minute load average
# rises to about 1 while it runs; much more than that at the start, or above 2 at
# the end, means other work shared the two cores.  The two sides still ran under
# the same conditions (turn by turn), but the absolute times and the GEMM rate
# are then below the machine's best.

# %%
busy = m["loadavg_start"][0] > 1.0 or m["loadavg_end"][0] > 2.0
show(
    '<div class="admonition warning"><p class="admonition-title">A busy machine</p>'
    f"<p>The load average was {m['loadavg_start'][0]} at the start and {m['loadavg_end'][0]} at the end "
    f"of this run on {m['cores']} cores: other processes competed for the CPU, so the times are noisy. "
    "The ratios compare the two sides under the same conditions; "
    "the absolute times are not the machine's best.</p></div>"
    if busy
    else f"<p>The load average was {m['loadavg_start'][0]} at the start and {m['loadavg_end'][0]} at the end: "
    "no other work of note shared the machine.</p>"
)

# %% [markdown]
# ## One step, ours against PyTorch

# %%
steps = res["steps"]
label = lambda s: f"({s['N']}, {s['D_in']}, {s['H']}, {s['C']})"  # noqa: E731
show(
    table_html(
        [
            "(N, D_in, H, C)",
            "dtype",
            "ours (ms)",
            "PyTorch (ms)",
            "ours / PyTorch",
            "(ratio of the fastest steps)",
            "ours: GEMM %",
            "PyTorch: GEMM %",
            "validation (ms, % of ours)",
        ],
        [
            [
                label(s),
                s["dtype"],
                f"{s['numpy_ms']:.3f}",
                f"{s['torch_ms']:.3f}",
                f"<b>{s['ratio']:.2f}</b>",
                f"{s['numpy_min_ms'] / s['torch_min_ms']:.2f}",
                f"{100 * s['numpy_gemm_fraction']:.1f}%",
                f"{100 * s['torch_gemm_fraction']:.1f}%",
                f"{s['validation_ms']:.3f} ({100 * s['validation_fraction']:.1f}%)",
            ]
            for s in steps
        ],
        caption="Median time of one forward + backward step; a ratio below 1 means ours is faster. "
        "The ratio of the fastest steps is less sensitive to other load on the machine.",
    )
)

# %%
fig, (ax_t, ax_r) = plt.subplots(1, 2, figsize=(10, 3.8))
shapes = list(dict.fromkeys(label(s) for s in steps))
x = np.arange(len(shapes))
for k, dtype in enumerate(("float64", "float32")):
    rows = [next(s for s in steps if label(s) == sh and s["dtype"] == dtype) for sh in shapes]
    off = (k - 0.5) * 0.4
    ax_t.bar(x + off - 0.1, [r["numpy_ms"] for r in rows], 0.2, label=f"ours {dtype}", color=f"C{2 * k}")
    ax_t.bar(x + off + 0.1, [r["torch_ms"] for r in rows], 0.2, label=f"PyTorch {dtype}", color=f"C{2 * k + 1}")
    ax_r.plot(x, [r["ratio"] for r in rows], "o-", label=dtype)
ax_t.set(yscale="log", ylabel="ms per step (median)", title="time per step")
ax_r.axhline(1.0, color="0.4", lw=1, ls="--")
ax_r.axhline(0.8, color="0.6", lw=1, ls=":")
ax_r.set(
    ylabel="ours / PyTorch",
    title="ratio (below 1: ours faster)",
    ylim=(0, max(1.5, 1.1 * max(s["ratio"] for s in steps))),
)
for ax in (ax_t, ax_r):
    ax.set_xticks(x, shapes, fontsize=8)
    ax.set_xlabel("(N, D_in, H, C)")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## What a gradient check costs
#
# `fcnet.gradcheck.checks` has three modes (see the page on gradient checks). On a net
# with (D_in, H, C) = (64, 32, 10), i.e. P = 2410 parameters, each mode's time
# relative to the full check, which evaluates J twice per parameter:

# %%
c = res["checks"]
show(
    table_html(
        ["mode", "evaluations of J", "time (ms)", "relative to full", "times cheaper"],
        [
            [mode, r["n_evals"], f"{1e3 * r['seconds']:.2f}", f"{r['relative_cost']:.2e}", f"{r['times_cheaper']:.0f}×"]
            for mode, r in c["modes"].items()
        ],
        caption=f"Batch N = {c['net']['N']}; sparse k = 10 entries, directional m = 2 directions.",
    )
    if "modes" in c
    else f"<p>Not measured in this run: {c.get('error')}</p>"
)

# %% [markdown]
# ## The targets

# %%
v, t = res["targets"], res["targets"]["targets"]
verdict = lambda ok: "not measured" if ok is None else ("met" if ok else "<b>missed</b>")  # noqa: E731
show(
    table_html(
        ["target", "this run"],
        [
            [f"ours / PyTorch ≤ {t['ratio_max']} at every shape and dtype", verdict(v["ratio_max_met"])],
            [f"ours / PyTorch ≤ {t['ratio_small']} at the two smaller shapes (an aim)", verdict(v["ratio_small_met"])],
            [
                f"≥ {t['gemm_fraction_large_float64']:.0%} of the GEMM rate at (1024, 784, 1024, 10), float64",
                verdict(v["gemm_fraction_met"]),
            ],
            [
                f"directional check ≥ {t['directional_cheaper']:.0f}× cheaper than the full check",
                verdict(v["directional_met"]),
            ],
        ],
    )
)

# %% [markdown]
# ## Where our time goes
#
# `benchmarks/profile_step.py` times each phase of our step as the core
# computes it, and the matrix products alone.
# Its last results, from `docs/beyond/profile-results.json`:

# %%
prof = json.loads((ROOT / "docs/beyond/profile-results.json").read_text(encoding="utf-8"))
pm, rows = prof["machine"], prof["rows"]
heads = [f"{tuple(r['shape'])}<br>{r['dtype']}" for r in rows]
body = [["<b>whole step</b>", *(f"<b>{r['step_ms']:.3f}</b>" for r in rows)]]
body += [[name, *(f"{r['phases_ms'][name]:.3f}" for r in rows)] for name in rows[0]["phases_ms"]]
body += [
    [f"<i>GEMM alone</i>: {name}", *(f"{r['gemm_only_ms'][name]:.3f}" for r in rows)]
    for name in rows[0]["gemm_only_ms"]
]
show(
    table_html(
        ["ms (median of 15)", *heads],
        body,
        caption=f"Measured {pm['date']} on {pm['cpu']}, {pm['cores']} cores; load average {pm['loadavg_start'][0]}.",
    )
)

# %% [markdown]
# ### Reading the profile
#
# * The two big matrix products (W1 X and δ1 Xᵀ) run close to the machine's
#   GEMM rate; everything else is element-wise work over (H, N) arrays, which
#   NumPy does on one core while PyTorch spreads it over both.
# * The sigmoid is most of that work: one exp per entry.  The core computes
#   1/(1 + e^{−z}) in place (exp, +1 and reciprocal on one buffer) and
#   recomputes the far tail, where e^{−z} overflows, as e^{z}.  An earlier
#   version, exp(−logaddexp(0, −z)), was safe too but took about four times as
#   long (40 ms of a 113 ms step at the largest shape) and was the reason our
#   step was slower than PyTorch's there.
# * `sigmoid_backward` and the bias add work in place on one buffer, and the
#   L2 penalty is a dot product, so no second (H, N) temporary is made.
# * Validation (`check_batch`: keys, shapes, dtypes, finiteness of every entry)
#   is the table's last column: a fixed cost of a few tenths of a millisecond,
#   about a tenth of the step at the smallest shape and about 1% at the largest.
#   It is the price of errors that name the argument, and the public call keeps it.
#
# The budget for the GEMM target at the largest shape, from the profile:

# %%
big = next(r for r in rows if tuple(r["shape"]) == SHAPES[2] and r["dtype"] == "float64")
flops = step_flops(*SHAPES[2])
rate = res["gemm"]["float64"]["gflops"] * 1e9
gemm_ms = sum(big["gemm_only_ms"].values())
budget_ms = 1e3 * flops / (0.8 * rate)
sigma_ms = big["phases_ms"]["a1 = σ(z1)"]
show(
    table_html(
        ["at (1024, 784, 1024, 10), float64", "ms"],
        [
            ["the whole step, as the core computes it now", f"{big['step_ms']:.1f}"],
            ["its matrix products alone", f"{gemm_ms:.1f}"],
            ["the step time that would reach 80% of the GEMM rate", f"{budget_ms:.1f}"],
            ["so: time left for everything else", f"{budget_ms - gemm_ms:.1f}"],
            ["of which the sigmoid, σ(z1)", f"{sigma_ms:.1f}"],
        ],
    )
)

# %% tags=["hide-input"]
from fcnet.site.blocks import takeaways_html

show(takeaways_html("beyond/benchmarks"))

# %% tags=["hide-input"]
from fcnet.site.exercises import exercises_html

show(exercises_html("beyond/benchmarks"))
