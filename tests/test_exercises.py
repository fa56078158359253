"""Every exercise's answer, checked by an independent route: PyTorch autograd, finite differences,
exact arithmetic, or a count of what the code does.  An exercise without a check here fails.

Tolerances: float64 answers recomputed by a different code path agree to a few ulps (rtol 1e-12 or
tighter unless stated); answers that are round-off residues are bounded absolutely.
"""

import itertools
import math
import re
import xml.etree.ElementTree as ET
from fractions import Fraction

import numpy as np
import pytest
from notebooks import nav_files

import fcnet
import fcnet.site.trace
from fcnet.site.exercises import EXERCISES, LEVELS, PAGES, check, exercises, exercises_html
from fcnet.site.snippets import ROOT

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _torch_net(params):
    from fcnet.witnesses.torch_net import TwoLayerNet

    return TwoLayerNet.from_params(params)


def check_forward_z1(v):
    assert v == (float(np.dot([1, 2, 3], [1, -1, 2]) + 1), pytest.approx(1 / (1 + math.exp(-6)), rel=1e-15))
    with torch.no_grad():  # the notes' first layer on that input, by PyTorch: every hidden unit alike
        z1 = _torch_net(fcnet.seed_example()[0]).fc1(_t([[1.0, -1.0, 2.0]]))
    assert z1.tolist() == [[6.0] * 4]


def check_forward_uniform(v):
    dev, expected = v
    params = {**fcnet.seed_example()[0], "b2": np.arange(5.0)}
    x = torch.from_numpy(np.random.default_rng(1).normal(scale=10.0, size=(500, 3)))
    with torch.no_grad():
        probs = torch.softmax(_torch_net(params)(x), dim=1)
    softmax_b2 = [math.exp(k) / sum(math.exp(j) for j in range(5)) for k in range(5)]
    np.testing.assert_allclose(expected, softmax_b2, rtol=1e-15)
    assert dev <= 1e-15 and float((probs - _t(softmax_b2)).abs().max()) <= 1e-15  # the input changes nothing


def check_forward_predictions(v):
    params, X, y, _ = fcnet.second_example()
    with torch.no_grad():
        logits = _torch_net(params)(torch.from_numpy(X.T))
    # swapping rows 0 and 1 of W2 and b2 swaps those two logits: the unswapped net's argmax with 0 and 1 traded
    swapped = logits[:, [1, 0, *range(2, logits.shape[1])]]
    assert v == tuple(swapped.argmax(dim=1).tolist())
    assert v != tuple(logits.argmax(dim=1).tolist())  # the swap changes the answer the page prints


def _torch_count(*sizes):
    layers = torch.nn.Sequential(*(torch.nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])))
    return sum(p.numel() for p in layers.parameters())


def check_forward_count(v):
    assert v == (_torch_count(64, 128, 10), _torch_count(784, 128, 10)) == (9610, 101770)


def check_forward_shift(v):
    proved, diff = v
    params, X, _, _ = fcnet.second_example()
    x = torch.from_numpy(X.T)
    net, shifted = _torch_net(params), _torch_net({**params, "b2": params["b2"] + 7.0})
    with torch.no_grad():
        torch_diff = float((torch.softmax(net(x), 1) - torch.softmax(shifted(x), 1)).abs().max())
    assert proved is True and diff <= 1e-15 and torch_diff <= 1e-15  # shift-invariant up to round-off


def check_loss_seed(v):
    params, X, y, _ = fcnet.seed_example()
    X3, y3 = np.concatenate([X, [[-1.0], [0.5], [3.0]]], axis=1), np.append(y, 0)
    assert v == pytest.approx(math.log(5) + 0.5 * 0.1 * 136, rel=1e-15)
    assert v == pytest.approx(fcnet.torch_loss_and_grads(params, X3, y3, 0.1)[0], rel=1e-14)


def check_loss_log_softmax(v):
    np.testing.assert_allclose(v, torch.log_softmax(_t([-1000.0, -1001.0, -1003.0]), 0).numpy(), rtol=1e-15)
    assert -v[0] == pytest.approx(math.log(1 + math.exp(-1) + math.exp(-3)), rel=1e-15)


