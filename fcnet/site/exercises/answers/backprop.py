"""Exercises for the Backprop page: one column by hand, the graph, variants of the net and of the loss."""

from __future__ import annotations

import numpy as np

from ....core.activations import ACTIVATIONS
from ....core.examples import second_example, seed_example
from ....core.layers import affine_backward, affine_forward
from ....core.losses import l2_backward, l2_forward, log_softmax, softmax_ce_backward, softmax_ce_forward
from ...trace import net_trace
from ..base import Answer, num, vec


def _delta2_by_hand():
    params, X, y, reg = seed_example()
    t = net_trace(params, X, y, reg)
    delta = t.N * t.dz2[:, 1]
    db2 = t.grads["b2"]
    text = (
        rf"\(\hat{{y}} = 0.2\) in every class and column 1's label is class 4, so \(\delta^{{(2)}} = \hat{{y}} - y = "
        rf"{vec(delta)}\): every wrong class is pushed down by 0.2, the right one up by 0.8, and the entries sum to "
        rf"0. The batch mean divides by \(N = 2\): column 1 of `dz2` is \({vec(t.dz2[:, 1])}\). "
        r"\(b^{(2)}\) is added to every column (\(b^{(2)} \mathbf{1}^{\top}\)), so each example's error reaches it "
        r"and its gradient sums the columns of \(\partial J / \partial Z^{(2)}\) (D6; it is not penalised). Column 0, "
        rf"label 3, is \({vec(t.dz2[:, 0])}\), so \(\partial J / \partial b^{{(2)}} = {vec(db2)}\), which sums to 0 "
        r"(see Forward's exercise on shifting \(b^{(2)}\))."
    )
    return Answer((t.dz2[:, 1].copy(), db2.copy()), text)


def _local_times_upstream():
    t = net_trace(*second_example())
    up, a = float(t.da1[1, 0]), float(t.a1[1, 0])
    local = a * (1 - a)
    dz = float(t.dz1[1, 0])
    x1 = float(t.X[1, 0])
    text = (
        rf"\(a^{{(1)}}_1 = {num(a, 6)}\), and from above arrives \(\sum_k W^{{(2)}}_{{k1}} (\hat{{y}}_k - y_k) / N = "
        rf"{num(up, 6)}\) (the \(C\) branches add). Local gradient \(\sigma'(z) = a (1 - a) = {num(a, 6)} \cdot "
        rf"{num(1 - a, 6)} = {num(local, 6)}\), times the upstream: \(\partial J / \partial z^{{(1)}}_1 = "
        rf"{num(dz, 6)}\). Through the product \(W^{{(1)}}_{{11}} x_1\) (multiply swaps): this example's share of "
        rf"\(\partial J / \partial W^{{(1)}}_{{11}}\) is \({num(dz, 6)} \cdot x_1 = {num(dz, 6)} \cdot ({num(x1)}) = "
        rf"{num(dz * x1, 6)}\), entry 1 of `path_to_W1(0, 1)`."
    )
    return Answer((up, dz, dz * x1), text)


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
        rf"(SymPy derives it here; {get('softplus-grad').number} on Deeper nets too), so "
        r"\(\delta^{(1)} = (W^{(2)\top} \delta^{(2)}) \odot \sigma(z^{(1)})\) replaces "
        r"\(\odot\, \sigma(z^{(1)}) (1 - \sigma(z^{(1)}))\). Everything "
        r"else, \(\delta^{(2)}\) and the weight and bias gradients of both layers, is unchanged. In code: "
        "`dz1 = da1 * sigmoid(z1)`; fcnet's L-layer net does this with `activations=['softplus']`."
    )
    return Answer((proved, grads), text)


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


def _smooth_entry(yhat_k, y_k, alpha, C):
    # ∂CE(y^α, ŷ)/∂z_k as claimed: ŷ_k − (1 − α) y_k − α/C (printed in this order)
    from ....derivations.printing import add, mul

    return add(yhat_k, -mul(add(1, -alpha), y_k), -alpha / C)


