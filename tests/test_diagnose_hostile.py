"""The grader against a hostile student: a verdict cannot be forged, nothing survives, fcnet's failures are fcnet's.

The files under tests/students/ named here tamper with the grader's modules in their own
process, forge the answer files the child writes, return values fcnet cannot read, start
processes meant to outlive the grading, hold memory in forked children, and write files
where they should not.  Each must be judged as failing (never passed, never a traceback in the
parent), and leave nothing running and nothing on disk.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

import fcnet
from fcnet.cli.output import ERRORS
from fcnet.diagnose import UsageError, diagnose, diagnose_file
from fcnet.diagnose.calls import fingerprint, to_record
from fcnet.diagnose.sandbox import InternalError, read_npy, read_npz
from fcnet.diagnose.uses import module_level_diagnose, static_uses

# the grader's sandbox, its supervisor and hostile submissions, each a tree of processes:
# make test runs these tests, make test-quick does not
pytestmark = pytest.mark.processes

STUDENTS = Path(__file__).parent / "students"
reference = importlib.import_module("fcnet.diagnose.reference")
ENTRIES = ("loss", "W1", "b1", "W2", "b2")
ROOT = Path(__file__).resolve().parents[1]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the subreaper and /proc are Linux's")


def _causes(d, entry="loss"):
    return d.verdicts[entry].causes


def _survivors(marker: str) -> list[int]:
    """The processes whose command line holds ``marker``."""
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if marker.encode() in (p / "cmdline").read_bytes():
                    found.append(int(p.name))
            except OSError:
                pass
    return found


# --- a verdict cannot be forged -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "function", "cause"),
    [
        ("tamper_main", "loss_and_grads", "bad-return"),  # the child's call_on_probes replaced: answers nothing
        ("tamper_exit", "loss_and_grads", "crashed"),  # an empty results file and os._exit(0)
        ("tamper_answers", "huge_summary", "bad-return"),
        ("tamper_answers", "object_array", "bad-return"),
        ("tamper_answers", "lying_header", "bad-return"),
        ("tamper_answers", "huge_array", "bad-return"),
        ("tamper_answers", "zip_bomb", "bad-return"),
        ("tamper_answers", "not_a_zip", "bad-return"),
        ("tamper_answers", "fifo_answers", "bad-return"),  # FIFOs where files were expected: never a hang
        ("tamper_answers", "odd_status", "crashed"),
        ("tamper_answers", "not_json", "bad-return"),
        ("tamper_answers", "claims_ok", "bad-return"),
        ("tamper_answers", "wrong_kinds", "bad-return"),
        ("tamper_answers", "bad_progress", "crashed"),
        ("odd_returns", "int_loss_too_large", "bad-return"),
        ("odd_returns", "huge_int8_gradient", "bad-return"),
        ("odd_returns", "array_raises", "bad-return"),
    ],
)
def test_a_forged_or_unreadable_answer_fails_with_a_named_cause(file, function, cause):
    d = diagnose_file(STUDENTS / f"{file}.py", function, timeout=5)
    assert not d.passed
    assert any(cause in v.causes for v in d.verdicts.values()), str(d)
    assert "internal error" not in str(d)


def test_an_odd_return_names_the_entry_it_spoils():
    d = diagnose_file(STUDENTS / "odd_returns.py", "huge_int8_gradient", timeout=5)
    assert _causes(d, "W1") == ("bad-return",) and "far larger" in d.verdicts["W1"].message
    assert d.verdicts["loss"].ok and d.verdicts["W2"].ok
    d = diagnose_file(STUDENTS / "odd_returns.py", "int_loss_too_large", timeout=5)
    assert _causes(d, "loss") == ("bad-return",) and d.verdicts["W1"].ok


def test_a_mutation_is_seen_by_the_judge_whatever_the_child_does_to_numpy():
    d = diagnose_file(STUDENTS / "tamper_array_equal.py", timeout=5)
    assert not d.passed and "mutates-input" in _causes(d) and "X" in d.verdicts["loss"].message


def _sent():
    from fcnet.diagnose.calls import sent_arrays
    from fcnet.diagnose.probes import PROBES

    return sent_arrays(PROBES[0], "columns")


@pytest.mark.parametrize(
    "meta",
    [None, [], "why", {"status": "passed"}, {"status": "ok", "problems": "x"}, {"status": "raised", "error": 3}],
)
def test_a_summary_of_the_wrong_kinds_is_a_bad_return_never_an_exception(meta):
    r = to_record("single", meta, {}, _sent())
    assert r["status"] in ("bad-return", "raised") and not r["grads"]


def test_a_right_answer_sent_back_is_ok_and_a_changed_argument_is_seen():
    sent = _sent()
    loss, grads = fcnet.loss_and_grads({k: sent[k] for k in ("W1", "b1", "W2", "b2")}, sent["X"], sent["y"], 0.1)
    arrays = {"ret-loss": np.asarray(loss), **{f"ret-{k}": g for k, g in grads.items()}}
    after = {k: fingerprint(v) for k, v in sent.items()}
    meta = {"status": "ok", "error": None, "problems": {}, "replaced": [], "after": after}
    assert to_record("single", meta, arrays, sent)["status"] == "ok"
    assert to_record("single", meta, arrays, sent)["mutated"] == []
    meta["after"] = after | {"X": fingerprint(sent["X"] + 1)}
    assert to_record("single", meta, arrays, sent)["mutated"] == ["X"]
    meta["after"] = {}
    assert len(to_record("single", meta, arrays, sent)["mutated"]) == 6  # nothing said: every argument suspect


def test_read_npy_refuses_pickles_lies_and_size(tmp_path):
    path = tmp_path / "a.npy"
    np.save(path, np.arange(3.0))
    assert read_npy(path).tolist() == [0.0, 1.0, 2.0]
    np.save(path, np.array([None]), allow_pickle=True)
    with pytest.raises(ValueError, match="not real numbers"):
        read_npy(path)
    np.save(path, np.zeros(3))
    path.write_bytes(path.read_bytes().replace(b"(3,)", b"(9999,)"))
    with pytest.raises(ValueError, match="bytes of data"):
        read_npy(path)
    np.save(path, np.zeros(1000))
    with pytest.raises(ValueError, match="at most"):
        read_npy(path, cap=100)


def test_read_npz_refuses_compressed_members_and_reads_stored_ones(tmp_path):
    path = tmp_path / "a.npz"
    np.savez(path, a=np.arange(3.0))
    assert read_npz(path)["a"].tolist() == [0.0, 1.0, 2.0]
    np.savez_compressed(path, a=np.zeros(10))
    with pytest.raises(ValueError, match="compressed"):
        read_npz(path)
    path.write_bytes(b"PK not a zip")
    with pytest.raises(ValueError, match="not a readable"):
        read_npz(path)


# --- diagnose(fn) judges fn -------------------------------------------------------------------------


def _module(tmp_path, name, text):
    (tmp_path / f"{name}.py").write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(name)  # left in sys.modules: its name is unique
    finally:
        sys.path.remove(str(tmp_path))


@pytest.mark.parametrize(
    ("first", "then", "passed"), [("sign", "correct_notes", False), ("correct_notes", "sign", True)]
)
def test_diagnose_judges_the_function_passed_not_the_file_edited_since(tmp_path, first, then, passed):
    name = f"edited_{first}_{uuid.uuid4().hex[:8]}"
    module = _module(tmp_path, name, (STUDENTS / f"{first}.py").read_text())
    (tmp_path / f"{name}.py").write_text((STUDENTS / f"{then}.py").read_text())
    d = diagnose(module.loss_and_grads, timeout=5)
    assert d.passed is passed
    assert "edited since" in d.how and any("judged the function passed" in n for n in d.notes)


def test_a_lambda_cannot_patch_the_reference():
    original = reference.net_steps

    def patch(params, X, y, reg):
        reference.net_steps = lambda *a, **k: (0.0, {})
        return 0.0, {}

    d = diagnose(lambda params, X, y, reg: patch(params, X, y, reg), timeout=5)
    assert not d.passed and reference.net_steps is original and "forked" in d.how


# --- uses-reference, and a file that grades itself -------------------------------------------------


def test_fcnet_s_own_answer_is_a_warning_and_strict_fails_it():
    d = diagnose_file(STUDENTS / "uses_reference.py", timeout=5)
    assert d.passed and "fcnet.loss_and_grads" in d.uses_reference and "uses-reference" in str(d)
    assert "line 3: imports fcnet.loss_and_grads" in d.uses_reference
    strict = diagnose_file(STUDENTS / "uses_reference.py", timeout=5, strict=True)
    assert not strict.passed and "uses-reference" in repr(strict)
    assert diagnose_file(STUDENTS / "correct_notes.py", timeout=5).uses_reference is None


def test_torch_autograd_is_seen_at_run_time_even_imported_inside_the_function():
    pytest.importorskip("torch")
    d = diagnose_file(STUDENTS / "uses_autograd.py", timeout=60, strict=True)
    assert not d.passed and "it called torch autograd (Tensor.backward)" in d.uses_reference
    assert d.verdicts["W1"].ok  # right, but not its own work


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import fcnet\nfcnet.loss_and_grads(p, X, y, r)\n", "uses fcnet.loss_and_grads"),
        ("from fcnet.core.net import forward\n", "imports fcnet.forward"),
        ("from fcnet.witnesses.torch_net import torch_loss_and_grads\n", "torch twin"),
        ("import torch\nloss.backward()\n", "backward"),
        ("import torch\nW = torch.tensor(w, requires_grad=True)\n", "requires_grad"),
        ("from torch import autograd\n", "autograd"),
    ],
)
def test_static_uses_finds_each_reference(source, found):
    assert any(found in s for s in static_uses(source))


def test_static_uses_leaves_a_student_s_own_names_alone():
    own = "import numpy as np\ndef forward(W, X):\n    return W @ X\n"
    own += "class L:\n    def backward(self): pass\nL().backward()\n"
    assert static_uses(own) == []


def test_a_module_level_diagnose_runs_once_and_shows_the_fix():
    d = diagnose_file(STUDENTS / "module_diagnose.py", timeout=10)
    assert d.passed and any('if __name__ == "__main__":' in n and "line 12" in n for n in d.notes)
    run = subprocess.run(
        [sys.executable, str(STUDENTS / "module_diagnose.py")], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("passed: the loss and every gradient") == 1 and "__student__" not in run.stderr
    assert module_level_diagnose('if __name__ == "__main__":\n    fcnet.diagnose(f)\n') is None


# --- nothing survives --------------------------------------------------------------------------------


@linux
def test_processes_files_and_shm_do_not_survive_the_grading(tmp_path, monkeypatch):
    marker = f"fcnet-escape-{uuid.uuid4().hex}"
    monkeypatch.setenv("FCNET_TEST_MARKER", marker)
    monkeypatch.chdir(tmp_path)
    d = diagnose_file(STUDENTS / "escape.py", timeout=5)
    assert not d.passed
    time.sleep(0.2)
    assert _survivors(marker) == []
    assert list(tmp_path.iterdir()) == [] and not Path(f"/dev/shm/{marker}").exists()


@linux
def test_the_memory_limit_covers_every_process_the_file_starts():
    d = diagnose_file(STUDENTS / "memory_fork.py", timeout=20, memory_mb=512)
    assert not d.passed and "memory limit of 512 MiB" in d.verdicts["loss"].message


@linux
def test_a_file_that_starts_too_many_processes_is_stopped():
    d = diagnose_file(STUDENTS / "many_processes.py", timeout=20)
    assert not d.passed and "processes at once" in d.verdicts["loss"].message


@linux
@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_ends_the_tree_removes_the_folder_and_exits_128_plus_it(tmp_path, sig, status):
    marker = f"fcnet-escape-{uuid.uuid4().hex}"
    env = dict(os.environ, FCNET_TEST_MARKER=marker, FCNET_TEST_HANG="1", TMPDIR=str(tmp_path))
    cmd = [sys.executable, "-m", "fcnet", "diagnose", str(STUDENTS / "escape.py"), "--timeout", "60"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(_survivors(marker)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_survivors(marker)) >= 2
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == status, err
    time.sleep(0.2)
    assert _survivors(marker) == [] and list(tmp_path.iterdir()) == []
    assert b"Traceback" not in err


# --- fcnet's failures are fcnet's; any terminal ------------------------------------------------------


def test_a_failure_of_fcnet_s_judging_is_an_internal_error(monkeypatch):
    api = importlib.import_module("fcnet.diagnose.api")
    from fcnet.cli import main

    def broken(*a, **k):
        raise KeyError("a bug of fcnet's")

    monkeypatch.setattr(api, "judge_run", broken)
    with pytest.raises(InternalError, match="internal error in fcnet, not in the file graded"):
        diagnose_file(STUDENTS / "correct_notes.py", timeout=5)
    assert main(["diagnose", str(STUDENTS / "correct_notes.py")]) == 3


def test_a_file_that_does_not_import_is_still_a_usage_error():
    with pytest.raises(UsageError, match="does not import"):
        diagnose_file(STUDENTS / "hostile_syntax.py", timeout=5)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_a_failing_report_prints_in_any_terminal_encoding(encoding):
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    run = subprocess.run(
        [sys.executable, "-m", "fcnet", "diagnose", str(STUDENTS / "sign.py")],
        capture_output=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert b"lambda=0.1" in run.stdout and b"FAILED" in run.stdout
    assert "λ ŷ σ ‖W‖² −".encode(encoding, errors=ERRORS).startswith(b"lambda y^ sigma ||W||")


def test_a_reference_patched_in_this_process_is_refused_not_trusted():
    code = (
        "import importlib, fcnet\n"
        "r = importlib.import_module('fcnet.diagnose.reference')\n"
        "r.loss_and_grads = lambda *a, **k: (0.0, {})\n"
        "fcnet.diagnose(lambda p, X, y, reg: (0.0, {}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 1 and "was replaced in this process" in run.stderr and "UsageError" in run.stderr


@pytest.mark.parametrize(
    ("failures", "message", "parsed"),
    [
        (1, "AST constructor recursion depth mismatch (before=42, after=44)", True),
        (2, "AST constructor recursion depth mismatch (before=42, after=44)", True),
        (3, "AST constructor recursion depth mismatch (before=42, after=44)", False),
        (1, "some other internal error", False),
    ],
)
def test_a_parse_that_meets_another_thread_s_parse_is_tried_again(monkeypatch, failures, message, parsed):
    # CPython 3.11 before 3.11.9: an ast.parse outside the grader's lock (a traceback's carets) overlapping one of
    # ours makes ours fail for that moment: a batch graded in threads would fail a file with an internal error
    import ast

    from fcnet.diagnose import uses

    real, calls = ast.parse, []

    def flaky(source, *args, **kwargs):
        calls.append(source)
        if len(calls) <= failures:
            raise SystemError(message)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", flaky)
    if parsed:
        assert uses.parse("x = 1").body[0].targets[0].id == "x" and len(calls) == failures + 1
    else:
        with pytest.raises(SystemError, match=message.split(" (")[0]):
            uses.parse("x = 1")
        assert len(calls) == min(failures, uses.PARSE_ATTEMPTS)
