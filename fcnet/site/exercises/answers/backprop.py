"""Exercises for the Backprop page: one column by hand, the degenerate example, the graph, a variant."""

from __future__ import annotations

import numpy as np

from ....core.activations import ACTIVATIONS
from ....core.examples import second_example, seed_example
from ....core.layers import affine_backward, affine_forward
from ....core.losses import l2_backward, l2_forward, softmax_ce_backward, softmax_ce_forward
from ....core.net import loss_and_grads
from ...trace import net_trace
from ..base import Answer, num, vec


def _delta2_by_hand():
    t = net_trace(*seed_example())
    delta = t.N * t.dz2[:, 0]
    text = (
        rf"\(\hat{{y}} = 0.2\) in every class and the label is class 3, so \(\delta^{{(2)}} = \hat{{y}} - y = "
        rf"{vec(delta)}\): every wrong class is pushed down by 0.2, the right one up by 0.8, and the entries sum to "
        rf"0. The batch mean divides by \(N = 2\): column 0 of `dz2` is \({vec(t.dz2[:, 0])}\)."
    )
    return Answer(t.dz2[:, 0].copy(), text)


def _degenerate():
    params, X, y, reg = seed_example()
    t = net_trace(params, X, y, reg)
    back = float(np.abs(t.da1).max())
    dW1 = float(np.abs(t.grads["W1"] - reg * params["W1"]).max())
    db1 = float(np.abs(t.grads["b1"]).max())
    text = (
        r"Every row of \(W^{(2)}\) is the same row \(w^{\top} = (2, 2, 2, 2)\), so \(W^{(2)\top} \delta^{(2)} = "
        r"w \sum_k \delta^{(2)}_k = w \left(\sum_k \hat{y}_k - \sum_k y_k\right) = w (1 - 1) = 0\) for every "
        r"column. Then \(\delta^{(1)} = 0\): \(\partial J / \partial W^{(1)}\) is the penalty's \(\lambda W^{(1)}\) "
        r"alone and \(\partial J / \partial b^{(1)} = 0\), whatever the data. fcnet: "
        rf"\(\max |W^{{(2)\top}} \delta^{{(2)}}| = {num(back)}\), \(\max |\partial J / \partial W^{{(1)}} - "
        rf"\lambda W^{{(1)}}| = {num(dW1)}\), \(\max |\partial J / \partial b^{{(1)}}| = {num(db1)}\): round-off."
    )
    return Answer((back, dW1, db1), text)


def _local_times_upstream():
    t = net_trace(*second_example())
    up, a = float(t.da1[0, 0]), float(t.a1[0, 0])
    local = a * (1 - a)
    dz = float(t.dz1[0, 0])
    x1 = float(t.X[1, 0])
    text = (
        rf"Local gradient \(\sigma'(z) = a (1 - a) = {num(a, 6)} \cdot {num(1 - a, 6)} = {num(local, 6)}\), times "
        rf"the upstream \({num(up, 6)}\): \(\partial J / \partial z^{{(1)}}_0 = {num(dz, 6)}\), the number on the "
        rf"graph's edge into \(z^{{(1)}}_0\). Through the product \(W^{{(1)}}_{{01}} x_1\) (multiply swaps): this "
        rf"example's share of \(\partial J / \partial W^{{(1)}}_{{01}}\) is \({num(dz, 6)} \cdot x_1 = {num(dz, 6)} "
        rf"\cdot ({num(x1)}) = {num(dz * x1, 6)}\)."
    )
    return Answer((dz, dz * x1), text)


def _softplus_hidden():
    import sympy as sp

    from ....derivations import get

    z = sp.Symbol("z", real=True)
    proved = sp.simplify(sp.diff(sp.log(1 + sp.exp(z)), z) - 1 / (1 + sp.exp(-z))) == 0
    sigmoid, softplus = ACTIVATIONS["sigmoid"].forward, ACTIVATIONS["softplus"].forward

    def grads(params, X, y, reg):
        # the derived backward pass: the notes' net with softplus, δ⁽¹⁾ = (W⁽²⁾ᵀ δ⁽²⁾) ⊙ σ(z⁽¹⁾)
        z1, aff1 = affine_forward(params["W1"], X, params["b1"])
        a1, _ = softplus(z1)
        z2, aff2 = affine_forward(params["W2"], a1, params["b2"])
        data, ce = softmax_ce_forward(z2, y)
        dW2, db2, da1 = affine_backward(softmax_ce_backward(1.0, ce), aff2)
        dW1, db1, _ = affine_backward(da1 * sigmoid(z1)[0], aff1, need_da=False)
        loss = data + l2_forward((params["W1"], params["W2"]), reg)
        dW1 += l2_backward(params["W1"], reg)
        dW2 += l2_backward(params["W2"], reg)
        return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    text = (
        r"Only the local gradient of the activation changes: \(\operatorname{softplus}'(z) = \sigma(z)\) "
        rf"({get('softplus-grad').number}; SymPy re-derives it here), so \(\delta^{{(1)}} = (W^{{(2)\top}} "
        r"\delta^{(2)}) \odot \sigma(z^{(1)})\) replaces \(\odot\, \sigma(z^{(1)}) (1 - \sigma(z^{(1)}))\). Everything "
        r"else, \(\delta^{(2)}\) and the weight and bias gradients of both layers, is unchanged. In code: "
        "`dz1 = da1 * sigmoid(z1)`; fcnet's L-layer net does this with `activations=['softplus']`."
    )
    return Answer((proved, grads), text)


