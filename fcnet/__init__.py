"""fcnet: fully connected neural networks from scratch, every formula derived.

The package is laid out as the chapter is read:

* `fcnet.core`: the NumPy teaching core (layers, activations, losses, the
  two-layer net, the L-layer net, parameters, validation, worked examples);
  NumPy and the standard library only;
* `fcnet.gradcheck`: finite differences, error measures, the check modes
  and planted bugs;
* `fcnet.witnesses`: PyTorch autograd (imports torch) and SymPy's exact
  values (imports SymPy), and the registry of witnesses;
* `fcnet.derivations`: SymPy derives every backprop formula;
* `fcnet.training`: the loop, the optimiser, the digits data, checkpoints;
* `fcnet.diagnose`: a student's ``loss_and_grads`` run on probes, with the
  cause of each wrong gradient and the derivation to reread;
* `fcnet.cli` (``python -m fcnet``), `fcnet.bench` (the race against
  PyTorch) and `fcnet.site` (what the pages import to render).

``import fcnet`` loads NumPy only: torch, SymPy, scikit-learn and matplotlib
are imported by the functions that need them, when they are called.

>>> import fcnet
>>> params, X, y, reg = fcnet.seed_example()
>>> loss, grads = fcnet.loss_and_grads(params, X, y, reg)
>>> sorted(grads) == sorted(fcnet.KEYS) and round(loss, 6)
35.609438
"""

import sys as _sys

if (_sys.argv[0] if getattr(_sys, "argv", None) else "").endswith(("-m", "fcnet")):  # maybe `python -m fcnet`
    from .cli.signals import exit_quietly_if_command  # then Ctrl-C during the imports below exits 130, quietly

    exit_quietly_if_command()

from .core.activations import ACTIVATIONS, Activation, get_activation
from .core.examples import EXAMPLES, random_example, second_example, seed_example
from .core.layers import affine_backward, affine_forward, sigmoid_backward, sigmoid_forward
from .core.losses import l2_backward, l2_forward, log_softmax, softmax, softmax_ce_backward, softmax_ce_forward
from .core.mlp import mlp_forward, mlp_loss_and_grads
from .core.net import forward, loss_and_grads
from .core.params import KEYS, init_params, mlp_keys
from .core.validate import NonFiniteError, NumericalOverflowError
from .diagnose import diagnose
from .engine.workspace import Workspace
from .gradcheck.checks import CheckReport, PrecisionWarning, directional_check, full_check, sparse_check
from .gradcheck.numerical import norm_rel_error, numerical_gradient, numerical_gradients, rel_error
from .release import __version__ as __version__  # the one place the version is written
from .training.checkpoint import ParamsFileError, load_params, save_params
from .training.loop import TrainResult, accuracy, predict, train
from .training.optim import SGD

__all__ = [
    # the two-layer net and its worked examples
    "KEYS",
    "forward",
    "loss_and_grads",
    "torch_loss_and_grads",
    "EXAMPLES",
    "seed_example",
    "second_example",
    "random_example",
    "Workspace",
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
    # the L-layer net and its activations
    "ACTIVATIONS",
    "Activation",
    "get_activation",
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
    # training
    "train",
    "TrainResult",
    "predict",
    "accuracy",
    "SGD",
    "save_params",
    "load_params",
    "ParamsFileError",
    # errors
    "NonFiniteError",
    "NumericalOverflowError",
    # diagnosing a student's backprop (the machinery loads on the first call)
    "diagnose",
]


def torch_loss_and_grads(params, X, y, reg):
    """`loss_and_grads` by PyTorch autograd; see `fcnet.witnesses.torch_net.torch_loss_and_grads`."""
    from .witnesses.torch_net import torch_loss_and_grads as impl

    return impl(params, X, y, reg)


def torch_mlp_loss_and_grads(params, X, y, reg, activations):
    """`mlp_loss_and_grads` by PyTorch autograd; see `fcnet.witnesses.torch_mlp.torch_mlp_loss_and_grads`."""
    from .witnesses.torch_mlp import torch_mlp_loss_and_grads as impl

    return impl(params, X, y, reg, activations)
