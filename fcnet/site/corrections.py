r"""Corrections: what the site said wrongly, what the notes leave wrong or unexplained, and the test guarding each.

`CORRECTIONS` is data for the *What changed from the notes* page
(`fcnet.site.blocks.corrections_html`): each `Correction` quotes the claim,
gives the correction, and names the tests that guard it (their source is shown
beside it by `fcnet.site.test_html`).  ``pending`` says what a page must still
change; its guarding test is marked ``xfail(strict=True)`` until it does.  A derived result is
never typed here: it is said in words with a link to its derivation (`_link`), which
``tests/test_takeaways.py`` checks.

>>> sorted({c.kind for c in CORRECTIONS}), all(c.tests for c in CORRECTIONS)
(['notes', 'site'], True)
"""

from __future__ import annotations

from dataclasses import dataclass

from .derivation import link_markdown

__all__ = ["Correction", "CORRECTIONS"]


def _link(ident: str) -> str:
    # a derivation's number, linked from the page that shows the corrections, What changed
    return link_markdown(ident, "changes/")


@dataclass(frozen=True)
class Correction:
    """One correction: ``kind`` is ``"site"`` (a page said it) or ``"notes"`` (the notes do); ``where`` the page.

    ``title`` heads it on *What changed*, ``claim`` quotes what was said, ``correction`` says what is
    true, ``tests`` guard it (their source is shown beside it), ``pending`` names a page edit still due.
    """

    id: str
    kind: str
    where: str
    title: str
    claim: str
    correction: str
    tests: tuple
    pending: str = ""