def _bias_sum():
    params, X, y, reg = seed_example()
    _, grads = loss_and_grads(params, X, y, reg)
    text = (
        r"\(b^{(2)}\) is added to every column (\(b^{(2)} \mathbf{1}^{\top}\)), so each example's \(\delta^{(2)}\) "
        r"reaches it and the gradient sums the columns of \(\partial J / \partial Z^{(2)} = \tfrac1N \Delta^{(2)}\) "
        r"(D6). Labels 3 and 4, \(\hat{y} = 0.2\): \(\tfrac12 [(0.2, 0.2, 0.2, -0.8, 0.2) + (0.2, 0.2, 0.2, 0.2, "
        rf"-0.8)] = {vec(grads['b2'])}\), which sums to 0 (see Forward's exercise on shifting \(b^{{(2)}}\))."
    )
    return Answer(grads["b2"], text)


def code_answer(exercise_id: str, signature: str, prelude: list[str], lines: list[str], result: str, why: str):
    """An answer that is code: the function ``signature`` made of ``lines`` (generated from fcnet's snippet
    sections, `fcnet.assignment.generate.generated_lines`), run through the exercise's own check."""
    from ..checks import check

    source = "\n".join([f"def {signature}:", *(f"    {line}" for line in [*prelude, *lines, f"return {result}"])])
    scope = {"np": np}
    exec(source, scope)  # the generated source: the lines fcnet's own building blocks run, renamed
    fn = scope[signature.partition("(")[0]]
    verdict = check(exercise_id, fn)
    if not verdict.right:
        raise AssertionError(f"{exercise_id}: the answer fails its own check: {verdict}")
    return Answer(fn, f"{why}\n\n```python\n{source}\n```\n\nThe check says: {verdict}.")


def _write_delta2():
    from ....assignment.generate import TODOS, generated_lines

    lines = [line for ref, names in TODOS[0].sections for line in generated_lines(ref, names)]
    why = (
        r"Each column's \(\hat{y} - y\) (D2), then the batch mean's \(1/N\) (D6); \(Y\) is one-hot, so subtracting "
        r"it is subtracting 1 at each column's label. fcnet's `softmax_ce_backward` runs these lines:"
    )
    return code_answer("backprop-write-delta2", "delta2(probs, y)", ["N = probs.shape[1]"], lines, "dz2", why)


def _write_delta1():
    from ....assignment.generate import TODOS, generated_lines

    lines = [line for ref, names in TODOS[2].sections for line in generated_lines(ref, names)]
    why = (
        r"Back through the affine map, \(W^{(2)\top} \delta^{(2)}\) (D4), then through the sigmoid, times its "
        r"local gradient \(\sigma(z^{(1)})(1 - \sigma(z^{(1)})) = a^{(1)}(1 - a^{(1)})\) (D3, D5). In fcnet's blocks:"
    )
    return code_answer("backprop-write-delta1", "delta1(W2, dz2, a1)", [], lines, "dz1", why)


def _write_dW1():
    from ....assignment.generate import TODOS, generated_lines

    (dW, _db, l2) = TODOS[3].sections
    lines = [*generated_lines(*dW), *generated_lines(*l2), *TODOS[3].glue]
    why = (
        r"The data term \(\delta^{(1)} X^\top\) sums the batch's outer products (D4; \(\delta^{(1)}\) already "
        r"holds the \(1/N\)), and the penalty \(\tfrac12\lambda\|W^{(1)}\|^2\) adds \(\lambda W^{(1)}\) (D6). "
        "In fcnet's blocks:"
    )
    return code_answer("backprop-write-dW1", "grad_W1(dz1, X, W1, reg)", [], lines, "dW1", why)
