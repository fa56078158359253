"""Hostile calls into the gradient-check toolkit, and the error measures' properties.

A check must never pass a NaN, ±inf or complex gradient on either side; the error measures must
neither overflow nor underflow, must refuse mismatched shapes, and must be scale-invariant,
symmetric and 0 on equal inputs (hypothesis); `numerical_gradient` must refuse what it cannot use.
"""

import math
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from fcnet import (
    NonFiniteError,
    NumericalOverflowError,
    directional_check,
    full_check,
    norm_rel_error,
    numerical_gradient,
    numerical_gradients,
    rel_error,
    sparse_check,
)

U = 2.0**-53  # unit round-off of float64


def cube(x):
    return float(np.sum(x**3))


X0 = np.array([1.0, -2.0, 0.5])
G0 = 3 * X0**2


def step_at_one(v):
    """±1e308 on either side of x = 1: finite values whose centred difference overflows."""
    return 1e308 if v[0] > 1 else -1e308


def inf_below_one(v):
    return math.inf if v[0] < 1 else 0.0


def mutates(v):
    v[-1] = 7.0
    return float(v.sum())


def read_only():
    x = np.ones(2)
    x.flags.writeable = False
    return x


NUMERICAL = [
    (
        "f-array",
        lambda: numerical_gradient(lambda v: v**2, X0.copy()),
        TypeError,
        re.escape("f returned an ndarray of shape (3,) at x + h·e(0,)"),
    ),
    (
        "f-one-element",
        lambda: numerical_gradient(lambda v: v[:1] * 2, X0.copy()),
        TypeError,
        r"shape \(1,\).*\.item\(\)",
    ),
    ("f-None", lambda: numerical_gradient(lambda v: None, X0.copy()), TypeError, r"f returned a NoneType \(None\)"),
    (
        "f-complex",
        lambda: numerical_gradient(lambda v: 1 + 2j, X0.copy()),
        TypeError,
        r"f returned a complex \(\(1\+2j\)\)",
    ),
    (
        "f-np-complex",
        lambda: numerical_gradient(lambda v: np.complex128(1.0), X0.copy()),
        TypeError,
        "f returned a complex128",
    ),
    ("f-str", lambda: numerical_gradient(lambda v: "1.0", X0.copy()), TypeError, "f returned a str"),
    ("f-bool", lambda: numerical_gradient(lambda v: True, X0.copy()), TypeError, "f returned a bool"),
    (
        "f-nan",
        lambda: numerical_gradient(lambda v: math.nan, X0.copy()),
        NonFiniteError,
        re.escape("f returned nan at x + h·e(0,)"),
    ),
    (
        "f-inf-minus-side",
        lambda: numerical_gradient(inf_below_one, np.array([1.0])),
        NonFiniteError,
        re.escape("f returned inf at x − h·e(0,)"),
    ),
    ("f-not-callable", lambda: numerical_gradient(3, X0.copy()), TypeError, "f is a int; expected a callable"),
    (
        "f-mutates-x",
        lambda: numerical_gradient(mutates, X0.copy()),
        ValueError,
        r"f changed its argument in place \(x\[2\] went from",
    ),
    (
        "quotient-overflow",
        lambda: numerical_gradient(step_at_one, np.array([1.0])),
        NumericalOverflowError,
        r"centred difference .* overflowed",
    ),
    (
        "x-float16",
        lambda: numerical_gradient(cube, X0.astype(np.float16)),
        TypeError,
        "x has dtype float16, machine epsilon 9.8e-04",
    ),
    (
        "x-int",
        lambda: numerical_gradient(cube, np.arange(3)),
        TypeError,
        "x is an ndarray of dtype int64; expected a floating",
    ),
    ("x-list", lambda: numerical_gradient(cube, [1.0, 2.0]), TypeError, "x is a list"),
    ("x-complex", lambda: numerical_gradient(cube, X0 + 0j), TypeError, "x is an ndarray of dtype complex128"),
    ("x-read-only", lambda: numerical_gradient(cube, read_only()), ValueError, "x is read-only"),
    (
        "x-nan",
        lambda: numerical_gradient(cube, np.array([1.0, np.nan])),
        NonFiniteError,
        r"x has a non-finite entry nan at index \(1,\)",
    ),
    (
        "h-bool",
        lambda: numerical_gradient(cube, X0.copy(), h=True),
        TypeError,
        r"h is True \(bool\); expected a real step",
    ),
    ("h-zero", lambda: numerical_gradient(cube, X0.copy(), h=0), ValueError, "h is 0; expected a finite step > 0"),
    ("h-negative", lambda: numerical_gradient(cube, X0.copy(), h=-1e-5), ValueError, "h is -1e-05"),
    ("h-nan", lambda: numerical_gradient(cube, X0.copy(), h=math.nan), ValueError, "h is nan"),
    ("h-inf", lambda: numerical_gradient(cube, X0.copy(), h=math.inf), ValueError, "h is inf"),
    ("h-str", lambda: numerical_gradient(cube, X0.copy(), h="1e-5"), TypeError, r"h is '1e-5' \(str\)"),
    ("h-None", lambda: numerical_gradient(cube, X0.copy(), h=None), TypeError, r"h is None \(NoneType\)"),
    ("h-complex", lambda: numerical_gradient(cube, X0.copy(), h=1e-5j), TypeError, r"\(complex\)"),
    ("h-array", lambda: numerical_gradient(cube, X0.copy(), h=np.array([1e-5])), TypeError, r"\(ndarray\)"),
    (
        "h-leaves-range",
        lambda: numerical_gradient(cube, X0.copy(), h=1e308),
        ValueError,
        "x ± h leaves float64's range",
    ),
    (
        "h-huge-fraction",
        lambda: numerical_gradient(cube, X0.copy(), h=Fraction(10**400)),
        ValueError,
        "expected a finite step",
    ),
    ("gradients-loss", lambda: numerical_gradients("loss", {"w": X0.copy()}), TypeError, "loss is a str"),
    ("gradients-params", lambda: numerical_gradients(lambda p: 0.0, [X0.copy()]), TypeError, "params is a list"),
    (
        "gradients-empty",
        lambda: numerical_gradients(lambda p: 0.0, {}),
        TypeError,
        "params is a dict; expected a non-empty",
    ),
    (
        "gradients-f-None",
        lambda: numerical_gradients(lambda p: None, {"w": X0.copy()}),
        TypeError,
        re.escape("at params['w'] + h·e(0,)"),
    ),
    (
        "gradients-int",
        lambda: numerical_gradients(lambda p: 0.0, {"w": np.arange(2)}),
        TypeError,
        r"params\['w'\] is an ndarray of dtype int64",
    ),
]

