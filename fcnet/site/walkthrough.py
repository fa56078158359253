r"""Backprop walked through on a worked example's graph: local gradient times upstream gradient, with numbers.

`walkthrough` reads the graph `fcnet.site.diagrams.example_graph` draws (its numbers are fcnet's,
from `fcnet.site.trace`) and writes, node by node from J back to the first layer's weights, what
the node's local gradient is, what arrives from above, and their product, which is the number on
the figure's edge.  Nothing is typed: change the layers and the text changes with the figure.
`walkthrough_html` renders the steps for a notebook page.

>>> steps = walkthrough("second", n=0, h=0)
>>> [s.node for s in steps]
['J', 'z2', 'a1', 'z1', 'b', 'W1']
>>> round(steps[2].value, 6)   # ∂J/∂a⁽¹⁾₀ along example 0: the five branches added
0.249018
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.examples import EXAMPLES
from .diagrams import example_graph
from .exercises.base import num
from .markup import block_html
from .notation import INDEX_BASE

__all__ = ["Step", "walkthrough", "walkthrough_html"]


@dataclass(frozen=True)
class Step:
    """One node of the walk: ``node`` (its id in the graph, or ``"W1"`` for the weights), ``value`` the
    gradient of J that the step finds there (for ``"W1"``, the first weight's), ``text`` how (markdown)."""

    node: str
    value: float
    text: str


def _i(k: int) -> int:
    return k + INDEX_BASE


def _factor(x: float) -> str:
    """A number as a factor in a product: in parentheses when negative."""
    return f"({num(x)})" if x < 0 else num(x)


def walkthrough(which: str = "second", n: int = 0, h: int = 0) -> list[Step]:
    """The walk from J back to W⁽¹⁾ for example column ``n`` and hidden unit ``h`` of a worked example."""
    g = example_graph(which, n, h)
    grad = {(e.src, e.dst): float(e.grad) for e in g.edges}
    value = {v.id: float(v.value) for v in g.nodes}
    logits = sorted((v.id for v in g.nodes if v.id.startswith("z2_")), key=lambda s: int(s[3:]))
    inputs = sorted((v.id[1:] for v in g.nodes if v.id.startswith("w")), key=int)
    C, D_in, N = len(logits), len(inputs), round(1 / grad[("ce", "J")])
    true = int(EXAMPLES[which]()[2][n])  # the example's class
    up = {k: grad[(f"z2_{k}", "ce")] for k in range(C)}  # ∂J/∂z⁽²⁾_k along this example
    branch = {k: grad[("a1", f"z2_{k}")] for k in range(C)}
    da1, dz1, a1 = sum(branch.values()), grad[("z1", "a1")], value["a1"]
    ni, hi, yi = _i(n), _i(h), _i(true)
    steps = [
        Step(
            "J",
            1 / N,
            rf"**Start at the end.** \(\partial J / \partial J = 1\). \(J\) is the mean of the \(N = {N}\) examples' "
            rf"cross-entropies plus the penalty, so the edge from \(\mathrm{{CE}}^{{({ni})}}\) carries "
            rf"\(\frac{{1}}{{N}} = {num(1 / N)}\): the local gradient of a mean, times the upstream 1.",
        ),
        Step(
            "z2",
            up[true],
            r"**The logits.** The local gradient of \(\mathrm{CE}\) with respect to \(z^{(2)}_k\) is "
            r"\(\hat{y}_k - y_k\) (D2): \(\hat{y}_k\) for the wrong classes, \(\hat{y}_k - 1\) for the true one, "
            rf"\(k = {yi}\). Times the upstream \(\frac{{1}}{{N}}\): "
            + ", ".join(rf"\({num(up[k])}\)" for k in range(C))
            + rf" for \(k = {_i(0)}, \dots, {_i(C - 1)}\). Only the true class's is negative: raising its logit "
            "lowers the loss.",
        ),
        Step(
            "a1",
            da1,
            rf"**Into the hidden unit.** \(z^{{(2)}}_k = \sum_h W^{{(2)}}_{{kh}} a^{{(1)}}_h + b^{{(2)}}_k\) "
            rf"multiplies \(a^{{(1)}}_{{{hi}}}\) by \(W^{{(2)}}_{{k{hi}}}\): that is the local gradient, so each of "
            rf"the {C} edges carries \(W^{{(2)}}_{{k{hi}}}\) times its logit's upstream gradient ("
            + ", ".join(rf"\({num(branch[k])}\)" for k in range(C))
            + rf"). \(a^{{(1)}}_{{{hi}}}\) feeds all {C} logits, and the gradients of a value that feeds several "
            rf"nodes add: \(\partial J / \partial a^{{(1)}}_{{{hi}}} = {num(da1)}\) along example {ni}.",
        ),
        Step(
            "z1",
            dz1,
            rf"**Through the sigmoid.** Its local gradient is \(\sigma'(z) = a(1 - a)\) (D3), with "
            rf"\(a^{{(1)}}_{{{hi}}} = {num(a1)}\) from the forward pass: \({num(a1 * (1 - a1))}\). Times the "
            rf"upstream \({num(da1)}\): \(\partial J / \partial z^{{(1)}}_{{{hi}}} = {num(dz1)}\).",
        ),
        Step(
            "b",
            grad[("b", "z1")],
            rf"**The sum.** \(z^{{(1)}}_{{{hi}}}\) adds the bias and {D_in} products; the local gradient of a sum is 1 "
            rf"for every term, so each receives the same \({num(dz1)}\): add distributes. The bias's share of "
            rf"\(\partial J / \partial b^{{(1)}}_{{{hi}}}\) from example {ni} is that number.",
        ),
        Step(
            "W1",
            grad[("w0", "p0")],
            rf"**The products.** In \(W^{{(1)}}_{{{hi}d}} x_d\) the local gradient with respect to the weight is the "
            rf"input \(x_d\), and with respect to the input the weight: multiply swaps. So the weights get "
            + ", ".join(
                rf"\({num(dz1)} \cdot {_factor(value[f'x{d}'])} = {num(grad[(f'w{d}', f'p{d}')])}\)" for d in inputs
            )
            + rf" for \(d = {_i(0)}, \dots, {_i(D_in - 1)}\): example {ni}'s share of \(\partial J / \partial "
            rf"W^{{(1)}}_{{{hi}d}}\). Adding every example's share and the penalty's \(\lambda W^{{(1)}}_{{{hi}d}}\) "
            "gives the gradient `fcnet.loss_and_grads` returns.",
        ),
    ]
    return steps


def walkthrough_html(which: str = "second", n: int = 0, h: int = 0) -> str:
    """`walkthrough` as an ordered list (HTML, math for MathJax)."""
    items = "".join(f"<li>{block_html(s.text)}</li>" for s in walkthrough(which, n, h))
    return f'<ol class="fcnet-walkthrough" data-example="{which}">{items}</ol>'
