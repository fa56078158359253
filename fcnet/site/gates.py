"""The gate patterns that make backprop intuitive: add distributes, multiply swaps, max routes.

Each gate is a forward/backward pair on two scalars: ``out = forward(x, y)``
and ``dx, dy = backward(g, x, y)`` for the upstream gradient ``g = ∂J/∂out``.
`gates_graph` draws all three with `fcnet.site.compgraph` on small numbers,
computed by these pairs, with J = 2·out so that the upstream gradient is 2:

* **add** passes g unchanged to both inputs (the bias in z = Wa + b: ∂CE/∂b = δ);
* **multiply** gives each input g times the *other* input (∂CE/∂W = δaᵀ, ∂CE/∂a = Wᵀδ);
* **max** sends g to the larger input and 0 to the other (ReLU, max(z, 0)).

>>> [GATES[name].backward(2.0, 3.0, -4.0) for name in GATES]
[(2.0, 2.0), (-8.0, 6.0), (2.0, 0.0)]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .compgraph import Edge, Graph, Node, graph_svg

__all__ = ["Gate", "GATES", "EXAMPLE_INPUTS", "UPSTREAM", "gates_graph", "gates_svg"]


@dataclass(frozen=True)
class Gate:
    """A two-input gate: its symbol and formula, forward and backward, the pattern's name, where the net uses it."""

    symbol: str
    formula: str
    forward: Callable[[float, float], float]
    backward: Callable[[float, float, float], tuple[float, float]]
    pattern: str
    in_the_net: str


def _max_backward(g: float, x: float, y: float) -> tuple[float, float]:
    # the larger input took the output, so it takes the gradient; a tie goes to x
    return (g, 0.0) if x >= y else (0.0, g)


#: name -> `Gate`, in the order the figure draws them.
GATES = {
    "add": Gate(
        "+",
        "x + y",
        lambda x, y: x + y,
        lambda g, x, y: (g, g),
        "add distributes",
        "the bias in z = Wa + b: ∂CE/∂b = δ",
    ),
    "mul": Gate(
        "×",
        "x · y",
        lambda x, y: x * y,
        lambda g, x, y: (g * y, g * x),
        "multiply swaps",
        "Wa: ∂CE/∂W = δaᵀ, ∂CE/∂a = Wᵀδ",
    ),
    "max": Gate("max", "max(x, y)", max, _max_backward, "max routes", "ReLU, max(z, 0)"),
}

#: The figure's inputs (x, y) for each gate, and the upstream gradient ∂J/∂out (J = 2·out).
EXAMPLE_INPUTS = {"add": (4.0, -2.0), "mul": (-3.0, 2.0), "max": (1.0, 5.0)}
UPSTREAM = 2.0


def gates_graph() -> Graph:
    """The three gates on `EXAMPLE_INPUTS`, each feeding J = 2·out, as one `fcnet.site.compgraph.Graph`."""
    nodes, edges, notes = [], [], []
    for i, (name, gate) in enumerate(GATES.items()):
        x, y = EXAMPLE_INPUTS[name]
        out = gate.forward(x, y)
        dx, dy = gate.backward(UPSTREAM, x, y)
        top = 3.0 * i
        nodes += [
            Node(f"{name}.x", "x", x, 0, top),
            Node(f"{name}.y", "y", y, 0, top + 1),
            Node(f"{name}.out", gate.formula, out, 1, top + 0.5, gate=gate.symbol),
            Node(f"{name}.J", "J = 2·out", UPSTREAM * out, 2, top + 0.5),
        ]
        edges += [
            Edge(f"{name}.x", f"{name}.out", dx),
            Edge(f"{name}.y", f"{name}.out", dy),
            Edge(f"{name}.out", f"{name}.J", UPSTREAM),
        ]
        notes.append((1, top - 0.45, f"{gate.pattern}: {gate.in_the_net}"))
    return Graph("gates", nodes, edges, tuple(notes))


def gates_svg() -> str:
    """`gates_graph` as an SVG, with every number in its text description."""
    lines = []
    for name, gate in GATES.items():
        x, y = EXAMPLE_INPUTS[name]
        dx, dy = gate.backward(UPSTREAM, x, y)
        lines.append(
            f"{gate.pattern} ({gate.in_the_net}): x = {x:g}, y = {y:g}, output {gate.forward(x, y):g}; "
            f"upstream gradient {UPSTREAM:g}, so x receives {dx:g} and y receives {dy:g}"
        )
    title = "Three gate patterns: add distributes, multiply swaps, max routes"
    desc = (
        f"{title}. Each gate takes x and y and feeds J = 2 × its output, so the gradient arriving from above is "
        f"{UPSTREAM:g}. " + ". ".join(lines) + "."
    )
    return graph_svg(gates_graph(), title, desc)