# fmt: off
CORRECTIONS = [
    Correction(
        "gradient-checks-notes-parameters", "site", "beyond/gradient-checks",
        "Gradient checks: the notes' 35 numbers",
        "The notes check the backward pass by perturbing every parameter in turn … fine for the notes' 35 numbers.",
        "The notes apply finite differences only to their toy function of \\(w_1, w_2\\); their net's gradients are "
        "printed beside PyTorch's and compared by eye. Their net has 41 parameters (12 + 4 + 20 + 5); 35 is the "
        "planted problem's count on that page (16 + 4 + 12 + 3). fcnet does for the net what the notes did for the "
        "toy: every parameter, \\(2P = 82\\) evaluations.",
        ("tests/test_corrections.py::test_the_notes_net_has_41_parameters_and_the_planted_problem_35",
         "tests/test_corrections.py::test_checking_every_parameter_of_the_notes_net_takes_82_evaluations",
         "tests/test_corrections.py::test_the_gradient_checks_page_counts_41_parameters_for_the_notes"),
    ),
    Correction(
        "pytorch-f-sigmoid", "site", "pytorch",
        "In PyTorch: F.sigmoid is not deprecated",
        "`F.sigmoid` is deprecated; since the suite runs with warnings as errors, a deprecated call anywhere fails it.",
        "With torch 2.13, `F.sigmoid` raises no warning: it survives as an alias of `torch.sigmoid`, so warnings as "
        "errors would not catch it. fcnet calls `torch.sigmoid`, the function PyTorch documents, and a scan of the "
        "source, not a warning, keeps `F.sigmoid` out.",
        ("tests/test_corrections.py::test_F_sigmoid_warns_nothing_in_this_torch",
         "tests/test_corrections.py::test_no_page_calls_F_sigmoid_deprecated"),
    ),
    Correction(
        "pytorch-b1-roundoff", "site", "pytorch",
        "In PyTorch: the round-off in ∂J/∂b⁽¹⁾",
        "∂J/∂b⁽¹⁾ is exactly 0 (float64 leaves round-off of order 10⁻¹⁷ there).",
        "float64 leaves about \\(2.3 \\times 10^{-24}\\): the round-off of \\(W^{(2)\\top} \\delta^{(2)}\\) (about "
        "\\(6 \\times 10^{-17}\\)) times \\(\\sigma'(z^{(1)})\\), which is \\(4 \\times 10^{-8}\\) and "
        "\\(10^{-10}\\) for the saturated hidden units of the notes' example.",
        ("tests/test_corrections.py::test_the_round_off_in_the_notes_db1_is_of_order_1e_minus_24",
         "tests/test_corrections.py::test_the_pytorch_page_gives_the_db1_round_off_as_1e_minus_24"),
    ),
    Correction(
        "notation-cs231n-log", "site", "notation",
        "Notation: the CS231n tab took the log of a probability",
        "The CS231n tab computes `loss = -np.log(probs[np.arange(N), y]).mean() + …`.",
        "That is the pitfall *The loss* warns against: once the true class's logit trails by more than about 745, "
        "its probability rounds to 0 and the loss is `inf`. Take the log inside: `logp = shifted - "
        "np.log(np.exp(shifted).sum(axis=1, keepdims=True))`, `loss = -logp[np.arange(N), y].mean() + …`.",
        ("tests/test_corrections.py::test_the_cs231n_tab_takes_the_log_inside",),
    ),
    Correction(
        "benchmarks-step-time", "site", "beyond/benchmarks",
        "Benchmarks: two step times for one shape",
        "One step at (1024, 784, 1024, 10), float64: 75.3 ms in the benchmark table, 90.0 ms in the profile.",
        "Two runs of two harnesses, made at different times, on a shared machine, and not of the same step. On this "
        "machine two such runs differ by up to a third, so the page now shows one step time, the race's; the "
        "profile, which times the very step the race calls the workspace step, gives each phase's share of it.",
        ("tests/test_corrections.py::test_the_page_shows_one_step_time_and_the_profile_shares_of_it",),
    ),
    Correction(
        "gradient-check-batch", "site", "beyond/gradient-checks",
        "Gradient checks and Benchmarks: one batch size",
        "The cost of the three checks on the (64, 32, 10) net uses N = 8 on Gradient checks and N = 16 on "
        "Benchmarks.",
        "One net, one batch: both pages use `fcnet.bench.race.CHECK_NET`, N = 16.",
        ("tests/test_corrections.py::test_both_pages_cost_the_checks_on_one_batch_size",),
    ),
    Correction(
        "deeper-why-relu", "site", "beyond/deeper-nets",
        "Deeper nets: what the depth plot shows",
        "Why ReLU: gradients through depth (the plot shows tanh and GELU as level as ReLU).",
        "The experiment shows why not the sigmoid: \\(\\sigma' \\le \\frac{1}{4}\\) shrinks the backward signal "
        "layer after layer, while tanh, ReLU and GELU keep it about level. The case for ReLU is elsewhere: it does "
        "not saturate for \\(z > 0\\) (its slope is exactly 1 however large \\(z\\), where tanh' and "
        "\\(\\sigma'\\) vanish), and it costs a comparison where tanh, \\(\\sigma\\) and GELU cost an exponential "
        "or an erf.",
        ("tests/test_corrections.py::test_through_depth_tanh_and_gelu_stay_as_level_as_relu_and_the_sigmoid_shrinks",
         "tests/test_corrections.py::test_relu_does_not_saturate_where_tanh_and_the_sigmoid_do",
         "tests/test_corrections.py::test_the_depth_section_is_not_titled_why_relu"),
    ),
    Correction(
        "notes-cache-logits", "notes", "changes",
        "cache['logits'] holds probabilities",
        "`cache['logits'] = logits # also called cache.yc, a2`, with `logits = np.exp(z2) / … np.sum(np.exp(z2), "
        "axis=0) …`",
        "What the notes store as `logits` are the probabilities \\(\\hat{Y} = \\operatorname{softmax}(Z^{(2)})\\): "
        "every column sums to 1. The logits are `z2`. fcnet names them `probs` and `z2`.",
        ("tests/test_corrections.py::test_the_notes_cache_logits_holds_probabilities",),
    ),
    Correction(
        "notes-penalty-p", "notes", "changes",
        "The penalty's undefined p",
        "J(W,b;x,y) = (1/N) Σᵢ CE⁽ⁱ⁾(y, ŷ) + 0.5 λ ‖p‖²  (p is never defined)",
        "\\(p\\) stands for the weights: the notes' code (`norms`) adds \\(\\lVert W^{(1)} \\rVert_F^2 + \\lVert "
        "W^{(2)} \\rVert_F^2\\) and leaves the biases out, so \\(J = \\frac{1}{N} \\sum_n \\mathrm{CE}^{(n)} + "
        "\\frac{\\lambda}{2}(\\lVert W^{(1)} \\rVert_F^2 + \\lVert W^{(2)} \\rVert_F^2)\\).",
        ("tests/test_corrections.py::test_the_notes_penalty_is_the_squared_frobenius_norm_of_the_weights_only",),
    ),
    Correction(
        "notes-volatile", "notes", "changes",
        "volatile=False",
        "`X = Variable(X.type(torch.FloatTensor), volatile=False)`",
        "`Variable(x)` returns a plain tensor (Variable and Tensor merged in PyTorch 0.4). With torch 2.13, "
        "`volatile=False` passes silently; only `volatile=True` warns ('volatile was removed and now has no "
        "effect'). The line does nothing but cast to float32; fcnet passes float64 tensors and uses "
        "`torch.no_grad()` where it wants no graph.",
        ("tests/test_corrections.py::test_the_notes_variable_line_is_silent_and_only_volatile_true_warns",),
    ),
    Correction(
        "notes-sigmoid-numpy", "notes", "changes",
        "sigmoid_numpy is never defined",
        "`d = sigmoid_numpy(w2)` in `f_numpy` (never defined)",
        "It is the logistic sigmoid \\(\\sigma(w_2)\\). As written the toy raises `NameError`; with it defined, "
        "`f_numpy` computes \\(f_1 = \\cos w_1 \\cos w_2 + \\sigma(w_2)\\) and then returns \\(f_2\\), so "
        "\\(\\sigma\\) never reaches the gradient the notes compute. fcnet's Numerical gradient page checks both "
        "toys against their exact gradients (D7).",
        ("tests/test_corrections.py::test_the_notes_toy_needs_a_sigmoid_it_never_uses",),
    ),
    Correction(
        "notes-chain-rule-order", "notes", "changes",
        "The chain rule's factors in the wrong order",
        "∂CE/∂z⁽²⁾ = ŷ − y … ∂z⁽²⁾/∂a⁽¹⁾ = W⁽²⁾ᵀ; ∂CE/∂a⁽¹⁾ = ∂CE/∂z⁽²⁾ ∂z⁽²⁾/∂a⁽¹⁾ = W⁽²⁾ᵀ(ŷ − y)",
        "The Jacobian \\(\\partial z^{(2)} / \\partial a^{(1)}\\) is \\(W^{(2)}\\) (\\(C \\times H\\)), not its "
        "transpose. With gradients as columns the chain rule puts the transposed Jacobian on the left: "
        "\\(\\partial \\mathrm{CE} / \\partial a^{(1)} = (\\partial z^{(2)} / \\partial a^{(1)})^{\\top} \\, "
        "\\partial \\mathrm{CE} / \\partial z^{(2)}\\), the transposed weights times the output error, as "
        + _link("linear-grad") + " derives entry by entry. In the notes' order, \\((\\hat{y} - y) W^{(2)\\top}\\) is "
        "not even defined when \\(C \\ne H\\).",
        ("tests/test_corrections.py::test_the_chain_rule_puts_the_transposed_jacobian_on_the_left",),
    ),
    Correction(
        "notes-learning-rate", "notes", "changes",
        "learning_rate = 5.0 and the commented-out update",
        "`learning_rate = 5.0`, and the update commented out: `# cache['W1'] -= learning_rate * grads['dW1']` …",
        "The notes never take a step. Had they, with \\(\\lambda = 0.5\\) the penalty alone would multiply every "
        "weight by \\(1 - 5 \\cdot 0.5 = -1.5\\) per step, and \\(J\\) grows step after step; any rate above "
        "\\(2 / \\lambda = 4\\) diverges. fcnet trains with lr = 0.02 and momentum 0.9 (Training on digits).",
        ("tests/test_corrections.py::test_the_notes_learning_rate_makes_their_example_diverge",
         "tests/test_exercises.py::test_answer[training-notes-learning-rate]"),
    ),
    Correction(
        "notes-dw1-is-not-xt", "notes", "changes",
        "∂CE/∂W⁽¹⁾ is not xᵀ",
        "∂CE/∂W⁽¹⁾ = ∂CE/∂z⁽¹⁾ ∂z⁽¹⁾/∂W⁽¹⁾ = xᵀ",
        "Wrong as written, not only unfinished: \\(x^{\\top}\\) is \\(1 \\times D_{\\mathrm{in}}\\) and does not "
        "depend on the loss at all. The gradient is the outer product of the hidden layer's error "
        "\\(\\delta^{(1)}\\) with the input, \\(H \\times D_{\\mathrm{in}}\\) like \\(W^{(1)}\\), and the "
        "bias's gradient (their unfinished line) is that error itself: " + _link("hidden-layer-grad") + " derives "
        "both. For a batch, " + _link("batch-mean-l2") + " averages them over the examples and adds the penalty's "
        "gradient to the weights'.",
        ("tests/test_corrections.py::test_the_first_layer_gradient_is_delta1_times_x_transposed",
         "tests/test_net.py::test_numpy_matches_finite_differences_on_worked_examples"),
    ),
]
# fmt: on
