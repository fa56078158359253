"""The starter file and its solution, generated from the package's own snippet sections.

Each backward step of the assignment is a `Todo`: the gradients it asks for,
the derivations to read, and the snippet sections of `fcnet.core` whose
formula comments become the TODO's hint and whose code, its variables renamed
to the starter's, becomes the reference line (`generated_lines`).  So the
starter says what the site shows under each formula, and a change to a
building block changes the assignment with it.

>>> print(generated_lines("fcnet/core/layers.py:affine-dW", {"dW": "dW2", "dout": "dz2", "a": "a1"})[1])
dW2 = dz2 @ a1.T
"""

from __future__ import annotations

import ast
import re
from typing import NamedTuple

from ..site.snippets import section

__all__ = ["LAYOUTS", "TODOS", "Todo", "build", "generated_lines", "starter", "solution"]

#: "columns": the notes' layout (X is (D_in, N)); "rows": CS231n's (X is (N, D_in)), as ``fcnet diagnose --layout``
LAYOUTS = ("columns", "rows")

#: the names a generated line may read: the starter's own variables at that point of the backward pass
_SCOPE = {"np", "N", "X", "y", "reg", "W1", "W2", "a1", "probs", "dz2", "da1", "dz1", "dW1", "dW2", "Y"}


class Todo(NamedTuple):
    """One backward step: what it computes, the derivations to read, and where its lines come from."""

    computes: str  # the gradients, as the starter names them, with their shapes in the notes' layout
    derivations: tuple[str, ...]  # ids in `fcnet.derivations`, each under PAGE#ID (`fcnet.derivations.parts`)
    sections: tuple[tuple[str, dict[str, str]], ...]  # (snippet ref, renames from the block's names to the starter's)
    glue: tuple[str, ...]  # lines after the generated ones: adding the penalty's gradient to the data term's
    rows: tuple[str, ...]  # the same step in CS231n's layout (every array transposed)


_LAYERS, _LOSSES = "fcnet/core/layers.py", "fcnet/core/losses.py"

#: the backward pass, in the order a student writes it
TODOS = (
    Todo(
        "dz2 = δ2 = ∂J/∂z2, shape (C, N)",
        ("softmax-ce-grad", "batch-mean-l2"),
        ((f"{_LOSSES}:softmax-ce-backward", {"dz": "dz2", "dout": "1.0"}),),
        (),
        ("dz2 = probs.copy()", "dz2[np.arange(N), y] -= 1", "dz2 /= N"),
    ),
    Todo(
        "dW2 = δ2 a1ᵀ + λW2, shape (C, H), and db2 = Σₙ δ2, shape (C,)",
        ("linear-grad", "batch-mean-l2"),
        (
            (f"{_LAYERS}:affine-dW", {"dW": "dW2", "dout": "dz2", "a": "a1"}),
            (f"{_LAYERS}:affine-db", {"db": "db2", "dout": "dz2"}),
            (f"{_LOSSES}:l2-backward", {"dW": "reg_dW2", "W": "W2"}),
        ),
        ("dW2 = dW2 + reg_dW2",),
        ("dW2 = a1.T @ dz2 + reg * W2", "db2 = dz2.sum(axis=0)"),
    ),
    Todo(
        "dz1 = δ1 = (W2ᵀ δ2) ⊙ σ(z1)(1 − σ(z1)), shape (H, N)",
        ("hidden-layer-grad", "sigmoid-grad"),
        (
            (f"{_LAYERS}:affine-da", {"da": "da1", "W": "W2", "dout": "dz2"}),
            (f"{_LAYERS}:sigmoid-backward", {"dz": "dz1", "dout": "da1", "a": "a1"}),
        ),
        (),
        ("da1 = dz2 @ W2.T", "dz1 = da1 * a1 * (1 - a1)"),
    ),
    Todo(
        "dW1 = δ1 Xᵀ + λW1, shape (H, D_in), and db1 = Σₙ δ1, shape (H,)",
        ("linear-grad", "batch-mean-l2"),
        (
            (f"{_LAYERS}:affine-dW", {"dW": "dW1", "dout": "dz1", "a": "X"}),
            (f"{_LAYERS}:affine-db", {"db": "db1", "dout": "dz1"}),
            (f"{_LOSSES}:l2-backward", {"dW": "reg_dW1", "W": "W1"}),
        ),
        ("dW1 = dW1 + reg_dW1",),
        ("dW1 = X.T @ dz1 + reg * W1", "db1 = dz1.sum(axis=0)"),
    ),
)


