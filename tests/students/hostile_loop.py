"""Hostile: never returns (a training loop left inside)."""


def loss_and_grads(params, X, y, reg):
    step = 0
    while True:
        step += 1
