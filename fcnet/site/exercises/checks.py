"""The checks a reader runs on the code an exercise asks for: right or wrong, and why.

``check(exercise_id, fn)`` calls the reader's function on a few small
problems, compares each result with fcnet's own (its building blocks, which
the pages show, or `fcnet.numerical_gradient`), and says what a wrong result
is: a shape (transposed?), a sign, a factor of N, a missing term, each with
the derivation to reread.  It never shows the expected code.

>>> import numpy as np
>>> check("backprop-write-delta2", lambda probs, y: np.zeros((1, 1)))
wrong: on a (C, N) = (4, 3) batch: the result has shape (1, 1); expected (4, 3), the shape of Ŷ (D2, ...)
>>> check("backprop-write-delta2", lambda probs, y: 1 / 0)
wrong: it raised ZeroDivisionError: division by zero
>>> check("no-such-exercise", print)
Traceback (most recent call last):
...
ValueError: exercise_id is 'no-such-exercise'; expected one of ['backprop-write-dW1', ...]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...core.examples import random_example
from ...core.layers import affine_backward, affine_forward, sigmoid_backward, sigmoid_forward
from ...core.losses import l2_backward, softmax_ce_backward, softmax_ce_forward
from ...derivations.parts import page
from ...diagnose.causes import DERIVATIONS

__all__ = ["Checked", "CHECKS", "check"]


@dataclass(frozen=True)
class Checked:
    """A check's verdict: ``right``, and ``why`` in one line (what a notebook shows)."""

    right: bool
    why: str

    def __str__(self) -> str:
        return f"{'right' if self.right else 'wrong'}: {self.why}"

    __repr__ = __str__

    def __bool__(self) -> bool:
        return self.right


class _Wrong(Exception):
    """A wrong result, with why."""


def _problems(sizes=((3, 2, 5, 4), (1, 3, 2, 4), (6, 4, 3, 2))):
    """Small float64 problems (N, D_in, H, C): no two sizes of one equal, so that a transpose shows in the shape."""
    for seed, (N, D_in, H, C) in enumerate(sizes):
        yield random_example(N=N, D_in=D_in, H=H, C=C, seed=seed + 7, reg=0.3)


def _call(fn, *args):
    """fn on copies of args; raises `_Wrong` when it raises or changes an argument."""
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        out = fn(*copies)
    except Exception as err:  # the reader's code: whatever it raises is the verdict
        raise _Wrong(f"it raised {type(err).__name__}: {err}") from None
    for a, c in zip(args, copies):
        if isinstance(a, np.ndarray) and not np.array_equal(a, c, equal_nan=True):
            raise _Wrong("it changes an argument in place; work on a copy (e.g. probs.copy()) or a new array")
    return out


def _judge(got, want, what: str, see: str, mistakes: dict[str, np.ndarray] = ()) -> None:
    """Raise `_Wrong` unless ``got`` is ``want`` to roundoff (rtol 1e-9 of its largest entry); name the mistake.

    ``mistakes`` maps a known wrong result to what it means, tried in order when ``got`` is wrong.
    """
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Wrong(f"the result is {type(got).__name__}, not an array of numbers") from None
    if got.shape != want.shape:
        hint = " (its transpose?)" if got.shape == want.T.shape and got.ndim == 2 else ""
        raise _Wrong(f"{what}: the result has shape {got.shape}{hint}; expected {want.shape}, {see}")
    if not np.all(np.isfinite(got)):
        raise _Wrong(f"{what}: the result has nan or inf; expected finite numbers ({see})")
    tol = 1e-9 * max(np.abs(want).max(), 1e-300)
    if np.abs(got - want).max() <= tol:
        return
    for meaning, wrong in dict(mistakes).items():
        if wrong.shape == got.shape and np.abs(got - wrong).max() <= 1e-9 * max(np.abs(wrong).max(), 1e-300):
            raise _Wrong(f"{what}: {meaning}")
    i = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
    raise _Wrong(f"{what}: entry {tuple(int(k) for k in i)} is {got[i]:.6g}; expected {want[i]:.6g} ({see})")