MEASURES = [
    (
        "rel-broadcast",
        lambda: rel_error(np.ones(3), np.ones(1)),
        ValueError,
        re.escape("a has shape (3,) but b has shape (1,); expected equal shapes"),
    ),
    (
        "norm-transposed",
        lambda: norm_rel_error(np.ones((2, 3)), np.ones((3, 2))),
        ValueError,
        re.escape("a has shape (2, 3) but b has shape (3, 2)"),
    ),
    (
        "norm-scalar-vs-1",
        lambda: norm_rel_error(1.0, [1.0]),
        ValueError,
        re.escape("a has shape () but b has shape (1,)"),
    ),
    (
        "norm-complex",
        lambda: norm_rel_error([1 + 1j], [1.0]),
        TypeError,
        "a has dtype complex128; expected real numbers .a real function's gradient is real.",
    ),
    ("rel-complex", lambda: rel_error([1.0], np.array([1.0], complex)), TypeError, "b has dtype complex128"),
    ("norm-str", lambda: norm_rel_error(["a"], ["b"]), TypeError, "a has dtype <U1"),
    ("norm-None", lambda: norm_rel_error(None, [1.0]), TypeError, "a has dtype object"),
    ("rel-bool", lambda: rel_error([True], [1.0]), TypeError, "a has dtype bool"),
]


