"""fcnet.bench and `python -m fcnet bench`: the structure of the results, never their timings."""

import json
import subprocess
import sys

import numpy as np
import pytest

from fcnet.bench import SHAPES, _Worker, step_flops
from fcnet.bench_report import TARGETS


@pytest.fixture(scope="module")
def quick():
    out = subprocess.run(
        [sys.executable, "-m", "fcnet", "bench", "--quick", "--json"], capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), out.stderr


def test_quick_json_structure(quick):
    res, _ = quick
    assert {"machine", "numpy_worker", "torch_worker", "settings", "gemm", "steps", "checks", "targets", "seconds"} <= set(res)
    assert res["settings"]["quick"] is True and res["settings"]["gemm_n"] == 512
    assert set(res["gemm"]) == {"float64", "float32"} and all(g["gflops"] > 0 for g in res["gemm"].values())
    assert [(s["N"], s["D_in"], s["H"], s["C"], s["dtype"]) for s in res["steps"]] == [
        (*SHAPES[0], "float64"),
        (*SHAPES[0], "float32"),
    ]
    for s in res["steps"]:
        assert s["numpy_ms"] > 0 and s["torch_ms"] > 0
        assert s["ratio"] == pytest.approx(s["numpy_ms"] / s["torch_ms"])
        assert s["numpy_min_ms"] <= s["numpy_ms"] and s["torch_min_ms"] <= s["torch_ms"]
        assert 0 < s["validation_fraction"] and s["steps_timed"]["numpy"] >= 4 and s["steps_timed"]["torch"] >= 4
    assert res["numpy_worker"]["pid"] != res["torch_worker"]["pid"]  # each side in its own process


def test_quick_json_checks_and_targets(quick):
    res, _ = quick
    modes = res["checks"]["modes"]
    assert list(modes) == ["full", "sparse", "directional"]
    assert modes["full"]["relative_cost"] == 1.0
    # the counts of evaluations of J are exact: 2P for P = 32·64 + 32 + 10·32 + 10 = 2410 parameters
    assert modes["full"]["n_evals"] == 2 * 2410 and modes["sparse"]["n_evals"] == 20 and modes["directional"]["n_evals"] == 4
    assert all(m["passed"] for m in modes.values())
    v = res["targets"]
    assert v["targets"] == TARGETS
    assert v["gemm_fraction_met"] is None  # the large shape is not in a quick run
    assert isinstance(v["ratio_max_met"], bool) and isinstance(v["directional_met"], bool)


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
    from fcnet.bench_worker import make_problem

    a, b = make_problem(8, 5, 4, 3, "float32"), make_problem(8, 5, 4, 3, "float32")
    assert all(np.array_equal(a[0][k], b[0][k]) for k in a[0]) and a[0]["W1"].dtype == np.float32
    np.testing.assert_array_equal(a[1], b[1])
