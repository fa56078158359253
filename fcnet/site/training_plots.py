"""The training page's plots: the run's curves, its confusion matrix, the digits it got wrong.

The page trains and predicts in its visible cells; a hidden cell hands the results to one of
these, which draws them in the site's palette (`fcnet.site.figures.style`) and returns the
inline SVG (`fcnet.site.figures.svg_html`) with its numbers in a text alternative.

>>> import numpy as np
>>> svg = confusion_html(np.array([[5, 1], [0, 4]]))
>>> "<title>9 of 10 right</title>" in svg and "true 0: 1 as 1" in svg
True
"""

from __future__ import annotations

import numpy as np

from .figures import style, svg_html

__all__ = ["training_curves_html", "confusion_html", "misclassified_html"]


def training_curves_html(history: dict, target: float | None = None) -> str:
    """The loss J (left, log scale) and the train and test accuracy (right), epoch by epoch.

    Parameters
    ----------
    history : dict
        ``loss``, ``train_accuracy`` and ``test_accuracy``, one value per epoch
        (`fcnet.training.loop.train`'s ``history``).
    target : float, optional
        An accuracy the page promises, drawn dashed.

    Returns
    -------
    html : str
        The figure as inline SVG, with a title and a description of its numbers.

    Examples
    --------
    >>> h = {"loss": [1.0, 0.5, 0.25], "train_accuracy": [0.9, 0.95, 0.99], "test_accuracy": [0.9, 0.94, 0.98]}
    >>> svg = training_curves_html(h, target=0.97)
    >>> "loss J from 1 to 0.25 over 3 epochs" in svg and "test accuracy 0.98 after the last" in svg
    True
    """
    from matplotlib.figure import Figure

    epochs = np.arange(1, len(history["loss"]) + 1)
    with style():
        fig = Figure(figsize=(9.5, 3.6))
        ax_l, ax_a = fig.subplots(1, 2)
        ax_l.plot(epochs, history["loss"], color="C0")
        ax_l.set(xlabel="epoch", ylabel="J (training set)", title="loss", yscale="log")
        ax_a.plot(epochs, history["train_accuracy"], label="train", color="C0")
        ax_a.plot(epochs, history["test_accuracy"], label="test", color="C1")
        if target is not None:
            ax_a.axhline(target, color="grey", lw=0.8, ls="--", label=f"{target:.0%}")
        ax_a.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0.8, 1.0))
        ax_a.legend(loc="lower right")
        for ax in (ax_l, ax_a):
            ax.grid(True)
        desc = (
            f"The loss J from {history['loss'][0]:.4g} to {history['loss'][-1]:.4g} over {len(epochs)} epochs; "
            f"train accuracy {history['train_accuracy'][-1]:.4g}, test accuracy "
            f"{history['test_accuracy'][-1]:.4g} after the last"
        )
        if target is not None:
            desc += f" (the dashed line: {target:.0%})"
        return svg_html(fig, "Loss and accuracy, epoch by epoch", desc=desc + ".")


def confusion_html(confusion) -> str:
    """A confusion matrix (row: the true class, column: the answer), each nonzero count written in its cell."""
    from matplotlib.figure import Figure

    confusion = np.asarray(confusion)
    n = len(confusion)
    title = f"{np.trace(confusion)} of {confusion.sum()} right"
    with style():
        fig = Figure(figsize=(5.2, 4.6))
        ax = fig.subplots()
        im = ax.imshow(confusion, cmap="Blues")
        for i, j in np.ndindex(confusion.shape):
            if confusion[i, j]:
                dark = confusion[i, j] > confusion.max() / 2
                ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=8, color="white" if dark else "black")
        ax.set(xticks=range(n), yticks=range(n), xlabel="predicted", ylabel="true", title=title)
        fig.colorbar(im, ax=ax, shrink=0.8)
        misses = [
            f"true {i}: " + ", ".join(f"{confusion[i, j]} as {j}" for j in range(n) if j != i and confusion[i, j])
            for i in range(n)
            if confusion[i].sum() > confusion[i, i]
        ]
        desc = f"Confusion matrix, {title}. Mistakes: " + ("; ".join(misses) or "none") + "."
        return svg_html(fig, title, desc=desc)


def misclassified_html(images, true, predicted, confidence, cols: int = 8) -> str:
    """The misclassified images, each titled "true → predicted (the probability given to the answer)".

    Parameters
    ----------
    images : array of shape (M, height, width)
        The images as the net saw them (pixel values 0 to 16, before standardising).
    true, predicted, confidence : arrays of shape (M,)
        Each image's class, the net's answer and the probability it gave that answer.
    cols : int, default 8
        Images per row.

    Returns
    -------
    html : str
        The figure as inline SVG, its description listing every image's label.

    Examples
    --------
    >>> svg = misclassified_html(np.zeros((3, 8, 8)), [1, 2, 3], [7, 5, 8], [0.5, 0.6, 0.7])
    >>> "<title>3 misclassified test digits</title>" in svg, "1 → 7 (50%)" in svg
    (True, True)
    """
    from matplotlib.figure import Figure

    labels = [f"{t} → {p}  ({c:.0%})" for t, p, c in zip(true, predicted, confidence, strict=True)]
    rows = max(1, -(-len(labels) // cols))
    title = f"{len(labels)} misclassified test digits"
    with style():
        fig = Figure(figsize=(cols * 1.1, rows * 1.35))
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax in axes.ravel():
            ax.axis("off")
        for ax, image, label in zip(axes.ravel(), images, labels, strict=False):
            ax.imshow(image, cmap="gray_r", vmin=0, vmax=16)
            ax.set_title(label, fontsize=8)
        fig.suptitle(title, fontsize=10)
        each = "; ".join(" ".join(label.split()) for label in labels)
        return svg_html(fig, title, desc=f"{title}, true → predicted (probability): {each}.")
