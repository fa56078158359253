"""fcnet.training.optim.SGD: the update formula, step for step against torch.optim.SGD."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcnet.training.optim import SGD

torch = pytest.importorskip("torch")


def _shapes():
    return {"W1": (4, 3), "b1": (4,), "W2": (5, 4), "b2": (5,)}


def _race(lr, momentum, seed, steps=8):
    """Run ours and torch.optim.SGD side by side; yield (ours, torch's, lr·|v|) after every step."""
    rng = np.random.default_rng(seed)
    ours = {k: rng.standard_normal(s) for k, s in _shapes().items()}
    theirs = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in ours.items()}
    opt = SGD(ours, lr=lr, momentum=momentum)
    topt = torch.optim.SGD(list(theirs.values()), lr=lr, momentum=momentum)
    for _ in range(steps):
        grads = {k: rng.standard_normal(s) for k, s in _shapes().items()}
        opt.step(grads)
        for k, p in theirs.items():
            p.grad = torch.from_numpy(grads[k].copy())
        topt.step()
        for k in ours:
            # the momentum buffers agree bit for bit: v ← μv + g rounds the same way in both
            buf = topt.state[theirs[k]]["momentum_buffer"] if momentum else theirs[k].grad
            np.testing.assert_array_equal(opt.velocity[k], buf.numpy())
        yield {k: (ours[k], theirs[k].detach().numpy(), lr * np.abs(opt.velocity[k])) for k in ours}


@settings(max_examples=20)  # each example runs torch; 20 cover every momentum and many lr
@given(k=st.integers(0, 12), momentum=st.sampled_from([0.0, 0.5, 0.9, 0.99]), seed=st.integers(0, 2**32 - 1))
def test_bitwise_equal_to_torch_when_lr_is_a_power_of_two(k, momentum, seed):
    """With lr = 2⁻ᵏ the product lr·v is exact, so p − lr·v is rounded once by NumPy as by torch's
    fused multiply-add: eight steps agree bit for bit."""
    for state in _race(2.0**-k, momentum, seed):
        for key, (ours, theirs, _) in state.items():
            np.testing.assert_array_equal(ours, theirs, err_msg=key)


@settings(max_examples=20)
@given(lr=st.floats(1e-4, 1.0), momentum=st.sampled_from([0.0, 0.5, 0.9, 0.99]), seed=st.integers(0, 2**32 - 1))
def test_matches_torch_within_rounding_for_any_lr(lr, momentum, seed):
    """torch computes p.add_(v, alpha=−lr) as one fused multiply-add (one rounding); NumPy's
    p −= lr·v rounds lr·v first.  Each step may so differ by u·lr|v| + 2u|p|, u = 2⁻⁵³, and the
    differences add up over steps (the gradients, hence v, are the same in both).  We allow the
    sum of 2u(lr|v| + |p|) over the steps, entry by entry: about 1e-15 for |p| ~ 1 and 8 steps;
    a wrong formula (μ on g, lr on the old v, ...) is off by O(lr·|g|), 10⁻⁴ or more."""
    u = 2.0**-53
    bound = None
    for state in _race(lr, momentum, seed):
        for key, (ours, theirs, lr_v) in state.items():
            step_bound = 2 * u * (lr_v + np.abs(theirs))
            bound = {} if bound is None else bound
            bound[key] = bound.get(key, 0.0) + step_bound
            assert np.all(np.abs(ours - theirs) <= bound[key]), key


def test_first_step_sets_velocity_to_the_gradient_and_copies_it():
    p = {"w": np.array([1.0, 2.0])}
    g = {"w": np.array([0.5, -1.0])}
    opt = SGD(p, lr=0.1, momentum=0.9)
    opt.step(g)
    np.testing.assert_array_equal(opt.velocity["w"], [0.5, -1.0])
    g["w"][:] = 0.0  # the buffer is a copy, not the caller's array
    np.testing.assert_array_equal(opt.velocity["w"], [0.5, -1.0])
    np.testing.assert_array_equal(p["w"], [0.95, 2.1])


def test_plain_sgd_when_momentum_is_zero():
    p = {"w": np.array([1.0])}
    opt = SGD(p, lr=0.25)
    for _ in range(3):
        opt.step({"w": np.array([4.0])})  # v = g every step, so w drops by lr·g = 1 each time
    np.testing.assert_array_equal(p["w"], [-2.0])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"lr": 0.0}, "lr is 0.0"),
        ({"lr": float("nan")}, "lr is nan"),
        ({"lr": 0.1, "momentum": 1.0}, r"momentum is 1.0; expected a number in \[0, 1\)"),
        ({"lr": 0.1, "momentum": -0.1}, "momentum is -0.1"),
    ],
)
def test_bad_hyperparameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SGD({"w": np.zeros(2)}, **kwargs)


def test_bad_params_and_grads():
    with pytest.raises(TypeError, match="params\\['w'\\] is list"):
        SGD({"w": [1.0]}, lr=0.1)
    opt = SGD({"w": np.zeros(2)}, lr=0.1)
    with pytest.raises(ValueError, match="grads has keys \\['v'\\]; expected the keys of params \\['w'\\]"):
        opt.step({"v": np.zeros(2)})
    with pytest.raises(ValueError, match=r"grads\['w'\] has shape \(3,\); expected \(2,\)"):
        opt.step({"w": np.zeros(3)})
