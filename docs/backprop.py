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
# # Backprop
#
# Every gradient the net needs, derived by SymPy from the forward pass and printed here from
# the SymPy objects in `fcnet.derivations` while the page is built. Each derivation has a
# stable number (D1, D2, …) that does not depend on where it sits on this page, and an
# anchor you can link to: `…/backprop/#softmax-ce-grad` jumps to D2. Under each derivation
# are the NumPy lines that implement it, read from `fcnet/` source; a line that an earlier
# derivation already showed is linked instead of repeated.
#
# Each derivation is also *proved*: `Derivation.verify()` checks the result exactly (with
# SymPy, for symbolic sizes where it can) and raises if it fails. The test suite
# (`tests/test_derivations.py`) runs it for every derivation, and checks each result
# numerically against the NumPy code it names.
#
# The chain, for one example (a column of $X$), with $\delta^{(l)} = \partial L/\partial z^{(l)}$:
# the results of D2, D4 and D5 below. D4's linear layer gives the second layer's gradients with
# $W = W^{(2)}$, $a = a^{(1)}$, $\delta = \delta^{(2)}$.

# %% tags=["hide-input"]
from fcnet.core.activations import ACTIVATIONS
from fcnet.site import derivation_html, math_html, results_latex, show

seen = {}  # code excerpts already shown on this page (ref -> derivation): later derivations link to them


def derivation(ident):
    return show(derivation_html(ident, level=3, seen=seen))


show(math_html(results_latex("softmax-ce-grad", "linear-grad", "hidden-layer-grad")))

# %% [markdown]
# The batch mean then divides by $N$ and sums the per-example gradients, and the penalty
# adds $\lambda W$ (D6).
#
# ## The output layer
#
# Softmax couples the classes: each probability depends on every logit.

# %% tags=["hide-input"]
derivation("softmax-jacobian")

# %% [markdown]
# Cross-entropy undoes the coupling: its gradient with respect to the logits is just
# "predicted minus true". PyTorch's autograd computes the same gradient from the loss alone;
# [In PyTorch](../pytorch/) compares the two, digit by digit.

# %% tags=["hide-input"]
derivation("softmax-ce-grad")

# %% [markdown]
# ## Through the hidden layer
#
# The sigmoid's derivative is written in terms of its own output, which the forward pass
# has already computed.

# %% tags=["hide-input"]
derivation("sigmoid-grad")

# %% [markdown]
# An affine layer $z = Wa + b$ passes three gradients on: to its weights, its bias and its
# input.

# %% tags=["hide-input"]
derivation("linear-grad")

# %% [markdown]
# The notes stop here with a truncated formula for $\partial/\partial b^{(1)}$. The complete
# first-layer gradients, $\partial L/\partial W^{(1)}$ and $\partial L/\partial b^{(1)}$,
# differentiated by SymPy through the whole composition; the last excerpt under it,
# `net-backward`, is the whole backward pass of `fcnet.loss_and_grads`:

# %% tags=["hide-input"]
derivation("hidden-layer-grad")

# %% [markdown]
# ## The batch and the penalty
#
# $J$ averages the per-example losses and adds $\tfrac12\lambda\lVert W\rVert_F^2$. Averaging
# puts the $\frac1N$ into $\delta^{(2)}$, the matrix products sum the per-example outer
# products, and the penalty contributes $\lambda W$ (the notes' "0.5 cancels").

# %% tags=["hide-input"]
derivation("batch-mean-l2")

# %% [markdown]
# ## Numerical differentiation
#
# The exact gradient of the notes' toy problem, and the error of the centred difference that
# [Numerical gradient](../numerical-gradient/) measures.

# %% tags=["hide-input"]
derivation("numdiff-toy")
derivation("numdiff-error")

# %% [markdown]
# ## Activations for deeper nets
#
# The derivative of every other activation in `fcnet.core.activations.ACTIVATIONS`, which
# [Deeper nets](../beyond/deeper-nets/) uses.

# %% tags=["hide-input"]
for act in ACTIVATIONS.values():
    if act.derivation != "sigmoid-grad":
        derivation(act.derivation)

# %% [markdown]
# ## Check one yourself
#
# A derivation is an object. `verify()` proves its result with SymPy (or raises), and
# `numeric` evaluates the proved result with NumPy beside fcnet's own code, on random inputs;
# `python -m fcnet derive softmax-ce-grad` prints the same steps in a terminal.

# %%
import numpy as np

import fcnet
from fcnet.derivations import get

d = get("softmax-ce-grad")
print(d.number, d.title, "- proved:", d.verify())
from_result, from_code = d.numeric(np.random.default_rng(0))  # SymPy's result vs fcnet.softmax_ce_backward
print("norm-relative difference:", fcnet.norm_rel_error(from_result, from_code))
