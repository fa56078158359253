"""Where each derivation lives and what it is called: the parts, in reading order, the site page that renders
each, its number, title and introduction.

This is the one place that says which page holds a derivation and what it is numbered.  Every link to one
(the site's `fcnet.site.derivation.link`, the handout's "On the site" addresses, the grader's "reread"
line, the assignment's hints, the Cite page's table) is made from `page` or `href`, and `number`.  It
imports nothing, so the grader, a link or the Cite page can name a derivation without loading SymPy.

>>> page("softmax-ce-grad"), page("numdiff-error"), page("gelu-grad")
('backprop/', 'numerical-gradient/', 'beyond/deeper-nets/')
>>> href("numdiff-toy", here="beyond/gradient-checks/"), href("numdiff-toy", here="numerical-gradient/")
('../../numerical-gradient/#numdiff-toy', '#numdiff-toy')
>>> number("hidden-layer-grad"), heading("sigmoid-grad")
('D5', {'id': 'sigmoid-grad', 'number': 'D3', 'title': "The sigmoid's derivative"})
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Part", "PARTS", "INTROS", "HEADINGS", "heading", "number", "page", "href"]


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


#: id -> (number, title): each derivation's equation number and title, in reading order.  Its family gives them
#: to its `Derivation` (`heading`); kept here so that a link to a derivation and the Cite page's table name it
#: without loading SymPy.
HEADINGS = {
    "softmax-jacobian": ("D1", "The softmax Jacobian"),
    "softmax-ce-grad": ("D2", "Softmax cross-entropy"),
    "sigmoid-grad": ("D3", "The sigmoid's derivative"),
    "linear-grad": ("D4", "The linear layer"),
    "hidden-layer-grad": ("D5", "Through the hidden layer"),
    "batch-mean-l2": ("D6", "Batch mean and L2 penalty"),
    "numdiff-toy": ("D7", "The notes' toy functions"),
    "numdiff-error": ("D8", "The error of a difference quotient"),
    "tanh-grad": ("D9", "The derivative of tanh"),
    "relu-grad": ("D10", "The derivative of ReLU"),
    "gelu-grad": ("D11", "The derivative of GELU (exact form)"),
    "softplus-grad": ("D12", "The derivative of softplus"),
}


def heading(ident: str) -> dict:
    """Derivation ``ident``'s id, number and title (`HEADINGS`), as its family passes them to `Derivation`."""
    number, title = HEADINGS[ident]
    return {"id": ident, "number": number, "title": title}


def number(ident: str) -> str:
    """Derivation ``ident``'s equation number; KeyError listing the known ids if there is none."""
    if ident not in HEADINGS:
        raise KeyError(f"unknown derivation {ident!r}; known ids: {', '.join(HEADINGS)}")
    return HEADINGS[ident][0]


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


#: id -> the derivation's short introduction, which the site (`fcnet.site.derivation.derivation_html`) and the
#: handout (`fcnet.derivations.document`) print under its heading.  Prose: ``$…$`` is math.
INTROS = {
    "softmax-jacobian": "Softmax couples the classes: each probability depends on every logit.",
    "softmax-ce-grad": "Cross-entropy undoes the coupling: its gradient with respect to the logits is just "
    "“predicted minus true”.",
    "sigmoid-grad": "The sigmoid's derivative is written in terms of its own output, which the forward pass "
    "has already computed.",
    "linear-grad": "An affine layer $z = Wa + b$ passes three gradients on: to its weights, its bias and its input.",
    "hidden-layer-grad": "The complete first-layer gradients, $\\partial \\mathrm{CE}/\\partial W^{(1)}$ and "
    "$\\partial \\mathrm{CE}/\\partial b^{(1)}$, differentiated by SymPy through the whole composition (the notes "
    "stop at a truncated formula for $\\partial/\\partial b^{(1)}$).",
    "batch-mean-l2": "Averaging puts a $\\frac1N$ in front of $\\Delta^{(2)}$, the matrix whose columns are the "
    "examples' $\\delta^{(2)}$; the matrix products sum the per-example outer products, and the penalty "
    "contributes $\\lambda W$ (the notes' “0.5 cancels”).",
    "numdiff-toy": "The notes check finite differences on two functions of $w = (w_1, w_2)$ whose gradients are "
    "known exactly.",
    "numdiff-error": "A centred difference is exact up to a truncation error that shrinks with the step $h$; "
    "round-off, which grows as $h$ shrinks, sets the step to use.",
    "tanh-grad": "tanh is a sigmoid stretched to $(-1, 1)$; its derivative, too, is written in its own output.",
    "relu-grad": "ReLU passes a positive input unchanged and stops a negative one: its derivative is a step.",
    "gelu-grad": "GELU weights its input by $\\Phi$, the standard normal CDF; its derivative needs the density "
    "$\\phi$ as well.",
    "softplus-grad": "Softplus, $\\log(1 + e^{z})$, is a smooth ReLU; its derivative is the sigmoid.",
}
