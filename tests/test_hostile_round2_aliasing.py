"""Hostile aliasing, round two: one Workspace in two threads, and arrays that share memory.

A `Workspace` belongs to the first thread that steps with it; a step from another thread while
that one lives raises RuntimeError instead of returning gradients another thread is overwriting.
`SGD` refuses parameters that overlap in memory and gradients that overlap a parameter;
`numerical_gradients` refuses two keys over one buffer.  Views that only interleave (``x[::2]``,
``x[1::2]``) share no element and pass.
"""

import threading

import numpy as np
import pytest

import fcnet
from fcnet import SGD, Workspace, loss_and_grads, mlp_loss_and_grads, numerical_gradients, random_example

PARAMS, X, Y, REG = random_example(N=16, D_in=5, H=6, C=3, seed=1)

STEPS = {
    "loss_and_grads": lambda ws: loss_and_grads(PARAMS, X, Y, REG, workspace=ws),
    "mlp_loss_and_grads": lambda ws: mlp_loss_and_grads(PARAMS, X, Y, REG, ["relu"], workspace=ws),
}


def in_thread(fn, name="worker"):
    """Run ``fn`` in a new thread; return what it returned or the exception it raised."""
    out = {}

    def run():
        try:
            out["value"] = fn()
        except Exception as exc:  # handed back to the test, which asserts on it
            out["value"] = exc

    t = threading.Thread(target=run, name=name)
    t.start()
    t.join()
    return out["value"]


@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_second_thread_is_refused_while_the_owner_lives(step):
    ws = Workspace()
    STEPS[step](ws)  # the main thread owns it now
    err = in_thread(lambda: STEPS[step](ws), name="intruder")
    assert isinstance(err, RuntimeError)
    assert "this Workspace belongs to thread 'MainThread', but thread 'intruder' stepped with it" in str(err)


@pytest.mark.parametrize("step", sorted(STEPS))
def test_two_threads_at_once_one_gets_an_error_never_a_wrong_result(step):
    ws = Workspace()
    expected = STEPS[step](None)
    ws.release()  # nobody owns it: the first thread to step does
    start, finish, results = threading.Barrier(2), threading.Barrier(2), []

    def worker():
        start.wait()
        for _ in range(30):
            try:
                loss, grads = STEPS[step](ws)
                results.append(loss == expected[0] and all(np.array_equal(grads[k], expected[1][k]) for k in grads))
            except RuntimeError as exc:
                results.append(str(exc))
                break
        finish.wait()  # the owner lives until the other thread has stepped

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [r for r in results if isinstance(r, str)]
    assert len(refused) == 1 and "expected one Workspace per thread" in refused[0]
    assert all(r is True for r in results if not isinstance(r, str))


def test_the_workspace_passes_to_another_thread_once_its_owner_has_ended():
    ws = Workspace()
    first = in_thread(lambda: loss_and_grads(PARAMS, X, Y, REG, workspace=ws)[0], name="first")
    assert in_thread(lambda: loss_and_grads(PARAMS, X, Y, REG, workspace=ws)[0], name="second") == first


def test_release_hands_the_workspace_over():
    ws = Workspace()
    loss_and_grads(PARAMS, X, Y, REG, workspace=ws)
    ws.release()
    assert in_thread(lambda: loss_and_grads(PARAMS, X, Y, REG, workspace=ws)[0]) == loss_and_grads(PARAMS, X, Y, REG)[0]


def test_plain_calls_in_many_threads_are_all_right():
    expected = loss_and_grads(PARAMS, X, Y, REG)[1]
    ok = []

    def worker():
        for _ in range(20):
            grads = loss_and_grads(PARAMS, X, Y, REG)[1]
            ok.append(all(np.array_equal(grads[k], expected[k]) for k in grads))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ok) == 80 and all(ok)


def _buffer():
    return np.arange(12.0)


# (id, params maker, message fragment)
SGD_PARAMS = [
    ("same-array", lambda b: {"a": b, "b": b}, r"params \['a', 'b'\] are one and the same array"),
    (
        "overlapping-slices",
        lambda b: {"a": b[:7], "b": b[5:]},
        r"params\['a'\] and params\['b'\] are overlapping views",
    ),
    ("view-and-base", lambda b: {"w": b, "v": b[3:4]}, r"params\['w'\] and params\['v'\] are overlapping views"),
    ("reshape-and-base", lambda b: {"W": b.reshape(3, 4), "b": b}, r"params\['W'\] and params\['b'\] are overlapping"),
    ("transpose", lambda b: {"W": b.reshape(3, 4), "WT": b.reshape(3, 4).T}, r"params\['W'\] and params\['WT'\]"),
    (
        "column-and-row",
        lambda b: {"r": b.reshape(3, 4)[1], "c": b.reshape(3, 4)[:, 2]},
        r"params\['r'\] and params\['c'\]",
    ),
    ("third-key", lambda b: {"a": b[:2], "x": np.zeros(2), "c": b[1:3]}, r"params\['a'\] and params\['c'\]"),
    ("strided-overlap", lambda b: {"a": b[::3], "b": b[::4]}, r"params\['a'\] and params\['b'\]"),
]