def f_none(x):
    return None


CHECKS = [
    ("check-f-not-callable", lambda: full_check(None, X0, G0), TypeError, "f is a NoneType; expected a callable"),
    ("check-params-int", lambda: full_check(cube, np.arange(3), G0), TypeError, r"params\['x'\] has dtype int64"),
    ("check-params-float16", lambda: directional_check(cube, X0.astype(np.float16), G0), TypeError, "too coarse"),
    (
        "check-params-nan",
        lambda: full_check(cube, np.array([1.0, np.nan, 0.5]), G0),
        NonFiniteError,
        r"params\['x'\] has a non-finite entry nan",
    ),
    (
        "check-grads-keys",
        lambda: full_check(lambda p: 0.0, {"a": X0}, {"b": G0}),
        ValueError,
        r"grads has keys \['b'\]; expected the keys of params \['a'\]",
    ),
    (
        "check-grads-shape",
        lambda: sparse_check(cube, X0, G0[:2]),
        ValueError,
        re.escape("grads['x'] has shape (2,); expected params['x']'s shape (3,)"),
    ),
    (
        "check-grads-str",
        lambda: full_check(cube, X0, np.array(["1", "2", "3"])),
        TypeError,
        r"grads\['x'\] has dtype <U1",
    ),
    ("check-grads-None", lambda: full_check(cube, X0, None), TypeError, r"grads\['x'\] has dtype object"),
    ("check-containers", lambda: full_check(cube, [X0], {"x": G0}), TypeError, "params and grads are list and dict"),
    ("check-empty", lambda: full_check(cube, {}, {}), TypeError, "expected non-empty dicts"),
    ("check-threshold-nan", lambda: full_check(cube, X0, G0, threshold=math.nan), ValueError, "threshold is nan"),
    ("check-threshold-inf", lambda: full_check(cube, X0, G0, threshold=math.inf), ValueError, "threshold is inf"),
    ("check-threshold-negative", lambda: full_check(cube, X0, G0, threshold=-1e-6), ValueError, "threshold is -1e-06"),
    ("check-threshold-bool", lambda: directional_check(cube, X0, G0, threshold=True), ValueError, "threshold is True"),
    ("check-h-zero", lambda: full_check(cube, X0, G0, h=0.0), ValueError, "h is 0.0"),
    ("check-h-bool", lambda: sparse_check(cube, X0, G0, h=True), TypeError, r"h is True \(bool\)"),
    (
        "sparse-k-bool",
        lambda: sparse_check(cube, X0, G0, k=True),
        ValueError,
        r"k is True; expected an integer in \[1, 3\]",
    ),
    ("sparse-k-float", lambda: sparse_check(cube, X0, G0, k=2.0), ValueError, "k is 2.0"),
    ("sparse-k-big", lambda: sparse_check(cube, X0, G0, k=4), ValueError, "k is 4"),
    (
        "sparse-seed",
        lambda: sparse_check(cube, X0, G0, k=2, seed=-1),
        ValueError,
        "seed is -1; expected an integer >= 0",
    ),
    ("directional-n-zero", lambda: directional_check(cube, X0, G0, n_directions=0), ValueError, "n_directions is 0"),
    (
        "directional-n-bool",
        lambda: directional_check(cube, X0, G0, n_directions=True),
        ValueError,
        "n_directions is True",
    ),
    ("directional-seed", lambda: directional_check(cube, X0, G0, seed="0"), ValueError, "seed is '0'"),
    (
        "directional-huge",
        lambda: directional_check(cube, X0, np.full(3, 1e308)),
        NumericalOverflowError,
        "∇f·v could overflow",
    ),
    (
        "check-f-None",
        lambda: full_check(f_none, X0, G0),
        TypeError,
        re.escape("f returned a NoneType (None) at params['x'] + h·e(0,)"),
    ),
    ("check-f-nan", lambda: sparse_check(lambda x: math.nan, X0, G0, k=1), NonFiniteError, "f returned nan"),
    (
        "directional-f-array",
        lambda: directional_check(lambda x: x, X0, G0),
        TypeError,
        re.escape("f returned an ndarray of shape (3,) at t + h·e(0,)"),
    ),
]