def _see(ident: str) -> str:
    """``"D2, backprop/#softmax-ce-grad"``: the derivation a mistake breaks, where the site derives it.

    The number and title are the grader's (`fcnet.diagnose.causes.DERIVATIONS`, no SymPy), the page
    is `fcnet.derivations.parts`'.
    """
    return f"{DERIVATIONS[ident][0]}, {page(ident)}#{ident}"


D2, D3, D4 = _see("softmax-ce-grad"), _see("sigmoid-grad"), _see("linear-grad")
D5, D6 = _see("hidden-layer-grad"), _see("batch-mean-l2")


def _intermediates(params, X, y):
    """Ŷ, δ2 and the arrays of the hidden layer, by fcnet's building blocks."""
    z1, aff1 = affine_forward(params["W1"], X, params["b1"])
    a1, cache1 = sigmoid_forward(z1)
    z2, aff2 = affine_forward(params["W2"], a1, params["b2"])
    _, ce = softmax_ce_forward(z2, y)
    probs = ce[0].copy()
    dz2 = softmax_ce_backward(1.0, ce)
    _, _, da1 = affine_backward(dz2, aff2)
    dz1 = sigmoid_backward(da1, cache1)
    return probs, a1.copy(), dz2, da1, dz1


def _delta2(fn) -> str:
    for params, X, y, _ in _problems():
        probs, _, dz2, _, _ = _intermediates(params, X, y)
        C, N = probs.shape
        Y = np.eye(C)[:, y]
        what = f"on a (C, N) = ({C}, {N}) batch"
        _judge(
            _call(fn, probs, y),
            dz2,
            what,
            f"the shape of Ŷ ({D2})",
            {
                f"the sign is wrong: Ŷ − Y, not Y − Ŷ ({D2})": -dz2,
                f"it is N times too large: the batch mean's 1/N is missing ({D6})": dz2 * N,
                f"it is N times too small: 1/N is applied twice ({D6})": dz2 / N,
                f"Y is missing: the one-hot labels are subtracted from Ŷ ({D2})": probs / N,
                f"the 1/N is applied to Ŷ only, not to Y ({D6})": probs / N - Y,
            },
        )
    return f"(1/N)(Ŷ − Y) on 3 batches, N from 2 to 6 ({D2}; {D6})"


def _delta1(fn) -> str:
    for params, X, y, _ in _problems():
        _, a1, dz2, da1, dz1 = _intermediates(params, X, y)
        W2 = params["W2"]
        what = f"with W2 of shape {W2.shape} and δ2 of shape {dz2.shape}"
        _judge(
            _call(fn, W2, dz2, a1),
            dz1,
            what,
            f"the shape of a1, (H, N) ({D5})",
            {
                f"the local gradient σ'(z1) = a1 (1 − a1) is missing ({D5}; {D3})": da1,
                f"σ'(z1) is a1 (1 − a1), not a1 ({D3})": da1 * a1,
                f"σ'(z1) is a1 (1 − a1), not 1 − a1 ({D3})": da1 * (1 - a1),
                f"the sign is wrong ({D5})": -dz1,
            },
        )
    return f"(W2ᵀ δ2) ⊙ a1 (1 − a1) on 3 batches ({D5}; {D3})"


def _grad_W1(fn) -> str:
    for params, X, y, reg in _problems():
        _, _, _, _, dz1 = _intermediates(params, X, y)
        W1 = params["W1"]
        data, _, _ = affine_backward(dz1, (W1, X), need_da=False)
        want = data + l2_backward(W1, reg)
        N = X.shape[1]
        what = f"with δ1 of shape {dz1.shape} and X of shape {X.shape}"
        _judge(
            _call(fn, dz1, X, W1, reg),
            want,
            what,
            f"the shape of W1, (H, D_in) ({D4})",
            {
                f"the penalty's gradient λW1 is missing ({D6})": data,
                f"the penalty's gradient is λW1, not 2λW1 ({D6})": data + 2 * reg * W1,
                f"the penalty's gradient is λW1, not ½λW1 ({D6})": data + 0.5 * reg * W1,
                f"δ1 already holds the batch mean's 1/N: do not divide by N again ({D6})": data / N + reg * W1,
                f"the sign is wrong ({D4})": -want,
            },
        )
    return f"δ1 Xᵀ + λW1 on 3 batches ({D4}; {D6})"


