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
# # What changed from the notes
#
# The original notes got the main formulas right and the code mostly working, but some of it
# no longer runs, some of it breaks on ordinary inputs, and the derivation stops before the
# first layer. Each change below names the test that guards it. Open "Guarded by …" to read
# the test's source, which is read from `tests/` while the page is built, so a test named here
# must exist or the build fails. Run any of them with `.venv/bin/python -m pytest "<test id>"`.
# (The sources ship with fcnet, in `fcnet/site/guards.json`, so a downloaded notebook shows them
# too; a test keeps that file equal to `tests/`.)

# %%
import numpy as np

import fcnet

# %% tags=["hide-input"]
from fcnet.site import show, snippet_html, test_html
from fcnet.site.blocks import corrections_html, takeaways_html

# %% [markdown]
# ## The degenerate worked example
#
# The notes check their backprop on one example: $W^{(1)}$ with columns 1, 2, 3, every other
# parameter constant. Every row of $W^{(2)}$ is then equal, so every logit is the same, $\hat{Y}$
# is uniform, and the signal sent back to the hidden layer vanishes. Hidden unit $h$ receives
# the output error of every class $k$, weighted by $W^{(2)}_{kh}$; here that weight is the same
# for every class, and the errors add up to zero: by [D2](../backprop/#softmax-ce-grad) they are
# the probabilities minus the one-hot label, and both sum to 1. With nothing coming back,
# [D5](../backprop/#hidden-layer-grad) gives the first layer no data gradient, and
# [D6](../backprop/#batch-mean-l2) leaves only the penalty's:
# $\partial J/\partial W^{(1)} = \lambda W^{(1)}$ and $\partial J/\partial b^{(1)} = 0$,
# *whatever* the code does with the data term: the notes' example cannot detect a wrong, or
# missing, first-layer gradient. fcnet keeps the example (as `fcnet.seed_example`) and adds
# `fcnet.second_example`, where every gradient entry is well away from zero.

# %%
params, X, y, reg = fcnet.seed_example()
_, grads = fcnet.loss_and_grads(params, X, y, reg)
print("rows of W2 all equal:       ", bool((params["W2"] == params["W2"][0]).all()))
print("dJ/dW1 - reg*W1 (max |.|):  ", np.abs(grads["W1"] - reg * params["W1"]).max())
print("dJ/db1 (max |.|):           ", np.abs(grads["b1"]).max())

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_net.py::test_seed_example_is_degenerate_and_its_loss_is_exact",
        "tests/test_net.py::test_second_example_is_not_degenerate",
    )
)

# %% [markdown]
# ## The first layer's gradients were wrong and unfinished
#
# The notes end with $\partial \mathrm{CE}/\partial W^{(1)} = \ldots = x^{\top}$, which is wrong as
# written ([below](#what-else-the-notes-get-wrong-or-leave-unexplained)), and an unfinished $\partial \mathrm{CE}/\partial b^{(1)}$.
# The complete formulas, derived and proved by SymPy, are
# [D5 on the Backprop page](../backprop/#hidden-layer-grad). They are checked against
# finite differences and PyTorch on both examples and on random nets of every small shape:

# %% tags=["hide-input"]
show(test_html("tests/test_net.py::test_random_nets_agree_with_autograd_and_finite_differences"))

# %% [markdown]
# ## Softmax and sigmoid overflowed
#
# `np.exp(z2) / sum(np.exp(z2))` gives `nan` once a logit passes about 709, and
# `1/(1 + np.exp(-z1))` overflows (with a `RuntimeWarning`) for $z < -709$. fcnet uses
# log-sum-exp for the softmax and computes the sigmoid so that the overflow is expected, silenced
# and its far tail recomputed exactly ([The loss](../loss/) shows the failure and the fix); the
# test suite turns every NumPy warning into an error.

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_losses.py::test_notes_softmax_overflows_where_ours_does_not",
        "tests/test_layers.py::test_notes_sigmoid_warns_where_ours_does_not",
        "tests/test_net.py::test_extreme_logits_stay_finite_and_match_autograd",
    )
)

# %% [markdown]
# ## `np.matlib.repmat` became broadcasting
#
# `numpy.matlib` is deprecated (importing it warns). Adding `b[:, None]` broadcasts the bias
# across the columns with the same result and no copy.