class _Rename(ast.NodeTransformer):
    """Rename a block's variables to the starter's; drop ``out=`` and ``scratch=`` (buffers the starter has not)."""

    def __init__(self, names: dict[str, str]):
        self.names = names

    def visit_Name(self, node: ast.Name):
        new = self.names.get(node.id)
        if new is None:
            return node
        value = ast.literal_eval(new) if new[0].isdigit() else None
        return ast.copy_location(ast.Constant(value) if value is not None else ast.Name(new, node.ctx), node)

    def visit_BinOp(self, node: ast.BinOp):
        node = self.generic_visit(node)
        one = [side for side in (node.left, node.right) if isinstance(side, ast.Constant) and side.value == 1.0]
        if isinstance(node.op, ast.Mult) and one:  # an upstream gradient of 1 times x: x
            return node.right if one[0] is node.left else node.left
        return node

    def visit_Call(self, node: ast.Call):
        node.keywords = [k for k in node.keywords if k.arg not in ("out", "scratch")]
        return self.generic_visit(node)


def generated_lines(ref: str, names: dict[str, str], scope: frozenset[str] | set[str] = _SCOPE) -> list[str]:
    """The section ``ref``: its comment lines as they are, then its code with ``names`` renamed.

    Parameters
    ----------
    ref : str
        A snippet section, ``"fcnet/<file>.py:<name>"`` (`fcnet.site.snippets.section`).
    names : dict of str to str
        The block's variable -> the starter's (or a number, for an upstream gradient of 1).
    scope : set of str, optional
        The names the code may read besides its own; by default the starter's.

    Returns
    -------
    lines : list of str
        ``# ...`` formula comments first, then one line per statement.

    Raises
    ------
    ValueError
        When the renamed code reads a name the starter does not have at that point: the building block
        changed its variables, and this step's renames must follow.
    """
    text = section(ref)
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    tree = _Rename(names).visit(ast.parse(text))
    code = [ast.unparse(statement) for statement in tree.body]
    written = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    unknown = sorted(read - written - set(scope))
    if unknown:
        raise ValueError(
            f"section {ref} reads {unknown}, which the starter has not; expected only {sorted(scope)} "
            f"(rename them in fcnet.assignment.generate.TODOS)"
        )
    return comments + code


def _header(layout: str) -> str:
    shape = "(D_in, N), one example per column" if layout == "columns" else "(N, D_in), one example per row"
    weights = (
        '"W1" (H, D_in), "b1" (H,), "W2" (C, H), "b2" (C,)'
        if layout == "columns"
        else '"W1" (D_in, H), "b1" (H,), "W2" (H, C), "b2" (C,)'
    )
    return f'''"""Your two-layer net: the loss J and its gradient, by backprop.

    z1 = W1 X + b1,  a1 = σ(z1),  z2 = W2 a1 + b2,  ŷ = softmax(z2)
    J  = (1/N) Σₙ CE(y⁽ⁿ⁾, ŷ⁽ⁿ⁾) + ½λ(‖W1‖² + ‖W2‖²)      (biases are not regularised)

Layout "{layout}": X is {shape}; params holds {weights}.
The forward pass and the loss are given.  Write the backward pass: replace each
``raise NotImplementedError`` by the lines its TODO asks for, in order.  Each
TODO names the derivations to read (Dn, and the anchor on the site's Backprop
page) and repeats the formula the site shows above fcnet's own lines.
Check your work with ``python -m pytest`` in this folder (see README.md).
"""

import numpy as np


def loss_and_grads(params, X, y, reg):
    """Loss J (a float) and grads, a dict with params' keys: grads[k] = ∂J/∂params[k], of params[k]'s shape."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
'''