def check_loss_l2(v):
    params, X, y, reg = fcnet.second_example()
    num = fcnet.numerical_gradient(lambda w: 0.5 * reg * float(np.sum(w**2)), params["W2"].copy())
    assert v == 0.25 * 0.75 and num[0, 0] == pytest.approx(v, rel=1e-9)  # centred difference of a quadratic: exact


def check_loss_label_smoothing(v):
    proved, grad = v
    rng = np.random.default_rng(0)
    for alpha in (0.0, 0.1, 0.3):
        z = _t(rng.normal(size=3), grad=True)
        F.cross_entropy(z[None, :], torch.tensor([0]), label_smoothing=alpha).backward()
        np.testing.assert_allclose(grad(z.detach().numpy(), alpha), z.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert proved is True


def check_loss_mse(v):
    proved, grad = v
    rng = np.random.default_rng(1)
    for _ in range(3):
        z, y = _t(rng.normal(size=3) * 3, grad=True), np.eye(3)[rng.integers(3)]
        (0.5 * ((torch.softmax(z, 0) - _t(y)) ** 2).sum()).backward()
        np.testing.assert_allclose(grad(z.detach().numpy(), y), z.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert proved is True


def _torch_batch(params, X, y, reg):
    """z1, a1, z2 retained, J, and the gradients, by autograd."""
    t = {k: _t(v, grad=True) for k, v in params.items()}
    z1 = t["W1"] @ _t(X) + t["b1"][:, None]
    a1 = torch.sigmoid(z1)
    z2 = t["W2"] @ a1 + t["b2"][:, None]
    for u in (z1, a1, z2):
        u.retain_grad()
    ce = F.cross_entropy(z2.T, torch.from_numpy(y), reduction="none")
    J = ce.mean() + 0.5 * reg * (t["W1"].square().sum() + t["W2"].square().sum())
    J.backward(retain_graph=True)
    out = {k: u.grad.numpy().copy() for k, u in (("dz1", z1), ("da1", a1), ("dz2", z2))}
    out.update({f"d{k}": p.grad.numpy().copy() for k, p in t.items()})
    return out | {"ce": ce, "params": t}


def check_backprop_delta2(v):
    column1, db2 = v
    r = _torch_batch(*fcnet.seed_example())
    np.testing.assert_allclose(column1, r["dz2"][:, 1], rtol=1e-15)
    np.testing.assert_allclose(column1, [0.1, 0.1, 0.1, 0.1, -0.4], rtol=1e-15)
    np.testing.assert_allclose(db2, r["db2"], rtol=1e-15)
    np.testing.assert_allclose(db2, [0.2, 0.2, 0.2, -0.3, -0.3], rtol=1e-15)


def check_backprop_local(v):
    params, X, y, reg = fcnet.second_example()
    r = _torch_batch(params, X, y, reg)
    (share,) = torch.autograd.grad(r["ce"][0] / X.shape[1], r["params"]["W1"])  # example 0's share of ∂J/∂W1
    up, dz, w11 = v  # hidden unit 1: the gradient arriving at a1[1, 0], at z1[1, 0], and the share of ∂J/∂W1[1, 1]
    assert up == pytest.approx(r["da1"][1, 0], rel=1e-13) and dz == pytest.approx(r["dz1"][1, 0], rel=1e-13)
    assert w11 == pytest.approx(float(share[1, 1]), rel=1e-13)


def check_backprop_softplus(v):
    proved, grads_of = v
    for params, X, y, reg in (fcnet.second_example(), fcnet.random_example(6, 3, 5, 4, seed=3)):
        loss, grads = grads_of(params, X, y, reg)
        loss_t, grads_t = fcnet.torch_mlp_loss_and_grads(params, X, y, reg, ["softplus"])
        assert loss == pytest.approx(loss_t, rel=1e-14) and proved is True
        for k in fcnet.KEYS:
            assert fcnet.norm_rel_error(grads[k], grads_t[k]) < 1e-13, k


def check_numgrad_cost(v):
    assert v == 2 * sum(p.numel() for p in _torch_net(fcnet.seed_example()[0]).parameters())


def check_numgrad_cube(v):
    exact = (Fraction(21, 10) ** 3 - Fraction(19, 10) ** 3) / Fraction(2, 10)
    assert exact == Fraction(1201, 100) and abs(v - float(exact)) < 1e-12  # round-off of 2.1³ − 1.9³ over 0.2


def check_numgrad_one_sided(v):
    h = 1e-3
    one, centred = v  # Taylor: h/2 + h²/6 + …, h²/6 + h⁴/120 + …
    assert one == pytest.approx(h / 2 + h**2 / 6, rel=1e-6) and centred == pytest.approx(h**2 / 6, rel=1e-5)


def _centred(f, w, h):
    # our own centred difference, not fcnet's
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(w.size)])


