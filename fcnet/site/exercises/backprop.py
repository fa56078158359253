"""Exercises for the Backprop page: one column by hand, the degenerate example, the graph, a variant.

The questions; each answer is computed by `fcnet.site.exercises.answers.backprop`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise, code_stub

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
    Exercise(
        "backprop-write-delta2",
        PAGE,
        "write code",
        r"Write \(\partial J / \partial Z^{(2)} = \tfrac1N(\hat{Y} - Y)\) in NumPy, from the probabilities "
        r"\(\hat{Y}\) and the integer labels, without changing `probs`. Run the check in a cell: it says right, or "
        "what is wrong and which derivation to reread."
        + code_stub(
            "backprop-write-delta2", "delta2(probs, y)", "dJ/dZ2 = (1/N)(Ŷ − Y), (C, N); probs Ŷ (C, N), y (N,)"
        ),
        "backprop:_write_delta2",
    ),
    Exercise(
        "backprop-write-delta1",
        PAGE,
        "write code",
        r"Write \(\delta^{(1)} = (W^{(2)\top} \delta^{(2)}) \odot \sigma'(z^{(1)})\) in NumPy, from \(W^{(2)}\), "
        r"\(\delta^{(2)}\) and the activations \(a^{(1)} = \sigma(z^{(1)})\) (you need no \(z^{(1)}\))."
        + code_stub("backprop-write-delta1", "delta1(W2, dz2, a1)", "δ1, (H, N), from W2 (C, H), δ2 (C, N), a1 (H, N)"),
        "backprop:_write_delta1",
    ),
    Exercise(
        "backprop-write-dW1",
        PAGE,
        "write code",
        r"Write \(\partial J / \partial W^{(1)}\) in NumPy from \(\delta^{(1)}\) (which already holds the batch "
        r"mean's \(1/N\)), \(X\), \(W^{(1)}\) and \(\lambda\): the data term and the penalty's."
        + code_stub("backprop-write-dW1", "grad_W1(dz1, X, W1, reg)", "dJ/dW1, (H, D_in), from δ1 (H, N), X (D_in, N)"),
        "backprop:_write_dW1",
    ),
]
