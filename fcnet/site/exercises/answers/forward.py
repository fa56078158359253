"""Exercises for the Forward pass page."""

from __future__ import annotations

import math

import numpy as np

from ....core.examples import second_example, seed_example
from ....core.net import forward
from ....core.params import init_params
from ...trace import net_trace
from ..base import Answer, num, vec


def _z1_by_hand():
    params, _, _, _ = seed_example()
    x = np.array([[1.0], [-1.0], [2.0]])
    t = net_trace(params, x, np.array([0]), 0.0)
    z, a = float(t.z1[0, 0]), float(t.a1[0, 0])
    slope17 = math.exp(-17) / (1 + math.exp(-17)) ** 2
    text = (
        rf"\(z^{{(1)}}_0 = 1 \cdot 1 + 2 \cdot (-1) + 3 \cdot 2 + 1 = {num(z)}\) and "
        rf"\(a^{{(1)}}_0 = \sigma({num(z)}) = 1/(1 + e^{{-6}}) = {num(a, 6)}\). "
        r"Every row of \(W^{(1)}\) is the same row \((1, 2, 3)\) and every entry of \(b^{(1)}\) is 1, "
        rf"so every hidden unit computes the same sum: all four are \({num(z)}\) and \({num(a, 6)}\) "
        rf"(fcnet: `z1[:, 0]` = {t.z1[:, 0].tolist()}). Not saturated this time: "
        rf"\(\sigma'(6) = a (1 - a) = {num(a * (1 - a), 2)}\), where the notes' columns, at 17, give "
        rf"\(\sigma'(17) = {num(slope17, 2)}\)."
    )
    return Answer((z, a), text)


def _uniform():
    params, _, _, _ = seed_example()
    b2 = np.arange(5.0)
    X = np.random.default_rng(0).normal(scale=10.0, size=(3, 1000))
    probs = forward({**params, "b2": b2}, X)
    expected = np.exp(b2) / np.exp(b2).sum()
    dev = float(np.abs(probs - expected[:, None]).max())
    text = (
        r"Every row of \(W^{(2)}\) is \((2, 2, 2, 2)\), so every logit is \(z^{(2)}_k = u + b^{(2)}_k\) with the same "
        r"\(u = 2 \sum_h a^{(1)}_h\) for every class; the softmax cancels \(e^{u}\), so \(\hat{y}_k = e^{k} / "
        rf"\sum_j e^{{j}}\), \(\hat{{y}} = {vec(expected, 3)}\), whatever the input: still no input reaches the "
        rf"prediction. On 1,000 random inputs fcnet's \(\hat{{y}}\) departs from it by at most \({num(dev)}\) "
        r"(round-off). The bias only picks which constant the net predicts; the equal rows of \(W^{(2)}\) are what "
        "cut the input off."
    )
    return Answer((dev, expected), text)


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
    sizes = {"notes": (3, 4, 5), "digits": (64, 128, 10), "mnist": (784, 128, 10)}
    counts = {k: sum(p.size for p in init_params(list(v)).values()) for k, v in sizes.items()}
    text = (
        r"\(P = H D_{\mathrm{in}} + H + C H + C = H (D_{\mathrm{in}} + 1) + C (H + 1)\): each layer has a weight "
        rf"per (output, input) pair and a bias per output (for the notes' \((3, 4, 5)\) it gives the "
        rf"{counts['notes']} the page names). The digits net: \(128 \cdot 65 + 10 \cdot 129 = {counts['digits']}\). "
        rf"MNIST's: \(128 \cdot 785 + 10 \cdot 129 = {counts['mnist']}\), almost all of it in \(W^{{(1)}}\)."
    )
    return Answer((counts["digits"], counts["mnist"]), text)


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
        r"\(b^{(2)}\) enters every logit, so every \(z^{(2)}_k\) grows by \(t\), and "
        r"\(e^{z_k + t} / \sum_j e^{z_j + t} = e^{t} e^{z_k} / (e^{t} \sum_j e^{z_j}) = e^{z_k} / \sum_j e^{z_j}\): "
        rf"the factor \(e^t\) cancels (SymPy confirms it for \(C = 3\)). With \(t = 7\) fcnet's \(\hat{{Y}}\) moves "
        rf"by at most \({num(diff)}\), round-off. (So \(b^{{(2)}}\) has one redundant direction; its gradient "
        r"along it, \(\sum_k \partial J / \partial b^{(2)}_k\), is 0.)"
    )
    return Answer((proved, diff), text)