def check_numgrad_best_step(v):
    f2 = lambda w: np.log(w[0] + w[1]) + w[0] ** 2 * w[1] + 1e6  # noqa: E731
    exact = np.array([1 / 3 + 4, 1 / 3 + 1])
    ((h_star, err_star),) = v.values()
    hs = np.logspace(-12, -0.5, 47)
    errs = [float(np.linalg.norm(_centred(f2, np.array([1.0, 2.0]), h) - exact)) for h in hs]
    best = int(np.argmin(errs))
    # the measured optimum within a factor 30 of (ε|f|)^{1/3}, its error within a factor 100 of (ε|f|)^{2/3}
    assert h_star / 30 < hs[best] < h_star * 30 and err_star / 100 < errs[best] < err_star * 100
    assert hs[best] > 30 * np.finfo(float).eps ** (1 / 3)  # far above the best step of an f of order 1


def check_numgrad_zero(v):
    dW1_data, db1 = v  # what is left of ∂J/∂W1 after λW1, and ∂J/∂b1: round-off
    params, X, y, reg = fcnet.seed_example()
    r = _torch_batch(params, X, y, reg)
    assert dW1_data <= 1e-15 and db1 <= 1e-15 and np.abs(r["da1"]).max() <= 1e-15  # W2ᵀδ2 = 0: round-off only
    np.testing.assert_allclose(r["dW1"], reg * params["W1"], rtol=1e-15)
    assert np.abs(r["db1"]).max() <= 1e-15


def check_deeper_count(v):
    sizes = [6, 8, 8, 5, 4]
    assert v == sum(torch.nn.Linear(a, b).weight.numel() + b for a, b in zip(sizes, sizes[1:]))


def check_deeper_sigmoid(v):
    peak, measured, bound9 = v
    z = torch.linspace(-8, 8, 16001, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).sum().backward()
    assert peak == Fraction(1, 4) and float(z.grad.max()) == pytest.approx(0.25, abs=1e-12) and measured == 0.25
    assert bound9 == 0.25**9


def check_deeper_tanh(v):
    identity, matches, derivative = v
    z = torch.linspace(-5, 5, 101, dtype=torch.float64, requires_grad=True)
    torch.tanh(z).sum().backward()
    assert identity and matches
    np.testing.assert_allclose(derivative(z.detach().numpy()), z.grad.numpy(), rtol=1e-12, atol=1e-15)


def check_deeper_leaky(v):
    (slope_pos, slope_neg), backward = v
    z = _t([-2.0, -0.5, 0.3, 4.0], grad=True)
    F.leaky_relu(z, negative_slope=0.1).sum().backward()
    assert str(slope_pos) == "1" and str(slope_neg) == "alpha"
    np.testing.assert_array_equal(backward(np.ones(4), z.detach().numpy(), 0.1), z.grad.numpy())


def check_deeper_gelu(v):
    (at0, plus, minus), ours = v
    z = _t([0.0, 10.0, -10.0], grad=True)
    F.gelu(z, approximate="none").sum().backward()
    assert (float(at0), float(plus), float(minus)) == (0.5, 1.0, 0.0)
    np.testing.assert_allclose(ours, z.grad.numpy(), rtol=1e-15, atol=1e-20)


