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
# # Forward pass
#
# A two-layer net: one hidden layer of $H$ sigmoid units, one output layer of $C$ logits,
# and a softmax that turns each column of logits into class probabilities. Here it is with the
# notes' sizes, $D_{\mathrm{in}} = 3$ inputs, $H = 4$ hidden units and $C = 5$ classes; every
# line is a weight, and one of them is picked out to fix the index convention.

# %%
import numpy as np

import fcnet
from fcnet.core.net import forward_steps

# %% tags=["hide-input"]
from fcnet.site import math_html, matrices_html, show, snippet_html, source_html, tabs_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.diagrams import diagram_html, network_svg
from fcnet.site.exercises import exercises_html

show(
    diagram_html(
        network_svg(3, 4, 5),
        r"The notes' net. Row \(h\) of \(W^{(1)}\) holds the weights into hidden unit \(h\) and column \(d\) "
        r"the weights out of input \(d\): the highlighted line is \(W^{(1)}_{10}\), `W1[1, 0]`, from input 0 to "
        r"hidden unit 1 (indices start at 0, as in the code).",
    )
)

# %% [markdown]
# One example per column of $X$, as in the notes; capitals for the batch, whose columns are the
# examples (see [Notation](../notation/)):
#
# $$
# \begin{aligned}
# Z^{(1)} &= W^{(1)} X + b^{(1)} \mathbf{1}^{\top}, & A^{(1)} &= \sigma\big(Z^{(1)}\big), \\
# Z^{(2)} &= W^{(2)} A^{(1)} + b^{(2)} \mathbf{1}^{\top}, & \hat{Y} &= \operatorname{softmax}\big(Z^{(2)}\big),
# \end{aligned}
# $$
#
# with $\sigma(t) = 1/(1 + e^{-t})$ applied entry by entry, and the softmax taken down each
# column: $\hat{Y}_{kn} = e^{Z^{(2)}_{kn}} / \sum_j e^{Z^{(2)}_{jn}}$. The term $b^{(1)} \mathbf{1}^{\top}$
# copies the bias into each of the $N$ columns; NumPy's broadcasting does that without the
# notes' `np.matlib.repmat`.

# %% [markdown]
# ## The NumPy lines
#
# Each line below is read from `fcnet/` while this page is built; the comment above each
# statement is the formula it computes.

# %% tags=["hide-input"]
show(
    snippet_html("fcnet/core/layers.py:affine-forward"),
    snippet_html("fcnet/core/layers.py:sigmoid-forward"),
    snippet_html("fcnet/core/net.py:net-forward"),
)

# %% [markdown]
# The forward pass up to the logits, three ways; the softmax that turns the logits into $\hat{Y}$
# is taken with the loss, as a log-softmax (see [The loss](../loss/)), in fcnet as in PyTorch. The
# PyTorch tab is the `forward` method of `fcnet.witnesses.torch_net.TwoLayerNet`, also read from
# source; it takes rows, so it is fed `X.T` (see [Notation & layouts](../notation/)).

# %% tags=["hide-input"]
show(
    tabs_html(
        {
            "Math": math_html(
                r"Z^{(2)} = W^{(2)}\,\sigma\big(W^{(1)} X + b^{(1)}\mathbf{1}^{\top}\big) + b^{(2)}\mathbf{1}^{\top}"
            ),
            "NumPy": snippet_html("fcnet/core/net.py:net-forward"),
            "PyTorch": source_html("fcnet/witnesses/torch_net.py:TwoLayerNet.forward"),
        }
    )
)

# %% [markdown]
# ## The notes' worked example
#
# $N = 2$ examples, $D_{\mathrm{in}} = 3$, $H = 4$, $C = 5$; every row of $W^{(1)}$ is
# $(1, 2, 3)$, every bias of layer 1 is 1, every entry of $W^{(2)}$ and $b^{(2)}$ is 2.
# `fcnet.core.net.forward_steps` returns every intermediate of the forward pass, computed by the
# lines above:

# %%
params, X, y, reg = fcnet.seed_example()
steps = forward_steps(params, X)  # {"z1": (H, N), "a1": (H, N), "z2": (C, N), "probs": (C, N)}

# %% tags=["hide-input"]
show(
    matrices_html(
        {"X": X, "Z^{(1)}": steps["z1"], "A^{(1)}": steps["a1"], "Z^{(2)}": steps["z2"], r"\hat{Y}": steps["probs"]}
    )
)

# %% [markdown]
# Every hidden unit sees the same weighted sum ($17$ for the first example, $23$ for the
# second), so $A^{(1)}$ is $1$ to seven digits, and since every row of $W^{(2)}$ is equal every
# logit is the same: $\hat{Y}$ is uniform, $1/5$ everywhere. The prediction ignores the input.
# That is also why this example cannot test layer 1's gradients; see
# [What changed](../changes/#the-degenerate-worked-example).

# %%
probs = fcnet.forward(params, X)
assert np.allclose(probs, 1 / 5, rtol=0, atol=1e-15)  # uniform: the example is degenerate

# %% [markdown]
# ## A second, non-degenerate example
#
# `fcnet.second_example()`: $N = 3$, all entries multiples of $1/8$ (exact in float64), the rows of
# $W^{(2)}$ all different, no unit saturated.

# %%
params2, X2, y2, reg2 = fcnet.second_example()
steps2 = forward_steps(params2, X2)

# %% tags=["hide-input"]
show(
    matrices_html(
        {
            "X": X2,
            "Z^{(1)}": steps2["z1"],
            "A^{(1)}": steps2["a1"],
            "Z^{(2)}": steps2["z2"],
            r"\hat{Y}": steps2["probs"],
        }
    )
)

# %%
probs2 = fcnet.forward(params2, X2)
print("column sums of Ŷ:", probs2.sum(axis=0))
print("predicted classes:", probs2.argmax(axis=0), " labels:", y2)

# %% tags=["hide-input"]
show(takeaways_html("forward"))

# %% [markdown]
# ## Exercises
#
# Each answer is computed by fcnet while this page is built, and checked by a test
# (`tests/test_exercises.py`) by another route; unfold it once you have yours.

# %% tags=["hide-input"]
show(exercises_html("forward", heading=None))
