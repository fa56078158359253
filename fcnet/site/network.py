"""The two-layer network as a figure: its units, every weight, and every shape written out.

`network_svg` draws the inputs, the hidden sigmoid units and the softmax outputs with
every connection, the shapes of W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾ and the parameter count, and
highlights one weight to show the index convention (`fcnet.site.notation.INDEX_BASE`):
a weight's row is the unit it feeds, its column the input it reads.

>>> svg = network_svg()
>>> "41 parameters" in svg and "W1[1, 0]" in svg
True
"""

from __future__ import annotations

from .notation import INDEX_BASE
from .svg import circle, line, svg_document, text

__all__ = ["network_svg", "ix"]

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def ix(*indices: int) -> str:
    """Code indices as the math writes them (`fcnet.site.notation.INDEX_BASE`), in subscript digits.

    >>> ix(1, 0), ix(12, 3)
    ('₁₀', '₁₂,₃')
    """
    parts = [str(i + INDEX_BASE).translate(_SUB) for i in indices]
    return ("," if any(i + INDEX_BASE > 9 for i in indices) else "").join(parts)


def _shown(count: int, max_units: int) -> list:
    """Unit indices to draw: all, or the first ones, None (an ellipsis) and the last."""
    return list(range(count)) if count <= max_units else [*range(max_units - 2), None, count - 1]


def network_svg(D_in: int = 3, H: int = 4, C: int = 5, max_units: int = 8) -> str:
    """The two-layer network: inputs, hidden sigmoid units, softmax outputs, every weight; shapes written out.

    Parameters
    ----------
    D_in, H, C : int, default 3, 4, 5 (the notes' net)
    max_units : int, default 8
        A wider layer is drawn as its first units, an ellipsis and its last unit.
    """
    for name, v in (("D_in", D_in), ("H", H), ("C", C), ("max_units", max_units)):
        if isinstance(v, bool) or not isinstance(v, int) or v < (4 if name == "max_units" else 1):
            raise ValueError(f"{name} is {v!r}; expected an integer >= {4 if name == 'max_units' else 1}")
    layers = [_shown(D_in, max_units), _shown(H, max_units), _shown(C, max_units)]
    xs, top, gap, most = (90.0, 350.0, 610.0), 78.0, 46.0, max(len(u) for u in layers)
    ys = [[top + gap * (i + (most - len(u)) / 2) for i in range(len(u))] for u in layers]
    foot_y = top + gap * (most - 1) + 42
    height = foot_y + 46
    names = [lambda i: f"x{ix(i)}", lambda i: "σ", lambda i: f"ŷ{ix(i)}"]
    parts = []
    for col in (0, 1):  # every unit of a layer feeds every unit of the next
        for i, a in enumerate(layers[col]):
            for j, b in enumerate(layers[col + 1]):
                if a is not None and b is not None:
                    strong = col == 0 and a == 0 and b == min(1, H - 1)
                    cls = "fcnet-edge fcnet-strong" if strong else "fcnet-edge"
                    parts.append(line(xs[col] + 18, ys[col][i], xs[col + 1] - 18, ys[col + 1][j], cls))
    for col, units in enumerate(layers):
        for i, u in enumerate(units):
            if u is None:
                parts.append(text(xs[col], ys[col][i], "⋮"))
            else:
                parts.append(circle(xs[col], ys[col][i], 18) + text(xs[col], ys[col][i], names[col](u), "fcnet-small"))
    heads = ("input x", "hidden a⁽¹⁾ = σ(z⁽¹⁾)", "output ŷ = softmax(z⁽²⁾)")
    feet = (f"D_in = {D_in}", f"H = {H}", f"C = {C}")
    for x, head, foot in zip(xs, heads, feet):
        parts.append(text(x, 22, head) + text(x, foot_y, foot, "fcnet-muted"))
    w1 = f"W⁽¹⁾: H × D_in = {H} × {D_in},  b⁽¹⁾: {H}"
    w2 = f"W⁽²⁾: C × H = {C} × {H},  b⁽²⁾: {C}"
    parts.append(text(220, 48, w1, "fcnet-small") + text(480, 48, w2, "fcnet-small"))
    h1 = min(1, H - 1)
    strong = (
        f"highlighted: W⁽¹⁾{ix(h1, 0)} (code W1[{h1}, 0]) feeds hidden unit {h1 + INDEX_BASE} from input {INDEX_BASE}"
    )
    P = H * D_in + H + C * H + C
    count = f"{P} parameters = {H}·{D_in} + {H} + {C}·{H} + {C}"
    parts.append(text(350, foot_y + 26, f"{strong};  {count}", "fcnet-small fcnet-muted"))
    title = f"A two-layer network with D_in = {D_in} inputs, H = {H} hidden units and C = {C} classes"
    desc = (
        f"Three columns of units joined by every possible connection. Left, the {D_in} inputs x. Middle, the {H} "
        f"hidden units: z⁽¹⁾ = W⁽¹⁾x + b⁽¹⁾ and a⁽¹⁾ = σ(z⁽¹⁾), with W⁽¹⁾ of shape H × D_in = {H} × {D_in} and "
        f"b⁽¹⁾ of {H} entries. Right, the {C} outputs: z⁽²⁾ = W⁽²⁾a⁽¹⁾ + b⁽²⁾ and ŷ = softmax(z⁽²⁾), with W⁽²⁾ "
        f"of shape C × H = {C} × {H} and b⁽²⁾ of {C} entries. The {strong}: a weight's row is the unit it "
        f"feeds, its column the input it reads. {count}."
    )
    return svg_document("".join(parts), 700, height, title, desc, kind="network")
