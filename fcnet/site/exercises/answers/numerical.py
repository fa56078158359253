"""Exercises for the Numerical gradient page: cost, a difference by hand, truncation against round-off."""

from __future__ import annotations

import math

import numpy as np

from ....core.examples import seed_example
from ....core.net import loss_and_grads
from ....gradcheck.numerical import numerical_gradient, numerical_gradients
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
    from ....derivations.numdiff import exact_toy_gradients
    from ....gradcheck.toy import POINT, TOYS

    eps, size = float(np.finfo(np.float64).eps), 1e6
    h_star, err_star = (eps * size) ** (1 / 3), (eps * size) ** (2 / 3)
    exact, f2 = exact_toy_gradients()["f2"], TOYS["f2"]
    hs = np.logspace(-12, -0.5, 47)
    errors = [float(np.linalg.norm(numerical_gradient(lambda w: f2(w) + size, POINT.copy(), h=h) - exact)) for h in hs]
    best = int(np.argmin(errors))
    text = (
        r"Truncation \(h^2 |f'''| / 6\) does not change; round-off \(\varepsilon |f| / h\) grows with \(|f|\): "
        r"each value of \(f\) is now off by about \(\varepsilon \cdot 10^6\). Balancing the two with \(f'''\) of "
        r"order 1 puts the best step near \(h^\ast = (\varepsilon |f|)^{1/3}\) and the error there near "
        rf"\((\varepsilon |f|)^{{2/3}}\): \(h^\ast \approx {num(h_star, 2)}\), a hundred times the "
        rf"\(\varepsilon^{{1/3}}\) of an \(f\) of order 1, and an error of about \({num(err_star, 2)}\), ten "
        "thousand times larger. "
        rf"Measured by fcnet on \(f_2 + 10^6\): best \(h = {num(hs[best], 2)}\), error "
        rf"\(\lVert \hat{{g}} - \nabla f \rVert_F = {num(errors[best], 2)}\) (round-off is an estimate of "
        r"the worst; its errors partly cancel). A loss far from 0 wants a larger step, and gets a larger error."
    )
    return Answer({"float64": (h_star, err_star)}, text)


def _zero_gradient():
    params, X, y, reg = seed_example()
    _, grads = loss_and_grads(params, X, y, reg)
    dW1 = float(np.abs(grads["W1"] - reg * params["W1"]).max())
    db1 = float(np.abs(grads["b1"]).max())
    text = (
        r"Every row of \(W^{(2)}\) is the same row \(w^{\top} = (2, 2, 2, 2)\), so \(W^{(2)\top} \delta^{(2)} = "
        r"w \sum_k \delta^{(2)}_k = w \left(\sum_k \hat{y}_k - \sum_k y_k\right) = w (1 - 1) = 0\) for every "
        r"column (D2). Then \(\delta^{(1)} = 0\) (D5): \(\partial J / \partial W^{(1)}\) is the penalty's "
        r"\(\lambda W^{(1)}\) alone and \(\partial J / \partial b^{(1)} = 0\) (D6), whatever the data. fcnet: "
        rf"\(\max |\partial J / \partial W^{{(1)}} - \lambda W^{{(1)}}| = {num(dW1)}\), "
        rf"\(\max |\partial J / \partial b^{{(1)}}| = {num(db1)}\): round-off. So the norm-relative error of that "
        "row compares two round-off residues, and a test checks it with an absolute bound instead."
    )
    return Answer((dW1, db1), text)
