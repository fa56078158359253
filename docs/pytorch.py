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
# # In PyTorch
#
# The same two-layer net in today's PyTorch, and its autograd gradients beside fcnet's
# hand-derived ones and SymPy's exact values. The notes' version used an API that has since
# been removed, deprecated or superseded (what torch 2.13 says about each call, tested in
# `tests/test_corrections.py`):
#
# | The notes | Today | Why |
# | --- | --- | --- |
# | `Variable(X.type(torch.FloatTensor), volatile=False)` | plain tensors, `torch.from_numpy(X.T)` | `Variable` was merged into `Tensor` (0.4) and returns a plain tensor; `volatile=False` passes silently (only `volatile=True` warns) |
# | `F.nll_loss(F.log_softmax(x), y, size_average=True)` | `F.cross_entropy(logits, y, reduction="mean")` | `size_average` warns that it is deprecated; `log_softmax` without `dim` warns |
# | `F.sigmoid(x)` | `torch.sigmoid(x)` | the documented function; `F.sigmoid` survives as a silent alias (no warning), so only a scan of the source keeps it out |
# | `torch.nn.init.constant(m.weight, 2)` | `layer.weight.copy_(...)` under `torch.no_grad()` | `init.constant` warns: it was renamed `constant_` |
# | `pdb.set_trace()` in `forward` | nothing | a debugger stop in library code blocks every run |
# | `print loss` (Python 2) | return values | printing is not checking |
# | float32 tensors | float64 | to compare with fcnet to ~1e-16, not ~1e-7 |

# %%
import numpy as np

import fcnet
from fcnet.witnesses.registry import WITNESSES, example_report

# %% tags=["hide-input"]
from fcnet.site import show, source_html, witness_tables
from fcnet.site.blocks import takeaways_html

# %% [markdown]
# ## The model
#
# `nn.Linear` stores its weight as (out, in), which is the notes' layout: `fc1.weight` *is*
# $W^{(1)}$, shape $(H, D_{\mathrm{in}})$. Its input is one example per row, so the batch goes
# in as `X.T`. The softmax lives in the loss. The code below is `fcnet/witnesses/torch_net.py`, read
# while the page is built:

# %% tags=["hide-input"]
show(
    source_html("fcnet/witnesses/torch_net.py:TwoLayerNet"),
    source_html("fcnet/witnesses/torch_net.py:torch_loss_and_grads"),
)

# %% [markdown]
# ## Autograd against ours against SymPy, on both worked examples
#
# `fcnet.witnesses.registry.example_report` computes each example with several independent witnesses:
# PyTorch autograd (float64), fcnet's NumPy backprop, and SymPy, which evaluates the loss
# exactly in rational arithmetic and differentiates it (the examples' entries are exact in
# binary, so SymPy sees the same numbers). The tables show how far apart each pair of witnesses
# is, then every entry: SymPy's exact value to 20 significant digits, and how far fcnet's
# float64 result is from it.
#
# ### The notes' example
#
# Degenerate: every row of $W^{(2)}$ is equal, so no signal reaches layer 1. $\partial J/\partial W^{(1)}$ is the
# penalty's $\lambda W^{(1)}$ alone and $\partial J/\partial b^{(1)}$ is exactly 0 in exact arithmetic. float64
# leaves round-off there, printed below: the round-off of $W^{(2)\top}\delta^{(2)}$, about $10^{-16}$,
# times $\sigma'(z^{(1)})$, which the saturated hidden units make $4 \times 10^{-8}$ or less
# ([Backprop](../backprop/#the-notes-example-on-the-same-graph) follows it through the graph).

# %%
print(list(WITNESSES))  # every witness the registry knows; the comparison uses three of them
seed = example_report("seed", witnesses=("torch", "numpy", "sympy"))
assert not seed["skipped"], seed["skipped"]  # torch and SymPy are installed: all three ran
db1 = fcnet.loss_and_grads(*fcnet.seed_example())[1]["b1"]
print("largest |∂J/∂b⁽¹⁾| entry, fcnet float64:", np.abs(db1).max())

# %% tags=["hide-input"]
agreement, entries = witness_tables(seed)
show(agreement, "<details><summary>All 41 entries</summary>", entries, "</details>")

# %% [markdown]
# ### The second example
#
# Not degenerate: every gradient entry is well away from zero, so a wrong formula could not hide.

# %%
second = example_report("second", witnesses=("torch", "numpy", "sympy"))

# %% tags=["hide-input"]
agreement, entries = witness_tables(second)
show(agreement, "<details open><summary>All 41 entries</summary>", entries, "</details>")

# %% [markdown]
# All three are float64 renderings of the same numbers, so they agree to about $10^{-16}$; the
# page (and the test suite) gate that at $10^{-12}$:

# %%
for report in (seed, second):
    for pair in report["agreement"]:
        assert pair["norm_rel_error"] < 1e-12, pair
print("every pair of witnesses agrees to < 1e-12 (norm-relative) on both examples")

# %% tags=["hide-input"]
show(takeaways_html("pytorch"))
