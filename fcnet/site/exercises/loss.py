"""Exercises for The loss page: by hand, then two variants of the loss derived with SymPy.

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
        r"Compute \(J\) for the notes' example by hand: the data term (\(\hat{y}\) is uniform) and the penalty with "
        r"\(\lambda = 1/2\).",
        "loss:_seed_by_hand",
    ),
    Exercise(
        "loss-log-softmax-by-hand",
        PAGE,
        "by hand",
        r"For the logits \(z = (1000, 10, -5)\), compute \(\log \hat{y}\) without overflowing, and the cross-entropy "
        "of class 1 (classes counted from 0).",
        "loss:_log_softmax_by_hand",
    ),
    Exercise(
        "loss-l2-gradient",
        PAGE,
        "derive",
        r"Differentiate the penalty \(\tfrac12 \lambda \lVert W \rVert_F^2\) entry by entry: why the ½? What does it "
        r"add to \(\partial J / \partial W^{(2)}_{00}\) in the second example (\(\lambda = 0.25\))?",
        "loss:_l2_gradient",
    ),
    Exercise(
        "loss-label-smoothing",
        PAGE,
        "derive",
        r"Label smoothing trains against \(y^{\alpha} = (1 - \alpha) y + \alpha / C\) instead of the one-hot \(y\). "
        r"Derive \(\partial \mathrm{CE}(y^{\alpha}, \hat{y}) / \partial z\). (Hint: D2's precondition.)",
        "loss:_label_smoothing",
    ),
    Exercise(
        "loss-mse",
        PAGE,
        "derive",
        r"Replace the cross-entropy by the squared error \(\mathrm{SE} = \tfrac12 \lVert \hat{y} - y \rVert_F^2\) of "
        r"the probabilities. Derive \(\partial \mathrm{SE} / \partial z\), and explain why it learns slowly when the "
        "net is confidently wrong.",
        "loss:_mse",
    ),
]
