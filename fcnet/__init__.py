"""fcnet: fully connected neural networks from scratch, every formula derived.

The numeric core imports only NumPy.  SymPy lives in `fcnet.derivations`,
torch in `fcnet.torch_net`; `torch_loss_and_grads` imports torch when called.
"""

from .checks import CheckReport, PrecisionWarning, directional_check, full_check, sparse_check
from .examples import random_example, second_example, seed_example
from .gradcheck import norm_rel_error, numerical_gradient, numerical_gradients, rel_error
from .layers import affine_backward, affine_forward, sigmoid_backward, sigmoid_forward
from .losses import l2_backward, l2_forward, log_softmax, softmax, softmax_ce_backward, softmax_ce_forward
from .mlp import init_params, mlp_forward, mlp_keys, mlp_loss_and_grads
from .net import forward, loss_and_grads

__version__ = "0.1.0"

__all__ = [
    # the two-layer net and its worked examples
    "forward",
    "loss_and_grads",
    "torch_loss_and_grads",
    "seed_example",
    "second_example",
    "random_example",
    # layers: forward/backward pairs
    "affine_forward",
    "affine_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "log_softmax",
    "softmax",
    "softmax_ce_forward",
    "softmax_ce_backward",
    "l2_forward",
    "l2_backward",
    # the L-layer net and its activations (fcnet.activations.ACTIVATIONS)
    "mlp_loss_and_grads",
    "mlp_forward",
    "mlp_keys",
    "init_params",
    "torch_mlp_loss_and_grads",
    # gradient checking
    "numerical_gradient",
    "numerical_gradients",
    "rel_error",
    "norm_rel_error",
    "full_check",
    "sparse_check",
    "directional_check",
    "CheckReport",
    "PrecisionWarning",
]


def torch_loss_and_grads(params, X, y, reg):
    """`loss_and_grads` by PyTorch autograd; see `fcnet.torch_net.torch_loss_and_grads`."""
    from .torch_net import torch_loss_and_grads as impl

    return impl(params, X, y, reg)


def torch_mlp_loss_and_grads(params, X, y, reg, activations):
    """`mlp_loss_and_grads` by PyTorch autograd; see `fcnet.torch_mlp.torch_mlp_loss_and_grads`."""
    from .torch_mlp import torch_mlp_loss_and_grads as impl

    return impl(params, X, y, reg, activations)
