"""Exercises for the Training on digits page: momentum by hand, counting steps, the notes' learning rate.

The questions; each answer is computed by `fcnet.site.exercises.answers.training`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise

PAGE = "beyond/training"

EXERCISES = [
    Exercise(
        "training-momentum-by-hand",
        PAGE,
        "by hand",
        r"SGD with \(\text{lr} = 0.5\) and \(\mu = 0.5\) on one weight \(w = 1\), whose gradient is \(g = 2\) at both "
        r"steps. Compute \(v\) and \(w\) after each step.",
        "training:_momentum_by_hand",
    ),
    Exercise(
        "training-steps-per-epoch",
        PAGE,
        "by hand",
        "The page's run holds out 25% of the 1,797 digits and uses minibatches of 32 for 40 epochs. How many SGD "
        "steps is an epoch, how large is its last minibatch, and how many steps is the run?",
        "training:_steps",
    ),
    Exercise(
        "training-notes-learning-rate",
        PAGE,
        "explain",
        r"The notes set `learning_rate = 5.0` with \(\lambda = 0.5\) and never use it (their update is commented out). "
        "What would one step do to the weights through the penalty alone? Which learning rates shrink them?",
        "training:_notes_learning_rate",
    ),
    Exercise(
        "training-glorot",
        PAGE,
        "compute",
        r"The run draws its weights with Glorot's standard deviation. What is it for the digits net's "
        r"\(W^{(1)}\) (64 → 128) and \(W^{(2)}\) (128 → 10)?",
        "training:_glorot",
    ),
]
