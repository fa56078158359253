"""fcnet.Workspace: the step with reused arrays gives the plain call's floats, allocates nothing once warm,
and keeps its promises (returned arrays overwritten by the next call, re-planning on a new shape or dtype)."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fcnet
from fcnet import (
    Workspace,
    init_params,
    loss_and_grads,
    mlp_loss_and_grads,
    norm_rel_error,
    numerical_gradients,
    random_example,
    torch_loss_and_grads,
    torch_mlp_loss_and_grads,
)
from fcnet.core.activations import ACTIVATIONS
from fcnet.core.layers import sigmoid_backward, sigmoid_forward
from fcnet.core.net import forward_steps
from fcnet.engine import inplace
from fcnet.engine.rows import block_rows

KEYS = fcnet.KEYS


def _problem(N, D_in, H, C, dtype, seed=0):
    params, X, y, reg = random_example(N, D_in, H, C, seed=seed)
    return {k: v.astype(dtype) for k, v in params.items()}, X.astype(dtype), y, reg


def _same(a, b):
    """Bit for bit: the same lines on the same inputs give the same floats, whatever array holds them."""
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


@given(
    N=st.integers(1, 9),
    D_in=st.integers(1, 9),
    H=st.integers(1, 9),
    C=st.integers(2, 6),
    dtype=st.sampled_from([np.float64, np.float32]),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_workspace_step_gives_the_plain_calls_floats_bit_for_bit(N, D_in, H, C, dtype, seed):
    params, X, y, reg = _problem(N, D_in, H, C, dtype, seed)
    loss, plain = loss_and_grads(params, X, y, reg)
    ws = Workspace()
    for _ in range(2):  # the first call plans, the second reuses
        loss_ws, grads = loss_and_grads(params, X, y, reg, workspace=ws)
        assert loss_ws == loss and all(_same(grads[k], plain[k]) for k in KEYS)


@pytest.mark.parametrize("activations", [[name] for name in ACTIVATIONS] + [list(ACTIVATIONS)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_L_layer_net_with_a_workspace_gives_the_plain_floats(activations, dtype):
    sizes = [6, *range(5, 5 + len(activations)), 3]
    params = {k: v.astype(dtype) for k, v in init_params(sizes, seed=len(activations)).items()}
    X = np.random.default_rng(1).standard_normal((6, 7)).astype(dtype)
    y = np.arange(7) % 3
    loss, plain = mlp_loss_and_grads(params, X, y, 0.1, activations)
    ws = Workspace()
    for _ in range(2):
        loss_ws, grads = mlp_loss_and_grads(params, X, y, 0.1, activations, workspace=ws)
        assert loss_ws == loss and list(grads) == list(plain) and all(_same(grads[k], plain[k]) for k in plain)


def test_the_returned_gradients_are_the_workspaces_arrays_and_the_next_call_overwrites_them():
    params, X, y, reg = _problem(8, 5, 4, 3, np.float64)
    ws = Workspace()
    _, first = loss_and_grads(params, X, y, reg, workspace=ws)
    kept = {k: v.copy() for k, v in first.items()}
    _, second = loss_and_grads(params, -X, y, reg, workspace=ws)
    assert all(second[k] is first[k] for k in KEYS)  # the same arrays ...
    assert not np.array_equal(first["W1"], kept["W1"])  # ... overwritten by the second call
    np.testing.assert_array_equal(second["W1"], loss_and_grads(params, -X, y, reg)[1]["W1"])
    # a plain call returns arrays of its own: two calls share nothing
    _, p1 = loss_and_grads(params, X, y, reg)
    _, p2 = loss_and_grads(params, X, y, reg)
    assert not any(np.shares_memory(p1[k], p2[k]) for k in KEYS)
    assert not any(np.shares_memory(p1[k], p1[j]) for k in KEYS for j in KEYS if j != k)


def test_a_new_shape_or_dtype_re_plans_and_a_smaller_batch_reuses():
    ws = Workspace()
    for N, dtype, allocates in [
        (8, np.float64, True),  # the first call plans
        (8, np.float64, False),  # the same request: nothing new
        (16, np.float64, True),  # a larger batch: the block of temporaries grows
        (5, np.float64, False),  # a smaller one: the front of what is there
        (16, np.float32, True),  # another dtype: everything anew
        (7, np.float32, False),
    ]:
        params, X, y, reg = _problem(N, 5, 4, 3, dtype, seed=N)
        before = ws.allocations
        loss, grads = loss_and_grads(params, X, y, reg, workspace=ws)
        assert (ws.allocations > before) == allocates, (N, dtype)
        plain_loss, plain = loss_and_grads(params, X, y, reg)
        assert loss == plain_loss and all(_same(grads[k], plain[k]) for k in KEYS), (N, dtype)
    # another H: the returned arrays change shape, so they are made anew
    params, X, y, reg = _problem(7, 5, 6, 3, np.float32)
    before = ws.allocations
    assert loss_and_grads(params, X, y, reg, workspace=ws)[1]["W1"].shape == (6, 5) and ws.allocations > before


def test_agreement_with_autograd_and_finite_differences_holds_through_a_shared_workspace():
    ws = Workspace()
    for seed, (N, D_in, H, C) in enumerate([(6, 4, 5, 3), (3, 7, 2, 4), (6, 4, 5, 3)]):
        params, X, y, reg = random_example(N, D_in, H, C, seed=seed)
        loss, grads = loss_and_grads(params, X, y, reg, workspace=ws)
        grads = {k: v.copy() for k, v in grads.items()}  # finite differences call the net again
        loss_t, grads_t = torch_loss_and_grads(params, X, y, reg)
        num = numerical_gradients(lambda p: loss_and_grads(p, X, y, reg, workspace=ws)[0], params)
        assert loss == pytest.approx(loss_t, rel=1e-12)
        for k in KEYS:
            # same float64 operations in another order (~1e-15); centred differences: h² truncation, round-off ~1e-10
            assert norm_rel_error(grads[k], grads_t[k]) <= 1e-12, k
            assert norm_rel_error(grads[k], num[k]) <= 1e-7, k


def test_the_L_layer_net_with_a_workspace_matches_autograd():
    activations = ["tanh", "relu", "softplus", "sigmoid"]
    params = init_params([5, 6, 4, 6, 3, 4], seed=3, bias_scale=0.5)
    X, y = np.random.default_rng(2).standard_normal((5, 9)), np.arange(9) % 4
    ws = Workspace()
    mlp_loss_and_grads(params, X[:, :4], y[:4], 0.1, activations, workspace=ws)  # another batch first
    loss, grads = mlp_loss_and_grads(params, X, y, 0.1, activations, workspace=ws)
    loss_t, grads_t = torch_mlp_loss_and_grads(params, X, y, 0.1, activations)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    for k in grads:  # the same float64 arithmetic in another order: ~1e-15, as in test_mlp.py
        assert norm_rel_error(grads[k], grads_t[k]) <= 1e-12, k


def _traced_peak(fn) -> int:
    """Peak bytes NumPy allocates while ``fn`` runs (NumPy reports its data to tracemalloc)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_warm_workspace_step_allocates_no_array_of_size(dtype):
    N, D_in, H, C = 4096, 32, 64, 10
    params, X, y, reg = _problem(N, D_in, H, C, dtype)
    ws = Workspace()
    loss_and_grads(params, X, y, reg, workspace=ws)
    peak = _traced_peak(lambda: loss_and_grads(params, X, y, reg, workspace=ws))
    # what is left: (N,) vectors (column maxima and sums, the label indices) and NumPy's 64 KiB iterator buffer
    # for the broadcast bias; no (C, N) array (320 KiB in float64), let alone an (H, N) one
    assert peak < C * N * np.dtype(dtype).itemsize, peak
    plain = _traced_peak(lambda: loss_and_grads(params, X, y, reg))
    assert plain > H * N * np.dtype(dtype).itemsize  # the plain call does allocate its (H, N) array


