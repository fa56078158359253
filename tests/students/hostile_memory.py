"""Hostile: a huge allocation, 8 GiB (a (32768, 32768) Gram matrix, say)."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    gram = np.ones((32768, 32768))
    return float(gram.sum()), {}


def reserve_2gib(params, X, y, reg):
    # 2 GiB of address space, never touched: only an address-space limit below 2 GiB refuses it
    buffer = np.empty((16384, 16384))
    return float(buffer.shape[0]), {}