def _mse_entry(yhat_k, y_k, s):
    # ∂(½‖ŷ − y‖²)/∂z_k as claimed: ŷ_k ((ŷ_k − y_k) − s),  s = Σ_i ŷ_i (ŷ_i − y_i)
    from ....derivations.printing import add, mul

    return mul(yhat_k, add(add(yhat_k, -y_k), -s))


def _softmax3():
    import sympy as sp

    z = sp.symbols("z0:3")
    return z, [sp.exp(u) / sum(sp.exp(v) for v in z) for u in z]


def _shown(entry, *names):
    """``entry`` of abstract symbols with these LaTeX names, printed in fcnet's notation."""
    import sympy as sp

    from ....derivations.printing import tex

    return tex(entry(*(sp.Symbol(n) for n in names)))


def _label_smoothing():
    import sympy as sp

    alpha = sp.Symbol("alpha", positive=True)
    z, yhat = _softmax3()
    onehot = (1, 0, 0)  # class 0, without loss of generality
    target = [(1 - alpha) * t + alpha / 3 for t in onehot]
    ce = -sum(t * sp.log(p) for t, p in zip(target, yhat))
    grad = [sp.diff(ce, u) for u in z]
    proved = all(sp.simplify(g - _smooth_entry(yhat[k], onehot[k], alpha, 3)) == 0 for k, g in enumerate(grad))
    f = sp.lambdify([z, alpha], sp.Matrix(grad), "numpy")
    shown = _shown(_smooth_entry, r"\hat{y}_k", "y_k", r"\alpha", "C")
    text = (
        r"\(y^{\alpha}\) still sums to one: \((1 - \alpha) \cdot 1 + C \cdot \alpha / C = 1\). That is D2's "
        r"precondition, so D2 holds unchanged, \(\partial \mathrm{CE}(y^{\alpha}, \hat{y}) / \partial z = \hat{y} - "
        rf"y^{{\alpha}}\), entry \(k\): \({shown}\) (SymPy, differentiating for \(C = 3\), agrees). In fcnet's "
        r"batch form the only change is `dz = (probs - Y_smooth) / N`; PyTorch's "
        r"`F.cross_entropy(logits, y, label_smoothing=alpha)` computes the same."
    )
    return Answer((proved, lambda zs, a: np.asarray(f(zs, a), dtype=float).ravel()), text)


def _mse():
    import sympy as sp

    z, yhat = _softmax3()
    y = sp.symbols("y0:3")
    loss = sum((p - t) ** 2 for p, t in zip(yhat, y)) / 2
    grad = [sp.diff(loss, u) for u in z]
    s = sum(p * (p - t) for p, t in zip(yhat, y))
    proved = all(sp.simplify(g - _mse_entry(yhat[k], y[k], s)) == 0 for k, g in enumerate(grad))
    f = sp.lambdify([z, y], sp.Matrix(grad), "numpy")
    wrong, onehot = np.array([0.0, 10.0, 0.0]), np.array([1.0, 0.0, 0.0])  # confidently class 1; the label is 0
    g_mse = np.asarray(f(wrong, onehot), dtype=float).ravel()
    g_ce = np.exp(log_softmax(wrong[:, None])).ravel() - onehot
    shown = _shown(_mse_entry, r"\hat{y}_k", "y_k", r"\textstyle\sum_i \hat{y}_i (\hat{y}_i - y_i)")
    text = (
        r"The chain rule through D1's Jacobian \(\operatorname{diag}(\hat{y}) - \hat{y} \hat{y}^{\top}\) "
        rf"(symmetric) gives \(\partial \mathrm{{SE}} / \partial z_k = {shown}\) (SymPy agrees for \(C = 3\)). "
        r"Every entry "
        r"carries a factor \(\hat{y}_k\), and the bracket is small when \(\hat{y}\) is near a corner, so a "
        r"confidently wrong net hardly learns: for \(z = (0, 10, 0)\) and label 0, "
        rf"\(\lVert \partial \mathrm{{SE}} / \partial z \rVert_F = {num(np.linalg.norm(g_mse))}\) against "
        r"cross-entropy's "
        rf"\({num(np.linalg.norm(g_ce))}\). The log of the cross-entropy undoes the softmax's exponential; the "
        "square does not."
    )
    return Answer((proved, lambda zs, ys: np.asarray(f(zs, ys), dtype=float).ravel()), text)
