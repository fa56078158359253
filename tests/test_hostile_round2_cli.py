"""Hostile command lines, round two: any output encoding, Ctrl-C and SIGTERM at any moment, help to a full disk.

What the output's encoding lacks is spelled in ASCII (`fcnet.cli.output`), never a
UnicodeEncodeError; SIGINT ends a command with one line and status 130, SIGTERM with 143, from the
first line of ``fcnet/__init__.py`` on (the ~0.3 s of imports included) and never with a
traceback; ``--help`` to a full disk fails with status 1 like every other output.
"""

import errno
import io
import os
import signal
import subprocess
import sys
import time

import pytest

import fcnet.training.checkpoint as checkpoint
from fcnet.cli import main
from fcnet.cli.output import ERRORS, spell_ascii

# the command line, each run a Python process of its own: make test runs these tests, make test-quick does not
pytestmark = pytest.mark.processes

# ---------------------------------------------------------------- encodings


def run_with_stdout(argv, encoding, monkeypatch):
    """main(argv) writing to a strict ``encoding`` stream; (status, text written, the stream)."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", write_through=True)
    monkeypatch.setattr(sys, "stdout", stream)
    status = main(argv)
    stream.flush()
    return status, raw.getvalue().decode(encoding), stream


# (argv, a fragment spelled in ASCII where the encoding lacks it)
COMMANDS = [
    (["train", "--help"], "momentum mu in [0, 1)"),
    (["train", "--help"], "L2 strength lambda >= 0"),
    (["derive", "sigmoid-grad"], "sigma"),
    (["derive", "softmax-ce-grad"], "y^"),
    (["example"], "||a-b||/max(||a||,||b||)"),
    (["example", "--which", "second"], "||a-b||"),
]


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1", "koi8-r"])
@pytest.mark.parametrize("argv, fragment", COMMANDS, ids=[" ".join(a) + f": {f}" for a, f in COMMANDS])
def test_output_in_an_encoding_without_greek_spells_it_in_ascii(argv, fragment, encoding, monkeypatch, capsys):
    status, text, stream = run_with_stdout(argv, encoding, monkeypatch)
    assert status == 0 and fragment in text
    assert stream.errors == "strict"  # the stream is given back as it was
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-8", "iso8859-7"])
def test_an_encoding_that_has_the_letters_shows_them(encoding, monkeypatch):
    status, text, _ = run_with_stdout(["train", "--help"], encoding, monkeypatch)
    assert status == 0 and "momentum μ in" in text and "strength λ" in text


# (text, its ASCII spelling)
SPELLINGS = [
    ("λ", "lambda"),
    ("μ", "mu"),
    ("σ(z)", "sigma(z)"),
    ("Σᵢ xᵢ", "sumi xi"),
    ("Δ", "Delta"),
    ("∂J/∂W₁", "dJ/dW1"),
    ("‖x‖²", "||x||^2"),
    ("Wᵀ", "W^T"),
    ("ŷ − y", "y^ - y"),
    ("a ≤ b ≈ c", "a <= b ~ c"),
    ("x → y", "x -> y"),
    ("δ⁽ˡ⁾", "delta^(l)"),
    ("x²ʸ + e⁻ᵗ", "x^2y + e^-t"),
    ("\udcff.npz", "\\xff.npz"),
    ("✓ done", "ok done"),
    ("☃", "\\u2603"),
    ("𝔼", "E"),
]


@pytest.mark.parametrize("text, ascii_text", SPELLINGS, ids=[s[1] for s in SPELLINGS])
def test_each_character_has_an_ascii_spelling(text, ascii_text):
    assert spell_ascii(text) == ascii_text
    assert text.encode("ascii", errors=ERRORS) == ascii_text.encode("ascii")


def fcnet_cli(args, env=None, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "fcnet", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        **kwargs,
    )


def test_pythonioencoding_cp1252_example_runs(tmp_path):
    done = fcnet_cli(["example"], env={"PYTHONIOENCODING": "cp1252"}, cwd=tmp_path)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert b"||a-b||" in done.stdout


def test_a_file_name_that_is_not_utf8_under_strict_utf8_output(tmp_path):
    done = fcnet_cli(
        ["train", "--epochs", "1", "--hidden", "4", "--no-progress", "--out", os.fsdecode(b"\xff.npz")],
        env={"PYTHONIOENCODING": "utf-8:strict"},
        cwd=tmp_path,
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert done.stdout.rstrip().endswith(b"parameters saved to \\xff.npz")
    assert os.listdir(tmp_path) == [os.fsdecode(b"\xff.npz")]


# ---------------------------------------------------------------- signals


def numpy_loaded(pid) -> bool:
    try:
        with open(f"/proc/{pid}/maps") as fh:
            return "numpy" in fh.read()
    except OSError:
        return False


def signalled(args, signum, delay, tmp_path):
    """Start ``python -m fcnet args``; once its imports have begun (NumPy mapped), wait ``delay`` and signal it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "fcnet", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    deadline = time.monotonic() + 120
    while not numpy_loaded(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(delay)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=600)
    return proc.returncode, err.decode()


