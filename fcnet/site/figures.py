"""Plots that follow the page's colours: inline SVG, transparent, text and axes in ``currentColor``.

`use_site_style` (called once, in a cell the site hides) sets Matplotlib's colours for text,
axes, ticks and frames to a placeholder and its backgrounds to none, and tells IPython to show
every figure as `svg_html`: an inline ``<svg>`` whose placeholder colour is replaced by
``currentColor``.  The page's text colour, light or dark, is then the plot's; the data keep
their own colours.  Each SVG's ids get a prefix of their own, so that two plots on one page
(or all of them on the all-on-one-page view) never share an id.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(2, 1.5))
>>> _ = fig.subplots().plot([0, 1], [1, 0])
>>> with style():
...     html = svg_html(fig, "a falling line")
>>> html.startswith('<svg class="fcnet-figure" role="img" aria-label="a falling line"'), INK in html
(True, False)
>>> with style():
...     html = svg_html(fig, "a falling line", desc="from (0, 1) to (1, 0)")
>>> "<title>a falling line</title>" in html, '-desc">from (0, 1) to (1, 0)</desc>' in html
(True, True)
"""

from __future__ import annotations

import contextlib
import hashlib
import html as _html
import io
import itertools
import re

__all__ = ["INK", "RC", "style", "svg_html", "use_site_style"]

#: The placeholder for "the page's text colour"; nothing else in a plot is this exact colour.
INK = "#0c0b0a"

#: Matplotlib settings: transparent backgrounds, ink for everything that is not data.
RC = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "grid.color": INK,
    "grid.alpha": 0.2,
    "legend.facecolor": "none",
    "legend.edgecolor": INK,
    "legend.framealpha": 0.0,
    "figure.constrained_layout.use": True,  # subplots' titles and labels never overlap
    "svg.hashsalt": "fcnet",  # the same plot gives the same SVG, build after build
    "svg.fonttype": "path",
}


_figures = itertools.count(1)


def style():
    """A context in which new figures take `RC`."""
    import matplotlib

    return matplotlib.rc_context(RC)


def svg_html(fig, alt: str | None = None, desc: str | None = None) -> str:
    """``fig`` as an inline ``<svg class="fcnet-figure">``, its ink in ``currentColor``, its ids its own.

    ``alt`` (default: the figure's titles) becomes the SVG's accessible name.  ``desc``, a text
    alternative that says what the plot shows (its numbers), adds a ``<title>`` and a ``<desc>``
    that the SVG's ``aria-describedby`` points to, as the site's diagrams have.
    """
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML prolog or doctype inside HTML
    svg = svg.replace(INK, "currentColor")
    prefix = f"f{next(_figures)}-{hashlib.sha1(svg.encode()).hexdigest()[:8]}-"  # the count: two equal plots too
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    svg = re.sub(r'(xlink:href|href)="#', rf'\1="#{prefix}', svg)
    svg = svg.replace("url(#", f"url(#{prefix}")
    # Matplotlib's <style> sets stroke joins for "*": scope it to this plot
    svg = re.sub(r"<style[^>]*>\s*\*\s*\{", "<style>.fcnet-figure *{", svg)
    if alt is None:
        alt = fig.get_suptitle() or ", ".join(ax.get_title() for ax in fig.axes if ax.get_title())
    label = _html.escape(alt or "plot")
    if desc is None:
        return svg.replace("<svg ", f'<svg class="fcnet-figure" role="img" aria-label="{label}" ', 1)
    described = f'aria-describedby="{prefix}desc" '
    svg = svg.replace("<svg ", f'<svg class="fcnet-figure" role="img" aria-label="{label}" {described}', 1)
    head = svg.index(">") + 1
    text = f'<title>{label}</title><desc id="{prefix}desc">{_html.escape(desc, quote=False)}</desc>'
    return svg[:head] + text + svg[head:]


def use_site_style() -> None:
    """Give every later figure the site's colours, and show figures as `svg_html` (in IPython)."""
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # the backend loads with the first figure; in IPython the inline backend then sets its own rc and
    # figure formatters, so load it now, before ours
    plt.close(plt.figure())
    matplotlib.rcParams.update(RC)
    with contextlib.suppress(ImportError):
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            formatter = shell.display_formatter.formatters["text/html"]
            formatter.for_type(Figure, svg_html)