def _forward(layout: str) -> list[str]:
    if layout == "columns":
        return [
            "N = X.shape[1]",
            "",
            "# forward pass (given): one column per example",
            "z1 = W1 @ X + b1[:, None]  # z1 = W1 X + b1 1ᵀ    (H, N)",
            'with np.errstate(over="ignore"):  # e^{-z} = inf far below 0, and 1 / (1 + inf) = 0 = σ(z) there',
            "    a1 = 1 / (1 + np.exp(-z1))  # a1 = σ(z1)    (H, N)",
            "z2 = W2 @ a1 + b2[:, None]  # z2 = W2 a1 + b2 1ᵀ    (C, N)",
            "# log ŷ = z − max z − log Σ e^{z − max z}: the largest exponent is e⁰ = 1, so nothing overflows",
            "logp = z2 - z2.max(axis=0, keepdims=True)",
            "logp = logp - np.log(np.exp(logp).sum(axis=0, keepdims=True))",
            "probs = np.exp(logp)  # Ŷ, one column of class probabilities per example    (C, N)",
            "# J = mean over the batch of −log ŷ at each label, plus ½λ(‖W1‖² + ‖W2‖²)",
            "loss = -logp[y, np.arange(N)].mean() + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))",
        ]
    return [
        "N = X.shape[0]",
        "",
        "# forward pass (given): one row per example, every array the transpose of the notes'",
        "z1 = X @ W1 + b1  # (N, H)",
        'with np.errstate(over="ignore"):  # e^{-z} = inf far below 0, and 1 / (1 + inf) = 0 = σ(z) there',
        "    a1 = 1 / (1 + np.exp(-z1))  # a1 = σ(z1)    (N, H)",
        "z2 = a1 @ W2 + b2  # (N, C)",
        "# log ŷ = z − max z − log Σ e^{z − max z}: the largest exponent is e⁰ = 1, so nothing overflows",
        "logp = z2 - z2.max(axis=1, keepdims=True)",
        "logp = logp - np.log(np.exp(logp).sum(axis=1, keepdims=True))",
        "probs = np.exp(logp)  # Ŷ, one row of class probabilities per example    (N, C)",
        "# J = mean over the batch of −log ŷ at each label, plus ½λ(‖W1‖² + ‖W2‖²)",
        "loss = -logp[np.arange(N), y].mean() + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))",
    ]


def _anchor(see: str) -> tuple[str, str]:
    """(number, "Dn Title: PAGE#id") for derivation ``see``, on the page `fcnet.derivations.parts` names."""
    from ..derivations import get
    from ..derivations.parts import page

    d = get(see)
    return d.number, f"{d.number} {d.title}: {page(see)}#{see}"


def _todo_block(k: int, todo: Todo, layout: str, solved: bool) -> list[str]:
    anchors = [_anchor(see) for see in todo.derivations]
    what = todo.computes if layout == "columns" else f"the transpose of {todo.computes}"
    out = ["", f"# TODO {k} of {len(TODOS)}: {what}"] + [f"#   read {text}" for _, text in anchors]
    if layout == "columns":
        lines = [line for ref, names in todo.sections for line in generated_lines(ref, names)] + list(todo.glue)
    else:
        lines = [c for ref, names in todo.sections for c in generated_lines(ref, names) if c.startswith("#")]
        lines += list(todo.rows)
    out += [f"#   {c.lstrip('# ')}" for c in lines if c.startswith("#")]
    if solved:
        return out + [c for c in lines if not c.startswith("#")]
    numbers = " and ".join(number for number, _ in anchors)
    name = " and ".join(re.findall(r"\b(d[A-Za-z]+\d) = ", todo.computes))
    return out + [f'raise NotImplementedError("TODO {k} of {len(TODOS)}: write {name} (read {numbers} on Backprop)")']


def build(layout: str, filled: int) -> str:
    """``my_net.py`` with its first ``filled`` TODOs solved by their reference lines and the rest left to raise."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout is {layout!r}; expected one of {LAYOUTS}")
    body = _forward(layout) + ["", "# backward pass: yours"]
    for k, todo in enumerate(TODOS, 1):
        body += _todo_block(k, todo, layout, solved=k <= filled)
    body += ["", 'return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}']
    return _header(layout) + "\n".join(f"    {line}" if line else "" for line in body) + "\n"


def starter(layout: str = "columns") -> str:
    """The text of ``my_net.py``: the forward pass given, each backward step a TODO that raises.

    >>> text = starter()
    >>> text.count('raise NotImplementedError("'), "read D2 Softmax cross-entropy: backprop/#softmax-ce-grad" in text
    (4, True)
    """
    return build(layout, filled=0)


def solution(layout: str = "columns") -> str:
    """``my_net.py`` with every TODO filled by its reference lines (for the teacher and the tests).

    >>> import numpy as np, fcnet
    >>> scope = {}
    >>> exec(solution(), scope)
    >>> params, X, y, reg = fcnet.second_example()
    >>> loss, grads = scope["loss_and_grads"](params, X, y, reg)
    >>> bool(np.allclose(grads["W1"], fcnet.loss_and_grads(params, X, y, reg)[1]["W1"], rtol=1e-12, atol=0))
    True
    """
    return build(layout, filled=len(TODOS))
