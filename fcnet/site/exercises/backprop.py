"""Exercises for the Backprop page: one column by hand, the degenerate example, the graph, a variant.

The questions; each answer is computed by `fcnet.site.exercises.answers.backprop`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise

PAGE = "backprop"

EXERCISES = [
    Exercise(
        "backprop-delta2-by-hand",
        PAGE,
        "by hand",
        r"In the notes' example, column 0 has label 3 and \(\hat{y}\) is uniform. Write \(\delta^{(2)} = \hat{y} - "
        r"y\), then column 0 of `dz2`, \(\partial J / \partial Z^{(2)} = \tfrac1N \Delta^{(2)}\).",
        "backprop:_delta2_by_hand",
    ),
    Exercise(
        "backprop-degenerate",
        PAGE,
        "explain",
        r"Show that \(W^{(2)\top} \delta^{(2)} = 0\) for every column of the notes' example, and conclude what "
        r"\(\partial J / \partial W^{(1)}\) and \(\partial J / \partial b^{(1)}\) are, whatever the data.",
        "backprop:_degenerate",
    ),
    Exercise(
        "backprop-local-times-upstream",
        PAGE,
        "compute",
        r"On the second example's graph (column 0, hidden unit 0), read \(a^{(1)}_0\) and the gradient arriving at it "
        r"from above. Compute \(\partial J / \partial z^{(1)}_0\) as local gradient times upstream gradient, then "
        r"this example's share of \(\partial J / \partial W^{(1)}_{01}\).",
        "backprop:_local_times_upstream",
    ),
    Exercise(
        "backprop-softplus-hidden",
        PAGE,
        "derive",
        r"Replace the hidden sigmoid by softplus, \(a^{(1)} = \log(1 + e^{z^{(1)}})\). Which line of the backward pass "
        r"changes? Derive the new \(\delta^{(1)}\).",
        "backprop:_softplus_hidden",
    ),
    Exercise(
        "backprop-bias-sum",
        PAGE,
        "by hand",
        r"Why is \(\partial J / \partial b^{(2)}\) the sum of the columns of \(\partial J / \partial Z^{(2)}\)? "
        "Compute it for the notes' example by hand.",
        "backprop:_bias_sum",
    ),
]