def check_gradchecks_chance(v):
    from fcnet.gradcheck.planted import planted_problem

    P, chance, k90 = v
    assert P == sum(p.size for p in planted_problem()[0].values()) == 35
    caught = lambda k, wrong: 1 - math.comb(P - wrong, k) / math.comb(P, k)  # noqa: E731  (hypergeometric)
    assert chance == pytest.approx(caught(10, 2), rel=1e-15) and caught(k90, 1) >= 0.9 > caught(k90 - 1, 1)
    # and by counting: of the draws of 10 out of 35, those that hold entry 0 or entry 1
    draws = list(itertools.combinations(range(12), 4))  # the same law on a smaller urn, enumerated
    assert sum(0 in d or 1 in d for d in draws) / len(draws) == pytest.approx(1 - math.comb(10, 4) / math.comb(12, 4))


def check_gradchecks_costs(v):
    P = sum(p.numel() for p in _torch_net(fcnet.random_example(2, 64, 128, 10)[0]).parameters())
    assert v == (2 * P, 2 * 25, 2 * 3) == (19220, 50, 6)


def check_gradchecks_transpose(v):
    from fcnet.gradcheck.planted import planted_problem

    params, X, y, reg = planted_problem()
    g = fcnet.torch_loss_and_grads(params, X, y, reg)[1]["W1"]
    assert v == pytest.approx(fcnet.norm_rel_error(g.T, g), rel=1e-8) and v > 0.1  # numerical vs exact: ~1e-10


def check_gradchecks_half(v):
    from fcnet.gradcheck.planted import PLANTED_BUGS, planted_problem

    params, X, y, reg = planted_problem()
    _, grads = fcnet.torch_loss_and_grads(params, X, y, reg)
    report = fcnet.full_check(
        lambda p: fcnet.loss_and_grads(p, X, y, reg)[0],
        params,
        {k: g - 0.5 * reg * params[k] if k.startswith("W") else g for k, g in grads.items()},  # ½λW, not λW
    )
    assert v == pytest.approx(report.error, rel=1e-8)  # the check's own finite-difference error is ~1e-10
    doubled = fcnet.full_check(
        lambda p: fcnet.loss_and_grads(p, X, y, reg)[0],
        params,
        PLANTED_BUGS["missing ½ in the L2 gradient"](params, grads, reg),
    )
    assert abs(v - doubled.error) > 0.01  # not the number the page's table prints


def check_training_momentum(v):
    w = _t([1.0], grad=True)
    opt = torch.optim.SGD([w], lr=0.5, momentum=0.5)
    ws = []
    for _ in range(2):
        w.grad = _t([2.0])
        opt.step()
        ws.append(w.item())
    assert v == ((2.0, 3.0), tuple(ws)) == ((2.0, 3.0), (0.0, -1.5))


def check_training_steps(v):
    n_train, per_epoch, last, total = v
    from fcnet.training.data import load_digits_split

    assert load_digits_split().X_train.shape[1] == n_train
    import fcnet.training.loop as loop

    steps, sizes, real_step = [], [], loop.SGD.step
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(2, n_train)), rng.integers(0, 2, n_train)
    with pytest.MonkeyPatch.context() as mp:  # count the steps and the minibatches' sizes as the loop runs
        mp.setattr(loop.SGD, "step", lambda self, g: steps.append(1) or real_step(self, g))
        mp.setattr(
            loop,
            "loss_and_grads",
            lambda p, Xb, yb, r, **kw: sizes.append(Xb.shape[1]) or fcnet.loss_and_grads(p, Xb, yb, r, **kw),
        )
        fcnet.train(X, y, hidden=2, epochs=1, batch_size=32)
    assert len(steps) == per_epoch and sizes[per_epoch - 1] == last and total == per_epoch * 40


