"""The corrections of `fcnet.site.corrections`, each guarded: what the site said wrongly, what the notes get wrong.

The notes' own code runs here from ``tests/notes_code.py`` (a transcript, changed only to run under
Python 3).  A correction whose page still has to change (``pending``) is guarded by a test marked
``@PENDING`` (``xfail(strict=True)``): it fails until the page is fixed, and then the mark must go.
None is pending today.
"""

import ast
import re
import warnings

import notes_code
import numpy as np
import pytest

import fcnet
from fcnet.bench.race import CHECK_NET
from fcnet.core.activations import ACTIVATIONS
from fcnet.core.losses import l2_forward
from fcnet.gradcheck.planted import planted_problem
from fcnet.site import blocks
from fcnet.site.corrections import CORRECTIONS
from fcnet.site.snippets import ROOT
from fcnet.site.trace import net_trace

torch = pytest.importorskip("torch")

#: The mark for the guard of a correction whose page edit is still due (none today).
PENDING = pytest.mark.xfail(strict=True, reason="the page edit this correction names is still due")


# --- the registry ----------------------------------------------------------------------------------------------


def test_corrections_are_complete_and_unique():
    ids = [c.id for c in CORRECTIONS]
    assert len(ids) == len(set(ids)) and {c.kind for c in CORRECTIONS} == {"site", "notes"}
    for c in CORRECTIONS:
        assert c.claim and c.correction and c.tests and c.kind in ("site", "notes"), c.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c.id), c.id  # its anchor fix-<id> survives the print page
        assert (ROOT / "docs" / f"{c.where}.py").is_file() or (ROOT / "docs" / f"{c.where}.md").is_file(), c.where


def test_every_guarding_test_exists(collected_ids):
    nodeids = sorted({t for c in CORRECTIONS for t in c.tests})
    collected = collected_ids({n.split("::")[0] for n in nodeids})
    # a parametrised test may be named without its parameters: then some parametrisation must exist
    missing = [n for n in nodeids if n not in collected and not any(c.startswith(n + "[") for c in collected)]
    assert missing == [], sorted(collected)[:50]


def test_pending_corrections_are_exactly_the_xfail_strict_ones():
    tree = ast.parse((ROOT / "tests/test_corrections.py").read_text(encoding="utf-8"))
    marked = {
        f.name
        for f in tree.body
        if isinstance(f, ast.FunctionDef) and any(ast.unparse(d) == "PENDING" for d in f.decorator_list)
    }
    pending = {t.split("::")[1] for c in CORRECTIONS if c.pending for t in c.tests if t.startswith("tests/test_corr")}
    # a pending correction names at least one xfail test; every xfail test belongs to a pending correction
    assert marked <= pending and all(any(t.split("::")[1] in marked for t in c.tests) for c in CORRECTIONS if c.pending)


def test_corrections_render():
    html = blocks.corrections_html()
    assert html.count('class="fcnet-correction"') == len(CORRECTIONS)
    assert html.count('class="fcnet-test"') == sum(len(c.tests) for c in CORRECTIONS)
    assert blocks.corrections_html("notes").count("<blockquote>") == sum(c.kind == "notes" for c in CORRECTIONS)
    with pytest.raises(ValueError, match="kind is 'both'"):
        blocks.corrections_html("both")


# --- what the site said -----------------------------------------------------------------------------------------


def _prose(page: str) -> str:
    """A page's prose: a notebook's markdown comments, or a markdown page, joined into one line."""
    path = next(p for p in (ROOT / "docs" / f"{page}.py", ROOT / "docs" / f"{page}.md") if p.is_file())
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".py":
        lines = [line[2:] for line in lines if line.startswith("# ")]
    return " ".join(lines)


def _sentences(page: str) -> list[str]:
    return re.split(r"(?<=[.|])\s", _prose(page))


def test_the_gradient_checks_page_counts_41_parameters_for_the_notes():
    prose = _prose("beyond/gradient-checks")
    assert "notes' 35" not in prose and "perturbing every parameter in turn" not in prose


