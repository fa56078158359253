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
# Every gradient the two-layer net needs, derived by SymPy from the forward pass and printed here from
# the SymPy objects in `fcnet.derivations` while the page is built. Each derivation has a
# stable number (D1, D2, …) that does not depend on where it sits on this page, and an
# anchor you can link to: `…/backprop/#softmax-ce-grad` jumps to D2. Under each derivation
# are the NumPy lines that implement it, read from `fcnet/` source; a line that an earlier
# derivation already showed is linked instead of repeated. The derivations of the numerical
# checks and of the deeper nets' activations are on the pages that use them,
# [Numerical gradient](../numerical-gradient/) and [Deeper nets](../beyond/deeper-nets/).
#
# Each derivation is also *proved*: `Derivation.verify()` checks the result exactly (with
# SymPy, for symbolic sizes where it can) and raises if it fails. The test suite
# (`tests/test_derivations.py`) runs it for every derivation, and checks each result
# numerically against the NumPy code it names.
#
# ## The idea: local gradient times upstream gradient
#
# Before any formula, the one rule that backprop applies over and over. Each node of the
# computation knows its *local* gradient: how its output moves when one of its inputs moves, a
# number it can compute from its own inputs. The gradient of $J$ that arrives at the node from
# above, the *upstream* gradient, is multiplied by the local gradient and passed on to the input.
# Three kinds of node cover most of the net:

# %% tags=["hide-input"]
from fcnet.site import derivation_html, math_html, results_latex, show
from fcnet.site.render import folded_html, snippet_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.derivation import elsewhere_html, part_html
from fcnet.site.diagrams import diagram_html, example_graph_svg
from fcnet.site.exercises import exercises_html
from fcnet.site.exercises.base import num
from fcnet.site.gates import gates_svg
from fcnet.site.markup import block_html
from fcnet.site.walkthrough import walkthrough, walkthrough_html

seen = {}  # code excerpts already shown on this page (ref -> derivation): later derivations link to them


def derivation(ident):
    return show(derivation_html(ident, level=3, seen=seen))


show(
    elsewhere_html("backprop/"),  # backprop/#ID of a derivation another page renders goes to that page
    diagram_html(
        gates_svg(),
        r"Three gates, each feeding \(J = 2 \cdot\) its output, so the upstream gradient is 2. Forward values in "
        "green, the gradient flowing back along each edge in red.",
    ),
)

# %% [markdown]
# * **Add distributes.** The local gradient of $x + y$ is 1 for each input, so both receive the
#   upstream gradient unchanged: the bias $b$ of $z = Wa + b$ receives exactly $\partial J/\partial z$.
# * **Multiply swaps.** The local gradient of $x \cdot y$ with respect to $x$ is $y$, and the other
#   way round: in $Wa$ the weight's gradient is the upstream times the input, the input's is the
#   upstream times the weight.
# * **Max routes.** $\max(x, y)$ passes the upstream gradient to the larger input and 0 to the
#   other: ReLU, $\max(z, 0)$, lets it through where $z > 0$ and stops it elsewhere.
#
# One more rule: a value that feeds several nodes receives a gradient back from each, and they
# **add**.
#
# ## Walked through on the second example
#
# The second worked example, drawn for its first example (column 0 of $X$) and its first hidden
# unit: the weights into that unit times the inputs, their sum with the bias, the sigmoid, the five
# logits it feeds, the example's cross-entropy and $J$. Each box holds the value the forward pass
# computes, each edge the gradient of $J$ that flows back along it. Every number is computed by
# fcnet's own layers while this page is built.

# %% tags=["hide-input"]
show(
    diagram_html(
        example_graph_svg("second", n=0, h=0),
        r"The second example, column 0, hidden unit 0. Not drawn: the other hidden units' terms in "
        r"\(z^{(2)}\), the other two examples, and the penalty, which adds \(\lambda W\) to a weight's gradient.",
    ),
    walkthrough_html("second", n=0, h=0),
)

# %% [markdown]
# The same walk in NumPy: example $n$'s share of $\partial J/\partial W^{(1)}$, row $h$, one
# node at a time. Adding every example's share and the penalty's $\lambda W^{(1)}$ gives exactly
# the gradient that `fcnet.loss_and_grads` computes with whole matrices.

# %%
import numpy as np

import fcnet
from fcnet.core.net import forward_steps

params, X, y, reg = fcnet.second_example()
steps = forward_steps(params, X)
N, C = X.shape[1], params["W2"].shape[0]


def path_to_W1(n, h):
    """Example n's share of ∂J/∂W⁽¹⁾, row h: upstream gradient × local gradient, node by node."""
    upstream = (steps["probs"][:, n] - np.eye(C)[y[n]]) / N  # at the logits: (ŷ − y)/N (D2, D6)
    to_a1 = params["W2"][:, h] @ upstream  # multiply swaps (local gradient W⁽²⁾_kh); the C branches add
    a = steps["a1"][h, n]
    to_z1 = to_a1 * a * (1 - a)  # the sigmoid's local gradient a(1 − a) (D3)
    return to_z1 * X[:, n]  # the sum passes it on; multiply swaps: W⁽¹⁾_hd gets it times x_d