def check_training_lr(v):
    losses, norms = v
    params, X, y, reg = fcnet.seed_example()
    net = _torch_net(params)
    opt = torch.optim.SGD(net.parameters(), lr=5.0)
    x, t = torch.from_numpy(X.T), torch.from_numpy(y)
    for k in range(5):
        opt.zero_grad()
        loss = net.loss(x, t, reg)
        assert loss.item() == pytest.approx(losses[k], rel=1e-10)
        assert net.fc1.weight.detach().norm().item() == pytest.approx(norms[k], rel=1e-10)
        loss.backward()
        opt.step()
    assert all(b > a for a, b in zip(losses, losses[1:]))  # it diverges


def check_training_glorot(v):
    stds, measured = v
    for key, (fan_in, fan_out) in (("W1", (64, 128)), ("W2", (128, 10))):
        w = torch.empty(fan_out, fan_in, dtype=torch.float64)
        torch.nn.init.xavier_normal_(w, generator=torch.Generator().manual_seed(0))
        assert stds[key] == pytest.approx(math.sqrt(2 / (fan_in + fan_out)), rel=1e-15)
        # one draw of 8192 (1280) entries: the sample std is within ~3 (7) % of the true one at 3 sigma
        assert measured[key] == pytest.approx(stds[key], rel=0.1) and float(w.std()) == pytest.approx(
            stds[key], rel=0.1
        )


def check_bench_flops(v):
    # the five products of one step, as (rows, inner, columns) of the arrays fcnet multiplies
    N, D_in, H, C = 64, 784, 128, 10
    t = fcnet.site.trace.net_trace(*fcnet.random_example(N, D_in, H, C))
    W1, W2 = t.params["W1"], t.params["W2"]
    products = [(W1, t.X), (W2, t.a1), (t.dz2, t.a1.T), (W2.T, t.dz2), (t.dz1, t.X.T)]
    assert all(A.shape[1] == B.shape[0] for A, B in products)
    assert v == sum(2 * A.shape[0] * A.shape[1] * B.shape[1] for A, B in products)


def check_bench_gemm(v):
    from fcnet.bench import archive

    res = archive.load("bench")
    step = next(s for s in res["steps"] if s["N"] == 1024 and s["dtype"] == "float64")
    N, D_in, H, C = 1024, 784, 1024, 10
    flops = 2 * N * (2 * H * D_in + 3 * C * H)  # W1 X and δ1 Xᵀ; W2 a1, δ2 a1ᵀ and W2ᵀ δ2
    rate = flops / (step["sides"]["plain"]["ms"] * 1e-3) / (res["gemm"]["float64"]["gflops"] * 1e9)
    assert v == pytest.approx(rate, rel=1e-12) and 0 < v < 1
    # the table prints the workspace's fraction, not this one; in the race's own terms the plain step is slower
    assert v == pytest.approx(
        step["sides"]["workspace"]["gemm_fraction"] * step["sides"]["workspace"]["ms"] / step["sides"]["plain"]["ms"],
        rel=1e-12,
    )


def check_bench_amdahl(v):
    from fcnet.bench import archive

    prof = archive.load("profile")
    row = next(r for r in prof["rows"] if r["shape"][0] == 1024 and r["dtype"] == "float64")
    assert 1 < v and row["step_ms"] / (row["step_ms"] - row["phases_ms"]["a1 = σ(z1)"]) == v


def check_bench_memory(v):
    assert v == {"float64": 1024 * 1024 * 8, "float32": 1024 * 1024 * 4}


def _torch_hidden(params, X, y, reg):
    """The net by PyTorch autograd, its intermediates kept: Ŷ, a1, ∂J/∂z2, ∂J/∂z1 and ∂J/∂W1."""
    W1, b1, W2, b2 = (_t(params[k], grad=k == "W1") for k in ("W1", "b1", "W2", "b2"))
    z1 = W1 @ _t(X) + b1[:, None]
    z1.retain_grad()
    a1 = torch.sigmoid(z1)
    z2 = W2 @ a1 + b2[:, None]
    z2.retain_grad()
    loss = F.cross_entropy(z2.T, torch.from_numpy(y)) + 0.5 * reg * ((W1 * W1).sum() + (W2 * W2).sum())
    loss.backward()
    probs = torch.softmax(z2, dim=0)
    return [t.detach().numpy() for t in (probs, a1, z2.grad, z1.grad, W1.grad)]


