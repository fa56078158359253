"""Exercises for the Backprop page: one column by hand, the graph, variants of the net and of the loss.

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
        r"In the notes' example \(\hat{y}\) is uniform and the labels are \(y = (3, 4)\); the graph above drew "
        r"column 0. Write column 1's \(\delta^{(2)} = \hat{y} - y\) and column 1 of `dz2`, \(\partial J / \partial "
        r"Z^{(2)} = \tfrac1N \Delta^{(2)}\). Then give \(\partial J / \partial b^{(2)}\): why is it the sum of the "
        r"columns of \(\partial J / \partial Z^{(2)}\)?",
        "backprop:_delta2_by_hand",
        uses=("softmax-ce-grad", "batch-mean-l2"),
    ),
    Exercise(
        "backprop-local-times-upstream",
        PAGE,
        "compute",
        r"The graph above walks the second example's column 0 through hidden unit 0. Walk it through hidden unit 1: "
        r"read \(a^{(1)}_1\) from Forward's \(A^{(1)}\), compute the gradient arriving at it from above, "
        r"\(\sum_k W^{(2)}_{k1} (\hat{y}_k - y_k) / N\), then \(\partial J / \partial z^{(1)}_1\) as local gradient "
        r"times upstream gradient, and this example's share of \(\partial J / \partial W^{(1)}_{11}\) "
        "(`path_to_W1(0, 1)` checks the last).",
        "backprop:_local_times_upstream",
        uses=("softmax-ce-grad", "sigmoid-grad", "hidden-layer-grad"),
    ),
    Exercise(
        "backprop-softplus-hidden",
        PAGE,
        "derive",
        r"Replace the hidden sigmoid by softplus, \(a^{(1)} = \log(1 + e^{z^{(1)}})\). Which line of the backward pass "
        r"changes? Derive the new \(\delta^{(1)}\).",
        "backprop:_softplus_hidden",
        uses=("sigmoid-grad", "hidden-layer-grad"),
    ),
    Exercise(
        "backprop-label-smoothing",
        PAGE,
        "derive",
        r"Label smoothing trains against \(y^{\alpha} = (1 - \alpha) y + \alpha / C\) instead of the one-hot \(y\). "
        r"Derive \(\partial \mathrm{CE}(y^{\alpha}, \hat{y}) / \partial z\). (Hint: D2's precondition.)",
        "backprop:_label_smoothing",
        uses=("softmax-ce-grad",),
    ),
    Exercise(
        "backprop-mse",
        PAGE,
        "derive",
        r"Replace the cross-entropy by the squared error \(\mathrm{SE} = \tfrac12 \lVert \hat{y} - y \rVert_F^2\) of "
        r"the probabilities. Derive \(\partial \mathrm{SE} / \partial z\), and explain why it learns slowly when the "
        "net is confidently wrong. (Hint: D1.)",
        "backprop:_mse",
        uses=("softmax-jacobian",),
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
        uses=("softmax-ce-grad", "batch-mean-l2"),
    ),
    Exercise(
        "backprop-write-delta1",
        PAGE,
        "write code",
        r"Write \(\delta^{(1)} = (W^{(2)\top} \delta^{(2)}) \odot \sigma'(z^{(1)})\) in NumPy, from \(W^{(2)}\), "
        r"\(\delta^{(2)}\) and the activations \(a^{(1)} = \sigma(z^{(1)})\) (you need no \(z^{(1)}\))."
        + code_stub("backprop-write-delta1", "delta1(W2, dz2, a1)", "δ1, (H, N), from W2 (C, H), δ2 (C, N), a1 (H, N)"),
        "backprop:_write_delta1",
        uses=("sigmoid-grad", "linear-grad", "hidden-layer-grad"),
    ),
    Exercise(
        "backprop-write-dW1",
        PAGE,
        "write code",
        r"Write \(\partial J / \partial W^{(1)}\) in NumPy from \(\delta^{(1)}\) (which already holds the batch "
        r"mean's \(1/N\)), \(X\), \(W^{(1)}\) and \(\lambda\): the data term and the penalty's."
        + code_stub("backprop-write-dW1", "grad_W1(dz1, X, W1, reg)", "dJ/dW1, (H, D_in), from δ1 (H, N), X (D_in, N)"),
        "backprop:_write_dW1",
        uses=("linear-grad", "batch-mean-l2"),
    ),
]
