"""Hostile command lines: every flag checked before work starts, named in the error; broken streams end quietly.

In-process: a bad value exits 2 with argparse's one line naming the flag, and nothing on stdout.
In a subprocess: a full disk (/dev/full) gives one line on stderr and exit 1, a closed pipe exit 141
and no output at all, a closed stdout one line and exit 1; never a traceback.
"""

import errno
import os
import subprocess
import sys

import pytest

from fcnet.cli import main

# the command line, each run a Python process of its own: make test runs these tests, make test-quick does not
pytestmark = pytest.mark.processes

FLAGS = [
    (["train", "--seed", "-1"], "argument --seed: expected an integer in [0, 4294967295], got '-1'"),
    (["train", "--seed", "1.5"], "argument --seed: expected an integer"),
    (["train", "--seed", "4294967296"], "argument --seed: expected an integer in [0, 4294967295]"),
    (["train", "--seed", "zero"], "argument --seed: expected an integer"),
    (["train", "--split-seed", "-3"], "argument --split-seed: expected an integer in [0, 4294967295], got '-3'"),
    (["train", "--epochs", "0"], "argument --epochs: expected an integer >= 1, got '0'"),
    (["train", "--epochs", "1e3"], "argument --epochs: expected an integer >= 1, got '1e3'"),
    (["train", "--hidden", "0"], "argument --hidden: expected an integer in [1, 16384], got '0'"),
    (["train", "--hidden", "100000"], "argument --hidden: expected an integer in [1, 16384]"),
    (["train", "--lr", "0"], "argument --lr: expected a finite real number > 0, got '0'"),
    (["train", "--lr", "-0.1"], "argument --lr: expected a finite real number > 0, got '-0.1'"),
    (["train", "--lr", "nan"], "argument --lr: expected a finite real number > 0, got 'nan'"),
    (["train", "--lr", "inf"], "argument --lr: expected a finite real number > 0, got 'inf'"),
    (["train", "--lr", "1e400"], "argument --lr: expected a finite real number > 0, got '1e400'"),
    (["train", "--lr", "fast"], "argument --lr: expected a finite real number > 0, got 'fast'"),
    (["train", "--momentum", "1"], "argument --momentum: expected a finite real number >= 0 and < 1, got '1'"),
    (["train", "--momentum", "-0.1"], "argument --momentum: expected a finite real number >= 0 and < 1"),
    (["train", "--momentum", "nan"], "argument --momentum: expected a finite real number >= 0 and < 1, got 'nan'"),
    (["train", "--batch-size", "0"], "argument --batch-size: expected an integer >= 1, got '0'"),
    (["train", "--reg=-1e-3"], "argument --reg: expected a finite real number >= 0, got '-1e-3'"),
    (["train", "--reg", "-1e-3"], "argument --reg: expected one argument"),  # argparse reads -1e-3 as a flag
    (["train", "--reg", "inf"], "argument --reg: expected a finite real number >= 0, got 'inf'"),
    (["train", "--out", "p.txt"], "argument --out: expected a path ending in .npz, got 'p.txt'"),
    (["train", "--out", "missing/x.npz"], "argument --out: the folder 'missing' of 'missing/x.npz' does not exist"),
    (["train", "--out", "folder.npz"], "argument --out: 'folder.npz' is a folder; expected a file path ending in .npz"),
    (["train", "--blas-threads", "0"], "argument --blas-threads: expected an integer in [1, 256], got '0'"),
    (["train", "--blas-threads", "999"], "argument --blas-threads: expected an integer in [1, 256], got '999'"),
    (["train", "--json", "extra"], "unrecognized arguments: extra"),
    (["bench", "--rounds", "0"], "argument --rounds: expected an integer in [1, 1000], got '0'"),
    (["bench", "--rounds", "many"], "argument --rounds: expected an integer in [1, 1000], got 'many'"),
    (["derive", "sigmoid-grad", "--latex", "--check"], "argument --check: not allowed with argument --latex"),
    (["derive", "--latex"], "--latex needs a derivation id"),
    (["derive", "no-such-derivation"], "unknown derivation 'no-such-derivation'"),
    (["example", "--which", "third"], "argument --which: invalid choice: 'third'"),
    (["fly"], "argument COMMAND: invalid choice: 'fly'"),
    ([], "the following arguments are required: COMMAND"),
]


@pytest.mark.parametrize("argv, message", FLAGS, ids=[" ".join(a) or "(nothing)" for a, _ in FLAGS])
def test_a_bad_flag_exits_2_naming_it_before_any_work(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.npz").mkdir()
    assert main(argv) == 2
    out = capsys.readouterr()
    assert message in out.err and out.out == "" and "Traceback" not in out.err


@pytest.mark.parametrize("flags", [["--lr", "1e30"], ["--reg", "1e300"]])
def test_a_diverging_run_names_both_flags_of_the_step(capsys, flags):
    assert main(["train", *flags, "--epochs", "1", "--no-progress"]) == 2
    err = capsys.readouterr().err
    lr, reg = ("1e+30", "0.001") if flags[0] == "--lr" else ("0.02", "1e+300")
    assert err.startswith(f"error: --lr {lr} with --reg {reg} is too large for this run: training diverged")
    assert len(err.splitlines()) == 1


def test_a_failed_save_is_one_line_and_exit_1(capsys, tmp_path, monkeypatch):
    import fcnet.training.checkpoint as checkpoint

    def full_disk(path, params):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(checkpoint, "save_params", full_disk)
    out = tmp_path / "p.npz"
    assert main(["train", "--epochs", "1", "--hidden", "4", "--no-progress", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"error: --out {out}: could not write it (No space left on device); nothing saved\n"


def fcnet_cli(args, **kwargs):
    return subprocess.run([sys.executable, "-m", "fcnet", *args], capture_output=False, timeout=300, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["derive"], ["derive", "linear-grad", "--latex"]])
def test_a_full_disk_is_one_line_on_stderr_and_exit_1(args):
    with open("/dev/full", "w") as full:
        out = fcnet_cli(args, stdout=full, stderr=subprocess.PIPE, text=True)
    assert out.returncode == 1
    assert out.stderr == "python -m fcnet: error writing to standard output: No space left on device\n"


@pytest.mark.parametrize("args", [["derive"], ["derive", "softmax-ce-grad"]])
def test_a_closed_pipe_ends_quietly_with_141(args):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line: every write fails with EPIPE
    try:
        out = fcnet_cli(args, stdout=write, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write)
    assert out.returncode == 141 and out.stderr == ""


def test_a_closed_stdout_is_one_line_and_exit_1():
    out = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.close(1); sys.stdout = None; from fcnet.cli import main; "
         "sys.exit(main(['derive']))"],
        stderr=subprocess.PIPE, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 1 and out.stderr == "python -m fcnet: error: standard output is closed\n"
