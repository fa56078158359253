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
# # Numerical gradient
#
# A derivative is a limit, and a finite difference stops that limit at a small step $h$.
# The centred difference
#
# $$
# \frac{\partial f}{\partial x_i}(x) \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}
# $$
#
# ($e_i$ the $i$-th unit vector) perturbs one coordinate at a time, two evaluations of $f$ per
# coordinate, so it costs $2P$
# evaluations for $P$ parameters: far too slow to train with, and just right to check a
# backprop implementation on a small net.

# %%
import numpy as np

import fcnet
from fcnet.derivations.numdiff import exact_toy_gradients
from fcnet.gradcheck.toy import POINT, TOYS

# %% tags=["hide-input"]
from fcnet.site import derivation_html, show, snippet_html, table_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.exercises import exercises_html
from fcnet.site.plots import step_error_html

# %% [markdown]
# `fcnet.numerical_gradient` is the notes' `eval_numerical_gradient` without its `verbose`
# printing: it returns the gradient, restores every entry of $x$ exactly (also when
# $f$ raises), and checks its arguments. The difference itself is shown under D7 below.
#
# ## The toy problems, with their exact gradients
#
# The notes' two toy functions of $w = (w_1, w_2)$, at $(1, 2)$, are `fcnet.gradcheck.toy.f1`
# and `f2`: $f_1 = \cos w_1 \cos w_2 + \sigma(w_2)$ and $f_2 = \log(w_1 + w_2) + w_1^2 w_2$. SymPy
# derives their gradients:

# %% tags=["hide-input"]
seen = {}  # code excerpts already shown on this page (ref -> derivation): a later derivation links to them
show(derivation_html("numdiff-toy", level=3, seen=seen))

# %% [markdown]
# `exact_toy_gradients` rounds them to float64 once, and the centred difference comes within
# $10^{-9}$ of them:

# %%
exact = exact_toy_gradients()  # {"f1": ∇f1(1, 2), "f2": ∇f2(1, 2)}, each shape (2,)
for name, f in TOYS.items():
    num = fcnet.numerical_gradient(f, POINT.copy())  # h = 1e-5
    err = fcnet.rel_error(num, exact[name])
    print(f"{name}: centred difference {num}, exact {exact[name]}, rel_error {err:.1e}")
    assert err < 1e-9  # h = 1e-5: truncation ~1e-11, round-off ~1e-11

# %% [markdown]
# ## Truncation against round-off
#
# Two errors pull $h$ in opposite directions. Taylor's theorem gives the first, the *truncation*
# error of a difference quotient, forward and centred:

# %% tags=["hide-input"]
show(derivation_html("numdiff-error", level=3, seen=seen))

# %% [markdown]
# For the centred difference it shrinks with the square of $h$: smaller $h$ is better. But
# $f(x \pm h)$ are computed with a relative error of about the machine epsilon $\varepsilon$,
# and dividing their difference by $2h$ amplifies it to a *round-off* error of about
# $\varepsilon |f(x)| / h$: larger $h$ is better. The total is smallest near
# $h^\ast \approx \varepsilon^{1/3}$, about $6 \times 10^{-6}$ in float64
# ($\varepsilon = 2.2 \times 10^{-16}$) and $5 \times 10^{-3}$ in float32
# ($\varepsilon = 1.2 \times 10^{-7}$), where the error is about $\varepsilon^{2/3}$.
#
# Measured on $f_2$, for both precisions (computed while the page is built):

# %%
hs = np.logspace(-13, -0.5, 60)
errors = {}
for dtype in (np.float64, np.float32):
    w = POINT.astype(dtype)  # f2 computes in w's dtype
    errors[dtype] = np.array(
        [fcnet.norm_rel_error(fcnet.numerical_gradient(TOYS["f2"], w, h=h), exact["f2"]) for h in hs]
    )

# %% tags=["hide-input"]
show(
    step_error_html(
        hs,
        errors,
        title="Centred difference on f2 at (1, 2): truncation ~h², round-off ~ε/h",
        ylabel="norm-relative error vs exact",
    )
)

# %% [markdown]
# Where each precision does best, against the prediction $h^\ast \approx \varepsilon^{1/3}$:

# %%
for dtype, e in errors.items():
    name = np.dtype(dtype).name
    best_h, best_err, predicted = hs[np.argmin(e)], e.min(), np.finfo(dtype).eps ** (1 / 3)
    print(f"{name}: best h {best_h:.1e} (predicted {predicted:.1e}), error there {best_err:.1e}")
