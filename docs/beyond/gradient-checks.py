# ---
# jupyter:
#   fcnet:
#     extras:
#     - notebooks
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
# # A gradient-check toolkit
#
# Perturbing every parameter in turn is the gold standard for checking a backward pass, and it
# costs two evaluations of the loss per parameter: 82 for the notes' net, whose 41 parameters
# [Numerical gradient](../../numerical-gradient/) checks this way, and hopeless for a million.
# (The notes themselves apply finite differences only to their toy function of $w_1, w_2$; their
# net's gradients they print beside PyTorch's and compare by eye.)  `fcnet.gradcheck.checks` offers
# three modes with one report format:
#
# | mode | compares | evaluations of $f$ | catches a wrong entry… |
# |---|---|---|---|
# | `full_check` | every entry $\partial f/\partial x_i$ with its centred difference | $2P$ | always |
# | `sparse_check` | $k$ entries drawn at random (seeded), as CS231n's `grad_check_sparse` | $2k$ | only if it is drawn: probability $k/P$ |
# | `directional_check` | $\nabla f \cdot v$ with $\frac{f(x + hv) - f(x - hv)}{2h}$ for $m$ random unit $v$, as `torch.autograd.gradcheck`'s fast mode | $2m$ | almost surely, with one direction |
#
# Each returns a `CheckReport`: the norm-relative error
# $\lVert g - \hat{g} \rVert_F / \max(\lVert g \rVert_F, \lVert \hat{g} \rVert_F)$ of what it compared (the
# gradient $g$ the code claims, the numerical $\hat{g}$), pass or fail against a stated threshold ($10^{-6}$ in float64), the worst entry
# or direction with both values there, CS231n's largest entry-wise relative error, and the
# number of evaluations.  Everything on this page is computed when the site is built.

# %%
import time
import warnings

import numpy as np

import fcnet
from fcnet.gradcheck.checks import PrecisionWarning, directional_check, full_check, sparse_check
from fcnet.gradcheck.planted import PLANTED_BUGS, bug_table, planted_problem

# %% tags=["hide-input"]
from fcnet.site import check_table_html, show, snippet_html, table_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.exercises import exercises_html
from fcnet.site.plots import step_error_html

# %% [markdown]
# ## Two finite differences
#
# The full and sparse checks use the notes' centred difference, one entry at a time.  The
# directional check needs no new formula: $\nabla f \cdot v$ is the derivative of
# $t \mapsto f(x + tv)$ at $t = 0$, so it is the same centred difference applied to that
# one-variable function.

# %% tags=["hide-input"]
show(
    snippet_html("fcnet/gradcheck/numerical.py:centred-difference"),
    snippet_html("fcnet/gradcheck/checks.py:directional-derivative"),
)

# %% [markdown]
# ## Three planted bugs
#
# The test problem is `fcnet.gradcheck.planted.planted_problem()`: the notes' two-layer net with
# $N = 5$, $D_{\mathrm{in}} = H = 4$, $C = 3$ and $\lambda = 0.5$, so $W^{(1)}$ is square and a
# transposed `dW1` still has the right shape (a shape check cannot catch it).  Each bug takes the
# correct gradient and makes one classic slip:

# %% tags=["hide-input"]
show(*(snippet_html(f"fcnet/gradcheck/planted.py:{name}") for name in ("bug-sign", "bug-half", "bug-transpose")))

# %% [markdown]
# ## Which check catches which
#
# Full check, sparse check with $k = 10$ of the $P = 35$ entries, directional check with $m = 2$
# directions (seed 0 for both draws).  A cell reads "pass" or "FAIL", the norm-relative error,
# and where the error is largest.

# %%
params, X, y, reg = planted_problem()
P = sum(v.size for v in params.values())  # 35 parameters
table = bug_table(k=10, n_directions=2, seed=0)  # one row per gradient: {"bug", "full", "sparse", "directional"}
modes = ("full", "sparse", "directional")
# what the text below says
assert all(table[0][m].error < 1e-10 for m in modes)
assert all(not row[m].passed and row[m].error > 0.1 for row in table[1:] for m in ("full", "directional"))
assert table[1]["sparse"].passed and not table[2]["sparse"].passed and not table[3]["sparse"].passed

# %% tags=["hide-input"]
labels = {"full": "full (every entry)", "sparse": "sparse (k = 10)", "directional": "directional (m = 2)"}
show(check_table_html(table, labels, caption=f"threshold {table[0]['full'].threshold:g}; P = {P} parameters"))

# %% [markdown]
# The correct gradient passes every check with about four orders of margin; every bug fails the
# full and the directional check by five or more.  The sparse check misses the sign error: with
# $k = 10$ draws out of 35 it checks the one wrong entry, `W2[1, 2]`, only with probability
# $10/35 \approx 29\%$, and this draw did not.  The other two bugs touch many entries and are
# caught.  The full check also points at the culprit: for the sign error its worst entry is
# `W2[1, 2]`, with analytic and numerical values of opposite sign:

# %%
print(table[1]["full"])

# %% [markdown]
# ## How often does the sparse check see a one-entry bug?
#
# Over 200 seeds per $k$, the fraction of sparse checks that fail on the sign error, next to the
# chance $k/P$ of drawing the wrong entry ($k = P = 35$ draws every entry: that is the full check,
# which always catches it):

