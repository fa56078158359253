"""Implementations to diagnose, shipped with fcnet: the site's "Debugging your backprop" runs them.

`CASES` maps a name to a `Case`: the file (in this folder), the function,
a title, the snippet section that holds the mistake, and the verdict the
diagnoser must reach (entry -> cause; every other entry is right).  The
page asserts those verdicts when it is built; so do the tests.

>>> CASES["forgot_mean"].expected["W2"], path("forgot_mean").name
('missing-batch-mean', 'forgot_mean.py')
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

__all__ = ["Case", "CASES", "path"]

_HERE = Path(__file__).resolve().parent
_GRADS = ("W1", "b1", "W2", "b2")


class Case(NamedTuple):
    """An implementation to diagnose, and the verdict it must get."""

    file: str
    function: str
    title: str
    snippet: str  # "fcnet/<file>.py:<section>": the lines that hold the mistake
    expected: dict  # entry -> cause id; the entries not named are right


def _case(file, function, title, snippet, **expected):
    return Case(file, function, title, snippet, expected)


#: name -> Case: the gradient-check page's planted bugs, then classic mistakes.
CASES = {
    "planted_sign": _case(
        "planted.py",
        "sign_error",
        "Planted: a sign error in dW2[1, 2]",
        "fcnet/gradcheck/planted.py:bug-sign",
        W2="sign",
    ),
    "planted_half": _case(
        "planted.py",
        "missing_half",
        "Planted: the missing ½ in the L2 gradient",
        "fcnet/gradcheck/planted.py:bug-half",
        W1="reg-factor",
        W2="reg-factor",
    ),
    "planted_transpose": _case(
        "planted.py",
        "transposed_dW1",
        "Planted: a transposed dW1",
        "fcnet/gradcheck/planted.py:bug-transpose",
        W1="transposed",
    ),
    "notes_softmax": _case(
        "notes_softmax.py",
        "loss_and_grads",
        "The notes' softmax, without the max shift",
        "fcnet/diagnose/examples/notes_softmax.py:mistake",
        stability="softmax-overflow",
    ),
    "forgot_mean": _case(
        "forgot_mean.py",
        "loss_and_grads",
        "The loss averaged, the gradient not",
        "fcnet/diagnose/examples/forgot_mean.py:mistake",
        **dict.fromkeys(_GRADS, "missing-batch-mean"),
    ),
    "sigmoid_twice": _case(
        "sigmoid_twice.py",
        "loss_and_grads",
        "σ' applied to the activation, not the pre-activation",
        "fcnet/diagnose/examples/sigmoid_twice.py:mistake",
        W1="sigmoid-derivative",
        b1="sigmoid-derivative",
    ),
    "y_minus_yhat": _case(
        "y_minus_yhat.py",
        "loss_and_grads",
        "The output error taken as y − ŷ",
        "fcnet/diagnose/examples/y_minus_yhat.py:mistake",
        **dict.fromkeys(_GRADS, "sign"),
    ),
    "cs231n_penalty": _case(
        "cs231n_penalty.py",
        "loss_and_grads",
        "CS231n's penalty, λ‖W‖², in the notes' net",
        "fcnet/diagnose/examples/cs231n_penalty.py:mistake",
        loss="loss-reg-factor",
        W1="reg-factor",
        W2="reg-factor",
    ),
}


def path(name: str) -> Path:
    """The file of case ``name`` (or of any file in this folder, by its stem)."""
    file = CASES[name].file if name in CASES else f"{name}.py"
    if not (_HERE / file).is_file():
        raise KeyError(f"no example {name!r}; the cases are {sorted(CASES)}")
    return _HERE / file