@pytest.mark.parametrize("make, fragment", [c[1:] for c in SGD_PARAMS], ids=[c[0] for c in SGD_PARAMS])
def test_sgd_refuses_parameters_that_share_memory(make, fragment):
    with pytest.raises(ValueError, match=fragment):
        SGD(make(_buffer()), lr=0.1)


@pytest.mark.parametrize("views", [(slice(0, None, 2), slice(1, None, 2)), (slice(0, 6), slice(6, 12))])
def test_sgd_takes_views_that_share_no_element_and_updates_each_once(views):
    b = _buffer()
    params = {"a": b[views[0]], "b": b[views[1]]}
    SGD(params, lr=0.5).step({k: np.ones_like(v) for k, v in params.items()})
    np.testing.assert_array_equal(b, np.arange(12.0) - 0.5)


# (id, grads maker from params, message fragment)
SGD_GRADS = [
    ("grad-is-its-param", lambda p: {"a": p["a"], "b": np.ones(3)}, r"grads\['a'\] shares memory with params\['a'\]"),
    (
        "grad-is-another-param",
        lambda p: {"a": p["b"], "b": np.ones(3)},
        r"grads\['a'\] shares memory with params\['b'\]",
    ),
    (
        "grad-views-a-param",
        lambda p: {"a": np.ones(3), "b": p["a"][::-1]},
        r"grads\['b'\] shares memory with params\['a'\]",
    ),
    (
        "grad-overlaps-a-param",
        lambda p: {"a": np.ones(3), "b": p["buf"][2:5]},
        r"grads\['b'\] shares memory with params",
    ),
]


@pytest.mark.parametrize("make, fragment", [c[1:] for c in SGD_GRADS], ids=[c[0] for c in SGD_GRADS])
def test_sgd_refuses_gradients_that_share_memory_with_a_parameter_and_changes_nothing(make, fragment):
    buf = np.arange(6.0)
    params = {"a": buf[:3], "b": buf[3:]}
    opt = SGD(params, lr=0.1)
    grads = make({**params, "buf": buf})
    with pytest.raises(ValueError, match=fragment):
        opt.step(grads)
    np.testing.assert_array_equal(buf, np.arange(6.0))
    assert opt.velocity == {}


# (id, params maker, message fragment)
NUMERICAL = [
    ("same-array", lambda b: {"a": b, "b": b}, r"params\['a'\] and params\['b'\] share memory"),
    ("overlapping-slices", lambda b: {"a": b[:4], "b": b[2:6]}, r"params\['a'\] and params\['b'\] share memory"),
    ("view-and-base", lambda b: {"all": b, "one": b[2:3]}, r"params\['all'\] and params\['one'\] share memory"),
    ("reshape", lambda b: {"M": b.reshape(2, 3), "v": b}, r"params\['M'\] and params\['v'\] share memory"),
]


@pytest.mark.parametrize("make, fragment", [c[1:] for c in NUMERICAL], ids=[c[0] for c in NUMERICAL])
def test_numerical_gradients_refuses_keys_that_share_memory(make, fragment):
    b = np.arange(1.0, 7.0)
    params = make(b)
    with pytest.raises(ValueError, match=fragment + r".*both would get the total derivative"):
        numerical_gradients(lambda p: float(sum(np.sum(v**2) for v in p.values())), params)
    np.testing.assert_array_equal(b, np.arange(1.0, 7.0))


def test_numerical_gradients_of_interleaved_views_are_the_partial_derivatives():
    b = np.arange(1.0, 7.0)
    params = {"even": b[::2], "odd": b[1::2]}
    grads = numerical_gradients(lambda p: float(np.sum(p["even"] ** 2) + 3 * np.sum(p["odd"])), params)
    np.testing.assert_allclose(grads["even"], 2 * b[::2], rtol=1e-8)
    np.testing.assert_allclose(grads["odd"], 3.0, rtol=1e-8)


def test_the_overlap_helper_is_exact_for_interleaved_views():
    x = np.zeros(10)
    assert fcnet.core.validate.overlap(x[:5], x[4:]) and not fcnet.core.validate.overlap(x[::2], x[1::2])
