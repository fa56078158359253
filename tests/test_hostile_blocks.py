"""The building blocks called on their own: never a RuntimeWarning, never a non-finite result handed back.

Each public layer, activation and loss (`fcnet.core.finite.building_block`) refuses a NaN or ±inf in an
array argument with `NonFiniteError` naming the block, the argument and the index, and a finite input
whose result overflows with `NumericalOverflowError` naming the block and the quantity.  Inside a net
(`loss_and_grads` and the rest, whose guard scans the input and the result) the blocks scan nothing.
"""

import inspect
import re
import warnings

import numpy as np
import pytest

import fcnet
from fcnet import NonFiniteError, NumericalOverflowError
from fcnet.core import activations as act
from fcnet.core import finite

BIG = 1e200  # BIG² = 1e400 overflows float64 (max ≈ 1.8e308); BIG itself is finite
Z = np.array([[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]])  # logits (C=3, N=2)
Y = np.array([0, 2])


def ones(*shape):
    return np.ones(shape)


def full(value, *shape):
    return np.full(shape, value)


def no_warning(call):
    """``call()`` with every NumPy warning turned on and recorded: it must record none (its error propagates)."""
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="warn"):
        warnings.simplefilter("always")
        try:
            return call()
        finally:
            assert not seen, [str(w.message) for w in seen]


# ---------------------------------------------------------------------------------------------------------------
# finite input, a result that overflows: NumericalOverflowError naming the block and the quantity


def _gelu_cache(z):
    return act.gelu_forward(np.full((1, 1), z))[1]


OVERFLOWS = [
    # z = W a + b: 1e308 · 3 columns of ones
    ("affine_forward", lambda: fcnet.affine_forward(full(1e308, 2, 3), ones(3, 4), np.zeros(2)), r"z = W a \+ b"),
    # dW = dout aᵀ: 1e200 · 1e200 · 4 columns
    ("affine_backward", lambda: fcnet.affine_backward(full(BIG, 2, 4), (ones(2, 3), full(BIG, 3, 4))), "dW = dout aᵀ"),
    # db = Σₙ dout: 4 columns of 1e308 (dW and da are 0: W and a are 0)
    (
        "affine_backward",
        lambda: fcnet.affine_backward(full(1e308, 2, 4), (np.zeros((2, 3)), np.zeros((3, 4)))),
        "db = Σₙ dout",
    ),
    # da = Wᵀ dout: 1e200 · 1e200 (dW = dout aᵀ stays 4e200 with a of ones)
    ("affine_backward", lambda: fcnet.affine_backward(full(BIG, 2, 4), (full(BIG, 2, 3), ones(3, 4))), "da = Wᵀ dout"),
    # a cache that no sigmoid could give (σ ∈ [0, 1] bounds σ(1 − σ) by ¼): 1e200 · 1e200 · (1 − 1e200)
    ("sigmoid_backward", lambda: fcnet.sigmoid_backward(full(BIG, 2, 2), full(BIG, 2, 2)), r"dz = dout ⊙ σ\(z\)"),
    ("tanh_backward", lambda: act.tanh_backward(full(BIG, 2, 2), full(BIG, 2, 2)), r"dz = dout ⊙ \(1 − tanh²"),
    # GELU'(1.5) = Φ(1.5) + 1.5 φ(1.5) ≈ 1.13, so 1.7e308 · 1.13 > 1.8e308
    ("gelu_backward", lambda: act.gelu_backward(full(1.7e308, 1, 1), _gelu_cache(1.5)), r"dz = dout ⊙ \(Φ\(z\)"),
    # (1/N) Ŷ dout with a cache Ŷ = 1e10 (no softmax gives it) and dout = 1e300
    (
        "softmax_ce_backward",
        lambda: fcnet.softmax_ce_backward(1e300, (full(1e10, 3, 1), np.array([0]))),
        r"dz = \(Ŷ − Y\) dout / N",
    ),
    ("l2_backward", lambda: fcnet.l2_backward(full(1e300, 2, 2), 1e10), "dW = λW is not finite"),
    # the blocks' own checks, named after the block
    ("l2_forward", lambda: fcnet.l2_forward([full(BIG, 2, 2)], 1.0), "the L2 penalty ½λ Σ‖W‖² is inf"),
    ("log_softmax", lambda: fcnet.log_softmax(np.array([[1.7e308], [-1.7e308]])), r"z\[:, 0\] spans"),
    ("softmax", lambda: fcnet.softmax(np.array([[1e308, 0.0], [-1e308, 0.0]])), "too wide for float64"),
    ("softmax_ce_forward", lambda: fcnet.softmax_ce_forward(np.array([[1e308], [-1e308]]), np.array([0])), "spans"),
]


