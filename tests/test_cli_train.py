"""`python -m fcnet train`: JSON on stdout and nothing else, the bar on stderr, a loadable .npz, reproducible."""

import json
import subprocess
import sys

import numpy as np
import pytest

from fcnet.cli import main
from fcnet.training.checkpoint import load_params

# the command line, each run a Python process of its own: make test runs these tests, make test-quick does not
pytestmark = pytest.mark.processes


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "fcnet", "train", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same short run (2 epochs) twice, with seed 3."""
    d = tmp_path_factory.mktemp("train")
    outs = [run_cli("--epochs", "2", "--seed", "3", "--json", "--out", str(d / f"p{i}.npz")) for i in (0, 1)]
    return outs, [d / "p0.npz", d / "p1.npz"]


def test_json_is_the_only_stdout(two_runs):
    (out, _), _ = two_runs
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 1
    summary = json.loads(out.stdout)
    assert {"train_accuracy", "test_accuracy", "final_loss", "seconds"} <= set(summary)
    assert 0.5 < summary["test_accuracy"] <= 1.0 and 0 < summary["final_loss"] < 2.3 and summary["seconds"] > 0
    assert summary["epochs"] == 2 and summary["seed"] == 3


def test_progress_bar_on_stderr(two_runs):
    (out, _), _ = two_runs
    assert "2/2" in out.stderr and "loss=" in out.stderr and "test=" in out.stderr


def test_same_seed_same_parameters_and_metrics(two_runs):
    (a, b), paths = two_runs
    pa, pb = load_params(paths[0]), load_params(paths[1])
    for k in pa:
        assert pa[k].tobytes() == pb[k].tobytes(), k
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert {k: ja[k] for k in ("train_accuracy", "test_accuracy", "final_loss")} == {
        k: jb[k] for k in ("train_accuracy", "test_accuracy", "final_loss")
    }
    assert pa["W1"].shape == (128, 64) and pa["W2"].shape == (10, 128)


def test_text_summary_without_json(capsys):
    assert main(["train", "--epochs", "1", "--hidden", "16", "--no-progress"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("1 epochs in ") and "test accuracy" in out.out
    assert out.err == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["--epochs", "0"], "argument --epochs: expected an integer >= 1, got '0'"),
        (["--lr", "-0.1"], "argument --lr: expected a finite real number > 0, got '-0.1'"),
        (["--out", "p.txt"], "argument --out: expected a path ending in .npz, got 'p.txt'"),
        (["--blas-threads", "0"], "argument --blas-threads: expected an integer in [1, 256], got '0'"),
        (["--split-seed", "-1"], "argument --split-seed: expected an integer in [0, 4294967295], got '-1'"),
    ],
)
def test_bad_options_exit_2_with_a_message(args, message, capsys):
    assert main(["train", "--no-progress", *args]) == 2
    out = capsys.readouterr()
    assert message in out.err and out.out == ""


def test_saved_file_predicts_like_the_run(two_runs):
    """The saved parameters reproduce the reported test accuracy."""
    from fcnet.training.data import load_digits_split
    from fcnet.training.loop import accuracy

    (out, _), paths = two_runs
    data = load_digits_split(seed=0)
    assert np.isclose(
        accuracy(load_params(paths[0]), data.X_test, data.y_test), json.loads(out.stdout)["test_accuracy"]
    )
