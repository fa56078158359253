"""Correct, and it grades itself when run, with no ``if __name__ == "__main__":`` guard (the most natural file)."""

import fcnet

from correct_notes import loss_and_grads as right


def loss_and_grads(params, X, y, reg):
    return right(params, X, y, reg)


print(fcnet.diagnose(loss_and_grads))
