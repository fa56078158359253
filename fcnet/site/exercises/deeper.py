"""Exercises for the Deeper nets page: counting, the sigmoid's bound, two activations derived.

The questions; each answer is computed by `fcnet.site.exercises.answers.deeper`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise

PAGE = "beyond/deeper-nets"

EXERCISES = [
    Exercise(
        "deeper-param-count",
        PAGE,
        "by hand",
        r"How many parameters has the page's net with layer sizes \((6, 8, 8, 5, 4)\)?",
        "deeper:_param_count",
    ),
    Exercise(
        "deeper-sigmoid-bound",
        PAGE,
        "derive",
        r"Show that \(\sigma'(z) \le 1/4\). Through nine sigmoid layers, how much at most do the \(\sigma'\) factors "
        "leave of the backward signal?",
        "deeper:_sigmoid_bound",
        uses=("sigmoid-grad",),
    ),
    Exercise(
        "deeper-tanh-from-sigmoid",
        PAGE,
        "derive",
        r"Show that \(\tanh z = 2\sigma(2z) - 1\), then derive \(\tanh'\) from \(\sigma'\) (D3) and compare with D9.",
        "deeper:_tanh_from_sigmoid",
        uses=("sigmoid-grad", "tanh-grad"),
    ),
    Exercise(
        "deeper-leaky-relu",
        PAGE,
        "derive",
        r"Leaky ReLU is \(f(z) = z\) for \(z > 0\) and \(\alpha z\) otherwise, \(0 < \alpha < 1\). Derive \(f'\) and "
        "write its backward line in the style of `relu_backward`.",
        "deeper:_leaky_relu",
        uses=("relu-grad",),
    ),
    Exercise(
        "deeper-gelu-limits",
        PAGE,
        "compute",
        r"Evaluate \(\operatorname{GELU}'(0)\) from D11, and its limits as \(z \to \pm\infty\). Which activation does "
        "GELU resemble far from 0?",
        "deeper:_gelu_limits",
        uses=("gelu-grad",),
    ),
]