CASES = NUMERICAL + MEASURES + CHECKS


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_a_message_naming_the_culprit(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --- a broken claimed gradient fails every check, and the report names the entry ---------------------------------

BROKEN = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf, "complex": 12 + 1e-3j}
MODES = {
    "full": lambda g: full_check(cube, X0, g),
    "sparse": lambda g: sparse_check(cube, X0, g, k=1, seed=0),  # draws x[0]: the broken x[1] is still caught
    "directional": lambda g: directional_check(cube, X0, g),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
@pytest.mark.parametrize("mode", sorted(MODES))
def test_a_broken_gradient_fails_every_mode_naming_the_entry(mode, kind):
    g = G0.astype(complex) if kind == "complex" else G0.copy()
    g[1] = BROKEN[kind]
    r = MODES[mode](g)
    assert r.passed is False and r.worst == "x[1]" and r.n_evals == 0 and r.error == math.inf
    assert ("is complex" if kind == "complex" else "a non-finite gradient never passes") in r.reason
    assert r.reason in str(r)


def test_the_net_with_one_nan_in_dW1_fails():
    import fcnet

    params, X, y, reg = fcnet.random_example(N=4, D_in=3, H=4, C=3, seed=1)
    _, grads = fcnet.loss_and_grads(params, X, y, reg)
    grads["W1"][2, 1] = np.nan
    for check in (full_check, sparse_check, directional_check):
        r = check(lambda p: fcnet.loss_and_grads(p, X, y, reg)[0], params, grads)
        assert not r.passed and r.worst == "W1[2, 1]", check.__name__


@given(data=st.data())
def test_nan_anywhere_on_the_claimed_side_never_passes(data):
    x = data.draw(hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3)))
    g = 3 * x**2
    i = data.draw(st.integers(0, x.size - 1))
    g[i] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    r = full_check(cube, x, g)
    assert not r.passed and r.worst == f"x[{i}]"


def test_numerical_gradient_restores_x_whatever_f_does():
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="changed its argument"):
        numerical_gradient(mutates, x)
    assert x.tolist() == [1.0, 2.0, 3.0]

    def raises_late(v):
        v[0] = 99.0  # changes x, then fails: x must still come back
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(raises_late, x)
    assert x.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("h", [np.float32(1e-3), Fraction(1, 1000), 1, np.int64(1)])
def test_any_positive_real_step_is_accepted(h):
    # f(x) = Σx² is quadratic: the centred difference is exact up to round-off at any step (f''' = 0)
    g = numerical_gradient(lambda v: float(np.sum(v**2)), np.array([1.0, -2.0]), h=h)
    np.testing.assert_allclose(g, [2.0, -4.0], rtol=1e-9)


# --- the error measures: no overflow or underflow; the properties, by hypothesis -----------------------------------


@pytest.mark.parametrize(
    "a, b, norm, rel",
    [
        ([2e154], [1e154], 0.5, 1 / 3),  # ‖a‖² overflows
        ([1e-170], [3e-170], 2 / 3, 2e-162),  # ‖a‖² underflows; rel_error's 1e-8 floor applies (by design)
        ([1e308], [-1e308], 2.0, 1.0),  # a − b and |a| + |b| overflow
        ([1.7e308, 1e-9], [1.7e308, 3e-9], 0.0, 2e-9 / 1e-8),  # one huge entry, one under rel_error's floor
        ([0.0, 0.0], [0.0, 0.0], 0.0, 0.0),
        ([], [], 0.0, 0.0),
        ([np.nan], [1.0], math.inf, math.inf),  # a NaN is never close
        ([1.0], [np.inf], math.inf, math.inf),
        ([np.inf], [np.inf], math.inf, math.inf),  # not even to itself
    ],
)
def test_error_measures_at_the_edges_of_the_float_range(a, b, norm, rel):
    # exact or within a few ulps: the scaling by max |entry| is exact for these numbers but for rounding of 2/3, 1/3
    assert norm_rel_error(a, b) == pytest.approx(norm, rel=4 * U, abs=0)
    assert rel_error(a, b) == pytest.approx(rel, rel=4 * U, abs=0)


