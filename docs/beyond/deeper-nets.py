# ---
# jupyter:
#   fcnet:
#     extras:
#     - notebooks
#     - torch
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
# # Deeper nets and more activations
#
# The notes' net has one hidden layer with a sigmoid.  Nothing in its backward pass depends on
# there being only one: each layer is an affine map followed by an element-wise activation,
# and backprop walks the same two steps back once per layer.
# `fcnet.mlp_loss_and_grads(params, X, y, reg, activations)` does exactly that, for any number
# of hidden layers and any of the activations in `fcnet.core.activations.ACTIVATIONS` (every
# table and plot below loops over that registry), with the parameters in the notes' layout
# (`W1`, `b1`, …, `WL`, `bL`; $W^{(l)}$ is $H_l \times H_{l-1}$ with $H_0 = D_{\mathrm{in}}$, and $X$ is
# $D_{\mathrm{in}} \times N$), in the notation of the two-layer net with the layer $l$ in the superscript:
#
# $$
# \begin{aligned}
# A^{(0)} &= X, \\
# Z^{(l)} &= W^{(l)} A^{(l-1)} + b^{(l)} \mathbf{1}^{\top}, \quad A^{(l)} = f^{(l)}\big(Z^{(l)}\big)
#   \qquad (l = 1, \dots, L-1), \\
# \hat{Y} &= \operatorname{softmax}\big(W^{(L)} A^{(L-1)} + b^{(L)} \mathbf{1}^{\top}\big), \\
# J &= \frac{1}{N} \sum_n \mathrm{CE}^{(n)} + \tfrac{1}{2}\lambda \sum_{l=1}^{L} \lVert W^{(l)} \rVert_F^2 .
# \end{aligned}
# $$
#
# It is built only from the pieces the two-layer net uses (`fcnet.core.layers`,
# `fcnet.core.losses`) plus the activation pairs of `fcnet.core.activations`; no formula
# is written twice.  Everything below is computed when the site is built.

# %%
import numpy as np

import fcnet
from fcnet.core.activations import ACTIVATIONS

# %% tags=["hide-input"]
from fcnet.site import derivation_html, results_table, show, snippet_html, table_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.exercises import exercises_html
from fcnet.site.plots import activation_curves_html, depth_norms_html

# %% [markdown]
# ## The forward and backward loops
#
# The forward pass stacks affine maps and activations; the backward pass starts from the
# softmax cross-entropy's $\Delta^{(L)} = \hat{Y} - Y$ (D2, column by column) and, per layer, takes the
# affine map's three gradients and then multiplies by the activation's derivative, element by element:
# $\Delta^{(l-1)} = \big(W^{(l)\top} \Delta^{(l)}\big) \odot {f^{(l-1)}}'\big(Z^{(l-1)}\big)$, and
# $\partial J/\partial W^{(l)} = \frac{1}{N} \Delta^{(l)} A^{(l-1)\top} + \lambda W^{(l)}$ (D6, layer by
# layer).  For $L = 2$ this is the notes' backprop line by line.

# %% tags=["hide-input"]
show(snippet_html("fcnet/core/mlp.py:mlp-forward"), snippet_html("fcnet/core/mlp.py:mlp-backward"))

# %% [markdown]
# ## The notes' net is the depth-1 case
#
# With one hidden layer and `["sigmoid"]`, the L-layer code makes the same calls in the same
# order as `fcnet.loss_and_grads`, so it returns the very same floats, not merely close ones:

# %%
rows = []
for name, example in fcnet.EXAMPLES.items():
    params, X, y, reg = example()
    loss, grads = fcnet.mlp_loss_and_grads(params, X, y, reg, ["sigmoid"])
    loss_2, grads_2 = fcnet.loss_and_grads(params, X, y, reg)
    diff = max(float(np.max(np.abs(grads[k] - grads_2[k]))) for k in grads)
    assert loss == loss_2 and diff == 0.0
    rows.append([name, loss, loss_2, diff])

# %% tags=["hide-input"]
show(table_html(["example", "J, mlp_loss_and_grads", "J, loss_and_grads", "max |Δ grad|"], rows))

# %% [markdown]
# ## The activations
#
# Each activation is a forward/backward pair shaped like the notes' sigmoid:
# `a, cache = f_forward(z)` and `dz = f_backward(da, cache)`, with
# $\partial J/\partial z = \partial J/\partial a \odot f'(z)$.  The
# sigmoid is `fcnet.core.layers`' own, reused.  The fourth is GELU in its exact form
# $z\,\Phi(z)$ ($\Phi$ the standard normal CDF), chosen over leaky ReLU because its derivative is
# a real derivation rather than a second case split; NumPy has no erf, so $\Phi$ calls
# `math.erf` entry by entry, which is exact but much slower than `np.tanh` (the cost table at the
# end of the page measures by how much).  Softplus,
# $\log(1 + e^z)$, is a smooth ReLU whose derivative is the notes' sigmoid $\sigma(z)$ itself; its
# forward pass is `np.logaddexp(0, z)` $= \max(0, z) + \log(1 + e^{-|z|})$, which cannot overflow.

