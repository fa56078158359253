"""Exercises for the Numerical gradient page: cost, a difference by hand, truncation against round-off.

The questions; each answer is computed by `fcnet.site.exercises.answers.numerical`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise

PAGE = "numerical-gradient"

EXERCISES = [
    Exercise(
        "numerical-gradient-cost",
        PAGE,
        "by hand",
        r"How many evaluations of \(J\) does a full centred-difference gradient of the notes' net take?",
        "numerical:_cost",
    ),
    Exercise(
        "numerical-gradient-cube-by-hand",
        PAGE,
        "by hand",
        r"Take \(f(w) = w^3\) at \(w = 2\) and \(h = 0.1\). Compute the centred difference by hand and its error, "
        r"and compare with D8's \(h^2 f''' / 6\).",
        "numerical:_cube_by_hand",
        uses=("numdiff-error",),
    ),
    Exercise(
        "numerical-gradient-one-sided",
        PAGE,
        "compute",
        r"For \(f = \exp\) at \(x = 0\) and \(h = 10^{-3}\), predict the errors of the one-sided and of the centred "
        "difference from D8, then measure them.",
        "numerical:_one_sided",
        uses=("numdiff-error",),
    ),
    Exercise(
        "numerical-gradient-best-step",
        PAGE,
        "explain",
        r"Adding a constant to \(f\) changes no derivative, but it changes the round-off. Predict the best step "
        r"\(h\) and the smallest error of a centred difference in float64 for \(f_2 + 10^6\) (the page measured "
        r"\(f_2\) alone, \(|f_2| \approx 2\)), from the machine epsilon \(\varepsilon\) and \(|f|\).",
        "numerical:_best_step",
        uses=("numdiff-error",),
    ),
    Exercise(
        "numerical-gradient-zero-gradient",
        PAGE,
        "explain",
        r"The table shows the notes' \(\partial J / \partial b^{(1)}\) zero as a whole. Prove it: show that "
        r"\(W^{(2)\top} \delta^{(2)} = 0\) for every column of the notes' example, and conclude what "
        r"\(\partial J / \partial W^{(1)}\) and \(\partial J / \partial b^{(1)}\) are, whatever the data.",
        "numerical:_zero_gradient",
        uses=("softmax-ce-grad", "hidden-layer-grad", "batch-mean-l2"),
    ),
]