def _code_problems():
    return [fcnet.random_example(N=N, D_in=3, H=5, C=4, seed=N) for N in (1, 2, 7)]


def check_backprop_write_delta2(v):
    for params, X, y, reg in _code_problems():
        probs, _, dz2, _, _ = _torch_hidden(params, X, y, reg)
        np.testing.assert_allclose(v(probs.copy(), y), dz2, rtol=1e-12, atol=1e-15)


def check_backprop_write_delta1(v):
    for params, X, y, reg in _code_problems():
        _, a1, dz2, dz1, _ = _torch_hidden(params, X, y, reg)
        np.testing.assert_allclose(v(params["W2"], dz2, a1), dz1, rtol=1e-12, atol=1e-15)


def check_backprop_write_dW1(v):
    for params, X, y, reg in _code_problems():
        _, _, _, dz1, dW1 = _torch_hidden(params, X, y, reg)
        np.testing.assert_allclose(v(dz1, X, params["W1"], reg), dW1, rtol=1e-12, atol=1e-15)


def check_gradchecks_write_centred(v):
    # f(x) = Σ x³ has gradient 3x² and third derivative 6: the centred difference's error is h² in every entry
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    h = 1e-4
    got = v(lambda p: float(np.sum(p**3)), x, h)
    assert np.array_equal(x, [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])  # x as it was
    # the O(h²) error itself, 1e-8, to within the roundoff ε|f|/h ≈ 2e-11 (a forward difference errs by ~1e-4)
    np.testing.assert_allclose(got - 3 * x**2, h**2, rtol=1e-2, atol=0)


CHECKS = {
    "forward-z1-by-hand": check_forward_z1,
    "forward-uniform-output": check_forward_uniform,
    "forward-second-predictions": check_forward_predictions,
    "forward-param-count": check_forward_count,
    "forward-bias-shift": check_forward_shift,
    "loss-seed-by-hand": check_loss_seed,
    "loss-log-softmax-by-hand": check_loss_log_softmax,
    "loss-l2-gradient": check_loss_l2,
    "backprop-delta2-by-hand": check_backprop_delta2,
    "backprop-local-times-upstream": check_backprop_local,
    "backprop-softplus-hidden": check_backprop_softplus,
    "backprop-label-smoothing": check_loss_label_smoothing,
    "backprop-mse": check_loss_mse,
    "backprop-write-delta2": check_backprop_write_delta2,
    "backprop-write-delta1": check_backprop_write_delta1,
    "backprop-write-dW1": check_backprop_write_dW1,
    "numerical-gradient-cost": check_numgrad_cost,
    "numerical-gradient-cube-by-hand": check_numgrad_cube,
    "numerical-gradient-one-sided": check_numgrad_one_sided,
    "numerical-gradient-best-step": check_numgrad_best_step,
    "numerical-gradient-zero-gradient": check_numgrad_zero,
    "deeper-param-count": check_deeper_count,
    "deeper-sigmoid-bound": check_deeper_sigmoid,
    "deeper-tanh-from-sigmoid": check_deeper_tanh,
    "deeper-leaky-relu": check_deeper_leaky,
    "deeper-gelu-limits": check_deeper_gelu,
    "gradient-checks-sparse-chance": check_gradchecks_chance,
    "gradient-checks-costs": check_gradchecks_costs,
    "gradient-checks-transpose": check_gradchecks_transpose,
    "gradient-checks-missing-half": check_gradchecks_half,
    "gradient-checks-write-centred": check_gradchecks_write_centred,
    "training-momentum-by-hand": check_training_momentum,
    "training-steps-per-epoch": check_training_steps,
    "training-notes-learning-rate": check_training_lr,
    "training-glorot": check_training_glorot,
    "benchmarks-flops": check_bench_flops,
    "benchmarks-gemm-fraction": check_bench_gemm,
    "benchmarks-amdahl": check_bench_amdahl,
    "benchmarks-memory": check_bench_memory,
}


