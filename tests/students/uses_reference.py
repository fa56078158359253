"""Right, but not its own work: it returns fcnet's own answer."""

from fcnet import loss_and_grads as reference


def loss_and_grads(params, X, y, reg):
    return reference(params, X, y, reg)
