"""Figures generated from the package: the network, and the worked examples' computational graphs.

* `fcnet.site.network.network_svg` (re-exported here): the net's units and weights, every shape;
* `unit_graph` / `example_graph_svg`: one scalar path of a worked example, from the
  weights W⁽¹⁾ₕd of one hidden unit h to J, for one example column n, with fcnet's forward
  value on every node and the gradient of J on every edge: the arrays come from the plain
  net (`fcnet.site.trace`), so a change in the code changes the figure, and the products
  and the gradients along them from the gates (`fcnet.site.gates`) the page teaches;
* `fcnet.site.gates`: the gate patterns, drawn by the same machinery.

Every figure is an inline SVG string with a title and a text description
(`fcnet.site.svg`); `diagram_html` puts one in a ``<figure>`` with a caption.

>>> svg = network_svg()
>>> "41 parameters" in svg and 'data-diagram="network"' in svg
True
>>> g = example_graph("second", n=0, h=0)
>>> float(g.node("z1").value)   # W⁽¹⁾₀·x + b⁽¹⁾₀ = 0.5 + 0.0625 + 0.0625 + 0.125
0.75
"""

from __future__ import annotations

from ..core.examples import EXAMPLES
from .compgraph import Edge, Graph, Node, graph_svg
from .gates import GATES
from .markup import inline_html
from .network import ix, network_svg
from .notation import INDEX_BASE
from .trace import net_trace

