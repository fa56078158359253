"""`python -m fcnet example`: the worked examples by every witness."""

import json
import subprocess
import sys

import pytest

from fcnet.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "fcnet", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("which", ["seed", "second"])
def test_example_json(which):
    out = run_cli("example", "--which", which, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["example"] == which
    assert {"numpy", "torch", "finite_differences"} <= set(report["witnesses"])
    for w in report["witnesses"].values():
        assert sorted(w["grads"]) == ["W1", "W2", "b1", "b2"]
    pairs = {(p["a"], p["b"]): p for p in report["agreement"]}
    # whole-gradient norm-relative errors: float64 vs float64 ~1e-16, finite differences ~1e-10
    assert pairs[("numpy", "torch")]["norm_rel_error"] < 1e-12
    assert pairs[("numpy", "finite_differences")]["norm_rel_error"] < 1e-8


def test_example_text_names_every_witness(capsys):
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    assert "Worked example 'seed'" in out and "loss = 35.609437912434" in out
    for name in ("numpy", "torch", "finite_differences"):
        assert f"== {name} ==" in out


def test_example_rejects_an_unknown_example():
    out = run_cli("example", "--which", "third")
    assert out.returncode == 2 and "invalid choice: 'third'" in out.stderr