def _toy(x):
    """A scalar function with every third derivative non-zero: a forward difference's error shows."""
    return float(np.sum(np.sin(x) * x**2) + x.flat[0] * x.flat[1])


def _centred(fn) -> str:
    rng = np.random.default_rng(3)
    for shape in ((4,), (2, 3)):
        x = rng.uniform(-2, 2, size=shape)
        h = 1e-5
        exact = np.cos(x) * x**2 + 2 * x * np.sin(x)
        exact.flat[0] += x.flat[1]
        exact.flat[1] += x.flat[0]
        point = x.copy()
        try:
            got = fn(_toy, point, h)
        except Exception as err:  # the reader's code
            raise _Wrong(f"it raised {type(err).__name__}: {err}") from None
        if not np.array_equal(point, x):
            raise _Wrong("x is not as it was: set each entry back after its two evaluations (x[i] = old)")
        forward = np.array([(_toy(x + h * e) - _toy(x)) / h for e in np.eye(x.size).reshape(x.size, *shape)])
        everywhere = np.full(shape, (_toy(x + h) - _toy(x - h)) / (2 * h))
        what = f"at a point of shape {shape}"
        got_arr = np.asarray(got, dtype=np.float64) if not isinstance(got, np.ndarray) else got
        if got_arr.shape == exact.shape and np.all(np.isfinite(got_arr)):
            # the centred difference's own error at h = 1e-5 is about h² f''' / 6 ≈ 1e-10: 1e-7 is far above it
            if np.abs(got_arr - exact).max() <= 1e-7 * np.abs(exact).max():
                continue
            if np.abs(got_arr - forward.reshape(shape)).max() <= 1e-9:
                raise _Wrong(f"{what}: a forward difference, error O(h); the centred one's is O(h²) (D7)")
        _judge(
            got_arr,
            exact,
            what,
            "the shape of x (D7, numerical-gradient/)",
            {
                "the quotient is divided by h; the centred difference's step is 2h": 2 * exact,
                "every entry is moved at once (x + h): move one entry at a time": everywhere,
            },
        )
    return "(f(x + h eᵢ) − f(x − h eᵢ)) / 2h, entry by entry, x restored, on two points (D7)"


#: exercise id -> the check of the function it asks for
CHECKS: dict[str, Callable[[Callable], str]] = {
    "backprop-write-delta2": _delta2,
    "backprop-write-delta1": _delta1,
    "backprop-write-dW1": _grad_W1,
    "gradient-checks-write-centred": _centred,
}


def check(exercise_id: str, fn: Callable) -> Checked:
    """Run the check of a "write code" exercise on ``fn``, the reader's function.

    Parameters
    ----------
    exercise_id : str
        The exercise's id (its anchor on the page is ``#ex-<id>``).
    fn : callable
        The function the exercise asks for, with the arguments it names.

    Returns
    -------
    Checked
        ``right`` and ``why``; it prints as one line, ``right: ...`` or ``wrong: ...``.
    """
    if exercise_id not in CHECKS:
        raise ValueError(f"exercise_id is {exercise_id!r}; expected one of {sorted(CHECKS)}")
    if not callable(fn):
        raise TypeError(f"fn is {type(fn).__name__}; expected the function the exercise asks for")
    try:
        return Checked(True, CHECKS[exercise_id](fn))
    except _Wrong as wrong:
        return Checked(False, str(wrong))