best = {np.dtype(t).name: (hs[np.argmin(e)], e.min()) for t, e in errors.items()}
assert 1e-7 < best["float64"][0] < 1e-3 and best["float64"][1] < 1e-9  # the trade-off, as predicted
assert 1e-4 < best["float32"][0] < 1e-1 and best["float32"][1] < 1e-3

# %% [markdown]
# ## Relative-error thresholds, and why
#
# An absolute difference means nothing without a scale: $10^{-6}$ is perfect for a gradient of
# size $10^3$ and fatal for one of size $10^{-6}$. So the checks compare relative errors:
#
# * CS231n's entry-wise $\max_i |a_i - b_i| / \max(10^{-8}, |a_i| + |b_i|)$, `fcnet.rel_error`.
#   In float64 a correct gradient gives about $10^{-7}$ or less; near $10^{-2}$ it is almost
#   surely wrong. Its weakness: the worst entry decides, and a small entry (say $10^{-6}$)
#   carries about the same absolute round-off as a large one, so its relative error is large
#   although nothing is wrong. The $10^{-8}$ floor only shields entries below about $10^{-8}$.
# * The norm-relative $\lVert a - b \rVert_F / \max(\lVert a \rVert_F, \lVert b \rVert_F)$,
#   `fcnet.norm_rel_error`, which fcnet gates on: the error of the whole gradient against its
#   size, so small entries cannot dominate. Its blind spot is a gradient that is zero as a
#   whole, like $\partial J/\partial b^{(1)}$ in the notes' example. There it compares two
#   round-off residues and reads about 1, and an absolute bound is the right check.
#
# The numbers behind fcnet's thresholds: at $h = 10^{-5}$ in float64, truncation (the leading
# term of D8) $\approx 10^{-11}$ plus round-off $\varepsilon|J|/h \approx 10^{-10}$ give a correct
# gradient a norm-relative error of $10^{-11}$ to $10^{-9}$. A threshold of $10^{-6}$ (float64)
# leaves three orders of margin, and a real bug (a missing $\frac1N$, a transposed weight, a
# dropped $\sigma'$) gives $10^{-1}$ or more. In float32 even the best $h$ leaves $10^{-6}$ to
# $10^{-4}$ (the plot above; about $3 \times 10^{-5}$ on a small net), so the threshold there is $10^{-3}$.

# %% tags=["hide-input"]
show(
    snippet_html("fcnet/gradcheck/numerical.py:rel-error"), snippet_html("fcnet/gradcheck/numerical.py:norm-rel-error")
)

# %% [markdown]
# On the worked examples, fcnet's gradients against finite differences:

# %%
rows = []
for name, example in fcnet.EXAMPLES.items():  # the notes' example ("seed") and the second one
    params, X, y, reg = example()
    _, grads = fcnet.loss_and_grads(params, X, y, reg)
    num = fcnet.numerical_gradients(lambda p: fcnet.loss_and_grads(p, X, y, reg)[0], params)
    for k in fcnet.KEYS:
        size = float(np.linalg.norm(grads[k]))
        rows.append(
            [f"{name}: ∂J/∂{k}", fcnet.norm_rel_error(grads[k], num[k]), fcnet.rel_error(grads[k], num[k]), size]
        )

# %% tags=["hide-input"]
show(table_html(["gradient", "norm_rel_error", "rel_error (CS231n)", "‖gradient‖"], rows, digits=3))

# %% [markdown]
# Every gradient agrees to about $10^{-10}$, except in one row: the notes' $\partial J/\partial b^{(1)}$,
# which is exactly zero (its norm is round-off). Its norm-relative error reads 1 because it
# divides round-off by round-off, while `rel_error`'s $10^{-8}$ floor hides it. The test suite
# checks that gradient with an absolute bound instead.

# %%
errors_by_row = {row[0]: row for row in rows}
assert errors_by_row["seed: ∂J/∂b1"][3] < 1e-12  # zero as a whole
assert all(r[1] < 1e-8 for name, r in errors_by_row.items() if name != "seed: ∂J/∂b1")

# %% tags=["hide-input"]
show(takeaways_html("numerical-gradient"))

# %% [markdown]
# ## Exercises
#
# Each answer is computed by fcnet while this page is built, and checked by a test
# (`tests/test_exercises.py`) by another route; unfold it once you have yours.

# %% tags=["hide-input"]
show(exercises_html("numerical-gradient", heading=None))
