"""Hostile: kills its own process with os._exit (no exception to catch)."""

import os


def loss_and_grads(params, X, y, reg):
    os._exit(7)