TRAIN = ["train", "--epochs", "200", "--no-progress"]


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs /proc")
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.4, 1.2])
@pytest.mark.parametrize(
    "signum, status, word",
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["INT", "TERM"],
)
def test_a_signal_at_any_moment_of_train_is_one_line_and_the_conventional_status(tmp_path, signum, status, word, delay):
    code, err = signalled(TRAIN, signum, delay, tmp_path)
    assert code == status and err == f"python -m fcnet: {word}\n", (code, err[-2000:])


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs /proc")
@pytest.mark.parametrize("args, delay", [(["example"], 0.1), (["example"], 0.5), (["derive", "--check"], 0.5)])
def test_ctrl_c_during_other_commands(tmp_path, args, delay):
    code, err = signalled(args, signal.SIGINT, delay, tmp_path)
    assert code == 130 and err == "python -m fcnet: interrupted\n", (code, err[-2000:])


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_a_signal_during_a_save_leaves_no_temporary_and_no_file(tmp_path, monkeypatch, capsys, signum, status):
    def interrupted(fh, **arrays):
        fh.write(b"half")
        os.kill(os.getpid(), signum)  # main's handlers turn it into an exception here
        time.sleep(5)  # not reached: the handler runs first

    monkeypatch.setattr(checkpoint.np, "savez", interrupted)
    out = tmp_path / "p.npz"
    assert main(["train", "--epochs", "1", "--hidden", "4", "--no-progress", "--out", str(out)]) == status
    assert os.listdir(tmp_path) == []
    err = capsys.readouterr().err
    assert err == f"python -m fcnet: {'interrupted' if signum == signal.SIGINT else 'terminated'}\n"


def test_main_gives_back_the_signal_handlers_it_found():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    assert main(["derive"]) == 0
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


# ---------------------------------------------------------------- help to a full disk or a closed pipe


class Failing(io.TextIOBase):
    """A text stream whose every write fails with ``error``."""

    def __init__(self, error):
        self.error = error

    def writable(self):
        return True

    def write(self, text):
        raise self.error


HELP = [["--help"], ["-h"], ["train", "--help"], ["example", "-h"], ["bench", "--help"], ["derive", "--help"]]


@pytest.mark.parametrize("argv", HELP, ids=" ".join)
def test_help_to_a_full_disk_fails_with_1(argv, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", Failing(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    assert main(argv) == 1
    assert capsys.readouterr().err == "python -m fcnet: error writing to standard output: No space left on device\n"


@pytest.mark.parametrize("argv", HELP[:3], ids=" ".join)
def test_help_to_a_closed_pipe_ends_quietly_with_141(argv, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", Failing(BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))))
    assert main(argv) == 141 and capsys.readouterr().err == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["train", "--help"]], ids=" ".join)
def test_help_to_dev_full_in_a_real_process(args):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "fcnet", *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=300
        )
    assert done.returncode == 1
    assert done.stderr == "python -m fcnet: error writing to standard output: No space left on device\n"


def test_help_still_prints_in_full():
    done = fcnet_cli(["train", "--help"])
    assert done.returncode == 0 and b"--momentum MOMENTUM" in done.stdout and b"show this help message" in done.stdout


# (sys.orig_argv, sys.argv, started as the command line?)
STARTS = [
    (["python", "-m", "fcnet", "train"], ["-m", "train"], True),
    (["python", "-mfcnet", "example"], ["-m", "example"], True),
    (["python", "-X", "dev", "-m", "fcnet"], ["-m"], True),
    (["python", "/venv/bin/fcnet", "train"], ["/venv/bin/fcnet", "train"], True),
    (["python", "-m", "fcnet.bench.worker", "numpy"], ["-m", "numpy"], False),
    (["python", "-m", "pytest", "-m", "fcnet"], ["/venv/lib/pytest/__main__.py", "-m", "fcnet"], False),
    (["python", "-c", "import fcnet"], ["-c"], False),
    (["python", "script.py", "-m", "fcnet"], ["script.py", "-m", "fcnet"], False),
]


def _main_thread_only():
    import threading

    if threading.current_thread() is not threading.main_thread():
        pytest.skip("Python runs signal handlers in the main thread only")


def test_a_signal_inside_an_import_is_raised_once_the_import_is_over(tmp_path, monkeypatch):
    # a Ctrl-C raised inside a command's import would be lost in the import lock's callback (the command running on
    # to exit 0) or, inside torch's C++ code, end the process by SIGABRT
    from fcnet.cli import signals

    _main_thread_only()
    (tmp_path / "signalled_at_import.py").write_text(
        "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\nfor _ in range(10**5):\n    pass\nDONE = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(KeyboardInterrupt), signals.raising():
        import signalled_at_import  # noqa: F401

        time.sleep(5)  # the KeyboardInterrupt arrives here, RETRY_SECONDS after the import
    assert sys.modules["signalled_at_import"].DONE and signals.received() == signal.SIGINT
    monkeypatch.delitem(sys.modules, "signalled_at_import")


def test_a_command_whose_interrupt_was_lost_still_ends_with_130(monkeypatch, capsys):
    import weakref

    import fcnet.cli as cli

    _main_thread_only()

    def command(argv):
        # the KeyboardInterrupt is raised inside a weakref callback: Python prints it and goes on
        class Thing:
            pass

        def callback(_):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10**4):
                pass

        thing = Thing()
        ref = weakref.ref(thing, callback)  # noqa: F841
        del thing
        return 0

    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)
    monkeypatch.setattr(cli, "_main", command)
    assert main([]) == 130
    assert capsys.readouterr().err == "python -m fcnet: interrupted\n"


@pytest.mark.parametrize("orig_argv, argv, expected", STARTS, ids=[" ".join(s[0][1:]) for s in STARTS])
def test_the_command_line_is_recognised_only_when_it_is_run(monkeypatch, orig_argv, argv, expected):
    from fcnet.cli import signals

    monkeypatch.setattr(sys, "orig_argv", orig_argv)
    monkeypatch.setattr(sys, "argv", argv)
    assert signals.started_as_command() is expected
