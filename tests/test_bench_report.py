"""fcnet.bench.targets: the verdicts on the targets and the text report, on made-up results."""

import pytest

from fcnet.bench.race import SHAPES
from fcnet.bench.targets import TARGETS, format_results, verdicts


def _step(shape, dtype, plain, workspace, frac=0.75, faults=0.0):
    N, D_in, H, C = shape
    side = lambda ms, f: {"ms": ms, "min_ms": 0.9 * ms, "faults_per_step": f, "gemm_fraction": frac, "steps": 40}  # noqa: E731
    return {
        "N": N,
        "D_in": D_in,
        "H": H,
        "C": C,
        "dtype": dtype,
        "sides": {"plain": side(2 * plain, 400.0), "workspace": side(2 * workspace, faults), "torch": side(2, 90.0)},
        "ratios": {"plain": plain, "workspace": workspace},
        "validation_ms": 0.1,
        "validation_fraction": 0.05,
    }


@pytest.fixture
def results():
    out = {
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "platform": "Linux",
            "date": "2026-01-01 00:00 UTC",
            "loadavg_start": [0.1, 0, 0],
            "loadavg_end": [0.2, 0, 0],
        },
        "removed_env": {"OPENBLAS_CORETYPE": "Haswell"},
        "workers": {
            "numpy": "2.4",
            "torch": "2.13",
            "torch_threads": 2,
            "torch_blas": "mkl",
            "blas": [{"internal_api": "openblas", "version": "0.3", "architecture": "SkylakeX", "num_threads": 2}],
        },
        "gemm": {"float64": {"n": 2048, "seconds": 0.25, "gflops": 68.7}},
        "steps": [
            _step(SHAPES[0], "float64", 0.9, 0.5),
            _step(SHAPES[1], "float64", 0.95, 0.6),
            _step(SHAPES[2], "float64", 0.8, 0.55),
            _step(SHAPES[2], "float32", 1.3, 0.9, frac=0.4, faults=60.0),  # float32 is reported, not judged on speed
        ],
        "checks": {
            "net": {"D_in": 64, "H": 32, "C": 10, "N": 16},
            "modes": {
                "full": {"seconds": 1.0, "n_evals": 4820, "relative_cost": 1.0, "times_cheaper": 1.0},
                "directional": {"seconds": 0.004, "n_evals": 4, "relative_cost": 0.004, "times_cheaper": 250.0},
            },
        },
        "settings": {"rounds": 7},
        "seconds": 90.0,
    }
    out["targets"] = verdicts(out)
    return out


def test_speed_targets_are_judged_in_float64(results):
    v = results["targets"]
    assert v["targets"] == TARGETS
    assert (v["workspace_ratio_met"], v["plain_ratio_met"], v["gemm_fraction_met"], v["directional_met"]) == (
        True,
        True,
        True,
        True,
    )
    results["steps"][1]["ratios"]["workspace"] = 0.71
    results["steps"][0]["ratios"]["plain"] = 1.01
    results["steps"][2]["sides"]["workspace"]["gemm_fraction"] = 0.69
    v = verdicts(results)
    assert v["workspace_ratio_met"] is False and v["plain_ratio_met"] is False and v["gemm_fraction_met"] is False


def test_the_fault_target_holds_in_every_configuration(results):
    # 60 faults per workspace step in the float32 row misses the target of 50, whatever the dtype
    assert results["targets"]["workspace_faults_met"] is False
    results["steps"][3]["sides"]["workspace"]["faults_per_step"] = 50.0
    assert verdicts(results)["workspace_faults_met"] is True


def test_unmeasured_targets_are_none_not_false(results):
    results["steps"] = results["steps"][:1]
    results["checks"] = {"net": {}, "error": "no fcnet.gradcheck.checks"}
    v = verdicts(results)
    assert v["gemm_fraction_met"] is None and v["directional_met"] is None
    assert verdicts({"steps": [], "checks": {}})["workspace_ratio_met"] is None


def test_text_report_names_the_machine_the_kernel_and_every_row(results):
    text = format_results(results)
    assert "Test CPU, 2 cores" in text and "openblas 0.3 (kernel SkylakeX, 2 threads)" in text
    assert "removed for the workers: {'OPENBLAS_CORETYPE': 'Haswell'}" in text
    for s in results["steps"]:
        assert f"({s['N']}, {s['D_in']}, {s['H']}, {s['C']})" in text
    rows = [line for line in text.splitlines() if line.startswith("(") and line.split()[5] == "workspace"]
    assert len(rows) == len(results["steps"]) and "0.55" in rows[2] and "250x cheaper" in text
    assert "<= 50 minor page faults per workspace step: False" in text
