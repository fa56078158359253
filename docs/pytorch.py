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
# # In PyTorch
#
# The same two-layer net in today's PyTorch, and its autograd gradients beside fcnet's
# hand-derived ones and SymPy's exact values. The notes' version used an API that has since
# been removed or deprecated:
#
# | The notes | Today | Why |
# | --- | --- | --- |
# | `Variable(X.type(torch.FloatTensor))` | plain tensors, `torch.from_numpy(X.T)` | `Variable` was merged into `Tensor` (0.4) |
# | `F.nll_loss(F.log_softmax(x), y, size_average=True)` | `F.cross_entropy(logits, y, reduction="mean")` | `size_average` is deprecated; `log_softmax` without `dim` warns |
# | `F.sigmoid(x)` | `torch.sigmoid(x)` | `F.sigmoid` is deprecated |
# | `torch.nn.init.constant(m.weight, 2)` | `layer.weight.copy_(...)` under `torch.no_grad()` | `init.constant` was renamed `constant_` |
# | `pdb.set_trace()` in `forward` | nothing | a debugger stop in library code blocks every run |
# | `print loss` (Python 2) | return values | printing is not checking |
# | float32 tensors | float64 | to compare with fcnet to ~1e-16, not ~1e-7 |

# %%
from decimal import Decimal

import numpy as np

import fcnet
from fcnet.site import show, source_html, table_html
from fcnet.witnesses.registry import WITNESSES, example_report

# %% [markdown]
# ## The model
#
# `nn.Linear` stores its weight as (out, in), which is the notes' layout: `fc1.weight` *is*
# $W^{(1)}$, shape $(H, D_{\text{in}})$. Its input is one example per row, so the batch goes
# in as `X.T`. The softmax lives in the loss. The code below is `fcnet/witnesses/torch_net.py`, read
# while the page is built:

# %%
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
# binary, so SymPy sees the same numbers). The exact column shows SymPy's value to 20
# significant digits, and the last column how far fcnet's float64 result is from it.

# %%
assert "sympy" in WITNESSES, "the SymPy witness is registered in fcnet.witnesses.registry.WITNESSES"
NAMES = {"torch": "PyTorch autograd", "numpy": "fcnet (NumPy)", "sympy": "SymPy, exact"}


def exact_cell(text, digits=20):
    """An exact decimal from SymPy, shown to ``digits`` significant digits."""
    return f'<td class="num">{Decimal(text):.{digits}g}</td>'


def gradient_table(which):
    report = example_report(which, witnesses=("torch", "numpy", "sympy"))
    assert not report["skipped"], report["skipped"]
    w = report["witnesses"]
    exact = w["sympy"]["exact"]  # 40-digit decimal strings of the exact rational-arithmetic values
    rows = [
        [
            "J",
            w["torch"]["loss"],
            w["numpy"]["loss"],
            exact_cell(exact["loss"]),
            float(abs(Decimal(w["numpy"]["loss"]) - Decimal(exact["loss"]))),
        ]
    ]
    for key in fcnet.KEYS:
        ours_all = w["numpy"]["grads"][key]
        exact_all = np.array(exact["grads"][key], dtype=object).reshape(ours_all.shape)
        for ix in np.ndindex(ours_all.shape):
            ours = ours_all[ix]
            rows.append(
                [
                    f"∂J/∂{key}[{', '.join(map(str, ix))}]",
                    w["torch"]["grads"][key][ix],
                    ours,
                    exact_cell(exact_all[ix]),
                    float(abs(Decimal(ours) - Decimal(exact_all[ix]))),
                ]
            )
    header = ["", NAMES["torch"], NAMES["numpy"], NAMES["sympy"] + " (20 digits)", "|fcnet − exact|"]
    return report, table_html(header, rows, caption=f"The {which!r} example, every gradient entry")


def agreement(report):
    rows = [
        [f"{NAMES[p['a']]} vs {NAMES[p['b']]}", p["norm_rel_error"], p["loss_abs_error"]] for p in report["agreement"]
    ]
    return table_html(["pair", "norm-relative error of the whole gradient", "|Δ loss|"], rows)


# %% [markdown]
# ### The notes' example
#
# Degenerate: every row of $W^{(2)}$ is equal, so no signal reaches layer 1. $\partial J/\partial W^{(1)}$ is the
# penalty's $\lambda W^{(1)}$ alone and $\partial J/\partial b^{(1)}$ is exactly 0 (float64 leaves round-off
# of order $10^{-17}$ there).

# %%
seed_report, seed_table = gradient_table("seed")
show(agreement(seed_report), "<details><summary>All 41 entries</summary>", seed_table, "</details>")

# %% [markdown]
# ### The second example
#
# Not degenerate: every gradient entry is well away from zero, so a wrong formula could not hide.

# %%
second_report, second_table = gradient_table("second")
show(agreement(second_report), "<details open><summary>All 41 entries</summary>", second_table, "</details>")

# %%
for report in (seed_report, second_report):
    for pair in report["agreement"]:
        # all three are float64 renderings of the same numbers: agreement to ~1e-16, gated at 1e-12
        assert pair["norm_rel_error"] < 1e-12, pair
print("every pair of witnesses agrees to < 1e-12 (norm-relative) on both examples")
