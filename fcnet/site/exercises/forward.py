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
        r"In the notes' net every row of \(W^{(1)}\) is \((1, 2, 3)\) and every \(b^{(1)}_h = 1\). Feed it an input "
        r"that is not one of the example's columns, \(x = (1, -1, 2)\): compute \(z^{(1)}\) and \(a^{(1)}\) by hand. "
        r"Is the sigmoid saturated this time?",
        "forward:_z1_by_hand",
    ),
    Exercise(
        "forward-uniform-output",
        PAGE,
        "explain",
        r"The page's argument for a uniform \(\hat{y}\) needs every row of \(W^{(2)}\) equal. Does it need \(b^{(2)}\) "
        r"constant too? Give the notes' net \(b^{(2)} = (0, 1, 2, 3, 4)\) and work out \(\hat{y}\) for any input.",
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
        r"evaluate it for the digits net \((64, 128, 10)\) of *Training on digits* and for an MNIST net "
        r"\((784, 128, 10)\).",
        "forward:_param_count",
    ),
    Exercise(
        "forward-bias-shift",
        PAGE,
        "derive",
        r"The key takeaways say that a constant added to every logit of a column changes nothing. Prove it from the "
        r"softmax's formula, check it on the second example with \(t = 7\) added to every entry of \(b^{(2)}\), and "
        r"say what it means for \(\sum_k \partial J / \partial b^{(2)}_k\).",
        "forward:_bias_shift",
    ),
]