# %% tags=["hide-input"]
show(
    snippet_html("fcnet/core/layers.py:affine-forward"),
    test_html(
        "tests/test_site_changes.py::test_broadcast_bias_equals_the_notes_repmat",
        "tests/test_site_changes.py::test_fcnet_source_avoids[np.matlib]",
    ),
)

# %% [markdown]
# ## `scipy.linalg.norm` became a sum of squares
#
# The penalty needs $\lVert W\rVert_F^2 = \sum_{ij} W_{ij}^2$, which NumPy computes directly;
# squaring a norm takes a square root only to undo it, and SciPy was a dependency for one line.
# The numeric core imports only NumPy.

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_losses.py::test_l2_penalty_and_gradient",
        "tests/test_site_changes.py::test_fcnet_source_avoids[scipy]",
        "tests/test_package.py::test_import_fcnet_loads_no_heavy_dependency",
    )
)

# %% [markdown]
# ## Python 2 `print` statements, and printing instead of checking
#
# `print "Loss: ", loss` is a syntax error in Python 3. More to the point, the notes print the
# gradients of each method and leave the comparison to the reader's eye. fcnet returns values,
# and tests compare them with stated tolerances.

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_site_changes.py::test_numeric_core_never_prints[core/net]",
        "tests/test_net.py::test_numpy_matches_torch_on_worked_examples",
    )
)

# %% [markdown]
# ## The verbose printing in `eval_numerical_gradient`
#
# CS231n's `eval_numerical_gradient(f, x, verbose=True)` prints a line per coordinate.
# `fcnet.numerical_gradient` prints nothing, and restores `x` exactly even when `f` raises.

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_gradcheck.py::test_numerical_gradient_restores_x_exactly_and_prints_nothing",
        "tests/test_gradcheck.py::test_numerical_gradient_restores_x_when_f_raises",
    )
)

# %% [markdown]
# ## The PyTorch API of 2017
#
# `Variable` was merged into `Tensor`. `size_average=True` and `torch.nn.init.constant` still run,
# and warn. `F.sigmoid` survives as a silent alias of `torch.sigmoid`, which is the function
# PyTorch documents. See [In PyTorch](../pytorch/) for each replacement.
# Warnings as errors would catch only the calls that warn, so a scan of fcnet's source keeps
# every one of them out:

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_site_changes.py::test_fcnet_source_avoids[torch-Variable]",
        "tests/test_site_changes.py::test_fcnet_source_avoids[size_average]",
        "tests/test_site_changes.py::test_fcnet_source_avoids[F.sigmoid]",
        "tests/test_site_changes.py::test_fcnet_source_avoids[init.constant]",
    )
)

# %% [markdown]
# ## `pdb.set_trace()` in `forward`
#
# A debugger stop in the model's `forward` halts every run. It is gone.

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_site_changes.py::test_fcnet_source_avoids[pdb]",
        "tests/test_site_changes.py::test_the_rules_catch_the_notes_own_code",
    )
)

# %% [markdown]
# ## Rows or columns
#
# The notes introduce $x \in \mathbb{R}^{1 \times d}$, a row, and then compute $W^{(1)}x$ with one
# example per column. fcnet uses columns throughout and states the translation to the row
# layout of CS231n and PyTorch once ([Notation & layouts](../notation/)).

# %% tags=["hide-input"]
show(
    test_html(
        "tests/test_layouts.py::test_cs231n_row_layout_gives_the_transposed_gradients",
        "tests/test_layouts.py::test_pytorch_row_layout_gives_the_same_gradients",
    )
)

# %% [markdown]
# ## Asserts became errors that explain themselves
#
# `assert(X.shape[0] == cache['W1'].shape[1])` stops with no message (and disappears under
# `python -O`). fcnet raises `ValueError` or `TypeError` naming the argument, what it saw and what
# it expected, e.g. `params['W1'] has shape (4, 2) but X has D_in=3 rows; expected W1 of shape (4, 3)`.

# %% tags=["hide-input"]
show(test_html("tests/test_validate.py::test_loss_and_grads_rejects_bad_input"))

# %% [markdown]
# ## What else the notes get wrong, or leave unexplained
#
# Each item quotes the notes, says what is true, and names the test that shows it. The notes'
# own code runs in those tests (`tests/notes_code.py`, a transcript changed only to run under
# Python 3), so each claim about it is a claim about what it does.

# %% tags=["hide-input"]
show(corrections_html("notes", level=3))

# %% tags=["hide-input"]
show(takeaways_html("changes"))
