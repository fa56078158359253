"""The gradient pages' plots, drawn from numbers the page computed in its visible cells.

A page computes (with fcnet) what it plots, in teaching code a reader sees; a hidden cell hands
the numbers to one of these, which draws them in the site's palette (`fcnet.site.figures.style`)
and returns the inline SVG (`fcnet.site.figures.svg_html`), its numbers in a text alternative.

* `step_error_html`: the error of a finite difference against the step h, one line per precision
  (Numerical gradient, A gradient-check toolkit);
* `activation_curves_html`: each activation and its derivative (Deeper nets);
* `depth_norms_html`: the gradient's norm layer by layer, one line per activation (Deeper nets).

>>> import numpy as np
>>> hs = np.logspace(-8, -1, 8)
>>> errors = {np.float64: 1e-16 / hs + hs**2}  # round-off ~ ε/h, truncation ~ h²: smallest near ∛ε
>>> svg = step_error_html(hs, errors, title="t", ylabel="error", thresholds={np.float64: 1e-6})
>>> "<title>t</title>" in svg, "float64: smallest error 1.0e-10 at h = 1.0e-06" in svg, "threshold 1e-06." in svg
(True, True, True)
"""

from __future__ import annotations

import numpy as np

from .figures import style, svg_html

__all__ = ["step_error_html", "activation_curves_html", "depth_norms_html"]

#: Errors below this are drawn at it: an exact 0 has no place on a log axis.
FLOOR = 1e-17


def step_error_html(steps, errors: dict, title: str, ylabel: str, thresholds: dict | None = None) -> str:
    """Error against step, log-log: a line per precision, dotted at its h = ∛ε, dashed at its threshold.

    Parameters
    ----------
    steps : array of shape (S,)
        The steps h.
    errors : dict
        dtype (or its name) -> the S errors measured at those steps.
    title, ylabel : str
        The plot's title (also its accessible name) and the y-axis label.
    thresholds : dict, optional
        dtype (or its name) -> the pass threshold of a check in that precision, drawn dashed.
    """
    from matplotlib.figure import Figure

    steps = np.asarray(steps, dtype=float)
    described = []
    with style():
        fig = Figure(figsize=(7, 4.2))
        ax = fig.subplots()
        for k, (dtype, err) in enumerate(errors.items()):
            name, err = np.dtype(dtype).name, np.asarray(err, dtype=float)
            colour, cbrt_eps = f"C{k}", np.cbrt(np.finfo(dtype).eps)
            ax.loglog(steps, np.maximum(err, FLOOR), "os"[k % 2] + "-", ms=3, color=colour, label=name)
            ax.axvline(cbrt_eps, ls=":", color=colour)
            best = int(np.argmin(err))
            described.append(
                f"{name}: smallest error {err[best]:.1e} at h = {steps[best]:.1e} (∛ε = {cbrt_eps:.1e}); "
                f"{err[0]:.1e} at h = {steps[0]:.1e}, {err[-1]:.1e} at h = {steps[-1]:.1e}"
            )
        for dtype, threshold in (thresholds or {}).items():
            name = np.dtype(dtype).name
            ax.axhline(threshold, color="grey", ls="--", lw=1)
            ax.text(steps[0], threshold * 1.4, f"{name} threshold", color="grey", fontsize=8)
            described.append(f"{name} threshold {threshold:g}")
        ax.set(xlabel="step h", ylabel=ylabel, title=title)
        ax.legend(title="dotted: h = ∛ε")
        ax.grid(True, which="major")
        return svg_html(fig, title, desc="; ".join(described) + ".")


def activation_curves_html(z, curves: dict) -> str:
    """Each activation f(z) (left) and its derivative f'(z) (right), over the same z.

    ``curves`` maps an activation's name to ``(f(z), f'(z))``, arrays shaped like ``z`` (1-D).

    >>> z = np.linspace(-1, 1, 5)
    >>> svg = activation_curves_html(z, {"relu": (np.maximum(z, 0), (z > 0) * 1.0)})
    >>> svg.count("<title>"), "relu: f(−1) = 0, f(0) = 0, f(1) = 1; f'(−1) = 0, f'(0) = 0, f'(1) = 1" in svg
    (1, True)
    """
    from matplotlib.figure import Figure

    z = np.asarray(z, dtype=float)
    at = (z[0], 0.0, z[-1])
    show = lambda v: f"{v:.3g}".replace("-", "−")  # noqa: E731
    described = []
    with style():
        fig = Figure(figsize=(9, 3.4))
        ax_f, ax_d = fig.subplots(1, 2, sharex=True)
        for name, (f, df) in curves.items():
            ax_f.plot(z, f, label=name)
            ax_d.plot(z, df, label=name)
            values = ", ".join(f"f({show(x)}) = {show(np.interp(x, z, f))}" for x in at)
            slopes = ", ".join(f"f'({show(x)}) = {show(np.interp(x, z, df))}" for x in at)
            described.append(f"{name}: {values}; {slopes}")
        ax_f.set(title="f(z)", xlabel="z", ylim=(-1.2, 4))
        ax_d.set(title="f'(z), from each backward pass", xlabel="z")
        ax_f.legend()
        for ax in (ax_f, ax_d):
            ax.grid(True)
        alt = f"Activations and their derivatives for z from {show(z[0])} to {show(z[-1])}"
        return svg_html(fig, alt, desc="; ".join(described) + ".")


def depth_norms_html(norms: dict, title: str) -> str:
    """The Frobenius norm of ∂J/∂W⁽ˡ⁾ for layers l = 1, 2, …, one line per activation, on a log scale.

    ``norms`` maps an activation's name to its norms, layer 1 (next to the input) first.

    >>> svg = depth_norms_html({"sigmoid": [1e-6, 1e-3, 1.0]}, title="3 layers")
    >>> "sigmoid: 1e-06 at layer 1, 1 at layer 3" in svg
    True
    """
    from matplotlib.figure import Figure

    described = []
    with style():
        fig = Figure(figsize=(6.5, 3.6))
        ax = fig.subplots()
        for name, values in norms.items():
            layers = range(1, len(values) + 1)
            ax.semilogy(layers, values, "o-", label=name)
            described.append(f"{name}: {values[0]:.3g} at layer 1, {values[-1]:.3g} at layer {len(values)}")
        ax.set(xlabel="layer l (1 = next to the input)", ylabel="Frobenius norm ‖∂J/∂W⁽ˡ⁾‖", title=title)
        ax.legend()
        ax.grid(True, which="both")
        return svg_html(fig, f"Gradient norm by layer, {title}", desc="; ".join(described) + ".")
