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
# # Backprop
#
# Every gradient the net needs, derived by SymPy from the forward pass and printed here from
# the SymPy objects in `fcnet.derivations` while the page is built. Each derivation has a
# stable number (D1, D2, …) that does not depend on where it sits on this page, and an
# anchor you can link to: `…/backprop/#softmax-ce-grad` jumps to D2. Under each derivation
# are the NumPy lines that implement it, read from `fcnet/` source.
#
# Each derivation is also *proved*: `Derivation.verify()` checks the result exactly (with
# SymPy, for symbolic sizes where it can) and raises if it fails. The test suite
# (`tests/test_derivations.py`) runs it for every derivation, and checks each result
# numerically against the NumPy code it names.
#
# The chain, for one example (a column of $X$), with $\delta^{(l)} = \partial L/\partial z^{(l)}$:
# the results of the derivations below, printed from their SymPy objects. D4's linear layer
# gives the second layer's gradients with $W = W^{(2)}$, $a = a^{(1)}$, $\delta = \delta^{(2)}$.

# %%
from fcnet.site import math_html, results_latex, show

show(math_html(results_latex("softmax-ce-grad", "linear-grad", "hidden-layer-grad")))

# %% [markdown]
# The batch mean then divides by $N$ and sums the per-example gradients, and the penalty
# adds $\lambda W$ (D6).

# %%
from fcnet.derivations import all_derivations, get
from fcnet.derivations.base import tex
from fcnet.site import derivation_html, math_html, show, snippet_html, source_html, tabs_html

shown = []


def derivation(id):
    """Render one derivation (an unknown id stops the build)."""
    d = get(id)
    shown.append(d.id)
    return show(derivation_html(d))


# %% [markdown]
# ## The output layer
#
# Softmax couples the classes: each probability depends on every logit.

# %%
derivation("softmax-jacobian")

# %% [markdown]
# Cross-entropy undoes the coupling: its gradient with respect to the logits is just
# "predicted minus true".

# %%
derivation("softmax-ce-grad")

# %% [markdown]
# The same step shown three ways: the result as SymPy prints it, the NumPy that computes it
# for a batch, and the PyTorch loss whose autograd gradient the site checks against it
# ([In PyTorch](../pytorch/)).

# %%
show(
    tabs_html(
        {
            "Math": math_html(r"\begin{gathered}" + tex(get("softmax-ce-grad").result) + r"\end{gathered}"),
            "NumPy": snippet_html("fcnet/core/losses.py:softmax-ce-backward"),
            "PyTorch": source_html("fcnet/witnesses/torch_net.py:TwoLayerNet.loss"),
        }
    )
)

# %% [markdown]
# ## Through the hidden layer
#
# The sigmoid's derivative is written in terms of its own output, which the forward pass
# has already computed.

# %%
derivation("sigmoid-grad")

# %% [markdown]
# An affine layer $z = Wa + b$ passes three gradients on: to its weights, its bias and its
# input.

# %%
derivation("linear-grad")

# %% [markdown]
# The notes stop here with a truncated formula for $\partial/\partial b^{(1)}$. The complete
# first-layer gradients, $\partial L/\partial W^{(1)}$ and $\partial L/\partial b^{(1)}$,
# differentiated by SymPy through the whole composition:

# %%
derivation("hidden-layer-grad")

# %% [markdown]
# ## The batch and the penalty
#
# $J$ averages the per-example losses and adds $\tfrac12\lambda\lVert W\rVert_F^2$. Averaging
# puts the $\frac1N$ into $\delta^{(2)}$, the matrix products sum the per-example outer
# products, and the penalty contributes $\lambda W$ (the notes' "0.5 cancels").

# %%
derivation("batch-mean-l2")

# %% [markdown]
# ## The whole backward pass
#
# Composed, in `fcnet.core.net.loss_and_grads`:

# %%
show(snippet_html("fcnet/core/net.py:net-backward"))

# %% [markdown]
# ## Numerical differentiation
#
# The exact gradient of the notes' toy problem, and the error of the centred difference that
# [Numerical gradient](../numerical-gradient/) measures.

# %%
derivation("numdiff-toy")

# %%
derivation("numdiff-error")

# %% [markdown]
# ## Further derivations
#
# Every other derivation registered in `fcnet.derivations`, in its reading order (activation
# functions beyond the sigmoid, for deeper nets).

# %%
rest = [d for d in all_derivations() if d.id not in shown]
shown += [d.id for d in rest]
show(*(derivation_html(d) for d in rest))

# %%
# every registered derivation is on this page, exactly once
assert sorted(shown) == sorted(d.id for d in all_derivations()) and len(shown) == len(set(shown))
print(f"{len(shown)} derivations rendered:", ", ".join(get(i).number for i in shown))
