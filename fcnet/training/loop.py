"""Training the notes' two-layer net: initialisation, the minibatch loop, accuracy.

Every gradient comes from `fcnet.loss_and_grads` (with one `fcnet.Workspace`
for the whole loop) and every update from
`fcnet.training.optim.SGD`; this module only shuffles, batches and keeps score.  One
seed drives all the randomness (the initial weights and the order of the
minibatches), so the same seed gives bit-identical parameters.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((2, 60)); y = (X[0] > X[1]).astype(int)   # a separable toy problem
>>> run = train(X, y, hidden=8, epochs=30, lr=0.5, batch_size=10, seed=1)
>>> accuracy(run.params, X, y) >= 0.95, len(run.history["loss"])
(True, 30)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..core.net import forward, loss_and_grads
from ..core.params import init_params
from ..core.validate import NumericalOverflowError, check_batch, check_reg, check_X, check_y, refuse_masked
from ..engine.workspace import Workspace
from .optim import SGD

__all__ = ["predict", "accuracy", "TrainResult", "train"]


def predict(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """The most probable class of each column of X.

    Parameters
    ----------
    params : dict of ndarray
    X : ndarray, shape (D_in, N)

    Returns
    -------
    labels : ndarray of int, shape (N,)
    """
    # ŷ = argmax_k softmax(z2)_k = argmax_k z2_k; forward gives the probabilities
    return np.argmax(forward(params, X), axis=0)


def accuracy(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of the columns of X whose predicted class is y.

    >>> p = {"W1": np.eye(2), "b1": np.zeros(2), "W2": np.array([[1.0, -1.0], [-1.0, 1.0]]), "b2": np.zeros(2)}
    >>> accuracy(p, np.array([[3.0, 0.0, 1.0], [0.0, 3.0, 2.0]]), np.array([0, 1, 0]))
    0.6666666666666666
    """
    params, X, y, _ = check_batch(params, X, y)
    return float(np.mean(predict(params, X) == y))


@dataclass
class TrainResult:
    """What `train` returns.

    Attributes
    ----------
    params : dict of ndarray
        The trained parameters.
    history : dict of list of float
        Per epoch: ``"loss"`` (J on the whole training set), ``"train_accuracy"``
        and, when a test set was given, ``"test_accuracy"``.
    seconds : float
        Wall-clock time of the loop, evaluation included.
    """

    params: dict[str, np.ndarray]
    history: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0


def train(
    X: np.ndarray,
    y: np.ndarray,
    hidden: int = 128,
    epochs: int = 40,
    lr: float = 0.02,
    momentum: float = 0.9,
    batch_size: int = 32,
    reg: float = 1e-3,
    seed: int = 0,
    C: int | None = None,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    callback: Callable[[int, dict[str, float]], None] | None = None,
) -> TrainResult:
    """Train the two-layer sigmoid net by minibatch SGD with momentum.

    Parameters
    ----------
    X : ndarray, shape (D_in, N)
        Training examples, one per column.
    y : ndarray of int, shape (N,)
        Their classes, in [0, C).
    hidden : int
        H, the hidden width.
    epochs, batch_size : int
        Passes over the data, and columns per minibatch (the last one may be smaller).
    lr, momentum, reg : float
        SGD's step and μ, and the L2 strength λ in J.
    seed : int
        Seeds the initial weights and the shuffles.
    C : int, optional
        The number of classes; default max(y) + 1.
    X_test : ndarray, shape (D_in, N_test), optional
    y_test : ndarray of int, shape (N_test,), optional
        Scored after every epoch when given.
    callback : callable, optional
        ``callback(epoch, metrics)`` after every epoch (1-based), metrics being
        that epoch's entries of the history.

    Returns
    -------
    result : TrainResult

    Raises
    ------
    NumericalOverflowError
        When training diverges: a loss, gradient or update overflows.  The
        message gives the epoch and minibatch and names ``lr`` (nothing is
        returned: the parameters are no longer meaningful).
    """
    X = check_X(X)
    if C is not None and (isinstance(C, bool) or not isinstance(C, int | np.integer) or C < 1):
        raise ValueError(f"C is {C!r}; expected a positive integer, the number of classes")
    if C is None:
        refuse_masked(y, "y")  # np.asarray would drop the mask
        y = np.asarray(y)
        C = int(y.max()) + 1 if y.size and np.issubdtype(y.dtype, np.integer) else 1
    y = check_y(y, X.shape[1], C)
    for name, n in (("hidden", hidden), ("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"{name} is {n!r}; expected an integer >= 1")
    reg = check_reg(reg)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed is {seed!r}; expected an integer >= 0")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback is a {type(callback).__name__}; expected callback(epoch, metrics) or None")
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test must be given together; got only one of them")
    if X_test is not None:
        X_test = check_X(X_test, "X_test")
        if X_test.shape[0] != X.shape[0]:
            raise ValueError(f"X_test has shape {X_test.shape}; expected ({X.shape[0]}, N_test), as many rows as X")
        try:
            y_test = check_y(y_test, X_test.shape[1], C)
        except (TypeError, ValueError) as exc:  # check_y names its argument y
            raise type(exc)(f"y_test: {exc}") from None
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[0], hidden, C], rng, scheme="glorot")
    opt = SGD(params, lr=lr, momentum=momentum)
    history: dict[str, list[float]] = {"loss": [], "train_accuracy": []}
    if X_test is not None:
        history["test_accuracy"] = []
    N = X.shape[1]
    workspace = Workspace()  # every minibatch step reuses its arrays: no allocation, no page faults once warm
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        order = rng.permutation(N)
        for first in range(0, N, batch_size):
            cols = order[first : first + batch_size]
            try:
                _, grads = loss_and_grads(params, X[:, cols], y[cols], reg, workspace=workspace)
                opt.step(grads)  # uses the gradients before the next step overwrites them
            except NumericalOverflowError as exc:
                raise _diverged(exc, epoch, first // batch_size + 1, lr, momentum) from None
        try:
            metrics = {"loss": loss_and_grads(params, X, y, reg)[0], "train_accuracy": accuracy(params, X, y)}
        except NumericalOverflowError as exc:
            raise _diverged(exc, epoch, None, lr, momentum) from None
        if X_test is not None:
            metrics["test_accuracy"] = accuracy(params, X_test, y_test)
        for k, v in metrics.items():
            history[k].append(v)
        if callback is not None:
            callback(epoch, metrics)
    return TrainResult(params=params, history=history, seconds=time.perf_counter() - start)


def _diverged(exc, epoch, batch, lr, momentum) -> NumericalOverflowError:
    """The error for an overflow during training, which blames the step size."""
    where = f"epoch {epoch}, minibatch {batch}" if batch else f"the evaluation after epoch {epoch}"
    return NumericalOverflowError(
        f"training diverged in {where}: {exc}.  The learning rate lr={lr:g} (momentum {momentum:g}) is the usual "
        "cause: lower it"
    )