def test_every_exercise_has_an_independent_check():
    assert sorted(CHECKS) == sorted(EXERCISES)


@pytest.mark.parametrize("ex_id", sorted(EXERCISES))
def test_answer(ex_id):
    CHECKS[ex_id](EXERCISES[ex_id].answer().value)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_has_three_to_five_exercises_from_recall_to_derivation(page):
    exs = exercises(page)
    asks = [ex for ex in exs if ex.level != "write code"]  # code exercises come on top, at most three
    assert 3 <= len(asks) <= 5 and len(exs) - len(asks) <= 3
    assert all(ex.id.startswith(page.split("/")[-1].split("-")[0]) for ex in exs)
    assert exs[0].level in ("by hand", "compute") and all(ex.level in LEVELS for ex in exs)


def test_code_exercises_on_backprop_and_gradient_checks():
    code = {ex.page: [] for ex in EXERCISES.values()}
    for ex in EXERCISES.values():
        if ex.level == "write code":
            code[ex.page].append(ex.id)
            assert f'check("{ex.id}", ' in ex.question and "```python" in ex.question
    assert len(code["backprop"]) >= 3 and len(code["beyond/gradient-checks"]) >= 1


#: (exercise, a wrong function, what the check must say is wrong)
WRONG_CODE = [
    ("backprop-write-delta2", lambda p, y: p - np.eye(p.shape[0])[:, y], "1/N is missing"),
    ("backprop-write-delta2", lambda p, y: (np.eye(p.shape[0])[:, y] - p) / p.shape[1], "the sign is wrong"),
    ("backprop-write-delta2", lambda p, y: (p - np.eye(p.shape[0])[:, y]).T / p.shape[1], "its transpose?"),
    ("backprop-write-delta2", lambda p, y: p.__isub__(np.eye(p.shape[0])[:, y]) / p.shape[1], "in place"),
    ("backprop-write-delta1", lambda W2, d, a: W2.T @ d, "σ'(z1) = a1 (1 − a1) is missing"),
    ("backprop-write-delta1", lambda W2, d, a: (W2.T @ d) * a, "not a1"),
    ("backprop-write-delta1", lambda W2, d, a: (W2 @ d.T).T * a * (1 - a), "raised"),
    ("backprop-write-dW1", lambda d, X, W1, reg: d @ X.T, "λW1 is missing"),
    ("backprop-write-dW1", lambda d, X, W1, reg: d @ X.T + 2 * reg * W1, "not 2λW1"),
    ("backprop-write-dW1", lambda d, X, W1, reg: d @ X.T / X.shape[1] + reg * W1, "do not divide by N again"),
    ("backprop-write-dW1", lambda d, X, W1, reg: X @ d.T + reg * W1.T, "its transpose?"),
    ("backprop-write-dW1", lambda d, X, W1, reg: d @ X.T + reg * W1 + 1e-6, "entry"),
]


def _forward_difference(f, x, h=1e-5):
    grad, fx = np.zeros(x.shape), f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad


def _not_restored(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        plus = f(x)
        x[i] -= 2 * h
        grad[i] = (plus - f(x)) / (2 * h)
    return grad


def _over_h(f, x, h=1e-5):
    return 2 * fcnet.numerical_gradient(f, x, h)


WRONG_CODE += [
    ("gradient-checks-write-centred", _forward_difference, "a forward difference"),
    ("gradient-checks-write-centred", _not_restored, "x is not as it was"),
    ("gradient-checks-write-centred", _over_h, "divided by h"),
]


@pytest.mark.parametrize(("ex_id", "fn", "says"), WRONG_CODE)
def test_a_code_check_says_what_is_wrong(ex_id, fn, says):
    verdict = check(ex_id, fn)
    assert not verdict.right and str(verdict).startswith("wrong: ") and says in verdict.why, verdict


@pytest.mark.parametrize("ex_id", [i for i, ex in EXERCISES.items() if ex.level == "write code"])
def test_a_code_check_says_right_on_fcnets_own_lines(ex_id):
    verdict = check(ex_id, EXERCISES[ex_id].answer().value)
    assert verdict.right and str(verdict).startswith("right: "), verdict


def test_exercise_count_by_kind():
    kinds = {level: sum(ex.level == level for ex in EXERCISES.values()) for level in LEVELS}
    assert kinds == {"by hand": 13, "compute": 8, "explain": 5, "derive": 9, "write code": 4}


def _reading_order() -> list[str]:
    """The pages of mkdocs.yml's nav, in reading order, as exercise page keys (``"beyond/deeper-nets"``)."""
    return [f.rsplit(".", 1)[0] for f in nav_files()]


@pytest.mark.parametrize("ex_id", sorted(EXERCISES))
def test_an_exercise_needs_no_derivation_that_comes_later(ex_id):
    # every derivation it builds on is derived on its page (above the exercises, which close a page) or before it
    from fcnet.derivations import get
    from fcnet.derivations.parts import page

    ex, order = EXERCISES[ex_id], _reading_order()
    for ident in ex.uses:
        assert order.index(page(ident).rstrip("/")) <= order.index(ex.page), (ex_id, ident, page(ident))
    # and it declares each derivation its question names: "D2", "(D3)"
    named = set(re.findall(r"\bD(\d+)\b", ex.question))
    assert named <= {get(ident).number[1:] for ident in ex.uses}, (ex_id, named, ex.uses)


def test_the_order_check_can_fail():
    # the Loss page comes before Backprop, which derives D2: an exercise of the Loss page may not build on it
    from fcnet.derivations.parts import page

    order = _reading_order()
    assert order.index("loss") < order.index(page("softmax-ce-grad").rstrip("/"))
    assert not any("softmax-ce-grad" in ex.uses or "softmax-jacobian" in ex.uses for ex in exercises("loss"))


def test_pages_exist_and_derivations_are_asked_for():
    assert all((ROOT / "docs" / f"{p}.py").is_file() for p in PAGES)
    assert sum(ex.level == "derive" for ex in EXERCISES.values()) >= 8


@pytest.mark.parametrize("page", PAGES)
def test_exercises_render_with_folded_answers(page):
    html = exercises_html(page)
    root = ET.fromstring(html)  # well-formed
    items = root.findall(".//li")
    assert len(items) == len(exercises(page)) and all(li.find("details/summary").text == "Answer" for li in items)
    assert all(li.find("details").get("class") == "success" for li in items)


def test_a_wrong_answer_fails_its_check():
    # the checks can fail: a planted wrong value for three kinds of answer
    with pytest.raises(AssertionError):
        check_loss_seed(35.6)
    with pytest.raises(AssertionError):
        check_loss_label_smoothing((True, lambda z, a: np.exp(z) / np.exp(z).sum() - np.eye(3)[0]))  # α ignored
    with pytest.raises(AssertionError):
        check_backprop_delta2((np.array([0.2, 0.2, 0.2, 0.2, -0.8]), np.array([0.2, 0.2, 0.2, -0.3, -0.3])))  # no 1/N
    with pytest.raises(AssertionError):
        check_backprop_delta2((np.array([0.1, 0.1, 0.1, -0.4, 0.1]), np.array([0.2, 0.2, 0.2, -0.3, -0.3])))  # column 0


@pytest.mark.parametrize("page", PAGES)
def test_exercises_render_without_answers(page):
    html = exercises_html(page, answers=False)
    root = ET.fromstring(html)
    assert len(root.findall(".//li")) == len(exercises(page)) and root.find(".//details") is None
    assert "Answer" not in html


def test_the_answer_free_pages_import_no_answer():
    import subprocess
    import sys

    code = (
        "import sys; from fcnet.site.exercises import PAGES, exercises_html\n"
        "for page in PAGES: exercises_html(page, answers=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('fcnet.site.exercises.answers')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_exercise_answers_need_no_heavy_import_until_asked():

    import subprocess
    import sys

    code = "import sys, fcnet.site.exercises; print(sorted(m for m in ('sympy', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