print("example 0's share, hidden unit 0:", path_to_W1(0, 0))
_, grads = fcnet.loss_and_grads(params, X, y, reg)
rebuilt = sum(path_to_W1(n, 0) for n in range(N)) + reg * params["W1"][0]
print("all N shares + λW⁽¹⁾, row 0:    ", rebuilt)
print("fcnet.loss_and_grads, row 0:    ", grads["W1"][0])
assert np.allclose(rebuilt, grads["W1"][0], rtol=1e-13, atol=0)  # a few roundings apart, no more

# %% [markdown]
# ## The notes' example on the same graph
#
# The notes' worked example, drawn the same way, shows why it cannot test the first layer.

# %% tags=["hide-input"]
_seed = walkthrough("seed", n=0, h=0)
show(
    diagram_html(
        example_graph_svg("seed", n=0, h=0),
        r"The notes' example, column 0, hidden unit 0. Every row of \(W^{(2)}\) is the same, so the five "
        r"branches into \(a^{(1)}_0\) cancel.",
    ),
    block_html(
        r"Every row of \(W^{(2)}\) is the same, so each branch into \(a^{(1)}_0\) carries the same "
        r"multiple of \(\hat{y}_k - y_k\), and those sum to \(1 - 1 = 0\): what arrives at the hidden unit is "
        rf"\({num(_seed[2].value)}\), round-off. The sigmoid, saturated at \(z^{{(1)}}_0 = 17\), multiplies it "
        rf"by \(\sigma'(17) = {num(_seed[3].value / _seed[2].value)}\), and the first layer receives "
        rf"\({num(_seed[3].value)}\): nothing. See [What changed](../changes/#the-degenerate-worked-example)."
    ),
)

# %% [markdown]
# ## The chain, all at once
#
# Backprop is this walk done for every node at once, with matrices. For one example (a column of
# $X$), with $\delta^{(l)} = \partial \mathrm{CE}/\partial z^{(l)}$: the results of D2, D4 and D5
# below. D4's linear layer gives the second layer's gradients with $W = W^{(2)}$, $a = a^{(1)}$,
# $\delta = \delta^{(2)}$.

# %% tags=["hide-input"]
show(math_html(results_latex("softmax-ce-grad", "linear-grad", "hidden-layer-grad")))

# %% [markdown]
# The batch mean then divides by $N$ and sums the per-example gradients, and the penalty
# adds $\lambda W$ (D6).
#
# ## The output layer

# %% tags=["hide-input"]
show(part_html("The output layer"))  # each part's and each derivation's introduction: the handout's too
derivation("softmax-jacobian")
derivation("softmax-ce-grad")

# %% [markdown]
# PyTorch's autograd computes the same gradient from the loss alone;
# [In PyTorch](../pytorch/) compares the two, digit by digit.
#
# ## Through the hidden layer

# %% tags=["hide-input"]
show(part_html("Through the hidden layer"))
derivation("sigmoid-grad")
derivation("linear-grad")

# %% [markdown]
# The notes stop after the linear layer, with a truncated formula for $\partial/\partial b^{(1)}$;
# D5 completes it. The last excerpt under D5, `net-backward`, is the whole backward pass as you would write
# it: one array per result, one line per formula, each under its derivation's number.

# %% tags=["hide-input"]
derivation("hidden-layer-grad")

# %% [markdown]
# `fcnet.loss_and_grads` runs the same formulas in `fcnet.engine`, which writes each result over
# an array whose last use is done, so that a step of a large batch holds one hidden-layer array
# instead of four; the two are tested equal.

# %% tags=["hide-input"]
show(
    folded_html(
        "The engine's backward pass: the same step in the memory of one hidden layer",
        snippet_html("fcnet/engine/net.py:engine-backward"),
    )
)

# %% [markdown]
# ## The batch and the penalty

# %% tags=["hide-input"]
show(part_html("The batch and the penalty"))
derivation("batch-mean-l2")

# %% [markdown]
# The code's `dz2` is $\frac1N \Delta^{(2)}$.

# %% [markdown]
# ## Check one yourself
#
# A derivation is an object. `verify()` proves its result with SymPy (or raises), and
# `numeric` evaluates the proved result with NumPy beside fcnet's own code, on random inputs;
# `python -m fcnet derive softmax-ce-grad` prints the same steps in a terminal.

# %%
from fcnet.derivations import get

d = get("softmax-ce-grad")
print(d.number, d.title, "- proved:", d.verify())
from_result, from_code = d.numeric(np.random.default_rng(0))  # SymPy's result vs fcnet.softmax_ce_backward
print("norm-relative difference:", fcnet.norm_rel_error(from_result, from_code))

# %% tags=["hide-input"]
show(takeaways_html("backprop"))

# %% [markdown]
# ## Exercises
#
# From a number by hand to a derivation of your own. Each answer is computed by fcnet or SymPy
# while this page is built, and checked by a test (`tests/test_exercises.py`) by another route.

# %% tags=["hide-input"]
show(exercises_html("backprop", heading=None))
