"""Implementations to diagnose, shipped with fcnet: the site's "Debugging your backprop" and "Grading a class" run them.

`CASES` maps a name to a `Case`: the file (in this folder), the function,
a title, the snippet section that holds the mistake, and the verdict the
diagnoser must reach (entry -> cause; every other entry is right).  The
page asserts those verdicts when it is built; so do the tests.

`SUBMISSIONS` is a folder of a small class's submissions, one file each:
correct ones in six styles, buggy ones, unstable ones.  `GRADES` holds
the grade each must get (whether it passes, and the causes of each entry
that is not right); `GRADING_COMMANDS` are the commands the "Grading a
class" page runs on them (and the tests too).

>>> CASES["forgot_mean"].expected["W2"], path("forgot_mean").name
('missing-batch-mean', 'forgot_mean.py')
>>> sorted(p.stem for p in SUBMISSIONS.glob("*.py")) == sorted(GRADES)
True
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

__all__ = ["Case", "CASES", "path", "SUBMISSIONS", "Grade", "GRADES", "GRADING_COMMANDS"]

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


#: A small class's submissions (each defines ``loss_and_grads``), graded on the "Grading a class" page.
SUBMISSIONS = _HERE / "submissions"


class Grade(NamedTuple):
    """The grade a submission must get: passed (without --strict), each wrong entry's causes, its layout."""

    passed: bool
    causes: dict  # entry -> tuple of cause ids, most specific first; the entries not named are right
    layout: str = "columns"
    style: str = ""


_LOG_UNDERFLOW = {"stability": ("log-underflow",)}

#: submission (file stem) -> the grade it must get.
GRADES = {
    "columns_vectorised": Grade(True, _LOG_UNDERFLOW, style="correct: vectorised, the textbook softmax"),
    "log_softmax": Grade(True, {}, style="correct: vectorised, a log-softmax"),
    "rows_cs231n": Grade(True, _LOG_UNDERFLOW, "rows", style="correct: CS231n's rows layout"),
    "loops": Grade(True, {"stability": ("sigmoid-overflow",)}, style="correct: a loop over the examples (math.exp)"),
    "one_hot": Grade(True, _LOG_UNDERFLOW, style="correct: one-hot labels"),
    "float32": Grade(True, {}, style="correct: computed in float32"),
    "prints": Grade(True, {}, style="correct: prints as it goes"),
    "naive_softmax": Grade(True, {"stability": ("softmax-overflow",)}, style="unstable: no max shift"),
    "no_penalty_naive": Grade(
        False,
        {"loss": ("loss-missing-reg",), "stability": ("softmax-overflow",)},
        style="buggy: no penalty in the loss; unstable",
    ),
    "forgot_mean": Grade(
        False, dict.fromkeys(_GRADS, ("missing-batch-mean",)), style="buggy: the gradient not averaged"
    ),
    "mean_bias": Grade(False, dict.fromkeys(("b1", "b2"), ("extra-batch-mean",)), style="buggy: db = mean(δ)"),
}

#: The commands the "Grading a class" page shows and runs (``SUBMISSIONS`` is spelled out when run).
GRADING_COMMANDS = {
    "class": "python -m fcnet diagnose SUBMISSIONS --csv grades.csv --gradescope gradescope",
    "rows": "python -m fcnet diagnose SUBMISSIONS/rows_cs231n.py --layout rows",
    "strict": "python -m fcnet diagnose SUBMISSIONS/naive_softmax.py --strict",
    "autograder": (
        "python -m fcnet diagnose /autograder/submission/net.py --gradescope /autograder/results/results.json"
    ),
    # Linux namespaces, no root needed: no network, its own process tree (all of it ends with the grader)
    "unshare": (
        "unshare --user --map-root-user --net --pid --fork --kill-child --mount-proc"
        " python -m fcnet diagnose SUBMISSIONS --csv grades.csv"
    ),
    # a container: no network, 2 GB of memory for everything, 256 processes, a read-only system
    "docker": (
        "docker run --rm --network none --memory 2g --memory-swap 2g --pids-limit 256 --read-only --tmpfs /tmp"
        ' --user 1000:1000 -v "$PWD/submissions:/submissions:ro" -v "$PWD/grades:/grades" fcnet-grader'
        " python -m fcnet diagnose /submissions --csv /grades/grades.csv"
    ),
}
