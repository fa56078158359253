"""Hostile: four forked children each hold 300 MB, 1.2 GB together, more than a 512 MiB limit."""

import os
import time

import numpy as np


def loss_and_grads(params, X, y, reg):
    for _ in range(4):
        if os.fork() == 0:
            block = np.ones(300 * 2**20 // 8)
            time.sleep(60 + block[0])
            os._exit(0)
    time.sleep(60)
    return 0.0, {}