@pytest.mark.parametrize("block, call, quantity", OVERFLOWS, ids=[f"{c[0]}-{i}" for i, c in enumerate(OVERFLOWS)])
def test_a_finite_input_that_overflows_names_the_block_and_the_quantity(block, call, quantity):
    with pytest.raises(NumericalOverflowError, match=f"^{block}: .*{quantity}"):
        no_warning(call)


def test_the_overflow_message_gives_the_sizes_of_the_inputs():
    with pytest.raises(NumericalOverflowError) as info:
        fcnet.affine_forward(full(1e308, 2, 3), ones(3, 4), np.zeros(2))
    assert str(info.value) == (
        "affine_forward: z = W a + b is not finite (inf at index (0, 0)); its inputs are finite, so it overflowed "
        "float64's range (±1.8e+308).  Largest |entries| of the input: W 1e+308, a 1, b 0"
    )


def test_an_input_overwritten_by_the_call_is_not_reported_with_its_new_entries():
    W = full(1e300, 2, 2)
    with pytest.raises(NumericalOverflowError, match=r"Largest \|entries\| of the input: reg 1e\+10$"):
        fcnet.l2_backward(W, 1e10, out=W)  # W now holds inf: its size would say nothing


# huge but harmless: these results are finite and must come back without error or warning
HARMLESS = [
    ("sigmoid_forward", lambda: fcnet.sigmoid_forward(np.array([[-1e308, -1000.0, 1e308]]))[0]),
    ("tanh_forward", lambda: act.tanh_forward(np.array([[-1e308, 1e308]]))[0]),
    ("relu_forward", lambda: act.relu_forward(np.array([[-1e308, 1e308]]))[0]),
    ("gelu_forward", lambda: act.gelu_forward(np.array([[-1e308, 1e308]]))[0]),
    ("softplus_forward", lambda: act.softplus_forward(np.array([[-1e308, 1e308]]))[0]),
    ("relu_backward", lambda: act.relu_backward(full(1.7e308, 1, 2), np.array([[0.0, 5.0]]))),
    ("softplus_backward", lambda: act.softplus_backward(full(1.7e308, 1, 2), np.array([[-1e308, 1e308]]))),
    ("sigmoid_backward", lambda: fcnet.sigmoid_backward(full(1.7e308, 1, 2), np.array([[0.5, 1.0]]))),
    ("softmax", lambda: fcnet.softmax(np.array([[1e308, 0.0], [1e308, -1e3]]))),
    ("l2_forward-reg-0", lambda: np.array(fcnet.l2_forward([full(BIG, 2, 2)], 0.0))),  # ½·0·inf is taken as 0
]


@pytest.mark.parametrize("call", [c[1] for c in HARMLESS], ids=[c[0] for c in HARMLESS])
def test_huge_entries_with_a_finite_result_pass_without_a_warning(call):
    with np.errstate(all="raise"):  # the block's own errstate governs: no FloatingPointError from NumPy either
        result = no_warning(call)
    assert np.isfinite(result).all()


# ---------------------------------------------------------------------------------------------------------------
# a NaN or ±inf in an array argument: NonFiniteError naming the block, the argument and the index


