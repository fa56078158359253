"""Hostile: calls sys.exit() from inside the function."""

import sys


def loss_and_grads(params, X, y, reg):
    print("giving up")
    sys.exit(3)
