"""The engine against the plain nets: the same formulas, the same floats.

`fcnet.core.net.net_steps` and `fcnet.core.mlp.mlp_steps` compose the blocks a student reads, a new array
for every result; `fcnet.loss_and_grads` and `fcnet.mlp_loss_and_grads` run the engine (`fcnet.engine`),
which writes the same operations into reused arrays.  Where the operations are the same the floats are the
same bit for bit; the one place they differ is W2ᵀ δ2, which the two-layer engine computes a block of hidden
rows at a time once the batch is large (`fcnet.engine.rows.block_rows`): the BLAS may sum the products of a
block in another order, so dW1 and db1 then agree to round-off.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fcnet
from fcnet import ACTIVATIONS, EXAMPLES, Workspace, loss_and_grads, mlp_loss_and_grads, random_example
from fcnet.core.layers import sigmoid_backward, sigmoid_forward
from fcnet.core.losses import log_softmax, softmax_ce_backward, softmax_ce_forward
from fcnet.core.mlp import mlp_steps
from fcnet.core.net import forward_steps, net_steps
from fcnet.engine import inplace
from fcnet.engine.rows import block_rows


def _problem(N, D_in, H, C, dtype, seed=0):
    params, X, y, reg = random_example(N, D_in, H, C, seed=seed)
    return {k: v.astype(dtype) for k, v in params.items()}, X.astype(dtype), y, reg


def _same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def _agree(engine, plain, H, N, dtype):
    """Loss and the output layer's gradients bit for bit; dW1, db1 bit for bit in one block, else to round-off."""
    loss, grads = engine
    assert loss == plain["loss"]
    for k in ("W2", "b2"):
        assert _same(grads[k], plain["grads"][k]), k
    for k in ("W1", "b1"):
        if block_rows(H, N) == H:
            assert _same(grads[k], plain["grads"][k]), k
        else:  # a few ulps of the largest entry: the block's products summed in another order
            tol = 50 * np.finfo(dtype).eps * max(1.0, float(np.abs(plain["grads"][k]).max()))
            np.testing.assert_allclose(grads[k], plain["grads"][k], rtol=0, atol=tol)


#: (N, D_in, H, C): one of each shape class, N = 1 and the blocked δ1 included
SHAPES = {
    "one-example": (1, 3, 4, 2),
    "one-hidden-unit": (6, 3, 1, 3),
    "one-input": (5, 1, 4, 3),
    "one-class": (4, 3, 5, 1),
    "wide-hidden": (3, 2, 40, 4),
    "several-blocks": (2**16 // 7 + 1, 3, 7, 4),  # 6 rows a block and a short last block
    "one-row-blocks": (70_000, 2, 3, 2),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_the_engine_and_the_plain_net_agree_on_every_shape_class(shape, dtype):
    N, D_in, H, C = shape
    params, X, y, reg = _problem(*shape, dtype)
    plain = net_steps(params, X, y, reg)
    _agree(loss_and_grads(params, X, y, reg), plain, H, N, dtype)
    _agree(loss_and_grads(params, X, y, reg, workspace=Workspace()), plain, H, N, dtype)
    assert _same(fcnet.forward(params, X), forward_steps(params, X)["probs"])


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_engine_and_the_plain_net_agree_on_the_examples(name):
    params, X, y, reg = EXAMPLES[name]()
    _agree(loss_and_grads(params, X, y, reg), net_steps(params, X, y, reg), params["W1"].shape[0], X.shape[1], X.dtype)


@given(
    N=st.integers(1, 12),
    D_in=st.integers(1, 8),
    H=st.integers(1, 10),
    C=st.integers(1, 6),
    dtype=st.sampled_from([np.float64, np.float32]),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_engine_and_the_plain_net_agree_on_drawn_nets(N, D_in, H, C, dtype, seed):
    params, X, y, reg = _problem(N, D_in, H, C, dtype, seed)
    _agree(loss_and_grads(params, X, y, reg), net_steps(params, X, y, reg), H, N, dtype)


@given(
    activations=st.lists(st.sampled_from(list(ACTIVATIONS)), min_size=1, max_size=3),
    N=st.integers(1, 8),
    width=st.integers(1, 6),
    dtype=st.sampled_from([np.float64, np.float32]),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_L_layer_engine_and_the_plain_composition_agree_bit_for_bit(activations, N, width, dtype, seed):
    rng = np.random.default_rng(seed)
    sizes = [3, *([width] * len(activations)), 4]
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.standard_normal((sizes[l], sizes[l - 1])).astype(dtype)
        params[f"b{l}"] = rng.standard_normal(sizes[l]).astype(dtype)
    X, y = rng.standard_normal((3, N)).astype(dtype), rng.integers(0, 4, N)
    plain = mlp_steps(params, X, y, 0.1, activations)
    loss, grads = mlp_loss_and_grads(params, X, y, 0.1, activations)
    assert loss == plain["loss"] and all(_same(grads[k], plain["grads"][k]) for k in params)
    assert _same(fcnet.mlp_forward(params, X, activations), mlp_steps(params, X, None, None, activations)["probs"])


def test_the_in_place_kernels_are_the_blocks_bit_for_bit(rng):
    z = np.concatenate([rng.standard_normal((3, 5)) * 20, [[-800.0, -709.0, -40.0, 0.0, 750.0]]])
    a, _ = sigmoid_forward(z)
    with np.errstate(over="ignore"):
        assert _same(inplace.sigmoid(z.copy(), out=np.empty_like(z)), a)
    dout = rng.standard_normal(z.shape)
    assert _same(inplace.sigmoid_backward(dout.copy(), a.copy(), out=None, scratch=None), sigmoid_backward(dout, a))
    logits, y = rng.standard_normal((4, 5)) * 5, np.array([0, 3, 1, 1, 2])
    assert _same(inplace.log_softmax(logits, out=None, scratch=None), log_softmax(logits))
    loss, cache = softmax_ce_forward(logits, y)
    loss_2, probs = inplace.softmax_ce(logits.copy(), y, out=None, scratch=None)
    assert loss == loss_2 and _same(probs, cache[0])
    assert _same(inplace.softmax_ce_backward(probs, y, out=probs), softmax_ce_backward(1.0, cache))


def test_the_comparison_can_fail():
    # a wrong engine (δ2 without the mean's 1/N) is caught by the same check
    params, X, y, reg = _problem(5, 3, 4, 3, np.float64)
    plain = net_steps(params, X, y, reg)
    loss, grads = loss_and_grads(params, X, y, reg)
    with pytest.raises(AssertionError):
        _agree((loss, {**grads, "b2": grads["b2"] * X.shape[1]}), plain, 4, 5, np.float64)


def test_the_blocks_a_net_composes_check_nothing_its_door_checked(monkeypatch):
    # the door (check_batch) checks params, X, y and λ once; the blocks' own argument checks run for a direct call
    import fcnet.core.guards as guards

    calls = []
    real = guards.real_array
    monkeypatch.setattr(guards, "real_array", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    params, X, y, reg = _problem(5, 3, 4, 3, np.float64)
    net_steps(params, X, y, reg)
    mlp_steps(params, X, y, reg, ["sigmoid"])
    assert calls == []
    fcnet.affine_forward(params["W1"], X, params["b1"])
    assert calls == ["W", "a", "b"]
