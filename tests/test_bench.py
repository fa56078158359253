"""fcnet.bench.race and `python -m fcnet bench`: the structure of the results, never their timings."""

import json
import subprocess
import sys

import numpy as np
import pytest

import fcnet.bench.race
from fcnet.bench.race import SHAPES, _Worker, run_bench, step_flops
from fcnet.bench.targets import TARGETS


@pytest.fixture(scope="module")
def quick():
    out = subprocess.run(
        [sys.executable, "-m", "fcnet", "bench", "--quick", "--json"], capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), out.stderr


def test_quick_json_structure(quick):
    res, _ = quick
    assert {
        "machine",
        "numpy_worker",
        "torch_worker",
        "settings",
        "gemm",
        "steps",
        "checks",
        "targets",
        "seconds",
    } <= set(res)
    assert res["settings"]["quick"] is True and res["settings"]["gemm_n"] == 512
    assert set(res["gemm"]) == {"float64", "float32"} and all(g["gflops"] > 0 for g in res["gemm"].values())
    assert [(s["N"], s["D_in"], s["H"], s["C"], s["dtype"]) for s in res["steps"]] == [
        (*SHAPES[0], "float64"),
        (*SHAPES[0], "float32"),
    ]
    for s in res["steps"]:
        assert s["numpy_ms"] > 0 and s["torch_ms"] > 0
        assert s["numpy_min_ms"] <= s["numpy_ms"] and s["torch_min_ms"] <= s["torch_ms"]
        assert 0 < s["validation_fraction"] and s["steps_timed"]["numpy"] >= 4 and s["steps_timed"]["torch"] >= 4
    assert res["numpy_worker"]["pid"] != res["torch_worker"]["pid"]  # each side in its own process


def test_quick_json_checks_and_targets(quick):
    res, _ = quick
    modes = res["checks"]["modes"]
    assert list(modes) == ["full", "sparse", "directional"]
    # the counts of evaluations of J are exact: 2P for P = 32·64 + 32 + 10·32 + 10 = 2410 parameters
    assert (
        modes["full"]["n_evals"] == 2 * 2410
        and modes["sparse"]["n_evals"] == 20
        and modes["directional"]["n_evals"] == 4
    )
    assert all(m["passed"] for m in modes.values())
    v = res["targets"]
    assert v["targets"] == TARGETS
    assert v["gemm_fraction_met"] is None  # the large shape is not in a quick run
    assert isinstance(v["ratio_max_met"], bool) and isinstance(v["directional_met"], bool)


class _FakeWorker:
    """Stands in for a worker process: fixed step times, so run_bench's arithmetic can be checked exactly."""

    STEP = {"numpy": 3e-3, "torch": 2e-3}  # the median step time of each side
    CHECKS = {"full": 2.0, "sparse": 0.5, "directional": 0.01}  # seconds per gradient-check mode

    def __init__(self, kind):
        self.kind, self.timed = kind, []

    def call(self, op, **kw):
        if op == "time":
            # one fast and one slow outlier per block: the median is STEP, the minimum half of it, the mean not STEP
            t, n = self.STEP[self.kind], kw["repeats"]
            self.timed.append(n)
            return {"times": [0.5 * t] + [t] * (n - 2) + [100 * t]}
        replies = {
            "info": {"pid": id(self)},
            "gemm": {"times": [0.01] * kw.get("repeats", 1)},
            "setup": {"ok": True},
            "validation": {"times": [1e-4] * kw.get("repeats", 1)},
            "checks": {m: {"seconds": s, "n_evals": 4, "passed": True} for m, s in self.CHECKS.items()},
        }
        return replies[op]

    def close(self):
        pass


def test_run_bench_reports_medians_their_ratio_and_check_costs_relative_to_the_full_check(monkeypatch):
    workers = []
    monkeypatch.setattr(fcnet.bench.race, "_Worker", lambda kind: workers.append(_FakeWorker(kind)) or workers[-1])
    res = run_bench(quick=True, rounds=3, gap=0.0, block=0.05)
    np_w, torch_w = workers
    for s in res["steps"]:
        # ours / PyTorch of the medians: 3 ms / 2 ms, not the inverse, not of the means (outliers) or the minima
        assert s["numpy_ms"] == pytest.approx(3.0) and s["torch_ms"] == pytest.approx(2.0)
        assert s["ratio"] == pytest.approx(1.5)
        assert s["numpy_min_ms"] == pytest.approx(1.5) and s["torch_min_ms"] == pytest.approx(1.0)
        assert s["validation_fraction"] == pytest.approx(0.1 / 3.0)
    # every timed step counted: a block of ceil(0.05 s / step) steps per side and round, after a 3-step warm-up
    assert np_w.timed == [3, *[17] * 3] * 2 and torch_w.timed == [3, *[25] * 3] * 2
    assert [s["steps_timed"] for s in res["steps"]] == [{"numpy": 51, "torch": 75}] * 2
    modes = res["checks"]["modes"]
    assert {m: r["relative_cost"] for m, r in modes.items()} == pytest.approx(
        {"full": 1, "sparse": 0.25, "directional": 0.005}
    )
    assert modes["directional"]["times_cheaper"] == pytest.approx(200.0)
    assert res["targets"]["ratio_max_met"] is False and res["targets"]["directional_met"] is True


def test_progress_on_stderr(quick):
    _, err = quick
    assert "bench: GEMM 512² float64" in err and "bench: (64, 784, 128, 10) float32: ours" in err


@pytest.mark.parametrize("N, D_in, H, C", [*SHAPES, (3, 5, 4, 2)])
def test_step_flops_counts_the_five_matrix_products(N, D_in, H, C):
    # (rows, inner, columns) of W1 X, W2 a1, δ2 a1ᵀ, W2ᵀ δ2, δ1 Xᵀ; a product costs 2·rows·inner·columns
    products = [(H, D_in, N), (C, H, N), (C, N, H), (H, C, N), (H, N, D_in)]
    assert step_flops(N, D_in, H, C) == sum(2 * m * k * n for m, k, n in products)


def test_a_worker_error_is_raised_with_the_worker_name():
    w = _Worker("numpy")
    try:
        with pytest.raises(RuntimeError, match="the numpy worker failed during 'nonsense': unknown op 'nonsense'"):
            w.call("nonsense")
        with pytest.raises(RuntimeError, match="the numpy worker failed during 'setup': KeyError"):
            w.call("setup", N=2, D_in=3, H=4, C=2, dtype="float16")
        assert w.call("setup", N=2, D_in=3, H=4, C=2, dtype="float64") == {"ok": True}
        assert all(t > 0 for t in w.call("time", repeats=2)["times"])
    finally:
        w.close()
    assert w.proc.returncode == 0


def test_make_problem_is_the_same_for_both_sides():
    from fcnet.bench.worker import make_problem

    a, b = make_problem(8, 5, 4, 3, "float32"), make_problem(8, 5, 4, 3, "float32")
    assert all(np.array_equal(a[0][k], b[0][k]) for k in a[0]) and a[0]["W1"].dtype == np.float32
    np.testing.assert_array_equal(a[1], b[1])
