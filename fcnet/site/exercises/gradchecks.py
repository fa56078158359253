"""Exercises for the Gradient checks page: chances, costs, and predicting what a check reports.

The questions; each answer is computed by `fcnet.site.exercises.answers.gradchecks`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise, code_stub

PAGE = "beyond/gradient-checks"

EXERCISES = [
    Exercise(
        "gradient-checks-sparse-chance",
        PAGE,
        "by hand",
        r"A sparse check draws \(k\) of the planted problem's \(P\) entries (without replacement). The page's bug sits "
        r"in one entry; suppose it sat in two. What is the chance that \(k = 10\) catches it? With one wrong entry, "
        r"how large must \(k\) be for 90%?",
        "gradchecks:_sparse_chance",
    ),
    Exercise(
        "gradient-checks-costs",
        PAGE,
        "compute",
        r"The page counts each mode's evaluations on a \((64, 32, 10)\) net. Count them on the digits net of "
        r"*Training on digits*, \((D_{\mathrm{in}}, H, C) = (64, 128, 10)\): full, sparse with \(k = 25\), "
        r"directional with \(m = 3\). How many times fewer than the full check does each take?",
        "gradchecks:_costs",
    ),
    Exercise(
        "gradient-checks-transpose",
        PAGE,
        "explain",
        r"Why can no shape check catch the planted transposed \(\partial J / \partial W^{(1)}\)? What error does the "
        r"full check report on \(W^{(1)}\)?",
        "gradchecks:_transpose",
        uses=("linear-grad",),
    ),
    Exercise(
        "gradient-checks-missing-half",
        PAGE,
        "derive",
        r"The table shows what the full check reports when the penalty's gradient is \(2\lambda W\). Suppose it were "
        r"\(\tfrac12 \lambda W\) instead: predict the full check's norm-relative error on the planted problem from "
        "fcnet's gradients alone.",
        "gradchecks:_missing_half",
        uses=("batch-mean-l2",),
    ),
    Exercise(
        "gradient-checks-write-centred",
        PAGE,
        "write code",
        r"Write the centred-difference gradient of a scalar function \(f\) at an array \(x\) of any shape, "
        r"\((f(x + h e_i) - f(x - h e_i)) / 2h\) for every entry \(i\), leaving \(x\) as it was. The check runs "
        r"it on a function whose gradient it knows, and tells a forward difference or a wrong step from a right one."
        + code_stub("gradient-checks-write-centred", "centred_difference(f, x, h=1e-5)", "df/dx, x's shape"),
        "gradchecks:_write_centred",
    ),
]
