"""Exercises for The loss page: by hand, the stable log-softmax, the penalty's gradient."""

from __future__ import annotations

import numpy as np

from ....core.examples import second_example, seed_example
from ....core.losses import log_softmax
from ....core.net import loss_and_grads
from ..base import Answer, code_num, num, vec


def _seed_by_hand():
    params, X, y, _ = seed_example()
    X3 = np.concatenate([X, [[-1.0], [0.5], [3.0]]], axis=1)  # any third input
    y3 = np.concatenate([y, [0]])  # and any label
    loss, _ = loss_and_grads(params, X3, y3, 0.1)
    text = (
        r"\(\hat{y}\) is uniform whatever the input (Forward's exercises), so every example's cross-entropy is "
        r"\(-\log(1/5) = \log 5\), the third one's too, and so is their mean: the data term does not change. "
        r"\(\lVert W^{(1)} \rVert_F^2 + \lVert W^{(2)} \rVert_F^2 = 56 + 80 = 136\), so the penalty is "
        r"\(\tfrac12 \cdot 0.1 \cdot 136 = 6.8\): "
        rf"\(J = \log 5 + 6.8 \approx {num(loss, 8)}\); fcnet, with the input \((-1, 0.5, 3)\) and label 0 added, "
        rf"gives `{code_num(loss)}`."
    )
    return Answer(loss, text)


def _log_softmax_by_hand():
    z = np.array([[-1000.0], [-1001.0], [-1003.0]])
    logp = log_softmax(z).ravel()
    text = (
        r"The notes' formula gives \(0/0\): every \(e^{z_j}\) underflows to 0. Subtract \(m = \max_j z_j = -1000\): "
        r"\(z - m = (0, -1, -3)\), and \(\log \sum_j e^{z_j - m} = \log(1 + e^{-1} + e^{-3}) = \log(1 + 0.367879 + "
        rf"0.049787) = {num(-logp[0], 6)}\). So \(\log \hat{{y}} = {vec(logp, 6)}\), and the cross-entropy of "
        rf"class 0 is \({num(-logp[0], 6)}\). Nothing underflows: the largest term of the sum is \(e^0 = 1\)."
    )
    return Answer(logp, text)


def _l2_gradient():
    params, X, y, reg = second_example()
    with_pen, without = loss_and_grads(params, X, y, reg)[1], loss_and_grads(params, X, y, 0.0)[1]
    share = float(with_pen["W2"][0, 0] - without["W2"][0, 0])
    text = (
        r"Only the square of \(W_{pq}\) itself depends on \(W_{pq}\): \(\partial(\tfrac12 \lambda \sum_{ij} "
        r"W_{ij}^2) / \partial W_{pq} = \tfrac12 \lambda \cdot 2 W_{pq} = \lambda W_{pq}\); the ½ is there to cancel "
        rf"the 2. In the second example \(\lambda W^{{(2)}}_{{00}} = 0.25 \cdot 0.75 = {num(share)}\): fcnet's "
        rf"\(\partial J / \partial W^{{(2)}}_{{00}}\) with and without the penalty differ by `{code_num(share)}`."
    )
    return Answer(share, text)