__all__ = ["network_svg", "unit_graph", "example_graph", "example_graph_svg", "diagram_html", "ix"]

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _check_int(name: str, value, upper: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < upper:
        raise ValueError(f"{name} is {value!r}; expected {what} index in [0, {upper})")
    return value


def unit_graph(params, X, y, reg, n: int = 0, h: int = 0, name: str = "example") -> Graph:
    """The path of hidden unit ``h`` for example column ``n``, as a `fcnet.site.compgraph.Graph`.

    Drawn: W⁽¹⁾ₕd and x_d for every input d, their products, the bias, z⁽¹⁾ₕ (add), a⁽¹⁾ₕ (σ),
    every logit z⁽²⁾ₖ that a⁽¹⁾ₕ feeds, CE⁽ⁿ⁾ and J.  Not drawn: the other hidden units'
    terms in z⁽²⁾, the other examples' CE and the penalty, which adds λW to a weight's gradient.
    An edge's gradient is J's gradient flowing back along it, so the edge W⁽¹⁾ₕd → product
    carries example n's share of ∂J/∂W⁽¹⁾ₕd without the penalty.
    """
    t = net_trace(params, X, y, reg)
    (H, D_in), C = t.params["W1"].shape, t.params["W2"].shape[0]
    if D_in > 4 or C > 6:
        raise ValueError(f"the net has D_in={D_in} and C={C}; expected D_in <= 4 and C <= 6 for a readable graph")
    n, h = _check_int("n", n, t.N, "an example (column)"), _check_int("h", h, H, "a hidden-unit")
    W1, W2, x = t.params["W1"], t.params["W2"], t.X[:, n]
    mid, g1 = D_in, t.dz1[h, n]
    nodes, edges = [], []
    mul, add = GATES["mul"], GATES["add"]
    for d in range(D_in):
        nodes += [Node(f"w{d}", f"W⁽¹⁾{ix(h, d)}", W1[h, d], 0, 2 * d), Node(f"x{d}", f"x{ix(d)}", x[d], 0, 2 * d + 1)]
        nodes.append(Node(f"p{d}", f"W⁽¹⁾{ix(h, d)}x{ix(d)}", mul.forward(W1[h, d], x[d]), 1, 2 * d + 0.5, gate="×"))
        dw, dx = mul.backward(g1, W1[h, d], x[d])  # multiply swaps: each factor gets g times the other
        to_sum, _ = add.backward(g1, 0.0, 0.0)  # add distributes: each term of z⁽¹⁾ gets g
        edges += [Edge(f"w{d}", f"p{d}", dw), Edge(f"x{d}", f"p{d}", dx), Edge(f"p{d}", "z1", to_sum)]
    nodes.append(Node("b", f"b⁽¹⁾{ix(h)}", t.params["b1"][h], 1, 2 * D_in))
    nodes += [
        Node("z1", f"z⁽¹⁾{ix(h)}", t.z1[h, n], 2, mid, gate="+"),
        Node("a1", f"a⁽¹⁾{ix(h)}", t.a1[h, n], 3, mid, gate="σ"),
    ]
    edges += [Edge("b", "z1", g1), Edge("z1", "a1", g1)]
    step = min(1.5, 2 * D_in / max(C - 1, 1))
    for k in range(C):
        label = f"z⁽²⁾{ix(k)}" + (" (true)" if k == t.y[n] else "")
        nodes.append(Node(f"z2_{k}", label, t.z2[k, n], 4, mid + (k - (C - 1) / 2) * step, gate="+"))
        _, da = mul.backward(t.dz2[k, n], W2[k, h], t.a1[h, n])  # the term W⁽²⁾ₖₕ a⁽¹⁾ₕ of z⁽²⁾ₖ
        edges += [Edge("a1", f"z2_{k}", da), Edge(f"z2_{k}", "ce", t.dz2[k, n])]
    nodes += [Node("ce", f"CE⁽{str(n + INDEX_BASE).translate(_SUP)}⁾", t.ce[n], 5, mid), Node("J", "J", t.loss, 6, mid)]
    edges.append(Edge("ce", "J", 1.0 / t.N))  # J = (1/N) Σₙ CE⁽ⁿ⁾ + …: ∂J/∂CE⁽ⁿ⁾ = 1/N
    return Graph(name, nodes, edges)


def example_graph(which: str = "seed", n: int = 0, h: int = 0) -> Graph:
    """`unit_graph` of a worked example of `fcnet.EXAMPLES` (``"seed"``: the notes', ``"second"``)."""
    if which not in EXAMPLES:
        raise ValueError(f"which is {which!r}; expected one of {sorted(EXAMPLES)}")
    return unit_graph(*EXAMPLES[which](), n=n, h=h, name=which)


def example_graph_svg(which: str = "seed", n: int = 0, h: int = 0) -> str:
    """The computational graph of a worked example (see `unit_graph`) as an SVG, its numbers in the description."""
    g = example_graph(which, n, h)
    who = "the notes' worked example" if which == "seed" else f"the {which} worked example"
    title = f"Computational graph of {who}: example column {n + INDEX_BASE}, hidden unit {h + INDEX_BASE}"
    values = "; ".join(f"{v.label} = {v.value:.6g}" for v in g.nodes)
    grads = "; ".join(f"{g.node(e.src).label} → {g.node(e.dst).label}: {e.grad:.6g}" for e in g.edges)
    desc = (
        f"{title}. Forward, left to right: the products of the weights into hidden unit {h + INDEX_BASE} with the "
        "inputs, their sum with the bias (z⁽¹⁾), the sigmoid (a⁽¹⁾), the logits it feeds (z⁽²⁾), the example's "
        "cross-entropy and the loss J. Each box holds its forward value; each edge the gradient of J flowing back "
        "along it. Not drawn: the other hidden units' terms in z⁽²⁾, the other examples, and the penalty, which "
        f"adds λW to each weight's gradient. Values: {values}. Gradients on the edges: {grads}."
    )
    return graph_svg(g, title, desc)


def diagram_html(svg: str, caption: str) -> str:
    """A figure and its caption (markdown with ``\\( \\)`` math) as a ``<figure>``."""
    cap = f"<figcaption>{inline_html(caption)}</figcaption>"
    return f'<figure class="fcnet-diagram">{svg}{cap}</figure>'