finite = st.floats(-1e3, 1e3, allow_subnormal=False).map(lambda v: 0.0 if abs(v) < 1e-3 else v)


@st.composite
def pairs(draw, elements=finite):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    a = draw(hnp.arrays(np.float64, shape, elements=elements))
    b = draw(st.one_of(hnp.arrays(np.float64, shape, elements=elements), st.just(a * (1 + 1e-9))))
    return a, b


@given(ab=pairs(), k=st.integers(-990, 990))
def test_norm_rel_error_is_exactly_invariant_under_powers_of_two(ab, k):
    # |entries| in [1e-3, 1e3] or 0, times 2^k with |k| <= 990, stay normal (2^-1000 > 2.2e-308): s·a is exact,
    # and so is every step after the scaling by max |entry|, so the results agree bit for bit
    a, b = ab
    s = 2.0**k
    assert norm_rel_error(s * a, s * b) == norm_rel_error(a, b)


@given(ab=pairs(), k=st.integers(-300, 300))
def test_norm_rel_error_is_invariant_under_any_scale(ab, k):
    """s = 10^k from 1e-300 to 1e300.  s·a rounds each entry (relative u = 2⁻⁵³), and a/m rounds it again in
    both computations: that moves e = ‖a − b‖/max(‖a‖, ‖b‖) by at most about 6u absolutely (perturbations of
    u·|entry| over norms >= the largest entry) plus e·(2n + 7)u relatively (the two runs' sums of n squares and
    square roots round differently): ≈ 2e-15 + e·3e-15 for n ≤ 16.  The bound allows 8u + e(2n + 8)u.  A measure
    that overflowed or underflowed would be off by e itself, or be 0 or nan."""
    a, b = ab
    s = 10.0**k
    e, e_s = norm_rel_error(a, b), norm_rel_error(s * a, s * b)
    assert abs(e_s - e) <= 8 * U + e * (2 * a.size + 8) * U


@given(ab=pairs(elements=st.floats(-1e300, 1e300)))
def test_measures_are_symmetric_bounded_and_zero_on_equal_inputs(ab):
    a, b = ab
    assert norm_rel_error(a, b) == norm_rel_error(b, a)  # |a − b| = |b − a| exactly; max is symmetric
    assert rel_error(a, b) == rel_error(b, a)
    assert norm_rel_error(a, a) == 0.0 and rel_error(a, a) == 0.0
    # ‖a − b‖ <= ‖a‖ + ‖b‖ <= 2 max(‖a‖, ‖b‖), and |aᵢ − bᵢ| <= |aᵢ| + |bᵢ|: up to rounding, e <= 2 and rel <= 1
    assert 0.0 <= norm_rel_error(a, b) <= 2.0 + 1e-15 and 0.0 <= rel_error(a, b) <= 1.0 + 1e-15


@given(ab=pairs(), where=st.integers(0, 100), bad=st.sampled_from([np.nan, np.inf, -np.inf]), side=st.booleans())
def test_a_non_finite_entry_anywhere_is_never_a_pass(ab, where, bad, side):
    a, b = (x.copy() for x in ab)
    target = a if side else b
    target.flat[where % target.size] = bad
    for measure in (norm_rel_error, rel_error):
        e = measure(a, b)
        assert e == math.inf and not e <= 1e300  # whichever way a caller compares it
