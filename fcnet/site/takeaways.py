r"""Key takeaways: three to five lines that close each teaching page.

`TAKEAWAYS` maps a page (its path under ``docs/`` without the suffix) to its
lines, markdown with ``\( \)`` math in the one notation
(`fcnet.site.notation`; ``tests/test_takeaways.py`` checks every formula
against it).  `fcnet.site.blocks.takeaways_html` and
`fcnet.site.blocks.takeaways_markdown` render them as an admonition.  A derived
result is never typed here: it is rendered from its SymPy derivation (`_rhs`) or
said in words with a link to it (`_link`); ``tests/test_takeaways.py`` checks that too.

>>> sorted(len(lines) for lines in TAKEAWAYS.values())[0] >= 3
True
"""

from __future__ import annotations

from .derivation import link_markdown as _link
from .derivation import result_rhs as _rhs

__all__ = ["TAKEAWAYS"]

# fmt: off
TAKEAWAYS: dict[str, tuple[str, ...]] = {
    "notation": (
        r"One example is a column: lower case for one example (\(x\), \(z^{(1)}\), \(\delta^{(1)}\)), capitals for "
        r"the batch of them (\(X\), \(Z^{(1)}\), \(\Delta^{(1)}\)).",
        r"Indices start at 0 in the math as in the code: \(W^{(1)}_{hd}\) is `W1[h, d]`.",
        "A gradient has its parameter's key and shape: "
        r'`grads["W1"]` is \(\partial J / \partial W^{(1)}\), '
        r"\(H \times D_{\mathrm{in}}\).",
        r"\(J\) is a batch mean plus \(\frac{\lambda}{2}\lVert W \rVert_F^2\): every data gradient carries "
        r"\(\frac{1}{N}\), the penalty adds \(\lambda W\), the biases are not penalised.",
        "The row layout of CS231n and PyTorch is the column layout transposed: inputs, weights and their gradients "
        "transpose, biases and the loss do not.",
    ),
    "forward": (
        r"A layer is an affine map and an element-wise function: \(z = W a + b\), then \(a = \sigma(z)\); "
        r"broadcasting adds \(b\) to every column (the \(b \mathbf{1}^{\top}\) of the formulas).",
        r"\(W^{(1)}\) is \(H \times D_{\mathrm{in}}\): row \(h\) holds the weights into hidden unit \(h\). The notes' "
        "net learns 41 numbers.",
        r"The softmax turns each column of logits into probabilities, and a constant added to every logit of a "
        "column changes nothing.",
        r"The notes' worked example is degenerate: equal rows of \(W^{(2)}\) give equal logits and a uniform "
        r"\(\hat{y}\) whatever the input. The second example is not.",
    ),
    "loss": (
        r"For a one-hot label the cross-entropy is \(-\log \hat{y}\) of the true class; \(J\) averages it over the "
        r"batch and adds \(\frac{\lambda}{2}(\lVert W^{(1)} \rVert_F^2 + \lVert W^{(2)} \rVert_F^2)\).",
        r"Never exponentiate raw logits: subtract each column's largest first (log-sum-exp), and take the log "
        "inside, `log_softmax`, never `np.log(softmax(z))`.",
        r"In float64 \(e^{z}\) overflows to `inf` once \(z > 709.78\); a confident net reaches such logits.",
        r"The \(\frac{1}{2}\) of the penalty is there so that its gradient is \(\lambda W\).",
    ),
    "backprop": (
        "Backprop is the chain rule taken one node at a time: each node multiplies the gradient arriving from "
        "above by its own local gradient and passes the product down.",
        "Add distributes the gradient, multiply swaps its inputs, max routes it to the winner; a value that feeds "
        "several nodes adds up their gradients.",
        r"Softmax with cross-entropy gives \(\delta^{(2)} = \hat{y} - y\), and the batch mean divides by \(N\).",
        r"A linear layer sends \(" + _rhs("linear-grad", 0) + r"\) to its weights, \(" + _rhs("linear-grad", 1)
        + r"\) to its bias and \(" + _rhs("linear-grad", 2) + r"\) down ("
        + _link("linear-grad", "backprop/") + "); the "
        r"sigmoid multiplies by \(" + _rhs("sigmoid-grad") + r"\), at most \(\frac{1}{4}\) ("
        + _link("sigmoid-grad", "backprop/") + ").",
        "Each formula is derived and proved by SymPy, and is the comment above the NumPy line that computes it.",
    ),
    "pytorch": (
        "`nn.Linear` stores its weight as (out, in), the notes' layout; only the batch goes in transposed, `X.T`.",
        "`F.cross_entropy` is `log_softmax` followed by `nll_loss`, averaged over the batch: give it logits, not "
        "probabilities.",
        "Autograd, fcnet's backprop and SymPy's exact arithmetic agree to round-off on both worked examples in "
        "float64.",
        "Today's API: plain tensors (no `Variable`), `reduction=\"mean\"` (no `size_average`), `torch.sigmoid`, "
        "and weights copied in under `torch.no_grad()`.",
    ),
    "numerical-gradient": (
        r"A centred difference costs two evaluations per parameter and errs by \(h^2 f''' / 6\): right for checking "
        "backprop on a small net, hopeless for training.",
        r"Too small a step loses to round-off, \(\varepsilon |f| / h\): the best \(h\) is near "
        r"\(\varepsilon^{1/3}\), about \(6 \times 10^{-6}\) in float64 and \(5 \times 10^{-3}\) in float32.",
        "Compare gradients by their norm-relative error; a gradient that is zero as a whole needs an absolute "
        "bound instead.",
        r"In float64 a correct gradient is off by \(10^{-11}\) to \(10^{-9}\), a real bug by \(10^{-1}\) or more.",
    ),
    "debugging": (
        "A gradient check says that a backward pass is wrong; a diagnosis says what, where, and which derivation "
        "to reread.",
        "A cause is named only if it explains the error on every probe net: N times too large on every batch size is "
        "a missing batch mean, and nothing else is.",
        r"Classic slips leave distinct traces: a missing \(\frac{1}{N}\), \(y - \hat{y}\) for \(\hat{y} - y\), "
        r"a transposed \(\partial J / \partial W^{(1)}\), \(2 \lambda W\) for \(\lambda W\), \(\sigma\) applied twice.",
        "Run it in your own tests: `assert fcnet.diagnose(loss_and_grads).passed` fails with the whole report.",
    ),
    "beyond/deeper-nets": (
        "An L-layer net repeats the two-layer net's two steps, and backprop walks them back once per layer: "
        r"\(\delta^{(l-1)} = (W^{(l)\top} \delta^{(l)}) \odot f'(z^{(l-1)})\).",
        "An activation is a forward/backward pair; adding one is a record in `ACTIVATIONS` and a derivation.",
        r"\(\sigma' \le \frac{1}{4}\), so a deep sigmoid net shrinks the backward signal layer after layer; at this "
        "initialisation tanh, ReLU and GELU keep it about level.",
        r"That shows why not the sigmoid, not why ReLU. ReLU's case: its slope is exactly 1 for any \(z > 0\), "
        r"where \(\sigma'\) and \(\tanh'\) saturate towards 0, and it costs a comparison, not an exponential.",
        "With one sigmoid hidden layer, the L-layer code returns the very floats of the two-layer code.",
    ),
    "beyond/gradient-checks": (
        r"The full check compares every entry (\(2P\) evaluations); a sparse one \(k\) entries, and misses a "
        r"one-entry bug with probability \(1 - k / P\); a directional one sees every entry in 2 evaluations "
        "per direction.",
        r"A transposed weight gradient can have the right shape (a square \(W\)): only the numbers catch it.",
        r"Gate on a threshold you can justify: \(10^{-6}\) in float64, \(10^{-3}\) in float32 with a larger step.",
        "Plant bugs to test the test: a check that never fails proves nothing.",
    ),
    "beyond/training": (
        r"Minibatch SGD with momentum is \(v \leftarrow \mu v + g\), then \(\theta \leftarrow \theta - \text{lr} \cdot "
        r"v\): the update of `torch.optim.SGD`.",
        "Standardise with the training set's mean and spread only, so nothing of the test set leaks into training.",
        "One seed draws the initial weights and orders the minibatches: the same seed gives bit-identical weights.",
        r"The penalty alone multiplies \(W\) by \(1 - \text{lr} \cdot \lambda\) per step: above "
        r"\(\text{lr} = 2 / \lambda\) it diverges, as the notes' 5.0 with \(\lambda = 0.5\) would.",
        "Load parameters without pickle, and check shapes and a checksum before using any of them.",
    ),
    "beyond/benchmarks": (
        "Time a step by its median over many, each side in its own process, taking turns: on 2 cores anything "
        "else running distorts the result.",
        "The matrix products set the pace, and timed alone they are a floor no NumPy step can beat; the rest is "
        "many passes over memory (the sigmoid, its derivative, the penalty, the checks), and on small batches the "
        "calls themselves.",
        r"Work in place on one \((H, N)\) buffer: every temporary is another pass over memory.",
        "Compare sides measured side by side, turn by turn: on a shared machine even their ratios move from run "
        "to run, and absolute times carry over to no other machine.",
    ),
    "changes": (
        "The notes' worked example cannot detect a wrong first-layer gradient: test backprop on a non-degenerate "
        "example too.",
        "The notes leave the first layer's gradients unfinished; " + _link("hidden-layer-grad", "changes/")
        + r" completes them: send \(\delta^{(2)}\) back through \(W^{(2)}\) and the sigmoid's slope, then take "
        "the outer product with the input.",
        "Each habit removed (`np.matlib`, SciPy for a norm, `pdb`, `Variable`, `size_average`, printing instead "
        "of checking) is guarded by a test that scans the source.",
        "The softmax and the sigmoid are computed without overflow, without a warning, and without losing a digit.",
    ),
}
# fmt: on