def test_no_page_calls_F_sigmoid_deprecated():
    stale = [s for page in ("pytorch", "changes") for s in _sentences(page) if "F.sigmoid" in s and "deprecated" in s]
    assert stale == []


def test_the_pytorch_page_gives_the_db1_round_off_as_1e_minus_24():
    assert "10^{-17}" not in _prose("pytorch")


def test_the_notes_net_has_41_parameters_and_the_planted_problem_35():
    _, _, cache = notes_code.notes_example()
    assert sum(cache[k].size for k in ("W1", "b1", "W2", "b2")) == 41
    assert sum(p.size for p in planted_problem()[0].values()) == 35


def test_checking_every_parameter_of_the_notes_net_takes_82_evaluations():
    params, X, y, reg = fcnet.seed_example()
    report = fcnet.full_check(
        lambda p: fcnet.loss_and_grads(p, X, y, reg)[0], params, fcnet.loss_and_grads(params, X, y, reg)[1]
    )
    assert report.n_evals == 82


def test_F_sigmoid_warns_nothing_in_this_torch():
    F = torch.nn.functional
    x = torch.linspace(-3, 3, 7, dtype=torch.float64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = F.sigmoid(x)
    assert caught == [] and torch.equal(out, torch.sigmoid(x))
    assert torch.__version__.startswith("2.13")  # the claim is about this version; re-check on an upgrade


def test_the_round_off_in_the_notes_db1_is_of_order_1e_minus_24():
    params, X, y, reg = fcnet.seed_example()
    t = net_trace(params, X, y, reg)
    ours, theirs = np.abs(t.grads["b1"]).max(), np.abs(fcnet.torch_loss_and_grads(params, X, y, reg)[1]["b1"]).max()
    sigma_prime = t.a1 * (1 - t.a1)
    assert 1e-25 < ours < 1e-23 and theirs < 1e-23  # not 1e-17
    assert 1e-17 < np.abs(t.da1).max() < 1e-16 and np.allclose(sigma_prime[0], [4.14e-8, 1.03e-10], rtol=0.01)


def _cs231n_loss(params_rows, X_rows, y, reg):
    """The CS231n tab's loss, from its own source section (tests/test_layouts.py:cs231n-rows)."""
    import test_layouts

    return test_layouts.cs231n_rows_loss_and_grads(params_rows, X_rows, y, reg)[0]


def test_the_cs231n_tab_takes_the_log_inside():
    import test_layouts

    params, X, y, reg = fcnet.random_example(N=3, D_in=2, H=3, C=3, seed=0)
    params["b2"][y[0]] -= 2000.0  # column 0's true class trails the others by about 2000 > 745
    with np.errstate(divide="ignore"):
        loss = _cs231n_loss(test_layouts.to_rows(params), X.T.copy(), y, reg)
    assert np.isfinite(loss) and loss == pytest.approx(fcnet.loss_and_grads(params, X, y, reg)[0], rel=1e-12)


def test_the_page_shows_one_step_time_and_the_profile_shares_of_it():
    from fcnet.bench import archive
    from fcnet.site.bench_page import profile_table

    prof = archive.load("profile")
    html = profile_table(prof)
    assert " ms" not in html  # no second step time beside the race's
    for row in prof["rows"]:
        phases = sum(row["phases_ms"].values())
        # the phases are timed one by one, so they need not add up to the step (the saved runs: 58% to 110% of
        # it); a phase that timed nothing, or the step ten times over, would fall outside these bounds
        assert all(ms > 0 for ms in row["phases_ms"].values())
        assert 0.4 * row["step_ms"] <= phases <= 1.5 * row["step_ms"], (row["shape"], row["dtype"])
        cells = [f"{100 * ms / row['step_ms']:.0f}%" for ms in row["phases_ms"].values()]
        assert all(c in html for c in cells)


def test_both_pages_cost_the_checks_on_one_batch_size():
    page = (ROOT / "docs/beyond/gradient-checks.py").read_text(encoding="utf-8")
    sizes = {int(n) for n in re.findall(r"random_example\(N=(\d+), D_in=64, H=32, C=10", page)}
    assert "CHECK_NET" in page or sizes == {CHECK_NET["N"]}, sizes


def _per_layer_factor(name, depth=10, width=64):
    params = fcnet.init_params([64] + [width] * (depth - 1) + [10], seed=0)
    X = np.random.default_rng(0).standard_normal((64, 128))
    y = np.random.default_rng(1).integers(0, 10, 128)
    _, grads = fcnet.mlp_loss_and_grads(params, X, y, 0.0, [name] * (depth - 1))
    norms = [np.linalg.norm(grads[f"W{l}"]) for l in range(1, depth + 1)]
    return (norms[0] / norms[-1]) ** (1 / (depth - 1))  # < 1: the signal shrinks towards the input


def test_through_depth_tanh_and_gelu_stay_as_level_as_relu_and_the_sigmoid_shrinks():
    factors = {name: _per_layer_factor(name) for name in ACTIVATIONS}
    assert factors["sigmoid"] < 0.5  # σ' ≤ 1/4 per layer
    for name in ("tanh", "relu", "gelu"):  # level within a factor 1.6 per layer, like ReLU
        assert 1 / 1.6 < factors[name] < 1.6, (name, factors)


def test_relu_does_not_saturate_where_tanh_and_the_sigmoid_do():
    z = np.array([[10.0, 30.0]])
    slope = {n: a.backward(np.ones_like(z), a.forward(z)[1]) for n, a in ACTIVATIONS.items()}
    assert (slope["relu"] == 1.0).all() and (slope["tanh"] < 1e-8).all() and (slope["sigmoid"] < 1e-4).all()


def test_the_depth_section_is_not_titled_why_relu():
    page = (ROOT / "docs/beyond/deeper-nets.py").read_text(encoding="utf-8")
    assert "Why ReLU: gradients through depth" not in page and "saturat" in page


# --- what the notes do ------------------------------------------------------------------------------------------


def test_the_notes_cache_logits_holds_probabilities():
    X, _, cache = notes_code.notes_example()
    notes_code.python_feedforward(X, cache)
    np.testing.assert_allclose(cache["logits"].sum(axis=0), 1.0, rtol=1e-15)  # every column: probabilities
    np.testing.assert_allclose(cache["logits"], fcnet.forward(*fcnet.seed_example()[:2]), rtol=1e-15)
    assert not np.allclose(cache["logits"], cache["z2"])  # the notes' "logits" are not z2


def test_the_notes_penalty_is_the_squared_frobenius_norm_of_the_weights_only():
    X, y, cache = notes_code.notes_example()
    notes_code.python_feedforward(X, cache)
    assert 0.5 * cache["reg"] * notes_code.norms(cache) == pytest.approx(
        l2_forward((cache["W1"], cache["W2"]), cache["reg"]), rel=1e-15
    )
    params, X, y, reg = fcnet.seed_example()
    assert notes_code.python_loss(cache, y) == pytest.approx(fcnet.loss_and_grads(params, X, y, reg)[0], rel=1e-14)
    moved = {**params, "b1": params["b1"] + 5.0, "b2": params["b2"] - 3.0}  # the biases do not enter the penalty
    penalty = lambda p: fcnet.loss_and_grads(p, X, y, reg)[0] - fcnet.loss_and_grads(p, X, y, 0.0)[0]  # noqa: E731
    assert penalty(moved) == pytest.approx(penalty(params), rel=1e-13)


def test_the_notes_variable_line_is_silent_and_only_volatile_true_warns():
    from torch.autograd import Variable

    scope = {"Variable": Variable, "torch": torch, "X": torch.from_numpy(np.arange(6.0).reshape(2, 3))}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(notes_code.NOTES_TORCH_INPUT, scope)  # the notes' own line
    assert caught == [] and type(scope["X"]) is torch.Tensor and scope["X"].dtype == torch.float32
    with pytest.warns(UserWarning, match="volatile was removed and now has no effect"):
        Variable(torch.zeros(1), volatile=True)


def test_the_notes_toy_needs_a_sigmoid_it_never_uses():
    w = np.array([1.0, 2.0])
    with pytest.raises(NameError, match="sigmoid_numpy"):
        notes_code.f_numpy(w)
    for sigmoid in (ACTIVATIONS["sigmoid"].forward, lambda v: (v * 0.0 + 123.0, None)):  # any σ at all
        notes_code.sigmoid_numpy = lambda v, s=sigmoid: s(np.asarray(v))[0]
        try:
            assert notes_code.f_numpy(w) == pytest.approx(np.log(3.0) + 2.0, rel=1e-15)  # f2: σ never used
        finally:
            del notes_code.sigmoid_numpy


def test_the_chain_rule_puts_the_transposed_jacobian_on_the_left():
    params, X, y, _ = fcnet.second_example()  # C = 5, H = 4: a transposed factor cannot hide
    W2, b2, a1 = params["W2"], params["b2"], net_trace(params, X, y, 0.0).a1[:, 0]
    z2 = lambda a: W2 @ a + b2  # noqa: E731
    jac = np.column_stack([(z2(a1 + 1e-6 * e) - z2(a1 - 1e-6 * e)) / 2e-6 for e in np.eye(a1.size)])
    np.testing.assert_allclose(jac, W2, rtol=1e-9)  # ∂z⁽²⁾/∂a⁽¹⁾ is W2, (C, H)
    delta2 = fcnet.forward(params, X)[:, 0] - np.eye(5)[y[0]]
    t = torch.tensor(a1, requires_grad=True)
    torch.nn.functional.cross_entropy(
        (torch.from_numpy(W2) @ t + torch.from_numpy(b2))[None], torch.tensor([y[0]])
    ).backward()
    np.testing.assert_allclose(W2.T @ delta2, t.grad.numpy(), rtol=1e-12)  # (∂z/∂a)ᵀ δ = W2ᵀ(ŷ − y)
    with pytest.raises(ValueError):
        delta2[:, None] @ W2.T  # the notes' order: (C×1)(H×C) is undefined


def test_the_notes_learning_rate_makes_their_example_diverge():
    X, y, cache = notes_code.notes_example()
    losses = []
    for _ in range(4):  # the notes' commented-out update, run
        notes_code.python_feedforward(X, cache)
        losses.append(notes_code.python_loss(cache, y))
        grads = {}
        notes_code.python_backprop(cache, grads, y)
        for k in ("W1", "b1", "W2", "b2"):
            cache[k] -= 5.0 * grads[f"d{k}"]
    assert all(b > 2 * a for a, b in zip(losses, losses[1:]))
    np.testing.assert_allclose(1 - 5.0 * cache["reg"], -1.5)


def test_the_first_layer_gradient_is_delta1_times_x_transposed():
    params, X, y, _ = fcnet.second_example()
    x, t = X[:, :1], net_trace(params, X[:, :1], y[:1], 0.0)  # one example, no penalty: the notes' CE
    delta1 = t.dz1[:, 0]  # N = 1, so ∂J/∂z⁽¹⁾ is δ⁽¹⁾ itself
    W1 = torch.tensor(params["W1"], requires_grad=True)
    z2 = torch.from_numpy(params["W2"]) @ torch.sigmoid(
        W1 @ torch.from_numpy(x) + torch.from_numpy(params["b1"])[:, None]
    )
    torch.nn.functional.cross_entropy(
        (z2 + torch.from_numpy(params["b2"])[:, None]).T, torch.from_numpy(y[:1])
    ).backward()
    np.testing.assert_allclose(np.outer(delta1, x[:, 0]), W1.grad.numpy(), rtol=1e-12)  # δ⁽¹⁾xᵀ, H × D_in
    assert W1.grad.shape == params["W1"].shape != x.T.shape  # xᵀ is 1 × D_in
    assert np.linalg.matrix_rank(W1.grad.numpy()) == 1
