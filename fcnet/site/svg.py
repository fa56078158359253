"""A small SVG writer for the site's diagrams: inline, themeable, offline.

Colours are CSS classes that read Material's palette variables, so one SVG
follows the light and the dark scheme: text and outlines in
``--md-default-fg-color``, forward values in the green of code strings,
gradients in the red of code numbers (CS231n's convention), with fallbacks
for a page without Material.  Every SVG carries a ``<title>`` and a
``<desc>`` (its text alternative) and ``role="img"`` with an ``aria-label``.
Written by hand because a plotting library (matplotlib, graphviz) draws its
own colours and ids into the file: neither follows the page's colour scheme
nor keeps two figures' ids apart on one page, and graphviz is no Python wheel.

>>> print(fmt(-2.2981269e-24), fmt(17.0), fmt(0.0), fmt(1 / 3))
−2.298e−24 17 0 0.3333
>>> doc = svg_document(text(10, 20, "a < b"), 100, 40, title="T", desc="D")
>>> doc.startswith("<svg") and "<title" in doc and "a &lt; b" in doc
True
"""

from __future__ import annotations

import hashlib
import html
import json

__all__ = ["STYLE", "fmt", "esc", "attrs", "text", "line", "rect", "circle", "svg_document", "data_number"]

#: One stylesheet for every diagram, scoped to ``svg.fcnet-svg``.
STYLE = (
    ".fcnet-svg{color:var(--md-default-fg-color,#222);max-width:100%;height:auto;"
    "font-family:var(--md-text-font-family,sans-serif)}"
    ".fcnet-svg text{fill:currentColor;font-size:14px}"
    ".fcnet-svg .fcnet-small{font-size:12px}"
    ".fcnet-svg .fcnet-edge{stroke:var(--md-default-fg-color--light,#777);stroke-width:1.2;fill:none}"
    ".fcnet-svg .fcnet-strong{stroke:var(--md-accent-fg-color,#526cfe);stroke-width:2.4}"
    ".fcnet-svg .fcnet-node{fill:var(--md-default-bg-color,#fff);stroke:currentColor;stroke-width:1.2}"
    ".fcnet-svg .fcnet-gate{fill:var(--md-code-bg-color,#f5f5f5)}"
    ".fcnet-svg text.fcnet-value{fill:var(--md-code-hl-string-color,#1c7d4d)}"
    ".fcnet-svg text.fcnet-grad{fill:var(--md-code-hl-number-color,#d52a2a)}"
    ".fcnet-svg text.fcnet-muted{fill:var(--md-default-fg-color--light,#777)}"
    ".fcnet-svg .fcnet-halo{paint-order:stroke;stroke:var(--md-default-bg-color,#fff);stroke-width:4px}"
    ".fcnet-svg .fcnet-arrow{fill:var(--md-default-fg-color--light,#777)}"
)


def fmt(value: float, digits: int = 4) -> str:
    """A number as a diagram shows it: ``digits`` significant digits, a true minus sign, no ``e-0``."""
    v = float(value)
    if v == 0:
        return "0"
    s = f"{v:.{digits}g}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")
    return s.replace("-", "−")


def data_number(value) -> str:
    """A number, or a sequence of numbers, as a ``data-`` attribute value that round-trips exactly (JSON)."""
    if isinstance(value, list | tuple):
        return json.dumps([float(v) for v in value])
    return json.dumps(float(value))


def esc(s: str) -> str:
    """Text escaped for an SVG element or attribute."""
    return html.escape(str(s), quote=True)


def attrs(**kw) -> str:
    """``key="value"`` pairs; ``_`` in a key becomes ``-`` and ``class_`` becomes ``class``; None is left out."""
    out = []
    for k, v in kw.items():
        if v is not None:
            out.append(f'{k.rstrip("_").replace("_", "-")}="{esc(v)}"')
    return " ".join(out)


def text(x: float, y: float, s: str, cls: str = "", anchor: str = "middle", **kw) -> str:
    """One line of text centred (or anchored) at (x, y)."""
    a = attrs(x=f"{x:.1f}", y=f"{y:.1f}", text_anchor=anchor, dominant_baseline="middle", class_=cls or None, **kw)
    return f"<text {a}>{esc(s)}</text>"


def line(x1: float, y1: float, x2: float, y2: float, cls: str = "fcnet-edge", marker: str | None = None) -> str:
    """A straight line, with an arrowhead marker (by id) at its end if given."""
    end = f"url(#{marker})" if marker else None
    return (
        f"<line {attrs(x1=f'{x1:.1f}', y1=f'{y1:.1f}', x2=f'{x2:.1f}', y2=f'{y2:.1f}', class_=cls, marker_end=end)}/>"
    )


def rect(x: float, y: float, w: float, h: float, cls: str = "fcnet-node", r: float = 6) -> str:
    """A rounded rectangle with its top-left corner at (x, y)."""
    return f"<rect {attrs(x=f'{x:.1f}', y=f'{y:.1f}', width=f'{w:.1f}', height=f'{h:.1f}', rx=r, class_=cls)}/>"


def circle(cx: float, cy: float, r: float, cls: str = "fcnet-node") -> str:
    """A circle centred at (cx, cy)."""
    return f"<circle {attrs(cx=f'{cx:.1f}', cy=f'{cy:.1f}', r=f'{r:.1f}', class_=cls)}/>"


def svg_document(body: str, width: float, height: float, title: str, desc: str, kind: str = "diagram") -> str:
    """A complete inline ``<svg>``: title, description, style, an arrowhead marker, then ``body``.

    Parameters
    ----------
    body : str
        SVG elements; an arrowhead is ``marker="ARROW"``, replaced here by this SVG's own marker id.
    width, height : float
        The drawing's size in CSS pixels (the SVG scales down to the column's width).
    title, desc : str
        The text alternative: a short name and a full description.
    kind : str
        Written to ``data-diagram`` so that pages and tests can find the figure.

    Returns
    -------
    svg : str
        Ids inside are derived from the content, so builds are reproducible and two
        different figures on one page never share an id.
    """
    uid = "fcnet-" + hashlib.sha1(f"{kind}{title}{desc}{body}".encode()).hexdigest()[:10]
    marker = f"{uid}-arrow"
    head = attrs(
        xmlns="http://www.w3.org/2000/svg",
        class_="fcnet-svg",
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        width=f"{width:.0f}",
        height=f"{height:.0f}",
        role="img",
        aria_label=title,
        aria_describedby=f"{uid}-desc",
        data_diagram=kind,
    )
    defs = (
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path class="fcnet-arrow" d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>'
    )
    return (
        f'<svg {head}><title id="{uid}-title">{esc(title)}</title><desc id="{uid}-desc">{esc(desc)}</desc>'
        f"<style>{STYLE}</style>{defs}{body.replace('url(#ARROW)', f'url(#{marker})')}</svg>"
    )