def _valid(block):
    """``(function, kwargs)``: a call of ``block`` on finite arguments."""
    fn = getattr(fcnet, block, None) or getattr(act, block)
    if block == "affine_forward":
        return fn, {"W": ones(2, 3), "a": ones(3, 4), "b": np.zeros(2)}
    if block == "affine_backward":
        return fn, {"dout": ones(2, 4), "cache": (ones(2, 3), ones(3, 4))}
    if block in ("log_softmax", "softmax"):
        return fn, {"z": Z.copy()}
    if block == "softmax_ce_forward":
        return fn, {"z": Z.copy(), "y": Y}
    if block == "softmax_ce_backward":
        return fn, {"dout": 1.0, "cache": fcnet.softmax_ce_forward(Z, Y)[1]}
    if block == "l2_forward":
        return fn, {"weights": [ones(2, 3), ones(3, 2)], "reg": 0.1}
    if block == "l2_backward":
        return fn, {"W": ones(2, 3), "reg": 0.1}
    if block.endswith("_forward"):
        return fn, {"z": Z.copy()}
    forward = getattr(fcnet, block.replace("backward", "forward"), None) or getattr(act, block.replace("back", "for"))
    return fn, {"dout": ones(3, 2), "cache": forward(Z)[1]}


#: (block, the argument poisoned: a name or (name, index)); every array argument of every public block
POISONED = [
    ("affine_forward", "W"),
    ("affine_forward", "a"),
    ("affine_forward", "b"),
    ("affine_backward", "dout"),
    ("affine_backward", ("cache", 0)),
    ("affine_backward", ("cache", 1)),
    ("log_softmax", "z"),
    ("softmax", "z"),
    ("softmax_ce_forward", "z"),
    ("softmax_ce_backward", ("cache", 0)),
    ("l2_forward", ("weights", 1)),
    ("l2_backward", "W"),
    *[(f"{name}_forward", "z") for name in fcnet.ACTIVATIONS],
    *[(f"{name}_backward", "dout") for name in fcnet.ACTIVATIONS],
    *[(f"{name}_backward", "cache") for name in fcnet.ACTIVATIONS if name != "gelu"],
    ("gelu_backward", ("cache", 0)),
    ("gelu_backward", ("cache", 1)),
]
BAD = [(np.nan, (1, 1)), (np.inf, (0, 1)), (-np.inf, (2, 0))]  # (value, where): a few entries, a few kinds


def _poison(kwargs, which, value, where):
    name, i = which if isinstance(which, tuple) else (which, None)
    arr = kwargs[name] if i is None else kwargs[name][i]
    arr = arr.copy()
    where = where[-arr.ndim :] if arr.ndim < len(where) else where  # b is 1-D
    where = tuple(min(w, n - 1) for w, n in zip(where, arr.shape))
    arr[where] = value
    if i is None:
        kwargs[name] = arr
    else:
        kwargs[name] = type(kwargs[name])((*kwargs[name][:i], arr, *kwargs[name][i + 1 :]))
    return (name if i is None else f"{name}[{i}]"), where


@pytest.mark.parametrize("value, where", BAD, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    "block, which", POISONED, ids=[f"{b}-{w if isinstance(w, str) else f'{w[0]}[{w[1]}]'}" for b, w in POISONED]
)
def test_a_non_finite_argument_is_named_with_its_index(block, which, value, where):
    fn, kwargs = _valid(block)
    assert np.isfinite(no_warning(lambda: np.asarray(_first(fn(**kwargs))))).all()  # finite arguments pass
    name, where = _poison(kwargs, which, value, where)
    expected = f"{block}: {name} has a non-finite entry {value} at index {where}; expected finite values"
    with pytest.raises(NonFiniteError, match=f"^{re.escape(expected)}$") as info:
        no_warning(lambda: fn(**kwargs))
    assert type(info.value) is NonFiniteError  # not an overflow: the input itself was not finite


