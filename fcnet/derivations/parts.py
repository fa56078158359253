"""Where each derivation lives: the parts, in reading order, and the site page that renders each.

This is the one place that says which page holds a derivation.  Every link to one (the site's
`fcnet.site.derivation.link`, the handout's "On the site" addresses, the grader's "reread"
line, the assignment's hints, the Cite page's table) is made from `page` or `href`.  It
imports nothing, so the grader can name a page without loading SymPy.

>>> page("softmax-ce-grad"), page("numdiff-error"), page("gelu-grad")
('backprop/', 'numerical-gradient/', 'beyond/deeper-nets/')
>>> href("numdiff-toy", here="beyond/gradient-checks/"), href("numdiff-toy", here="numerical-gradient/")
('../../numerical-gradient/#numdiff-toy', '#numdiff-toy')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Part", "PARTS", "page", "href"]


@dataclass(frozen=True)
class Part:
    """A group of derivations: a title, the introduction to it, the ids it holds (None: the rest), its page.

    ``page`` is the site path of the page that renders the part's derivations (``"backprop/"``),
    each under the anchor of its id.
    """

    title: str
    intro: str
    ids: tuple | None
    page: str


#: The parts, in reading order: the order of the site's pages, and within a page the order it shows them.
#: Prose: ``$…$`` is math.
PARTS = (
    Part(
        "The output layer",
        "The loss is the softmax's cross-entropy: the gradient starts there, at the logits.",
        ("softmax-jacobian", "softmax-ce-grad"),
        "backprop/",
    ),
    Part(
        "Through the hidden layer",
        "From the logits the gradient flows back through the second layer's weights, the sigmoid and the first layer.",
        ("sigmoid-grad", "linear-grad", "hidden-layer-grad"),
        "backprop/",
    ),
    Part(
        "The batch and the penalty",
        "$J$ averages the per-example losses and adds $\\tfrac12\\lambda\\lVert W\\rVert_F^2$.",
        ("batch-mean-l2",),
        "backprop/",
    ),
    Part(
        "Numerical differentiation",
        "The exact gradient of the notes' toy problem, and the error of the centred difference that "
        "checks a gradient numerically.",
        ("numdiff-toy", "numdiff-error"),
        "numerical-gradient/",
    ),
    Part(
        "Activations for deeper nets",
        "The derivative of every other activation a deeper net can use in place of the sigmoid.",
        None,
        "beyond/deeper-nets/",
    ),
)


def page(ident: str) -> str:
    """The site path of the page that renders derivation ``ident`` (a part with ``ids=None`` holds the rest)."""
    for part in PARTS:
        if part.ids and ident in part.ids:
            return part.page
    return next(p.page for p in PARTS if p.ids is None)


def href(ident: str, here: str) -> str:
    """The address of derivation ``ident``'s anchor relative to the page at site path ``here`` (``"changes/"``).

    ``here=""`` is the site's root; on the derivation's own page the address is the bare ``#ident``.
    """
    where = page(ident)
    if where == here:
        return f"#{ident}"
    return "../" * here.count("/") + f"{where}#{ident}"
