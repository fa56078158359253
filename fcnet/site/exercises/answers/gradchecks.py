"""Exercises for the Gradient checks page: chances, costs, and predicting what a check reports."""

from __future__ import annotations

import math

import numpy as np

from ....core.examples import random_example
from ....core.net import loss_and_grads
from ....gradcheck.checks import directional_check, full_check, sparse_check
from ....gradcheck.numerical import norm_rel_error, numerical_gradients
from ....gradcheck.planted import PLANTED_BUGS, planted_problem
from ..base import Answer, num


def _sparse_chance():
    params = planted_problem()[0]
    P = sum(p.size for p in params.values())
    missed = math.comb(P - 2, 10) / math.comb(P, 10)  # neither wrong entry among the 10 drawn
    k90 = math.ceil(0.9 * P)
    text = (
        rf"The check misses both only if its \(k = 10\) draws all fall among the \(P - 2 = {P - 2}\) right "
        rf"entries, draw after draw: \(\frac{{{P - 2}}}{{{P}}} \cdot \frac{{{P - 3}}}{{{P - 1}}} \dots "
        rf"\frac{{{P - 11}}}{{{P - 9}}} = \frac{{{P - 10} \cdot {P - 11}}}{{{P} \cdot "
        rf"{P - 1}}} = {num(missed, 3)}\), so it catches the bug with probability \({num(1 - missed, 3)}\), not "
        rf"twice the one-entry \(10 / {P}\). With one wrong entry, each entry is drawn with probability \(k / P\), "
        rf"so 90% needs \(k \ge 0.9 P\), \(k = {k90}\): nearly the full check. A bug confined to a few entries is "
        "what a sparse check is bad at."
    )
    return Answer((P, 1 - missed, k90), text)


def _costs():
    # the digits net of Training on digits: (D_in, H, C) = (64, 128, 10). A check's count of evaluations depends
    # on P, k and m alone, so the checks count them on a stand-in as cheap as a sum (the net's loss would take
    # seconds for the full check's 2P evaluations)
    params, X, y, reg = random_example(N=2, D_in=64, H=128, C=10, seed=1)
    grads = {k: np.ones_like(v) for k, v in params.items()}
    f = lambda p: float(sum(v.sum() for v in p.values()))  # noqa: E731  its gradient is all ones
    reports = (
        full_check(f, params, grads),
        sparse_check(f, params, grads, k=25),
        directional_check(f, params, grads, n_directions=3),
    )
    evals = tuple(r.n_evals for r in reports)
    P = sum(p.size for p in params.values())
    text = (
        rf"\(P = 64 \cdot 128 + 128 + 128 \cdot 10 + 10 = {P}\). Full: \(2P = {evals[0]}\); sparse: "
        rf"\(2k = {evals[1]}\), {evals[0] // evals[1]} times fewer; directional: \(2m = {evals[2]}\), "
        rf"{evals[0] // evals[2]} times fewer "
        "(counted by fcnet's checks as they ran). Each evaluation is one forward pass of the net."
    )
    return Answer(evals, text)


def _transpose():
    params, X, y, reg = planted_problem()
    _, grads = loss_and_grads(params, X, y, reg)
    bad = PLANTED_BUGS["transposed dW1"](params, grads, reg)
    numerical = numerical_gradients(lambda p: loss_and_grads(p, X, y, reg)[0], params)
    err = norm_rel_error(bad["W1"], numerical["W1"])
    H, D_in = params["W1"].shape
    text = (
        rf"Here \(H = D_{{\mathrm{{in}}}} = {H}\): \(W^{{(1)}}\) is square, so the transposed gradient has the right "
        rf"shape and only the numbers can tell. On \(W^{{(1)}}\) the full check reads a norm-relative error of "
        rf"\({num(err, 3)}\), far above the \(10^{{-6}}\) threshold (a non-symmetric matrix and its transpose "
        r"differ by about as much as they measure)."
    )
    return Answer(err, text)


def _missing_half():
    params, X, y, reg = planted_problem()
    _, grads = loss_and_grads(params, X, y, reg)
    flat = lambda g: np.concatenate([g[k].ravel() for k in sorted(g)])  # noqa: E731
    less = {k: (0.5 * reg * params[k] if k.startswith("W") else np.zeros_like(params[k])) for k in params}
    g, off = flat(grads), flat(less)
    predicted = float(np.linalg.norm(off) / max(np.linalg.norm(g - off), np.linalg.norm(g), 1e-300))
    text = (
        r"The check compares the whole claimed gradient \(g - \tfrac12 \lambda W\) with (nearly) the true \(g\), so "
        r"its error is \(\lVert \tfrac12 \lambda W \rVert_F / \max(\lVert g - \tfrac12 \lambda W \rVert_F, "
        r"\lVert g \rVert_F)\) over all parameters, biases' zeros included: from fcnet's gradients alone, "
        rf"\({num(predicted, 4)}\). The full check reports the same up to its finite-difference error."
    )
    return Answer(predicted, text)


def _write_centred():
    from ....assignment.generate import generated_lines
    from .backprop import code_answer

    scope = {"np", "x", "ix", "old", "f", "h", "grad"}
    lines = generated_lines("fcnet/gradcheck/numerical.py:centred-difference", {}, scope)
    loop = ["grad = np.zeros(x.shape)", "for ix in np.ndindex(x.shape):", "    old = x[ix]"]
    body = [*(f"    {line}" for line in lines), "    x[ix] = old  # x as it was, for the next entry and the caller"]
    why = (
        r"One entry at a time: move it by \(+h\) and \(-h\), evaluate, divide the difference by \(2h\), and put the "
        r"entry back. The error is \(f'''h^2/6\), about \(10^{-10}\) at \(h = 10^{-5}\), against \(O(h)\) for the "
        r"forward difference. `fcnet.numerical_gradient` runs these lines (and more checks of its arguments):"
    )
    return code_answer("gradient-checks-write-centred", "centred_difference(f, x, h=1e-5)", loop, body, "grad", why)
