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
    ),
    Exercise(
        "numerical-gradient-one-sided",
        PAGE,
        "compute",
        r"For \(f = \exp\) at \(x = 0\) and \(h = 10^{-3}\), predict the errors of the one-sided and of the centred "
        "difference from D8, then measure them.",
        "numerical:_one_sided",
    ),
    Exercise(
        "numerical-gradient-best-step",
        PAGE,
        "explain",
        r"Predict the best step \(h\) and the smallest error of a centred difference in float64 and in float32, from "
        r"the machine epsilon \(\varepsilon\) alone.",
        "numerical:_best_step",
    ),
    Exercise(
        "numerical-gradient-zero-gradient",
        PAGE,
        "explain",
        r"In the notes' example the norm-relative error of \(\partial J / \partial b^{(1)}\) reads about 1 although "
        "the code is right. Why, and what should a test check instead?",
        "numerical:_zero_gradient",
    ),
]