def test_the_plain_step_peaks_at_one_hidden_array_above_its_inputs():
    # the memory plan: z1 is the one (H, N) array (then σ(z1), then δ1, then λW1); W2ᵀδ2 takes a block of rows at
    # a time; the (C, N) logits hold log ŷ, ŷ, δ2 and λW2 in turn; the gradients are the outputs
    N, D_in, H, C = 3000, 20, 64, 10
    params, X, y, reg = _problem(N, D_in, H, C, np.float64)
    peak = _traced_peak(lambda: loss_and_grads(params, X, y, reg))
    hidden, logits, outputs = H * N * 8, C * N * 8, sum(v.nbytes for v in params.values())
    block = block_rows(H, N) * N * 8
    assert block < hidden / 2  # else this test could not tell a block from a second (H, N) array
    # W2ᵀδ2 as a second (H, N) array would add 1.5 MiB; the slack covers (N,) vectors
    assert hidden <= peak <= hidden + logits + max(logits, block) + outputs + 8 * N * 8, (peak, hidden)


@pytest.mark.parametrize("N", [5, 2**16 // 7 + 1, 40_000])  # one block; 6 rows and a short last one; 1 row each
def test_delta1_by_blocks_of_rows_is_the_whole_formula(N):
    H = 7
    params, X, y, reg = _problem(N, 3, H, 4, np.float64)
    rows = block_rows(H, N)
    assert (rows == H) == (N <= 2**16 // H)
    _, grads = loss_and_grads(params, X, y, reg)
    steps = forward_steps(params, X)  # δ1 in one piece, from the forward pass's own arrays
    a1, dz2 = steps["a1"], steps["probs"].copy()
    dz2[y, np.arange(N)] -= 1.0
    dz2 /= N
    delta1 = (params["W2"].T @ dz2) * a1 * (1 - a1)
    np.testing.assert_allclose(grads["b1"], delta1.sum(axis=1), rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(grads["W1"], delta1 @ X.T + reg * params["W1"], rtol=1e-12, atol=1e-17)


def test_sigmoid_in_place_keeps_the_far_tail_exact():
    z = np.array([[-800.0, -745.0, -709.0, -708.6, -40.0, 0.0, 3.0]])
    want, _ = sigmoid_forward(z)
    z_in_place = z.copy()
    with np.errstate(over="ignore"):
        a = inplace.sigmoid(z_in_place, out=z_in_place)
    assert a is z_in_place and np.array_equal(a, want)
    assert a[0, 2] == np.exp(-709.0) > 0  # e^{−z} did not overflow here, but 1/(1 + e^{709}) would be subnormal


def test_sigmoid_backward_over_its_inputs_gives_the_fresh_result(rng):
    a, _ = sigmoid_forward(rng.standard_normal((4, 5)) * 4)
    dout = rng.standard_normal((4, 5))
    want = sigmoid_backward(dout, a)
    a_copy, d_copy = a.copy(), dout.copy()
    got = inplace.sigmoid_backward(d_copy, a_copy, out=d_copy, scratch=a_copy)
    assert got is d_copy and np.array_equal(got, want)
    np.testing.assert_array_equal(a_copy, 1.0 - a)  # the scratch now holds 1 − σ(z), as documented


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activations_in_place_backward_may_write_over_its_inputs(rng, name):
    act = ACTIVATIONS[name]
    z = rng.standard_normal((3, 6)) * 3
    a, cache = act.forward(z)
    dout = rng.standard_normal((3, 6))
    want = act.backward(dout, cache)
    forward, backward = inplace.ACTIVATIONS[name]
    out, scratch = dout.copy(), np.empty_like(a)
    a_2, cache_2 = forward(z.copy(), out=scratch)  # the net's layout: aₗ is its own array, later the scratch
    assert a_2 is scratch and np.array_equal(a_2, a)
    got = backward(out, cache_2, out=out, scratch=scratch)
    assert got is out and np.array_equal(got, want)


def test_a_workspace_that_is_not_one_is_refused_by_name():
    params, X, y, reg = fcnet.seed_example()
    with pytest.raises(TypeError, match=r"workspace is a dict; expected a fcnet\.Workspace"):
        loss_and_grads(params, X, y, reg, workspace={})
    with pytest.raises(TypeError, match=r"workspace is a str; expected a fcnet\.Workspace"):
        mlp_loss_and_grads(params, X, y, reg, ["sigmoid"], workspace="ws")


@pytest.mark.parametrize(
    "N, D_in, H, C, packed",
    [(64, 784, 128, 10, True), (256, 784, 512, 10, True), (1024, 784, 64, 10, True), (5, 3, 4, 2, True)]
    + [(4096, 32, 64, 10, False), (20_000, 20, 8, 3, False)],  # temporaries over 4× the gradients
)
def test_a_plain_calls_gradients_keep_little_else_alive(N, D_in, H, C, packed):
    # small temporaries share one block with the gradients (one allocation per call); large ones never do
    params, X, y, reg = _problem(N, D_in, H, C, np.float64)
    _, grads = loss_and_grads(params, X, y, reg)
    held = {id(g.base if g.base is not None else g): (g.base if g.base is not None else g) for g in grads.values()}
    own = sum(g.nbytes for g in grads.values())
    assert sum(a.nbytes for a in held.values()) <= (1 + Workspace.PACK_RATIO) * own + 64 * len(grads)
    if packed:
        assert len(held) == 1  # one block, the gradients in it
    else:
        assert all(g.base is None for g in grads.values())  # arrays of their own: no (H, N) array kept alive


@pytest.mark.parametrize("net", ["two-layer", "L-layer"])
def test_the_forward_passes_probabilities_keep_no_hidden_array_alive(net):
    N, D_in, H, C = 1000, 20, 256, 10  # the (H, N) array is 25 times ŷ: more than a plain call may pack with it
    params, X, _, _ = _problem(N, D_in, H, C, np.float64)
    probs = fcnet.forward(params, X) if net == "two-layer" else fcnet.mlp_forward(params, X, ["sigmoid"])
    kept = probs if probs.base is None else probs.base
    assert kept.nbytes <= (1 + Workspace.PACK_RATIO) * probs.nbytes, kept.nbytes
