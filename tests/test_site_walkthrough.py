"""The walk-through on Backprop: each number it writes is the gradient autograd finds at that node."""

import numpy as np
import pytest

import fcnet
from fcnet.site.exercises.base import num
from fcnet.site.walkthrough import walkthrough, walkthrough_html

torch = pytest.importorskip("torch")


def _autograd(which):
    """∂J/∂Z⁽²⁾, ∂J/∂A⁽¹⁾, ∂J/∂Z⁽¹⁾ of a worked example by PyTorch autograd (float64), J as fcnet defines it."""
    params, X, y, reg = fcnet.EXAMPLES[which]()
    p = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    z1 = p["W1"] @ torch.from_numpy(X) + p["b1"][:, None]
    a1 = torch.sigmoid(z1)
    z2 = p["W2"] @ a1 + p["b2"][:, None]
    for t in (z1, a1, z2):
        t.retain_grad()
    J = torch.nn.functional.cross_entropy(z2.T, torch.from_numpy(y)) + 0.5 * reg * (
        p["W1"].square().sum() + p["W2"].square().sum()
    )
    J.backward()
    return X, y, z2.grad.numpy(), a1.grad.numpy(), z1.grad.numpy()


@pytest.mark.parametrize("which", ["second", "seed"])
@pytest.mark.parametrize("n, h", [(0, 0), (1, 2)])
def test_each_step_is_the_gradient_autograd_finds_there(which, n, h):
    X, y, dz2, da1, dz1 = _autograd(which)
    steps = {s.node: s for s in walkthrough(which, n=n, h=h)}
    N = X.shape[1]
    # the same float64 quantities by another order of operations: a few ulps apart; the notes' example
    # has round-off residues (∂J/∂a⁽¹⁾ ~ 1e-17) at the hidden unit, bounded absolutely instead
    assert steps["J"].value == pytest.approx(1 / N, rel=1e-15)
    assert steps["z2"].value == pytest.approx(dz2[y[n], n], rel=1e-12)
    assert steps["a1"].value == pytest.approx(da1[h, n], rel=1e-12, abs=1e-15)
    assert steps["z1"].value == pytest.approx(dz1[h, n], rel=1e-12, abs=1e-22)
    assert steps["b"].value == steps["z1"].value  # add distributes
    assert steps["W1"].value == pytest.approx(dz1[h, n] * X[0, n], rel=1e-12, abs=1e-22)  # multiply swaps


def test_the_text_writes_the_numbers_it_found():
    for step in walkthrough("second"):
        assert num(step.value) in step.text, step.node
    html = walkthrough_html("second")
    assert html.startswith('<ol class="fcnet-walkthrough"') and html.count("<li>") == 6


def test_the_shares_of_all_examples_and_the_penalty_are_fcnets_gradient():
    params, X, y, reg = fcnet.second_example()
    _, grads = fcnet.loss_and_grads(params, X, y, reg)
    for h in range(params["W1"].shape[0]):
        shares = [walkthrough("second", n=n, h=h)[-1].value for n in range(X.shape[1])]  # W1[h, 0] per example
        assert sum(shares) + reg * params["W1"][h, 0] == pytest.approx(grads["W1"][h, 0], rel=1e-13)


def test_the_seed_example_sends_nothing_to_the_first_layer():
    steps = {s.node: s for s in walkthrough("seed")}
    assert abs(steps["a1"].value) < 1e-15 and abs(steps["z1"].value) < 1e-22  # round-off, not a gradient
    assert np.isclose(steps["z2"].value, -0.4)  # (ŷ − 1)/N = (0.2 − 1)/2 for the true class
