"""Computational graphs with numbers on them: the forward value on every node, the gradient on every edge.

A `Graph` is data (nodes on a grid of columns and rows, directed edges);
`graph_svg` draws it with `fcnet.site.svg`.  The numbers are the caller's:
`fcnet.site.diagrams` fills them from fcnet's own layers.  Forward runs left
to right.  An edge ``u → v`` carries, in red, the gradient that flows back
along it, ∂J/∂v · ∂v/∂u (upstream times local); when a value feeds several
nodes, the gradients on its outgoing edges add up to ∂J/∂u.

>>> g = Graph("demo", [Node("x", "x", 3.0, 0, 0), Node("f", "2x", 6.0, 1, 0, gate="×2")], [Edge("x", "f", 2.0)])
>>> svg = graph_svg(g, title="2x", desc="x = 3 doubled")
>>> 'data-node="x"' in svg and 'data-grad="2.0"' in svg
True
>>> Graph("bad", [Node("x", "x", 1.0, 0, 0)], [Edge("x", "y", 1.0)])
Traceback (most recent call last):
...
ValueError: graph 'bad': edge x → y names an unknown node 'y'; known nodes: ['x']
"""

from __future__ import annotations

from dataclasses import dataclass

from .svg import circle, data_number, fmt, line, rect, svg_document, text

__all__ = ["Node", "Edge", "Graph", "graph_svg"]

COL_W, ROW_H, BOX_W, BOX_H, MARGIN = 172.0, 50.0, 100.0, 38.0, 16.0


@dataclass(frozen=True)
class Node:
    """One value of the computation.

    Attributes
    ----------
    id : str
        Unique in its graph (``data-node`` in the SVG).
    label : str
        What the value is, e.g. ``"z⁽¹⁾₀"``.
    value : float
        Its forward value.
    col, row : float
        Grid position; columns run left to right in the order of the forward pass.
    gate : str
        The operation that computes it (``"+"``, ``"×"``, ``"σ"``, ``"max"``), drawn as a
        badge on the box's corner; ``""`` for an input or a parameter.
    """

    id: str
    label: str
    value: float
    col: float
    row: float
    gate: str = ""


@dataclass(frozen=True)
class Edge:
    """``src`` feeds ``dst``; ``grad`` is the gradient that flows back along the edge."""

    src: str
    dst: str
    grad: float


@dataclass(frozen=True)
class Graph:
    """Nodes and edges, and ``notes``: ``(col, row, text)`` captions; every edge must join two known nodes."""

    name: str
    nodes: list
    edges: list
    notes: tuple = ()

    def __post_init__(self):
        ids = [n.id for n in self.nodes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"graph {self.name!r}: node ids {ids} repeat; expected unique ids")
        for e in self.edges:
            for end in (e.src, e.dst):
                if end not in ids:
                    raise ValueError(
                        f"graph {self.name!r}: edge {e.src} → {e.dst} names an unknown node {end!r}; known nodes: {ids}"
                    )

    def node(self, id: str) -> Node:
        """The node with this id."""
        return next(n for n in self.nodes if n.id == id)


def _xy(n: Node) -> tuple[float, float]:
    """The centre of the node's box."""
    return MARGIN + 12 + n.col * COL_W + BOX_W / 2, MARGIN + 26 + n.row * ROW_H + BOX_H / 2


def graph_svg(graph: Graph, title: str, desc: str, legend: bool = True) -> str:
    """The graph as an inline SVG: boxes (label, value in green), gate badges, edges (gradient in red).

    Parameters
    ----------
    graph : Graph
    title, desc : str
        The text alternative (see `fcnet.site.svg.svg_document`).
    legend : bool, default True
        A line above the graph saying which colour is which.

    Returns
    -------
    svg : str
        Each node is ``<g data-node="ID" data-value="…">``, each edge
        ``<g data-edge="SRC→DST" data-grad="…">``: the exact float64 numbers, for the tests.
    """
    parts = []
    for e in graph.edges:
        (x1, y1), (x2, y2) = _xy(graph.node(e.src)), _xy(graph.node(e.dst))
        x1, x2 = x1 + BOX_W / 2, x2 - BOX_W / 2
        # the gradient sits above the middle of the edge
        parts.append(
            f'<g data-edge="{e.src}→{e.dst}" data-grad="{data_number(e.grad)}">'
            + line(x1, y1, x2, y2, marker="ARROW")
            + text((x1 + x2) / 2, (y1 + y2) / 2 - 7, fmt(e.grad), "fcnet-grad fcnet-halo fcnet-small")
            + "</g>"
        )
    for n in graph.nodes:
        cx, cy = _xy(n)
        gate = ""
        if n.gate:  # the operation, a badge on the box's top-left corner
            x0, y0 = cx - BOX_W / 2, cy - BOX_H / 2
            r = 10 if len(n.gate) == 1 else 4 + 4 * len(n.gate)
            gate = circle(x0, y0, r, "fcnet-node fcnet-gate") + text(x0, y0, n.gate, "fcnet-small")
        parts.append(
            f'<g data-node="{n.id}" data-value="{data_number(n.value)}">'
            + rect(cx - BOX_W / 2, cy - BOX_H / 2, BOX_W, BOX_H)
            + gate
            + text(cx, cy - 8, n.label)
            + text(cx, cy + 10, fmt(n.value), "fcnet-value")
            + "</g>"
        )
    for col, row, note in graph.notes:
        x, y = _xy(Node("", "", 0.0, col, row))
        parts.append(text(x, y, note, "fcnet-muted fcnet-small"))
    width = 2 * MARGIN + 12 + max(n.col for n in graph.nodes) * COL_W + BOX_W
    height = 2 * MARGIN + 26 + max(n.row for n in graph.nodes) * ROW_H + BOX_H
    if legend:
        parts.append(
            text(MARGIN, MARGIN, "box: value (forward, green)", "fcnet-value fcnet-small", anchor="start")
            + text(MARGIN + 200, MARGIN, "edge: gradient flowing back (red)", "fcnet-grad fcnet-small", anchor="start")
        )
    return svg_document("".join(parts), width, height, title, desc, kind=f"graph:{graph.name}")
