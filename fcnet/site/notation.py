r"""One notation, defined once: every symbol, its LaTeX, its name in the code, its shape, its meaning.

`SYMBOLS` is the table the Notation page renders (`fcnet.site.blocks`) and
the registry `fcnet.site.latex_check` checks every derivation against.  Conventions, each stated once:

* **Indices start at 0, in the math as in the code** (`INDEX_BASE`), so \(W^{(1)}_{hd}\) is
  ``W1[h, d]``; layers are *numbered* from 1 (``W1`` is the first layer's weight).
* **Examples are columns**: lower case for one example (x, z⁽¹⁾, δ⁽¹⁾), capitals for the
  batch whose columns they are (X, Z⁽¹⁾, Δ⁽¹⁾).  δ and Δ carry no 1/N; the code's ``dz2``
  is ∂J/∂Z⁽²⁾ = (1/N)Δ⁽²⁾.
* ᵀ (``^{\top}``) transposes, ⊙ (``\odot``) multiplies entry by entry, ‖·‖_F is the Frobenius norm.

>>> len(SYMBOLS) > 40 and len(table_tokens()) > len(SYMBOLS)
True
>>> [s.code for s in SYMBOLS if "\\Delta^{(2)}" in s.tokens]
['N * dz2']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Symbol", "SYMBOLS", "INDEX_BASE", "INDEX_CONVENTION", "table_tokens"]

#: Where every index starts, in the math and in the code.
INDEX_BASE = 0

INDEX_CONVENTION = (
    r"Indices start at 0 in the math, as in the code: \(n = 0, \dots, N - 1\) over examples, "
    r"\(d = 0, \dots, D_{\mathrm{in}} - 1\) over inputs, \(h = 0, \dots, H - 1\) over hidden units, "
    r"\(k = 0, \dots, C - 1\) over classes, so that \(W^{(1)}_{hd}\) is `W1[h, d]` and \(\hat{Y}_{kn}\) "
    r"is `probs[k, n]`. Layers are numbered from 1: \(W^{(1)}\) is `W1`, the first layer."
)


@dataclass(frozen=True)
class Symbol:
    """One row of the notation table.

    Attributes
    ----------
    latex : str
        How the symbol is written, e.g. ``"W^{(1)}"``.
    text : str
        The same in unicode, for prose and code comments (``"W⁽¹⁾"``).
    code : str
        Its name in fcnet's code.
    shape : str
        Its shape in the letters N, D_in, H, C (``"(H, D_in)"``), or ``"scalar"``.
    meaning : str
        One line; markdown with ``\\( \\)`` math.
    group : str
        The table's section.
    tokens : tuple of str
        What `fcnet.site.latex_check` reads as this symbol: by default ``(latex,)``; ``()`` for
        an operation, which `fcnet.site.latex_check` checks by its form instead.
    """

    latex: str
    text: str
    code: str
    shape: str
    meaning: str
    group: str
    tokens: tuple | None = None

    def __post_init__(self):
        if self.tokens is None:
            object.__setattr__(self, "tokens", (self.latex,))


def _rows(group: str, *rows) -> list[Symbol]:
    return [Symbol(*row[:5], group, *row[5:]) for row in rows]


# fmt: off
SYMBOLS: list[Symbol] = (
    _rows("Sizes and indices",
        ("N", "N", "N = X.shape[1]", "scalar", "examples in a batch"),
        (r"D_{\mathrm{in}}", "D_in", "D_in", "scalar", "inputs per example"),
        ("H", "H", "H", "scalar", r"hidden units; \(H_l\) is the width of layer \(l\) of a deeper net"),
        ("C", "C", "C", "scalar", "classes"),
        ("L", "L", "L = len(activations) + 1", "scalar", "layers with weights (the notes' net has \\(L = 2\\))"),
        ("P", "P", "sum(p.size for p in params.values())", "scalar", "parameters (41 in the notes' net)"),
        ("n", "n", "n", "index", r"an example, \(0 \le n < N\)"),
        ("d", "d", "d", "index", r"an input, \(0 \le d < D_{\mathrm{in}}\) (and the \(d\) of \(\frac{d}{dz}\))"),
        ("h", "h", "h", "index", r"a hidden unit, \(0 \le h < H\); also the step of a finite difference"),
        ("i, j, k, c", "i, j, k, c", "i, j, k, c", "index", r"classes, \(0 \le k < C\); on Gradient checks, \(k\) is "
         r"also how many entries a sparse check draws (its argument `k`)", ("i", "j", "k", "c")),
        ("p, q", "p, q", "p, q", "index", "the row and the column of an entry of any matrix", ("p", "q")),
        ("l", "l", "l", "index", r"a layer, \(1 \le l \le L\)"),
    )
    + _rows("One example: column n of the batch",
        ("x", "x", "X[:, n]", "(D_in,)", "the input"),
        ("y", "y", "Y[:, n]", "(C,)", r"its one-hot label, \(y_k = [k = \text{its class}]\); the code keeps the "
         r"class itself, `y[n]`"),
        ("z^{(1)}", "z⁽¹⁾", "z1[:, n]", "(H,)", r"layer 1's pre-activation, \(W^{(1)} x + b^{(1)}\)"),
        ("a^{(1)}", "a⁽¹⁾", "a1[:, n]", "(H,)", r"the hidden activations, \(\sigma(z^{(1)})\)"),
        ("z^{(2)}", "z⁽²⁾", "z2[:, n]", "(C,)", r"the logits, \(W^{(2)} a^{(1)} + b^{(2)}\)"),
        (r"\hat{y}", "ŷ", "probs[:, n]", "(C,)", r"the class probabilities, \(\operatorname{softmax}(z^{(2)})\)"),
        (r"\mathrm{CE}", "CE", "-log_softmax(z2)[y[n], n]", "scalar",
         r"its cross-entropy \(-\sum_k y_k \log \hat{y}_k\); \(\mathrm{CE}^{(n)}\) is example \(n\)'s"),
        (r"\delta^{(2)}", "δ⁽²⁾", "N * dz2[:, n]", "(C,)", r"\(\partial \mathrm{CE} / \partial z^{(2)}\)"
         r" \(= \hat{y} - y\)"),
        (r"\delta^{(1)}", "δ⁽¹⁾", "N * dz1[:, n]", "(H,)", r"\(\partial \mathrm{CE} / \partial z^{(1)}\)"),
    )
    + _rows("A batch: the examples as columns",
        ("X", "X", "X", "(D_in, N)", "the inputs, one example per column"),
        ("Y", "Y", "np.eye(C)[:, y]", "(C, N)", "the one-hot labels: column n has its 1 in row `y[n]`"),
        ("Z^{(1)}", "Z⁽¹⁾", "z1", "(H, N)", r"\(W^{(1)} X + b^{(1)} \mathbf{1}^{\top}\)"),
        ("A^{(1)}", "A⁽¹⁾", "a1", "(H, N)", r"\(\sigma(Z^{(1)})\)"),
        ("Z^{(2)}", "Z⁽²⁾", "z2", "(C, N)", r"\(W^{(2)} A^{(1)} + b^{(2)} \mathbf{1}^{\top}\)"),
        (r"\hat{Y}", "Ŷ", "probs", "(C, N)", "the softmax of each column of Z⁽²⁾"),
        (r"\Delta^{(2)}", "Δ⁽²⁾", "N * dz2", "(C, N)", r"the \(\delta^{(2)}\) as columns, \(\hat{Y} - Y\); "
         r"`dz2` is \(\partial J / \partial Z^{(2)} = \frac{1}{N} \Delta^{(2)}\)"),
        (r"\Delta^{(1)}", "Δ⁽¹⁾", "N * dz1", "(H, N)", r"the \(\delta^{(1)}\) as columns"),
    )
    + _rows("Parameters and the loss",
        ("W^{(1)}", "W⁽¹⁾", 'params["W1"]', "(H, D_in)", r"layer 1's weights; row \(h\) feeds hidden unit \(h\)"),
        ("b^{(1)}", "b⁽¹⁾", 'params["b1"]', "(H,)", "layer 1's bias"),
        ("W^{(2)}", "W⁽²⁾", 'params["W2"]', "(C, H)", "layer 2's weights"),
        ("b^{(2)}", "b⁽²⁾", 'params["b2"]', "(C,)", "layer 2's bias"),
        ("W^{(l)}, b^{(l)}", "W⁽ˡ⁾, b⁽ˡ⁾", 'params[f"W{l}"]', "(H_l, H_{l-1})",
         r"layer \(l\) of a deeper net, with \(z^{(l)}, a^{(l)} = f^{(l)}(z^{(l)}), \delta^{(l)}\) (batch: "
         r"\(Z^{(l)}, A^{(l)}, \Delta^{(l)}\)); \(a^{(0)} = x\), \(A^{(0)} = X\), \(H_0 = D_{\mathrm{in}}\)",
         ("W^{(l)}", "b^{(l)}", "z^{(l)}", "a^{(l)}", r"\delta^{(l)}", "Z^{(l)}", "A^{(l)}", r"\Delta^{(l)}",
          "f^{(l)}", "a^{(0)}", "A^{(0)}")),
        ("W, b, z, a, \\delta", "W, b, z, a, δ", "affine_forward(W, a, b)", "(out, in)",
         "any one layer, as in D4: z = W a + b, δ = ∂CE/∂z", ("W", "b", "z", "a", r"\delta")),
        ("J", "J", "loss", "scalar", r"the objective, \(\frac{1}{N} \sum_n \mathrm{CE}^{(n)} + \frac{\lambda}{2}"
         r"(\lVert W^{(1)} \rVert_F^2 + \lVert W^{(2)} \rVert_F^2)\)"),
        (r"\lambda", "λ", "reg", "scalar", "the L2 strength on the weights (biases are not penalised)"),
        (r"\frac{\partial J}{\partial W^{(1)}}", "∂J/∂W⁽¹⁾", 'grads["W1"]', "(H, D_in)",
         "a gradient has its parameter's key and shape (`dW1` in code comments)", ()),
    )
    + _rows("Functions",
        (r"\sigma", "σ", "sigmoid_forward", "elementwise", r"\(1/(1 + e^{-t})\); \(\sigma'\) its derivative"),
        (r"\operatorname{softmax}", "softmax", "softmax", "column-wise", r"\(e^{z_k} / \sum_j e^{z_j}\)"),
        (r"\log", "log", "np.log", "elementwise", "the natural logarithm"),
        ("e", "e", "np.exp", "scalar", r"Euler's number, \(e^{t} = \exp t\); \(e_i\) is the \(i\)-th unit vector",
         ("e", r"\exp")),
        (r"\tanh, \operatorname{ReLU}, \operatorname{GELU}, \operatorname{softplus}", "tanh, ReLU, GELU, softplus",
         "ACTIVATIONS", "elementwise", "the other activations of a deeper net",
         (r"\tanh", r"\operatorname{ReLU}", r"\operatorname{GELU}", r"\operatorname{softplus}")),
        (r"\Phi, \phi, \operatorname{erf}", "Φ, φ, erf", "gelu_forward", "elementwise",
         "the standard normal CDF, its density and erf", (r"\Phi", r"\phi", r"\operatorname{erf}")),
        ("f", "f", "f", "function", r"any function; \(f', f'', f^{(4)}\) its derivatives", ("f", "f^{(4)}", "f^{(5)}")),
        ("w, w_{1}, w_{2}, f_{1}, f_{2}", "w, w₁, w₂, f₁, f₂", "POINT, f1, f2", "scalar",
         r"the notes' toy problem: \(f_1, f_2\) of \(w = (w_1, w_2)\) (`fcnet.gradcheck.toy`)",
         ("w", "w_{1}", "w_{2}", "f_{1}", "f_{2}")),
        ("t", "t", "t", "scalar", r"a real number, the argument of a function of one variable: \(\sigma(t)\), "
         r"\(e^{t}\), \(f(x + tv)\)"),
        (r"\varepsilon", "ε", "np.finfo(dtype).eps", "scalar", "machine epsilon"),
        (r"\mathrm{SE}", "SE", "0.5 * ((probs - Y) ** 2).sum(axis=0)", "scalar",
         r"the squared error \(\frac{1}{2} \lVert \hat{y} - y \rVert_F^2\), an exercise's alternative to CE"),
        (r"\alpha", "α", "alpha", "scalar", "a constant an exercise introduces: label smoothing's weight, leaky "
         "ReLU's slope"),
        ("u", "u", "u", "scalar", r"a name for an inner expression in one step of a derivation (\(u = 1 + e^{z}\))"),
    )
    + _rows("Checking and training",
        ("x", "x", "x", "(P,)", r"in a finite difference, the point where \(f\) is differentiated (all the "
         r"parameters, flattened); \(x_i\) its entries, \(e_i\) the unit vectors", ()),
        ("v", "v", "v", "as x", r"a random unit direction of a directional check; in SGD, the velocity"),
        ("m", "m", "n_directions", "scalar", "the number of directions a directional check draws"),
        (r"\theta", "θ", "params[key]", "any", "a parameter of the net, as an optimiser sees it"),
        ("g", "g", "grads[key]", r"as \(\theta\)", r"its gradient \(\partial J / \partial \theta\) on a minibatch; "
         "in a gradient check, the gradient the code claims"),
        (r"\hat{g}", "ĝ", "numerical_gradient(f, x)", r"as \(x\)", r"the gradient a finite difference estimates, "
         r"which a check compares with \(g\) (not \(n\): that is an example)"),
        (r"\mu", "μ", "momentum", "scalar", "the momentum of SGD (0.9 on Training)"),
    )
    + _rows("Operations",
        (r"A^{\top}", "Aᵀ", "A.T", "", "the transpose", ()),
        (r"A \odot B", "A ⊙ B", "A * B", "", "the entry-by-entry (Hadamard) product", ()),
        (r"\lVert A \rVert_F", "‖A‖_F", "np.linalg.norm(A)", "scalar", r"\(\sqrt{\sum_{pq} A_{pq}^2}\)", ()),
        ("[i = k]", "[i = k]", "i == k", "0 or 1", "Iverson's bracket (Kronecker's delta)", ()),
        (r"\mathbf{1}", "1", "np.ones(N)", "(N,)", r"ones: \(b \mathbf{1}^{\top}\) copies b to each column"),
        (r"\operatorname{diag}", "diag", "np.diag", "", "the diagonal matrix of a vector"),
    )
)
# fmt: on


def table_tokens() -> dict[str, Symbol]:
    """Every token the table defines, mapped to its row."""
    return {t: s for s in SYMBOLS for t in s.tokens}
