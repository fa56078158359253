"""The gradient-check page's planted bugs (`fcnet.gradcheck.planted`), as functions to diagnose.

Each is fcnet's ``loss_and_grads`` with one planted slip applied to its
gradients: the same slips the gradient checks must catch.
"""

from fcnet.core.net import loss_and_grads
from fcnet.gradcheck.planted import PLANTED_BUGS


def sign_error(params, X, y, reg):
    loss, grads = loss_and_grads(params, X, y, reg)
    return loss, PLANTED_BUGS["sign error in dW2[1, 2]"](params, grads, reg)


def missing_half(params, X, y, reg):
    loss, grads = loss_and_grads(params, X, y, reg)
    return loss, PLANTED_BUGS["missing ½ in the L2 gradient"](params, grads, reg)


def transposed_dW1(params, X, y, reg):
    loss, grads = loss_and_grads(params, X, y, reg)
    return loss, PLANTED_BUGS["transposed dW1"](params, grads, reg)
