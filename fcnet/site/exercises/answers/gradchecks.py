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
    chance = 10 / P
    k90 = math.ceil(0.9 * P)
    text = (
        rf"Each of the \(P = {P}\) entries is equally likely to be among the \(k\) drawn, so the wrong one is "
        rf"checked with probability \(k / P\): \(10 / {P} = {num(chance, 3)}\). For 90% you need \(k \ge 0.9 P\), "
        rf"\(k = {k90}\): nearly the full check. A bug confined to one entry is what a sparse check is bad at."
    )
    return Answer((P, chance, k90), text)


def _costs():
    # the digits net of Training on digits: (D_in, H, C) = (64, 128, 10); two examples make each evaluation cheap
    params, X, y, reg = random_example(N=2, D_in=64, H=128, C=10, seed=1)
    _, grads = loss_and_grads(params, X, y, reg)
    f = lambda p: loss_and_grads(p, X, y, reg)[0]  # noqa: E731
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
        "(counted by fcnet's checks as they ran). Each evaluation is one forward pass."
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
    extra = {k: (reg * params[k] if k.startswith("W") else np.zeros_like(params[k])) for k in params}
    predicted = float(np.linalg.norm(flat(extra)) / max(np.linalg.norm(flat(grads) + flat(extra)), 1e-300))
    text = (
        r"The check compares the whole claimed gradient \(g + \lambda W\) with (nearly) the true \(g\), so its error "
        r"is \(\lVert \lambda W \rVert_F / \max(\lVert g + \lambda W \rVert_F, \lVert g \rVert_F)\) over all "
        r"parameters, "
        rf"biases' zeros included: from fcnet's gradients alone, \({num(predicted, 4)}\). The full check reports the "
        "same up to its finite-difference error (run it: `bug_table()`)."
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
