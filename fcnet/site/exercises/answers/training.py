"""Exercises for the Training on digits page: momentum by hand, counting steps, the notes' learning rate."""

from __future__ import annotations

import math

import numpy as np

from ....core.examples import seed_example
from ....core.net import loss_and_grads
from ....core.params import init_params
from ....training.optim import SGD
from ..base import Answer, num

DIGITS, TEST_SIZE, BATCH, EPOCHS = 1797, 0.25, 32, 40  # the page's run


def _momentum_by_hand():
    params = {"w": np.array([1.0])}
    opt = SGD(params, lr=0.5, momentum=0.5)
    ws, vs = [], []
    for _ in range(2):
        opt.step({"w": np.array([2.0])})
        ws.append(float(params["w"][0]))
        vs.append(float(opt.velocity["w"][0]))
    text = (
        rf"Step 1: \(v = g = {num(vs[0])}\), \(w = 1 - 0.5 \cdot {num(vs[0])} = {num(ws[0])}\). Step 2: "
        rf"\(v = 0.5 \cdot {num(vs[0])} + 2 = {num(vs[1])}\), \(w = {num(ws[0])} - 0.5 \cdot {num(vs[1])} = "
        rf"{num(ws[1])}\). With the same gradient every step, \(v\) tends to \(g / (1 - \mu) = 4\): momentum "
        r"multiplies a steady gradient by \(1 / (1 - \mu)\)."
    )
    return Answer((tuple(vs), tuple(ws)), text)


def _steps():
    n_train = DIGITS - math.ceil(TEST_SIZE * DIGITS)  # scikit-learn rounds the test set up
    starts = range(0, n_train, BATCH)  # fcnet.training.loop.train: one step per start
    last = n_train - starts[-1]
    text = (
        rf"The training set has \(1797 - \lceil 0.25 \cdot 1797 \rceil = {n_train}\) columns. Minibatches start at "
        rf"\(0, 32, 64, \dots\): \(\lceil {n_train} / 32 \rceil = {len(starts)}\) steps per epoch, the last one on "
        rf"\({last}\) columns, and \({len(starts) * EPOCHS}\) steps in {EPOCHS} epochs. (A tiny last minibatch gives "
        r"a noisy step; shuffling every epoch changes which columns it holds.)"
    )
    return Answer((n_train, len(starts), last, len(starts) * EPOCHS), text)


def _notes_learning_rate():
    params, X, y, reg = seed_example()
    opt = SGD(params, lr=5.0)
    losses, norms = [], []
    for _ in range(5):
        loss, grads = loss_and_grads(params, X, y, reg)
        losses.append(loss)
        norms.append(float(np.linalg.norm(params["W1"])))
        opt.step(grads)
    text = (
        r"A step is \(W \leftarrow W - \text{lr} (\lambda W + \text{data gradient}) = (1 - \text{lr}\, \lambda) W - "
        r"\text{lr} \cdot \text{data gradient}\), and \(1 - 5 \cdot 0.5 = -1.5\): the penalty alone flips the sign of "
        r"every weight and multiplies it by 1.5 at each step. It shrinks the weights only for \(0 < \text{lr} < "
        r"2 / \lambda = 4\). Five steps of fcnet's SGD with lr = 5 on the notes' example: \(\lVert W^{(1)} \rVert_F\) "
        rf"= {', '.join(num(v) for v in norms)}; \(J\) = {', '.join(num(v) for v in losses)}. The notes' update is "
        "commented out, so they never saw it."
    )
    return Answer((tuple(losses), tuple(norms)), text)


def _glorot():
    stds = {}
    for shape, key in (((64, 128), "W1"), ((128, 10), "W2")):
        fan_in, fan_out = shape
        stds[key] = math.sqrt(2.0 / (fan_in + fan_out))
    draw = init_params([64, 128, 10], seed=0, scheme="glorot")
    measured = {k: float(draw[k].std()) for k in stds}
    text = (
        r"Glorot: \(\operatorname{Var} W = 2 / (\text{fan-in} + \text{fan-out})\). For \(W^{(1)}\) (64 in, 128 out): "
        rf"\(\sqrt{{2 / 192}} = {num(stds['W1'])}\); for \(W^{{(2)}}\) (128 in, 10 out): \(\sqrt{{2 / 138}} = "
        rf"{num(stds['W2'])}\). One draw of fcnet's `init_params(..., scheme='glorot')` measures "
        rf"{num(measured['W1'])} and {num(measured['W2'])}."
    )
    return Answer((stds, measured), text)
