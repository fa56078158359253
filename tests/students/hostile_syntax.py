"""Hostile: does not parse."""


def loss_and_grads(params, X, y, reg)
    return 0.0, {}
