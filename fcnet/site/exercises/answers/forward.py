"""Exercises for the Forward pass page."""

from __future__ import annotations

import numpy as np

from ....core.examples import second_example, seed_example
from ....core.net import forward
from ....core.params import init_params
from ...trace import net_trace
from ..base import Answer, num


def _z1_by_hand():
    t = net_trace(*seed_example())
    z, a = float(t.z1[0, 0]), float(t.a1[0, 0])
    text = (
        rf"\(z^{{(1)}}_0 = 1 \cdot 0 + 2 \cdot 2 + 3 \cdot 4 + 1 = {num(z)}\) and \(a^{{(1)}}_0 = \sigma({num(z)}) = "
        rf"1/(1 + e^{{-17}}) = {num(a, 9)}\). Every row of \(W^{{(1)}}\) is the same row \((1, 2, 3)\) and every "
        r"entry of \(b^{(1)}\) is 1, so every hidden unit computes the same sum: all four are "
        rf"\({num(z)}\) (fcnet: `z1[:, 0]` = {t.z1[:, 0].tolist()})."
    )
    return Answer((z, a), text)


def _uniform():
    params, _, _, _ = seed_example()
    X = np.random.default_rng(0).normal(scale=10.0, size=(3, 1000))
    dev = float(np.abs(forward(params, X) - 0.2).max())
    text = (
        r"Every row of \(W^{(2)}\) is \((2, 2, 2, 2)\) and every \(b^{(2)}_k = 2\), so every logit is the same number, "
        r"\(z^{(2)}_k = 2 \sum_h a^{(1)}_h + 2\), whatever \(a^{(1)}\) is; the softmax of \(C\) equal logits is "
        rf"\(1/C = 0.2\). On 1,000 random inputs fcnet's largest \(|\hat{{y}}_k - 0.2|\) is \({num(dev)}\) "
        r"(round-off). Since the prediction ignores the input, the example cannot tell a correct first layer "
        r"from a wrong one: no gradient signal reaches it (see Numerical gradient's exercises)."
    )
    return Answer(dev, text)


def _second_predictions():
    params, X, y, _ = second_example()
    swap = [1, 0, *range(2, params["W2"].shape[0])]  # classes 0 and 1 trade places
    swapped = {**params, "W2": params["W2"][swap], "b2": params["b2"][swap]}
    probs = forward(swapped, X)
    pred = probs.argmax(axis=0)
    right = int((pred == y).sum())
    cols = ", ".join(
        rf"column {n}: class {int(pred[n])} (\(\hat{{y}} = {num(probs[pred[n], n], 3)}\), label {int(y[n])})"
        for n in range(X.shape[1])
    )
    text = (
        r"Swapping rows 0 and 1 of \(W^{(2)}\) and \(b^{(2)}\) swaps the logits \(z^{(2)}_0\) and \(z^{(2)}_1\) of "
        r"every column, and the softmax treats every logit alike, so rows 0 and 1 of \(\hat{Y}\) trade places: "
        r"read the page's \(\hat{Y}\) with those two rows swapped. The net now predicts "
        f"{cols}. {right} of {X.shape[1]} are right (fcnet, run forward on the swapped weights)."
    )
    return Answer(tuple(int(p) for p in pred), text)


def _param_count():
    sizes = {"notes": (3, 4, 5), "digits": (64, 128, 10)}
    counts = {k: sum(p.size for p in init_params(list(v)).values()) for k, v in sizes.items()}
    text = (
        r"\(P = H D_{\mathrm{in}} + H + C H + C = H (D_{\mathrm{in}} + 1) + C (H + 1)\): each layer has a weight "
        r"per (output, input) pair and a bias per output. The notes' net: \(4 \cdot 4 + 5 \cdot 5 = "
        rf"{counts['notes']}\). The digits net: \(128 \cdot 65 + 10 \cdot 129 = {counts['digits']}\)."
    )
    return Answer((counts["notes"], counts["digits"]), text)


def _bias_shift():
    import sympy as sp

    z = sp.symbols("z0:3")
    s = sp.Symbol("s")
    soft = lambda v, k: sp.exp(v[k]) / sum(sp.exp(u) for u in v)  # noqa: E731
    proved = all(sp.simplify(soft([u + s for u in z], k) - soft(z, k)) == 0 for k in range(3))
    params, X, _, _ = second_example()
    shifted = {**params, "b2": params["b2"] + 7.0}
    diff = float(np.abs(forward(shifted, X) - forward(params, X)).max())
    text = (
        r"Not at all. \(b^{(2)}\) enters every logit, so every \(z^{(2)}_k\) grows by \(t\), and "
        r"\(e^{z_k + t} / \sum_j e^{z_j + t} = e^{t} e^{z_k} / (e^{t} \sum_j e^{z_j}) = e^{z_k} / \sum_j e^{z_j}\): "
        rf"the factor \(e^t\) cancels (SymPy confirms it for \(C = 3\)). With \(t = 7\) fcnet's \(\hat{{Y}}\) moves "
        rf"by at most \({num(diff)}\), round-off. (So \(b^{{(2)}}\) has one redundant direction; its gradient "
        r"along it, \(\sum_k \partial J / \partial b^{(2)}_k\), is 0.)"
    )
    return Answer((proved, diff), text)
