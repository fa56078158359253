"""Exercises for The loss page: by hand, the stable log-softmax, the penalty's gradient.

The questions; each answer is computed by `fcnet.site.exercises.answers.loss`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise

PAGE = "loss"

EXERCISES = [
    Exercise(
        "loss-seed-by-hand",
        PAGE,
        "by hand",
        r"Compute \(J\) by hand for the notes' example with \(\lambda = 0.1\) instead of \(\tfrac12\), and a third "
        r"example added to the batch: the input \((-1, 0.5, 3)\), label 0. (\(\hat{y}\) is uniform.)",
        "loss:_seed_by_hand",
    ),
    Exercise(
        "loss-log-softmax-by-hand",
        PAGE,
        "by hand",
        r"For the logits \(z = (-1000, -1001, -1003)\), where the notes' formula gives \(0/0\), compute "
        r"\(\log \hat{y}\) without underflowing, and the cross-entropy of class 0 (classes counted from 0).",
        "loss:_log_softmax_by_hand",
    ),
    Exercise(
        "loss-l2-gradient",
        PAGE,
        "derive",
        r"Differentiate the penalty \(\tfrac12 \lambda \lVert W \rVert_F^2\) entry by entry. What does it add to "
        r"\(\partial J / \partial W^{(2)}_{00}\) in the second example (\(\lambda = 0.25\))?",
        "loss:_l2_gradient",
    ),
]
