"""Exercises for The loss page: by hand, then two variants of the loss derived with SymPy."""

from __future__ import annotations

import numpy as np

from ....core.examples import second_example, seed_example
from ....core.losses import log_softmax
from ....core.net import loss_and_grads
from ..base import Answer, code_num, num, vec


def _seed_by_hand():
    loss, _ = loss_and_grads(*seed_example())
    text = (
        r"\(\hat{y}\) is uniform (Forward's exercises), so each example's cross-entropy is \(-\log(1/5) = \log 5\) "
        r"and so is their mean. \(\lVert W^{(1)} \rVert_F^2 = 4 (1 + 4 + 9) = 56\) and \(\lVert W^{(2)} \rVert_F^2 "
        r"= 20 \cdot 4 = 80\), so the penalty is \(\tfrac12 \cdot \tfrac12 \cdot 136 = 34\): "
        rf"\(J = \log 5 + 34 \approx {num(loss, 8)}\); fcnet gives `{code_num(loss)}`."
    )
    return Answer(loss, text)


def _log_softmax_by_hand():
    z = np.array([[1000.0], [10.0], [-5.0]])
    logp = log_softmax(z).ravel()
    text = (
        r"Subtract \(m = \max_j z_j = 1000\): \(z - m = (0, -990, -1005)\), and \(\log \sum_j e^{z_j - m} = "
        r"\log(1 + e^{-990} + e^{-1005})\), which is \(e^{-990}\) to first order: 0 in float64. So "
        rf"\(\log \hat{{y}} = {vec(logp, 6)}\), and the cross-entropy of class 1 is \({num(-logp[1], 6)}\). "
        r"Nothing overflows, and nothing is the log of a probability that rounded to 0."
    )
    return Answer(logp, text)


def _l2_gradient():
    params, X, y, reg = second_example()
    with_pen, without = loss_and_grads(params, X, y, reg)[1], loss_and_grads(params, X, y, 0.0)[1]
    share = float(with_pen["W2"][0, 0] - without["W2"][0, 0])
    text = (
        r"Only the square of \(W_{pq}\) itself depends on \(W_{pq}\): \(\partial(\tfrac12 \lambda \sum_{ij} "
        r"W_{ij}^2) / \partial W_{pq} = \tfrac12 \lambda \cdot 2 W_{pq} = \lambda W_{pq}\); the ½ is there to cancel "
        rf"the 2. In the second example \(\lambda W^{{(2)}}_{{00}} = 0.25 \cdot 0.75 = {num(share)}\): fcnet's "
        rf"\(\partial J / \partial W^{{(2)}}_{{00}}\) with and without the penalty differ by `{code_num(share)}`."
    )
    return Answer(share, text)


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
