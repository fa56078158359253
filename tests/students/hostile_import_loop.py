"""Hostile: never finishes importing."""

while True:
    pass


def loss_and_grads(params, X, y, reg):
    return 0.0, {}
