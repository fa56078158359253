"""Exercises for the Forward pass page.

The questions; each answer is computed by `fcnet.site.exercises.answers.forward`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise

PAGE = "forward"

EXERCISES = [
    Exercise(
        "forward-z1-by-hand",
        PAGE,
        "by hand",
        r"In the notes' example every row of \(W^{(1)}\) is \((1, 2, 3)\), every \(b^{(1)}_h = 1\), and the first "
        r"example (column 0 of \(X\)) is \(x = (0, 2, 4)\). Compute \(z^{(1)}_0\) and \(a^{(1)}_0\) by hand. "
        r"Why do all four hidden units agree?",
        "forward:_z1_by_hand",
    ),
    Exercise(
        "forward-uniform-output",
        PAGE,
        "explain",
        r"Show that in the notes' example \(\hat{y}\) is uniform, \(1/5\) for every class, *whatever the input*. "
        "What does that make of the example as a test of backprop?",
        "forward:_uniform",
    ),
    Exercise(
        "forward-second-predictions",
        PAGE,
        "compute",
        r"Swap rows 0 and 1 of the second example's \(W^{(2)}\) and \(b^{(2)}\) and run it forward (`fcnet.forward`). "
        r"Which class does the net now predict for each of its three columns, and how many match the labels "
        r"\(y = (3, 0, 2)\)? (You can tell from the page's \(\hat{Y}\) before you run it.)",
        "forward:_second_predictions",
    ),
    Exercise(
        "forward-param-count",
        PAGE,
        "by hand",
        r"How many numbers does a two-layer net with sizes \(D_{\mathrm{in}}, H, C\) learn? Give the formula, then "
        r"evaluate it for the notes' net \((3, 4, 5)\) and the digits net \((64, 128, 10)\) of *Training on digits*.",
        "forward:_param_count",
    ),
    Exercise(
        "forward-bias-shift",
        PAGE,
        "derive",
        r"Add the same constant \(t\) to every entry of \(b^{(2)}\). How does \(\hat{y}\) change? Prove it from the "
        r"softmax's formula, then check it on the second example with \(t = 7\).",
        "forward:_bias_shift",
    ),
]
