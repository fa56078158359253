"""fcnet.bench.race and `python -m fcnet bench`: the structure and arithmetic of the results, never their timings."""

import json
import subprocess
import sys
import tracemalloc

import numpy as np
import pytest

import fcnet
import fcnet.bench.processes
import fcnet.bench.race
from fcnet.bench.processes import REMOVED_ENV, Worker, worker_env
from fcnet.bench.race import SHAPES, run_bench, step_flops
from fcnet.bench.targets import TARGETS, format_results
from fcnet.bench.worker import make_problem

# the benchmark's worker processes: make test runs these tests, make test-quick does not
pytestmark = pytest.mark.processes


@pytest.fixture(scope="module")
def quick():
    out = subprocess.run(
        [sys.executable, "-m", "fcnet", "bench", "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), out.stderr


def test_quick_json_structure(quick):
    res, _ = quick
    keys = {"machine", "removed_env", "workers", "settings", "gemm", "steps", "checks", "targets", "seconds"}
    assert keys <= set(res)
    assert res["settings"]["quick"] is True and {g["n"] for g in res["gemm"].values()} == {512}
    assert set(res["gemm"]) == {"float64", "float32"} and all(g["gflops"] > 0 for g in res["gemm"].values())
    assert res["workers"]["blas"] and "architecture" in res["workers"]["blas"][0]  # the kernel, by threadpoolctl
    assert [(s["N"], s["D_in"], s["H"], s["C"], s["dtype"]) for s in res["steps"]] == [
        (*SHAPES[0], "float64"),
        (*SHAPES[0], "float32"),
    ]
    f64, f32 = res["steps"]
    assert list(f64["sides"]) == ["plain", "workspace", "naive", "primed", "products", "torch"]
    assert list(f32["sides"]) == ["plain", "workspace", "products", "torch"]
    for s in res["steps"]:
        for side, r in s["sides"].items():
            assert 0 < r["min_ms"] <= r["ms"] and r["steps"] >= 4 and r["faults_per_step"] >= 0, side
        assert set(s["ratios"]) == set(s["sides"]) - {"torch"}
        assert s["ratios"]["plain"] == pytest.approx(s["sides"]["plain"]["ms"] / s["sides"]["torch"]["ms"])
        assert 0 < s["validation_ms"]


def test_quick_json_checks_and_targets(quick):
    res, _ = quick
    modes = res["checks"]["modes"]
    assert list(modes) == ["full", "sparse", "directional"]
    # the counts of evaluations of J are exact: 2P for P = 32·64 + 32 + 10·32 + 10 = 2410 parameters
    assert [m["n_evals"] for m in modes.values()] == [2 * 2410, 20, 4]
    assert all(m["passed"] for m in modes.values())
    v = res["targets"]
    assert v["targets"] == TARGETS
    assert v["gemm_fraction_met"] is None  # the large shape is not in a quick run
    assert all(isinstance(v[k], bool) for k in ("workspace_ratio_met", "plain_ratio_met", "workspace_faults_met"))


def test_progress_on_stderr(quick):
    _, err = quick
    assert "bench: GEMM 512² float64" in err and "bench: (64, 784, 128, 10) float32: plain" in err


class _FakeWorker:
    """Stands in for a worker process: fixed step times and faults, so the arithmetic can be checked exactly."""

    STEP = {"plain": 3e-3, "workspace": 1e-3, "naive": 4e-3, "primed": 2e-3, "products": 1.6e-3, "torch": 2e-3}
    FAULTS = {"plain": 500, "workspace": 0, "naive": 900, "primed": 1, "products": 0, "torch": 100}  # per step
    made: list = []

    def __init__(self, side):
        self.side, self.timed, self.pending = side, [], None
        _FakeWorker.made.append(self)

    def send(self, op, **kw):
        self.pending = (op, kw)

    def receive(self, op):
        op, kw = self.pending
        if op in ("time", "validation"):
            # one fast and one slow outlier per block: the median is STEP, the minimum half of it
            t, n = (self.STEP[self.side], kw["repeats"]) if op == "time" else (1e-4, kw["repeats"])
            self.timed.append(n) if op == "time" else None
            return {"times": [0.5 * t] + [t] * (n - 2) + [100 * t], "faults": self.FAULTS[self.side] * n}
        return {"ok": True}

    def call(self, op, **kw):
        self.send(op, **kw)
        return self.receive(op)

    def close(self):
        pass


def _fake_one_shot(kind, **args):
    return {
        "info": {"blas": [], "env": {}, "numpy": "2", "torch": "2", "torch_threads": 2, "torch_blas": "mkl"},
        "gemm": {d: {"n": 512, "seconds": 0.01, "gflops": 100.0} for d in ("float64", "float32")},
        "checks": {m: {"seconds": s, "n_evals": 4, "passed": True} for m, s in (("full", 2.0), ("directional", 0.01))},
    }[kind]


def test_run_bench_reports_medians_ratios_faults_and_gemm_fractions(monkeypatch):
    _FakeWorker.made = []
    monkeypatch.setattr(fcnet.bench.race, "Worker", _FakeWorker)
    monkeypatch.setattr(fcnet.bench.race, "one_shot", _fake_one_shot)
    res = run_bench(quick=True, rounds=3, gap=0.0, block=0.05)
    f64 = res["steps"][0]
    # ours / PyTorch of the medians: 3 ms / 2 ms and 1 ms / 2 ms, not the inverse, not of the minima or means
    ratios = {"plain": 1.5, "workspace": 0.5, "naive": 2.0, "primed": 1.0, "products": 0.8}
    assert f64["ratios"] == pytest.approx(ratios)
    assert f64["sides"]["plain"]["min_ms"] == pytest.approx(1.5)
    assert {k: s["faults_per_step"] for k, s in f64["sides"].items()} == _FakeWorker.FAULTS
    # the GEMM fraction: step flops / step time / GEMM rate (100 GFLOP/s)
    gflop = step_flops(*SHAPES[0]) / 1e9
    assert f64["sides"]["workspace"]["gemm_fraction"] == pytest.approx(gflop / 1e-3 / 100.0)
    assert f64["validation_fraction"] == pytest.approx(0.1 / 1.0)
    # every timed step counted: ceil(0.05 s / step) per block and round, after a 3-step warm-up
    plain = next(w for w in _FakeWorker.made if w.side == "plain")
    assert plain.timed == [3, 17, 17, 17] and f64["sides"]["plain"]["steps"] == 51
    # one fresh worker per side and configuration: 6 in float64, 4 in float32
    made = [w.side for w in _FakeWorker.made]
    assert made[:6] == ["plain", "workspace", "naive", "primed", "products", "torch"]
    assert made[6:] == ["plain", "workspace", "products", "torch"]
    assert res["checks"]["modes"]["directional"]["times_cheaper"] == pytest.approx(200.0)
    assert res["targets"]["workspace_ratio_met"] is True and res["targets"]["plain_ratio_met"] is False
    # the products alone take 0.8 of PyTorch's step: a 0.7 target is out of reach, whatever the rest costs
    assert res["targets"]["workspace_ratio_reachable"] is False
    assert "products alone / PyTorch: (64, 784, 128, 10) 0.80" in format_results(res)


@pytest.mark.parametrize("N, D_in, H, C", [*SHAPES, (3, 5, 4, 2)])
def test_step_flops_counts_the_five_matrix_products(N, D_in, H, C):
    # (rows, inner, columns) of W1 X, W2 a1, δ2 a1ᵀ, W2ᵀ δ2, δ1 Xᵀ; a product costs 2·rows·inner·columns
    products = [(H, D_in, N), (C, H, N), (C, N, H), (H, C, N), (H, N, D_in)]
    assert step_flops(N, D_in, H, C) == sum(2 * m * k * n for m, k, n in products)


@pytest.mark.parametrize("side", ["naive", "primed"])
def test_the_naive_step_gives_the_public_steps_floats(side):
    import fcnet.bench.worker as worker

    step, validation = worker.setup(side, 6, 5, 4, 3, "float64")
    loss, grads = step()
    want_loss, want = fcnet.loss_and_grads(*make_problem(6, 5, 4, 3, "float64"))
    # the same functions in the same order: the same floats; only where the arrays live differs
    assert loss == want_loss and all(np.array_equal(grads[k], want[k]) for k in want) and validation is None


def test_the_products_side_runs_the_steps_five_products_and_nothing_else(monkeypatch):
    import fcnet.bench.worker as worker

    N, D_in, H, C = 6, 5, 4, 3
    step, validation = worker.setup("products", N, D_in, H, C, "float64")
    seen, matmul = [], np.matmul

    def spy(a, b, out):
        seen.append((a.shape[0], a.shape[1], b.shape[1]))
        return matmul(a, b, out=out)

    monkeypatch.setattr(worker.np, "matmul", spy)
    step()
    # a product left out would make the floor too low; the five are the flops the GEMM fraction counts
    assert len(seen) == 5 and sum(2 * m * k * n for m, k, n in seen) == step_flops(N, D_in, H, C)
    assert validation is None


def test_a_worker_error_is_raised_with_the_worker_name():
    w = Worker("plain")
    try:
        with pytest.raises(RuntimeError, match="the plain worker failed during 'nonsense': unknown op 'nonsense'"):
            w.call("nonsense")
        with pytest.raises(RuntimeError, match="the plain worker failed during 'setup': KeyError"):
            w.call("setup", N=2, D_in=3, H=4, C=2, dtype="float16")
        assert w.call("setup", N=2, D_in=3, H=4, C=2, dtype="float64")["ok"] is True
        reply = w.call("time", repeats=2)
        assert len(reply["times"]) == 2 and all(t > 0 for t in reply["times"]) and reply["faults"] >= 0
    finally:
        w.close()
    assert w.proc.returncode == 0


def test_the_workers_run_without_the_openblas_overrides(monkeypatch):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    monkeypatch.setenv("OPENBLAS_L2_SIZE", "1000000")
    env, removed = worker_env()
    assert removed == {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "1000000"}
    assert not set(REMOVED_ENV) & set(env) and env["PATH"]  # the rest is passed on unchanged
    info = fcnet.bench.processes.one_shot("info")
    assert not set(REMOVED_ENV) & set(info["env"])


def test_make_problem_is_the_same_for_every_side_and_frees_nothing_large():
    a, b = make_problem(8, 5, 4, 3, "float32"), make_problem(8, 5, 4, 3, "float32")
    assert all(np.array_equal(a[0][k], b[0][k]) for k in a[0]) and a[0]["W1"].dtype == np.float32
    np.testing.assert_array_equal(a[1], b[1])
    # no temporary is freed before the race: the peak is the problem itself (a freed block would raise
    # glibc's thresholds and hide the plain call's page faults)
    tracemalloc.start()
    try:
        params, X, y, _ = make_problem(256, 784, 512, 10, "float64")
        size = X.nbytes + y.nbytes + sum(p.nbytes for p in params.values())
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - current < 64 * 2**10 and current >= size


def test_save_with_quick_is_refused():
    out = subprocess.run([sys.executable, "-m", "fcnet", "bench", "--quick", "--save"], capture_output=True, text=True)
    assert out.returncode == 2 and "--save with --quick" in out.stderr
