"""The vocabulary of causes the diagnoser names, and the derivation each one sends the student to.

Every cause id is stable (a teacher's autograder may match on it).  ``see`` is
the id of a derivation in `fcnet.derivations`, rendered on the site under the
anchor ``PAGE#ID``, the page that `fcnet.derivations.parts` names; `DERIVATIONS` holds the number and
title of each one named here, so that a report needs no SymPy (a test checks
them against `fcnet.derivations`).

>>> CAUSES["missing-batch-mean"].see, DERIVATIONS["batch-mean-l2"][0]
('batch-mean-l2', 'D6')
>>> reread("sigmoid-grad")
"reread (D3) The sigmoid's derivative, backprop/#sigmoid-grad"
>>> sorted(c for c, v in CAUSES.items() if v.see is None)[:3]
['bad-return', 'crashed', 'mutates-input']
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Cause", "CAUSES", "DERIVATIONS", "reread"]

#: derivation id -> (number, title), as `fcnet.derivations` has them (checked by the tests).
DERIVATIONS = {
    "softmax-ce-grad": ("D2", "Softmax cross-entropy"),
    "sigmoid-grad": ("D3", "The sigmoid's derivative"),
    "linear-grad": ("D4", "The linear layer"),
    "hidden-layer-grad": ("D5", "Through the hidden layer"),
    "batch-mean-l2": ("D6", "Batch mean and L2 penalty"),
}


class Cause(NamedTuple):
    """A cause: what it means, and the derivation to reread (None when no derivation is at fault)."""

    summary: str
    see: str | None


#: cause id -> Cause.  The ids of the issue come first, then the ones added for failures of the run itself.
CAUSES = {
    "missing-batch-mean": Cause("N times too large: the batch mean's 1/N is missing", "batch-mean-l2"),
    "extra-batch-mean": Cause("N times too small: the batch mean's 1/N is applied twice", "batch-mean-l2"),
    "missing-reg": Cause("the penalty's gradient λW is missing", "batch-mean-l2"),
    "reg-factor": Cause("the penalty's gradient has the wrong factor (2λW or ½λW, not λW)", "batch-mean-l2"),
    "reg-on-bias": Cause("a penalty term on a bias (biases are not regularised)", "batch-mean-l2"),
    "sigmoid-derivative": Cause("a wrong σ' (σ, 1 − σ, or another function instead of σ(1 − σ))", "sigmoid-grad"),
    "transposed": Cause("the transpose of the right gradient", "linear-grad"),
    "sign": Cause("negated: the right gradient with the wrong sign", "softmax-ce-grad"),
    "bias-not-summed": Cause("one example's column, or the mean, instead of the sum over the batch", "linear-grad"),
    "wrong-shape": Cause("not the shape of its parameter", "linear-grad"),
    "softmax-overflow": Cause(
        "stability: e^z overflows at large logits (inf/inf is nan): the softmax is not shifted by the max",
        "softmax-ce-grad",
    ),
    "log-underflow": Cause(
        "stability: the loss is log of a probability that underflowed to 0 (−log 0 = inf): use the log-softmax",
        "softmax-ce-grad",
    ),
    "sigmoid-overflow": Cause(
        "stability: nan or an overflow where the sigmoid saturates (σ written as e^z/(1 + e^z), or math.exp)",
        "sigmoid-grad",
    ),
    "unstable": Cause(
        "stability: finite but wrong at extreme logits only (a clipped log, log(p + ε)?)", "softmax-ce-grad"
    ),
    "loss-not-mean": Cause("the data loss is not the batch mean of the cross-entropies", "batch-mean-l2"),
    "loss-missing-reg": Cause("the loss lacks the penalty ½λ(‖W1‖² + ‖W2‖²)", "batch-mean-l2"),
    "loss-reg-factor": Cause("the loss's penalty has the wrong factor (λ or ¼λ, not ½λ)", "batch-mean-l2"),
    "raised": Cause("the function raised an exception", None),
    "mutates-input": Cause("the function changes its arguments in place", None),
    "not-finite": Cause("nan or inf where the reference is finite, at ordinary logits", None),
    "unknown": Cause("wrong, in a way none of the other causes explains", None),
    # the run itself
    "timeout": Cause("the function did not return within the time limit", None),
    "crashed": Cause("the process running the function died (os._exit, a signal, the memory limit)", None),
    "bad-return": Cause(
        "not the return value expected: (loss, grads), a number and a dict of arrays (or an unreadable answer)",
        None,
    ),
    "uses-reference": Cause(
        "the answer comes from fcnet's own loss_and_grads, forward, the torch twin or autograd", None
    ),
}


def reread(see: str) -> str:
    """The pointer a report prints for derivation ``see``: its number, short title and site anchor."""
    from ..derivations.parts import page  # the one place that says which page renders a derivation

    number, title = DERIVATIONS[see]
    return f"reread ({number}) {title.partition(':')[0]}, {page(see)}#{see}"