def _first(result):
    return result[0] if isinstance(result, tuple) else result


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: fcnet.affine_forward(ones(2, 3), [[1.0], [np.nan], [0.0]], np.zeros(2)), r"a has .* \(1, 0\)"),
        (lambda: fcnet.l2_forward([ones(2, 2), [[1.0, np.inf]]], 0.1), r"weights\[1\] has .* inf at index \(0, 1\)"),
        (lambda: fcnet.sigmoid_forward([[0.0, -np.inf]]), r"z has a non-finite entry -inf at index \(0, 1\)"),
    ],
    ids=["affine-list", "l2-list", "sigmoid-list"],
)
def test_nested_lists_are_scanned_as_arrays(call, match):
    with pytest.raises(NonFiniteError, match=match):
        no_warning(call)


# ---------------------------------------------------------------------------------------------------------------
# the decorator itself: no cost inside a net, signatures and out= kept

BLOCKS = [
    *(getattr(fcnet, n) for n in ("affine_forward", "affine_backward", "sigmoid_forward", "sigmoid_backward")),
    *(getattr(fcnet, n) for n in ("log_softmax", "softmax", "softmax_ce_forward", "softmax_ce_backward")),
    fcnet.l2_forward,
    fcnet.l2_backward,
    *(f for a in fcnet.ACTIVATIONS.values() for f in (a.forward, a.backward)),
]


@pytest.fixture
def scans(monkeypatch):
    """How many arrays the blocks' own check scans (`all_finite` as `fcnet.core.finite` calls it)."""
    count = [0]
    real = finite.all_finite

    def counting(arr):
        count[0] += 1
        return real(arr)

    monkeypatch.setattr(finite, "all_finite", counting)
    return count


NETS = {
    "loss_and_grads": lambda p, X, y: fcnet.loss_and_grads(p, X, y, 0.1),
    "workspace": lambda p, X, y: fcnet.loss_and_grads(p, X, y, 0.1, workspace=fcnet.Workspace()),
    "forward": lambda p, X, y: fcnet.forward(p, X),
    "mlp": lambda p, X, y: fcnet.mlp_loss_and_grads(p, X, y, 0.1, ["gelu"]),
    "mlp_forward": lambda p, X, y: fcnet.mlp_forward(p, X, ["softplus"]),
}


@pytest.mark.parametrize("net", NETS.values(), ids=NETS.keys())
def test_inside_a_net_the_blocks_scan_nothing(net, scans):
    params, X, y, _ = fcnet.random_example(N=6, D_in=4, H=5, C=3, seed=0)
    net(params, X, y)
    assert scans[0] == 0
    fcnet.affine_forward(params["W1"], X, params["b1"])  # the same block called directly: W, a, b and z
    assert scans[0] == 4


def test_a_net_that_raised_leaves_the_blocks_checking():
    params, X, y, reg = fcnet.seed_example()
    with pytest.raises(NumericalOverflowError):
        fcnet.loss_and_grads({**params, "W2": full(1e308, 5, 4)}, X, y, reg)
    with pytest.raises(NonFiniteError, match="softmax: z has a non-finite entry nan"):
        fcnet.softmax(np.array([[np.nan]]))


@pytest.mark.parametrize("block", BLOCKS, ids=[b.__name__ for b in BLOCKS])
def test_signature_and_source_are_the_blocks_own(block):
    body = block.__wrapped__  # fcnet.diagnose finds a function's file through inspect.unwrap
    assert body is not block and inspect.unwrap(block) is body
    assert (block.__name__, block.__doc__) == (body.__name__, body.__doc__)  # what help() and the API page show
    assert inspect.signature(block) == inspect.signature(body) and "args" not in inspect.signature(block).parameters
    assert inspect.getsourcefile(body).endswith(("layers.py", "losses.py", "activations.py"))


def test_out_still_receives_the_result_in_a_direct_call():
    W, a, b = ones(2, 3), ones(3, 4), np.arange(2.0)
    buf = np.empty((2, 4))
    z, _ = fcnet.affine_forward(W, a, b, out=buf)
    assert z is buf and buf.tolist() == [[3.0] * 4, [4.0] * 4]
    s, _ = fcnet.sigmoid_forward(z, out=z)
    assert s is buf and np.allclose(buf[0], 1 / (1 + np.exp(-3.0)), rtol=1e-15)
