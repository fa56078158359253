"""Exercises for the Numerical gradient page: cost, a difference by hand, truncation against round-off."""

from __future__ import annotations

import math

import numpy as np

from ....core.examples import seed_example
from ....core.net import loss_and_grads
from ....gradcheck.numerical import norm_rel_error, numerical_gradient, numerical_gradients
from ..base import Answer, code_num, num


def _cost():
    params, X, y, reg = seed_example()
    calls = []

    def loss(p):
        calls.append(1)
        return loss_and_grads(p, X, y, reg)[0]

    numerical_gradients(loss, params)
    P = sum(p.size for p in params.values())
    text = (
        rf"Two evaluations per parameter: \(2P = 2 \cdot {P} = {2 * P}\) forward passes for the notes' "
        rf"\(P = 12 + 4 + 20 + 5 = {P}\) parameters (counted while `fcnet.numerical_gradients` ran: {len(calls)} "
        r"calls). Backprop gets all of them from one forward and one backward pass."
    )
    return Answer(len(calls), text)


def _cube_by_hand():
    g = float(numerical_gradient(lambda w: float(w[0] ** 3), np.array([2.0]), h=0.1)[0])
    text = (
        r"\((2.1^3 - 1.9^3) / 0.2 = (9.261 - 6.859) / 0.2 = 12.01\), against \(f'(2) = 3 \cdot 2^2 = 12\): "
        r"the error is 0.01. D8 predicts \(h^2 f''' / 6 = 0.01 \cdot 6 / 6 = 0.01\), exactly, since "
        rf"\(f'''' = 0\) leaves no higher term. fcnet's `numerical_gradient` gives `{code_num(g)}` (float64 round-off "
        r"in the last digits)."
    )
    return Answer(g, text)


def _one_sided():
    h = 1e-3
    one = math.expm1(h) / h - 1.0  # (e^h − e^0)/h − f'(0), computed without cancellation
    centred = math.sinh(h) / h - 1.0  # (e^h − e^{−h})/2h − f'(0)
    text = (
        r"Every derivative of \(e^x\) is 1 at 0, so D8 predicts a one-sided error of \(h f''/2 \approx "
        rf"{num(h / 2)}\) and a centred error of \(h^2 f'''/6 \approx {num(h * h / 6)}\). Measured (with `expm1` and "
        rf"`sinh`, so that round-off does not hide them): \({num(one)}\) and \({num(centred)}\). One more digit of "
        r"\(h\) buys one digit of the one-sided quotient and two of the centred one."
    )
    return Answer((one, centred), text)


def _best_step():
    best = {}
    for name in ("float64", "float32"):
        eps = float(np.finfo(name).eps)
        best[name] = (eps ** (1 / 3), eps ** (2 / 3))
    (h64, e64), (h32, e32) = best["float64"], best["float32"]
    text = (
        r"Truncation \(h^2 |f'''| / 6\) falls and round-off \(\varepsilon |f| / h\) grows as \(h\) shrinks; for "
        r"\(f\), \(f'''\) of order 1 the sum is smallest near \(h^\ast = \varepsilon^{1/3}\), where both are about "
        rf"\(\varepsilon^{{2/3}}\). float64 (\(\varepsilon = 2^{{-52}}\)): \(h^\ast \approx {num(h64, 2)}\), error "
        rf"\(\approx {num(e64, 2)}\). float32 (\(\varepsilon = 2^{{-23}}\)): \(h^\ast \approx {num(h32, 2)}\), "
        rf"error \(\approx {num(e32, 2)}\). That is why fcnet's float32 checks use \(h = 5 \times 10^{{-3}}\)."
    )
    return Answer(best, text)


def _zero_gradient():
    params, X, y, reg = seed_example()
    loss, grads = loss_and_grads(params, X, y, reg)
    num_b1 = numerical_gradients(lambda p: loss_and_grads(p, X, y, reg)[0], params)["b1"]
    err = norm_rel_error(grads["b1"], num_b1)
    bound = float(np.finfo(float).eps) * abs(loss) / 1e-5
    text = (
        r"The exact \(\partial J / \partial b^{(1)}\) is 0 (Backprop's exercises). Backprop leaves round-off, "
        rf"largest entry \({num(np.abs(grads['b1']).max())}\); the centred difference gives "
        rf"\({num(np.abs(num_b1).max())}\). The norm-relative error \(\lVert a - n \rVert_F / \max(\lVert a \rVert_F, "
        r"\lVert n \rVert_F)\) of two vectors that are both round-off, or one of them 0, is of order 1 whatever the "
        rf"code does: here \({num(err, 2)}\). For a gradient that is zero as a whole, check an absolute bound "
        rf"instead: the difference quotient's round-off is about \(\varepsilon |J| / h \approx {num(bound, 2)}\)."
    )
    return Answer((err, float(np.abs(num_b1).max()), bound), text)
