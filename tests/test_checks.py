"""The gradient-check toolkit: correct gradients pass, planted bugs are caught.

The problem is `fcnet.gradcheck.planted.planted_problem` (N=5, D_in=H=4, C=3, λ=0.5,
P = 35 parameters).  Measured on it in float64 at h = 1e-5: the correct
gradient gives a norm-relative error of 1e-11..1e-10 in every mode, the
bugs 1e-1..1.5, so the default threshold 1e-6 has four orders of margin on
either side.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fcnet import loss_and_grads, random_example
from fcnet.gradcheck.checks import CheckReport, PrecisionWarning, directional_check, full_check, sparse_check
from fcnet.gradcheck.planted import PLANTED_BUGS, planted_problem

PARAMS, X, Y, REG = planted_problem()
_, GRADS = loss_and_grads(PARAMS, X, Y, REG)
P = sum(v.size for v in PARAMS.values())


def f(p):
    return loss_and_grads(p, X, Y, REG)[0]


CHECKS = {
    "full": lambda g, **kw: full_check(f, PARAMS, g, **kw),
    "sparse": lambda g, **kw: sparse_check(f, PARAMS, g, k=kw.pop("k", 10), **kw),
    "directional": lambda g, **kw: directional_check(f, PARAMS, g, **kw),
}


def wrong_entries(bad):
    """Names of the entries where a buggy gradient differs from the correct one."""
    return {
        f"{k}[{', '.join(map(str, ix))}]"
        for k in GRADS
        for ix in np.ndindex(GRADS[k].shape)
        if abs(bad[k][ix] - GRADS[k][ix]) > 1e-12
    }


@pytest.mark.parametrize("mode", sorted(CHECKS))
def test_correct_gradient_passes_with_margin(mode):
    r = CHECKS[mode](GRADS)
    assert isinstance(r, CheckReport) and r.mode == mode and r.passed
    assert r.error < 1e-9 and r.threshold == 1e-6  # measured 1e-11..1e-10


@pytest.mark.parametrize("mode", sorted(CHECKS))
def test_fortran_ordered_params_check_like_c_ordered_ones(mode):
    # sparse_check perturbs an entry through a flat view of its own copy: a Fortran-ordered copy's reshape(-1) is
    # a second copy, which f never sees (numerical gradient 0, error 1.0) unless the copy is made in C order
    fortran = {k: np.asfortranarray(v) for k, v in PARAMS.items()}
    assert not fortran["W1"].flags.c_contiguous
    check = {"full": full_check, "sparse": sparse_check, "directional": directional_check}[mode]
    kw = {"k": P} if mode == "sparse" else {}
    r = check(f, fortran, GRADS, **kw)
    assert r.passed and r.error < 1e-9, r


@pytest.mark.parametrize("bug", sorted(PLANTED_BUGS))
@pytest.mark.parametrize("mode", ["full", "directional"])
def test_full_and_directional_catch_every_planted_bug(mode, bug):
    r = CHECKS[mode](PLANTED_BUGS[bug](PARAMS, GRADS, REG))
    assert not r.passed and r.error > 1e-2  # measured 0.1..1.5
    if mode == "full":
        assert r.worst in wrong_entries(PLANTED_BUGS[bug](PARAMS, GRADS, REG))


def test_sign_error_is_located_exactly():
    r = full_check(f, PARAMS, PLANTED_BUGS["sign error in dW2[1, 2]"](PARAMS, GRADS, REG))
    assert r.worst == "W2[1, 2]" and r.analytic == pytest.approx(-r.numerical, rel=1e-8)
    assert r.max_rel_error == pytest.approx(1.0, rel=1e-8)  # |g − (−g)| / (|g| + |g|)


@given(bug=st.sampled_from(sorted(PLANTED_BUGS)), k=st.integers(1, P), seed=st.integers(0, 2**32 - 1))
def test_sparse_catches_a_bug_exactly_when_it_draws_a_wrong_entry(bug, k, seed):
    bad = PLANTED_BUGS[bug](PARAMS, GRADS, REG)
    r = sparse_check(f, PARAMS, bad, k=k, seed=seed)
    assert len(r.checked) == k == len(set(r.checked)) and r.n_evals == 2 * k
    assert r.passed == (not set(r.checked) & wrong_entries(bad))


def test_sparse_misses_the_one_entry_bug_at_seed_0_with_k_10_and_catches_it_with_another_seed():
    # probability of drawing W2[1, 2] is k/P = 10/35; the site's table shows this miss
    bad = PLANTED_BUGS["sign error in dW2[1, 2]"](PARAMS, GRADS, REG)
    assert sparse_check(f, PARAMS, bad, k=10, seed=0).passed
    caught = [s for s in range(20) if not sparse_check(f, PARAMS, bad, k=10, seed=s).passed]
    assert 0 < len(caught) < 20


@given(bug=st.sampled_from(sorted(PLANTED_BUGS)), seed=st.integers(0, 2**32 - 1))
def test_one_random_direction_catches_every_bug(bug, seed):
    r = directional_check(f, PARAMS, PLANTED_BUGS[bug](PARAMS, GRADS, REG), n_directions=1, seed=seed)
    assert not r.passed and r.n_evals == 2


def test_evaluation_counts_and_directional_cost_on_a_64_32_10_net():
    params, X, y, reg = random_example(N=8, D_in=64, H=32, C=10, seed=1)
    _, grads = loss_and_grads(params, X, y, reg)
    loss = lambda p: loss_and_grads(p, X, y, reg)[0]  # noqa: E731
    n_params = sum(v.size for v in params.values())
    assert n_params == 64 * 32 + 32 + 32 * 10 + 10
    r = directional_check(loss, params, grads, n_directions=2)
    assert r.passed and r.n_evals == 4 and 2 * n_params / r.n_evals >= 100  # the full check costs 2P = 4820


def test_sparse_with_every_entry_agrees_with_full():
    full, sparse = full_check(f, PARAMS, GRADS), sparse_check(f, PARAMS, GRADS, k=P)
    assert sorted(sparse.checked) == sorted(full.checked) and full.n_evals == 2 * P
    assert sparse.error == pytest.approx(full.error, rel=1e-12, abs=1e-15)


def test_inputs_are_left_untouched_and_bare_arrays_work():
    before = {k: v.copy() for k, v in PARAMS.items()}
    directional_check(f, PARAMS, GRADS)
    sparse_check(f, PARAMS, GRADS)
    assert all(np.array_equal(before[k], PARAMS[k]) for k in PARAMS)
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    r = full_check(lambda x: float(np.sum(np.sin(x))), x, np.cos(x) * [[1, 1], [-1, 1]])
    assert not r.passed and r.worst == "x[1, 0]"


def test_float32_warns_why_and_suggests_a_step_that_works():
    p32 = {k: v.astype(np.float32) for k, v in PARAMS.items()}
    X32 = X.astype(np.float32)
    loss = lambda p: loss_and_grads(p, X32, Y, REG)[0]  # noqa: E731
    _, g32 = loss_and_grads(p32, X32, Y, REG)
    with pytest.warns(PrecisionWarning, match=r"machine epsilon is 1\.2e-07.*cbrt\(eps\)") as rec:
        bad_step = full_check(loss, p32, g32)
    assert issubclass(PrecisionWarning, UserWarning) and len(rec) == 1
    assert not bad_step.passed  # measured 2e-2 at h = 1e-5: round-off eps·|f|/h dominates
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the suggested step raises no warning
        good = full_check(loss, p32, g32, h=5e-3)
        buggy = directional_check(loss, p32, PLANTED_BUGS["transposed dW1"](p32, g32, REG), h=5e-3)
    assert good.passed and good.threshold == 1e-3 and good.error < 1e-4  # measured 3e-5
    assert not buggy.passed


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: full_check(f, PARAMS, {"W1": GRADS["W1"]}), r"grads has keys \['W1'\]; expected the keys"),
        (lambda: full_check(f, PARAMS, {**GRADS, "b1": GRADS["b1"][:2]}), r"grads\['b1'\] has shape \(2,\)"),
        (lambda: sparse_check(f, PARAMS, GRADS, k=0), r"k is 0; expected an integer in \[1, 35\]"),
        (lambda: sparse_check(f, PARAMS, GRADS, k=36), r"k is 36"),
        (lambda: directional_check(f, PARAMS, GRADS, n_directions=0), r"n_directions is 0"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_integer_params_raise_type_error():
    with pytest.raises(TypeError, match=r"params\['x'\] has dtype int64; expected a floating array"):
        full_check(lambda x: 0.0, np.arange(3), np.zeros(3))