# %%
z = np.linspace(-4, 4, 401)[None, :]
curves = {}  # name -> (f(z), f'(z)), the derivative from the backward pass
for name, act in ACTIVATIONS.items():
    a, cache = act.forward(z)
    curves[name] = (a[0], act.backward(np.ones_like(z), cache)[0])

# %% tags=["hide-input"]
show(activation_curves_html(z[0], curves))

# %% [markdown]
# ## Their derivatives, derived
#
# SymPy derives and proves each derivative from the activation's definition. Their results side
# by side (the sigmoid's, D3, is derived on the Backprop page), then each derivation step by step,
# with the code that implements it:

# %% tags=["hide-input"]
show(
    results_table([act.derivation for act in ACTIVATIONS.values()], here="beyond/deeper-nets/", names=list(ACTIVATIONS))
)
seen = {}  # code excerpts already shown on this page (ref -> derivation): a later derivation links to them
for act in ACTIVATIONS.values():
    if act.derivation != "sigmoid-grad":  # derived for the two-layer net, on the Backprop page
        show(derivation_html(act.derivation, level=3, seen=seen))

# %% [markdown]
# ## Checked four ways
#
# Each derivative is checked four ways: (1) SymPy proves it; (2) the proved result, turned into
# NumPy by `sympy.lambdify`, is compared with our `*_backward` on the derivation's own random
# inputs; our `*_backward` is compared with (3) PyTorch autograd and (4) centred differences of
# our own forward pass ($h = 10^{-5}$), on 24 random pre-activations $z \sim 2\,\mathcal{N}(0, 1)$
# kept at least $10^{-3}$ from ReLU's kink.  The numbers are norm-relative errors
# $\lVert a - b \rVert_F / \max(\lVert a \rVert_F, \lVert b \rVert_F)$.

# %%
import torch

from fcnet.derivations import get
from fcnet.witnesses.torch_mlp import TORCH_ACTIVATIONS

rng = np.random.default_rng(0)
zs = 2.0 * rng.standard_normal((4, 6))
zs[np.abs(zs) < 1e-3] = 0.5
checks = {}
for name, act in ACTIVATIONS.items():
    d = get(act.derivation)
    ours = act.backward(np.ones_like(zs), act.forward(zs)[1])
    from_result, from_code = d.numeric(np.random.default_rng(1))
    t = torch.tensor(zs, requires_grad=True)
    TORCH_ACTIVATIONS[name](t).sum().backward()
    fd = fcnet.numerical_gradient(lambda z: float(np.sum(act.forward(z)[0])), zs.copy())
    checks[name] = {
        "proved": d.verify(),
        "lambdified SymPy": fcnet.norm_rel_error(from_result, from_code),
        "PyTorch autograd": fcnet.norm_rel_error(ours, t.grad.numpy()),
        "finite differences": fcnet.norm_rel_error(ours, fd),
    }
    assert checks[name]["lambdified SymPy"] < 1e-14 and checks[name]["PyTorch autograd"] < 1e-14
    assert checks[name]["finite differences"] < 1e-8

# %% tags=["hide-input"]
show(
    table_html(
        ["activation", "SymPy", "lambdified SymPy", "PyTorch autograd", "finite differences"],
        [
            [f"{name} ({get(ACTIVATIONS[name].derivation).number})", "proved" if c["proved"] else "failed"]
            + [c[k] for k in ("lambdified SymPy", "PyTorch autograd", "finite differences")]
            for name, c in checks.items()
        ],
        digits=2,
    )
)

# %% [markdown]
# The first three agree to a few units of the last place; finite differences carry their own
# error, truncation ([D8](../../numerical-gradient/#numdiff-error)) plus round-off
# $\varepsilon |f|/h$, about $10^{-10}$ together.
#
# ## A deeper net against PyTorch
#
# A net with three hidden layers and three different activations, every gradient compared with
# PyTorch autograd (which shares no code with ours: `fcnet.witnesses.torch_mlp` uses
# `torch.nn.functional` throughout).  The test suite does this for hundreds of random nets of
# depth 1 to 4 with mixed activations and requires $\le 10^{-9}$.

# %%
activations = ["relu", "gelu", "tanh"]
params = fcnet.init_params([6, 8, 8, 5, 4], seed=2, bias_scale=0.5)
X = np.random.default_rng(2).standard_normal((6, 10))
y = np.random.default_rng(3).integers(0, 4, 10)
loss, grads = fcnet.mlp_loss_and_grads(params, X, y, 0.1, activations)
loss_t, grads_t = fcnet.torch_mlp_loss_and_grads(params, X, y, 0.1, activations)
errors = {k: fcnet.norm_rel_error(grads[k], grads_t[k]) for k in grads}
print(f"J = {loss!r} (PyTorch: {loss_t!r})")
assert max(errors.values()) < 1e-9