# %%
_, grads = fcnet.loss_and_grads(params, X, y, reg)
sign_bug = PLANTED_BUGS["sign error in dW2[1, 2]"](params, grads, reg)
loss = lambda p: fcnet.loss_and_grads(p, X, y, reg)[0]  # noqa: E731
caught_rate = {}
for k in (1, 5, 10, 20):
    caught_rate[k] = np.mean([not sparse_check(loss, params, sign_bug, k=k, seed=s).passed for s in range(200)])

# %% tags=["hide-input"]
show(
    table_html(
        ["k", "caught (200 seeds)", "k/P"], [[str(k), f"{c:.1%}", f"{k / P:.1%}"] for k, c in caught_rate.items()]
    )
)

# %% [markdown]
# A directional check sees every entry at once: a wrong entry $i$ changes $\nabla f \cdot v$ by
# $(\text{error}) \cdot v_i$, which is zero only if $v_i = 0$, an event of probability zero.  That is
# the idea of `torch.autograd.gradcheck(..., fast_mode=True)`, which compares one random
# projection of the Jacobian; by default (`fast_mode=False`) it compares the whole Jacobian,
# entry by entry, as a full check does.

# %% [markdown]
# ## What each mode costs
#
# On `fcnet.bench.race.CHECK_NET`, the net on which the [Benchmarks](../benchmarks/) page times the
# same three checks, so that both pages count the same evaluations:

# %%
from fcnet.bench.race import CHECK_NET

params64, X64, y64, reg64 = fcnet.random_example(**CHECK_NET, seed=1)
P64 = sum(p.size for p in params64.values())
print(f"(D_in, H, C) = ({CHECK_NET['D_in']}, {CHECK_NET['H']}, {CHECK_NET['C']}), N = {CHECK_NET['N']}: P = {P64}")
_, grads64 = fcnet.loss_and_grads(params64, X64, y64, reg64)
loss64 = lambda p: fcnet.loss_and_grads(p, X64, y64, reg64)[0]  # noqa: E731
runs = {
    "full": lambda: full_check(loss64, params64, grads64),
    "sparse, k = 10": lambda: sparse_check(loss64, params64, grads64, k=10),
    "directional, m = 2": lambda: directional_check(loss64, params64, grads64, n_directions=2),
}
reports, seconds = {}, {}
for name, run in runs.items():
    start = time.perf_counter()
    reports[name] = run()
    seconds[name] = time.perf_counter() - start

# %% tags=["hide-input"]
full_evals = reports["full"].n_evals
show(
    table_html(
        ["mode", "evaluations", "fewer than full", "time (this build)", "result", "error"],
        [
            [name, str(r.n_evals), f"{full_evals / r.n_evals:g}×", f"{seconds[name] * 1e3:.1f} ms"]
            + ["pass" if r.passed else "FAIL", f"{r.error:.1e}"]
            for name, r in reports.items()
        ],
    )
)

# %% [markdown]
# The cost is the number of evaluations of $f$, each a forward pass; the benchmarks page times
# the three modes.

# %% [markdown]
# ## float32: why the step must grow
#
# A centred difference makes two errors: truncation, which shrinks with the square of $h$ (SymPy
# derives it in [D8](../../numerical-gradient/#numdiff-error)), and round-off: each value
# of $f$ is off by about $\varepsilon |f|$ ($\varepsilon$ the machine epsilon), so their difference
# over $2h$ is off by about $\varepsilon |f| / h$, which grows as $h$ shrinks.  The total is
# smallest near $h \approx \sqrt[3]{\varepsilon} \cdot \text{scale}$.  In float64,
# $\varepsilon \approx 2.2 \cdot 10^{-16}$ and $h = 10^{-5}$ is comfortably inside the good range;
# in float32, $\varepsilon \approx 1.2 \cdot 10^{-7}$, so round-off at $h = 10^{-5}$ is about
# $10^{-2}$ relative and a correct gradient fails.  The toolkit warns:

# %%
p32 = {k: v.astype(np.float32) for k, v in params.items()}
X32 = X.astype(np.float32)
loss32 = lambda p: fcnet.loss_and_grads(p, X32, y, reg)[0]  # noqa: E731
_, g32 = fcnet.loss_and_grads(p32, X32, y, reg)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    report = full_check(loss32, p32, g32)
print(f"{caught[0].category.__name__}: {caught[0].message}\n")
print(report)
print(full_check(loss32, p32, g32, h=5e-3))

# %% [markdown]
# The error of the directional check on the correct gradient as the step varies, in both
# precisions (the mean over 8 directions):

# %%
steps = np.logspace(-8, -0.5, 31)
errors = {}  # dtype -> the mean error at each step
with warnings.catch_warnings():
    warnings.simplefilter("ignore", PrecisionWarning)
    for dtype, p, g, f in ((np.float64, params, grads, loss), (np.float32, p32, g32, loss32)):
        errors[dtype] = [
            np.mean([directional_check(f, p, g, n_directions=1, seed=s, h=float(h)).error for s in range(8)])
            for h in steps
        ]

# %% tags=["hide-input"]
show(
    step_error_html(
        steps,
        errors,
        title="round-off ~ ε/h on the left, truncation ~ h² on the right",
        ylabel="error of a correct gradient",
        thresholds={np.float64: reports["full"].threshold, np.float32: report.threshold},
    )
)

# %% tags=["hide-input"]
show(takeaways_html("beyond/gradient-checks"))

# %% [markdown]
# ## Exercises
#
# Each answer is computed by fcnet while this page is built, and checked by a test
# (`tests/test_exercises.py`) by another route; unfold it once you have yours.

# %% tags=["hide-input"]
show(exercises_html("beyond/gradient-checks", heading=None))