# %% tags=["hide-input"]
show(
    table_html(
        ["parameter", "shape", "norm-rel. error vs PyTorch"],
        [[k, str(params[k].shape), e] for k, e in errors.items()],
        digits=2,
    )
)

# %% [markdown]
# ## Why not the sigmoid: gradients through depth
#
# What a student asks next: why do deep nets not use the notes' sigmoid?  Take a net of 10
# layers, 64 units each, weights with standard deviation $1/\sqrt{\text{fan-in}}$, and look at
# $\lVert \partial J/\partial W^{(l)} \rVert_F$ layer by layer (same weights and data for every
# activation, no regularisation).  Each sigmoid layer multiplies the backward signal by
# $\sigma'(z) \le \frac14$, so it shrinks geometrically towards the input; with tanh (slope 1 at
# 0), ReLU and GELU it stays roughly level from layer to layer, while softplus (slope $\sigma(z)$,
# $\frac12$ at 0) about halves it per layer.  This shows why *not the sigmoid*; it does not single
# out ReLU, which keeps the signal no better than tanh or GELU here.

# %%
depth, width = 10, 64
params = fcnet.init_params([64] + [width] * (depth - 1) + [10], seed=0)
X = np.random.default_rng(0).standard_normal((64, 128))
y = np.random.default_rng(1).integers(0, 10, 128)
norms = {}  # activation -> ‖∂J/∂W⁽ˡ⁾‖_F for l = 1, …, depth
for name in ACTIVATIONS:
    _, grads = fcnet.mlp_loss_and_grads(params, X, y, 0.0, [name] * (depth - 1))
    norms[name] = [np.linalg.norm(grads[f"W{l}"]) for l in range(1, depth + 1)]
    per_layer = (norms[name][-1] / norms[name][0]) ** (1 / (depth - 1))
    print(f"{name:8s} ‖∂J/∂W⁽ˡ⁾‖_F changes by a factor {1 / per_layer:.2f} per layer towards the input")

# %% tags=["hide-input"]
show(depth_norms_html(norms, title=f"{depth} layers of {width} units"))

# %% [markdown]
# ## So why ReLU? Saturation and cost
#
# The case for ReLU is elsewhere.  **It does not saturate for $z > 0$**: its slope is exactly 1
# however large $z$ grows, while $\sigma'$ and $\tanh'$ fall towards 0 as soon as $|z|$ is a few
# units, so a unit pushed far to the right stops learning (ReLU pays for this on the left: for
# $z < 0$ its slope is 0, the "dying ReLU"; leaky ReLU and GELU soften that).  And **it is cheap**:
# a comparison and a multiplication, where the sigmoid, tanh and softplus need an exponential
# and GELU an erf.  The slopes, from each activation's own backward pass:

# %%
z_far = np.array([[0.5, 3.0, 10.0, 30.0]])
slopes = {name: act.backward(np.ones_like(z_far), act.forward(z_far)[1])[0] for name, act in ACTIVATIONS.items()}
assert (slopes["relu"] == 1.0).all() and slopes["tanh"][-1] < 1e-20 and slopes["sigmoid"][-1] < 1e-12

# %% tags=["hide-input"]
show(table_html(["activation", *(f"f'({z:g})" for z in z_far[0])], [[n, *v] for n, v in slopes.items()], digits=3))

# %% [markdown]
# And the cost of one forward and backward pass over a $(256, 256)$ array, relative to ReLU, as
# `benchmarks/activations_cost.py` measured it: a fresh process, the best of 20 runs of each
# activation, the median of 7 rounds that take the activations in turn (the machine is named
# under the table; run the script to measure yours):

# %%
from fcnet.bench import archive

cost = archive.load("activations")  # written by python benchmarks/activations_cost.py --save
seconds = {row["activation"]: row["seconds"] for row in cost["rows"]}

# %% tags=["hide-input"]
machine = cost["machine"]
show(
    table_html(
        ["activation", "µs per forward + backward", "× ReLU's time"],
        [[name, f"{t * 1e6:.0f}", f"{t / seconds['relu']:.1f}×"] for name, t in seconds.items()],
        caption=f"{machine['cpu']}, {machine['cores']} cores, Python {machine['python']}, {machine['date']}",
    )
)

# %% tags=["hide-input"]
# the ratio the text quotes, read from the timings above (never typed: it changes with the machine)
from fcnet.site.markup import block_html

show(
    block_html(
        f"GELU's entry-by-entry `math.erf` costs {seconds['gelu'] / seconds['tanh']:.0f}× the time of "
        f"`np.tanh` on that machine, and {seconds['gelu'] / seconds['relu']:.0f}× ReLU's."
    )
)

# %% tags=["hide-input"]
show(takeaways_html("beyond/deeper-nets"))

# %% [markdown]
# ## Exercises
#
# Each answer is computed by fcnet or SymPy while this page is built, and checked by a test
# (`tests/test_exercises.py`) by another route; unfold it once you have yours.

# %% tags=["hide-input"]
show(exercises_html("beyond/deeper-nets", heading=None))
