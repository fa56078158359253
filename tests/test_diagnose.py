"""`fcnet.diagnose`: the probes, the reference taken apart, the fitting, the API, the CLI and the pytest plugin.

The student files are diagnosed in tests/test_diagnose_students.py.  Here the classifier also
meets synthetic students, built from fcnet's own terms with chosen factors and run in this
process (``sandbox=False``), so that hypothesis can try every combination quickly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fcnet
from fcnet.cli import main
from fcnet.derivations import get
from fcnet.diagnose import CAUSES, Diagnosis, UsageError, diagnose_file
from fcnet.diagnose.api import locate
from fcnet.diagnose.causes import DERIVATIONS
from fcnet.diagnose.fit import FACTORS, fit, rule
from fcnet.diagnose.probes import PROBES
from fcnet.diagnose.reference import reference

STUDENTS = Path(__file__).parent / "students"
ROOT = Path(__file__).resolve().parent.parent


# --- the vocabulary and the probes -------------------------------------------------------------


@pytest.mark.parametrize("see", sorted(DERIVATIONS))
def test_each_derivation_a_cause_points_to_exists_with_that_number_and_title(see):
    assert (get(see).number, get(see).title) == DERIVATIONS[see]


def test_every_cause_points_to_a_known_derivation_or_to_none():
    assert all(c.see is None or c.see in DERIVATIONS for c in CAUSES.values())
    assert {"missing-batch-mean", "softmax-overflow", "unknown", "raised", "not-finite"} <= set(CAUSES)


def test_the_probes_hold_every_contrast_the_causes_need():
    ordinary = [p for p in PROBES if not p.extreme]
    assert {p.N == 1 for p in PROBES} == {True, False} and {p.reg == 0 for p in PROBES} == {True, False}
    assert any(p.params["W1"].shape[0] == p.params["W1"].shape[1] for p in PROBES)  # a square W1
    assert any(p.params["W2"].shape[0] == p.params["W2"].shape[1] for p in PROBES)  # a square W2
    assert all(np.all(p.params["b1"] != 0) for p in PROBES if p.name not in ("seed", "second"))
    # e^z overflows in float64 above 709.78; a column below −745 underflows to 0/0
    assert max(float(p.logits.max()) for p in PROBES) > 709.8
    assert any(np.all(p.logits.max(axis=0) < -745) for p in PROBES)
    assert all(np.abs(p.logits).max() < 20 for p in ordinary)
    # a sigmoid saturates both ways: e^z overflows above 709.78, e^(−z) below −709.78, at ordinary logits
    z1 = [p.params["W1"] @ p.X + p.params["b1"][:, None] for p in PROBES]
    assert any((z > 745).any() and (z < -745).any() and np.abs(p.logits).max() < 20 for z, p in zip(z1, PROBES))
    sizes = [sum(v.size for v in p.params.values()) + p.X.size for p in ordinary]
    assert sizes == sorted(sizes) and PROBES[-2].extreme and PROBES[-1].extreme
    # a sum over the wrong axis has the wrong shape: N differs from D_in, H and C (but in the notes' second example)
    assert all(p.N not in (p.sizes["H"], p.sizes["C"]) for p in PROBES)
    assert [p.name for p in PROBES if p.N == p.sizes["D_in"]] == ["second"]


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_the_reference_s_terms_add_up_to_loss_and_grads(probe):
    ref = reference(probe)
    loss, grads = fcnet.loss_and_grads(*probe.args())
    assert ref.loss == loss
    # float64, a few terms each: agreement to ~1e-15 of the roundoff scale; 1e-12 leaves room
    assert abs(ref.loss_parts["data"] + ref.loss_parts["reg"] - loss) <= 1e-12 * ref.loss_scale
    for k in grads:
        penalty = ref.penalty[k] if k.startswith("W") else 0.0
        assert np.linalg.norm(ref.data[k] + penalty - grads[k]) <= 1e-12 * ref.scale[k], k


# --- fitting -------------------------------------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: abs(v) > 1e-3)


@given(a=finite, c=finite, seed=st.integers(0, 2**32 - 1))
def test_fit_recovers_the_factors_of_two_terms(a, c, seed):
    rng = np.random.default_rng(seed)
    D, R = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    coefs = fit(a * D + c * R, {"a": (D, np.linalg.norm(D)), "c": (R, 0.0)}, scale=np.linalg.norm(abs(a * D)) + abs(c))
    # a well-conditioned 12×2 least-squares problem: relative accuracy ~1e-14
    assert coefs is not None and abs(coefs["a"] - a) <= 1e-9 * abs(a) and abs(coefs["c"] - c) <= 1e-9 * abs(c)
    assert fit(a * D + c * R + 1e-3 * rng.standard_normal(D.shape), {"a": (D, 1.0), "c": (R, 0.0)}, 1.0) is None


def test_a_factor_is_free_where_its_term_vanishes_and_n_equal_1_pins_nothing():
    assert fit(np.ones(3), {"a": (np.ones(3), 1.0), "c": (np.zeros(3), 0.0)}, 1.0) == {"a": 1.0, "c": None}
    assert rule([5.0, 1.0, None], [5, 1, 3]) == "N"  # N = 1 fits N, 1/N and 1: the other probes decide
    assert rule([1 / 5, 1 / 2], [5, 2]) == "1/N" and rule([0.01, 0.01], [5, 2]) == "×0.01"
    assert rule([5.0, 1.5], [5, 2]) is None  # neither a rule nor a constant: no cause is named


# --- the classifier on synthetic students (this process) ---------------------------------------

A_CAUSE = {"1": None, "N": "missing-batch-mean", "1/N": "extra-batch-mean", "-1": "sign"}
C_CAUSE = {"1": None, "0": "missing-reg", "2": "reg-factor", "1/2": "reg-factor"}


def synthetic(key, a, c, transpose=False):
    """A student whose gradient of ``key`` is a(N)·data + c·λ·param (fcnet's terms; the rest right)."""

    def student(params, X, y, reg):
        loss, grads = fcnet.loss_and_grads(params, X, y, reg)
        _, data = fcnet.loss_and_grads(params, X, y, 0.0)
        N = X.shape[1]
        grads[key] = FACTORS[a](N) * data[key] + FACTORS[c](N) * reg * params[key]
        grads[key] = grads[key].T if transpose else grads[key]
        return loss, grads

    return student


@settings(max_examples=40)
@given(key=st.sampled_from(["W1", "W2"]), a=st.sampled_from(list(A_CAUSE)), c=st.sampled_from(list(C_CAUSE)))
def test_factors_on_a_weight_gradient_name_their_causes(key, a, c):
    d = fcnet.diagnose(synthetic(key, a, c), sandbox=False)
    expected = [x for x in (A_CAUSE[a], C_CAUSE[c]) if x]
    wrong = {k: v for k, v in d.verdicts.items() if not v.ok}
    if not expected:
        assert d.passed, str(d)
        return
    assert list(wrong) == [key] and wrong[key].cause == expected[0], str(d)
    assert all(f"also {x}" in wrong[key].message for x in expected[1:])


@pytest.mark.parametrize(
    "key, a, c, cause",
    [("b1", "1", "1", "reg-on-bias"), ("b2", "1", "2", "reg-on-bias"), ("b2", "N", "0", "missing-batch-mean"),
     ("b1", "1/N", "0", "extra-batch-mean"), ("b2", "-1", "0", "sign")],
)  # fmt: skip
def test_factors_on_a_bias_gradient_name_their_causes(key, a, c, cause):
    d = fcnet.diagnose(synthetic(key, a, c), sandbox=False)
    assert {k: v.cause for k, v in d.verdicts.items() if not v.ok} == {key: cause}, str(d)


def test_two_mistakes_in_one_gradient_are_both_named():
    d = fcnet.diagnose(synthetic("W1", "1", "0", transpose=True), sandbox=False)
    assert d.verdicts["W1"].cause == "transposed" and "also missing-reg" in d.verdicts["W1"].message


def test_no_cause_is_named_unless_it_fits_every_probe():
    def sometimes(params, X, y, reg):  # N times too large, but only on batches of more than 3
        loss, grads = fcnet.loss_and_grads(params, X, y, reg)
        if X.shape[1] > 3:
            grads["W2"] = grads["W2"] + (X.shape[1] - 1) * fcnet.loss_and_grads(params, X, y, 0.0)[1]["W2"]
        return loss, grads

    v = fcnet.diagnose(sometimes, sandbox=False).verdicts["W2"]
    assert v.cause == "unknown" and v.see is None and "probe 'square'" in v.message and "W2[" in v.message


def single(params, X, y, reg):
    """fcnet's own net, computed in float32."""
    return fcnet.loss_and_grads({k: p.astype(np.float32) for k, p in params.items()}, X.astype(np.float32), y, reg)


def test_float32_arithmetic_passes_with_float32_tolerances_and_a_note():
    d = fcnet.diagnose(single, sandbox=False)
    assert d.passed, str(d)
    assert any("computed in float32" in n for n in d.notes) and "note: it computed in float32" in str(d)
    # the same results judged with float64's tolerance: float32 rounding (~1e-7) is an unknown error
    strict = fcnet.diagnose(single, sandbox=False, rtol=1e-8)
    assert strict.verdicts["W1"].cause == "unknown" and strict.verdicts["W1"].error < 1e-5
    assert any("tolerance given" in n for n in strict.notes)


def test_float32_with_a_real_bug_still_names_it():
    def forgot_reg(params, X, y, reg):
        loss, grads = single(params, X, y, reg)
        grads["W2"] = grads["W2"] - np.float32(reg) * params["W2"].astype(np.float32)
        return loss, grads

    d = fcnet.diagnose(forgot_reg, sandbox=False)
    assert {k: v.cause for k, v in d.verdicts.items() if not v.ok} == {"W2": "missing-reg"}, str(d)


def test_mixed_precision_wrong_beyond_float32_roundoff_fails():
    def half_step(params, X, y, reg):  # float32 results, one gradient through float16: ~1e-3 relative error
        loss, grads = single(params, X, y, reg)
        grads["W1"] = grads["W1"].astype(np.float16).astype(np.float32)
        return loss, grads

    d = fcnet.diagnose(half_step, sandbox=False)
    assert not d.passed and d.verdicts["W1"].cause == "unknown" and d.verdicts["W1"].error > 1e-4, str(d)


@pytest.mark.parametrize("rtol", [0.0, -1e-3, 1.5, float("nan"), True])
def test_a_bad_rtol_is_refused_by_name(rtol):
    with pytest.raises(ValueError, match="rtol is"):
        fcnet.diagnose(single, sandbox=False, rtol=rtol)


# --- the API ------------------------------------------------------------------------------------


def test_fcnet_s_own_implementation_passes_in_a_child_process():
    d = fcnet.diagnose(fcnet.loss_and_grads)
    assert d.passed and "child process" in d.how and repr(d) == "<Diagnosis of net.py:loss_and_grads: passed>"
    assert locate(fcnet.loss_and_grads)[1:] == ("fcnet.core.net", "loss_and_grads")


def test_a_function_imported_from_a_module_runs_in_a_child_process_by_its_name(tmp_path, monkeypatch):
    (tmp_path / "my_student_net.py").write_text((STUDENTS / "reg_factor.py").read_text())
    monkeypatch.syspath_prepend(str(tmp_path))
    from my_student_net import loss_and_grads

    d = fcnet.diagnose(loss_and_grads)
    assert "child process" in d.how and {k for k, v in d.verdicts.items() if not v.ok} == {"W1", "W2"}


def test_a_lambda_runs_in_a_forked_child_with_a_note_or_here_when_told():
    d = fcnet.diagnose(lambda params, X, y, reg: fcnet.loss_and_grads(params, X, y, reg))
    assert d.passed and "in a forked child process" in d.how and "lambda" in d.how
    here = fcnet.diagnose(lambda params, X, y, reg: fcnet.loss_and_grads(params, X, y, reg), sandbox=False)
    assert here.passed and "in this process" in here.how


def test_a_hang_in_this_process_is_abandoned_after_the_time_limit():
    release = threading.Event()
    d = fcnet.diagnose(lambda *args: release.wait(30), timeout=0.3)
    release.set()  # let the abandoned thread finish
    assert {v.cause for v in d.verdicts.values()} == {"timeout"} and "probe 'single'" in d.verdicts["W1"].message


def test_the_time_limit_counts_from_the_students_code_not_fcnets_own_set_up(monkeypatch):
    # on a loaded machine the child's own set-up (wrapping fcnet's functions, reading the probes) can take longer
    # than a tight limit: it must not be charged to the student as "does not import" or "while importing"
    from fcnet.diagnose import runner

    real = runner.watch
    calls = []

    def slow(used):  # slow the first call only, in the child that the fork makes
        if not calls:
            time.sleep(1.0)
        calls.append(1)
        real(used)

    monkeypatch.setattr(runner, "watch", slow)
    release = threading.Event()
    d = fcnet.diagnose(lambda *args: release.wait(30), timeout=0.3)
    release.set()
    assert {v.cause for v in d.verdicts.values()} == {"timeout"} and "probe 'single'" in d.verdicts["W1"].message


def test_assert_passed_raises_with_the_whole_report():
    d = diagnose_file(STUDENTS / "missing_reg.py")
    with pytest.raises(AssertionError) as err:
        d.assert_passed()
    assert str(err.value) == "\n" + str(d)
    lines = str(d).splitlines()
    entries = ("loss", "W1", "b1", "W2", "b2", "stability")
    assert [line.split()[0] for line in lines if line[:9].strip() in entries] == list(entries)
    assert "W1        missing-reg" in str(d) and "reread D6" in str(d) and "backprop/#batch-mean-l2" in str(d)
    assert repr(d) == "<Diagnosis of missing_reg.py:loss_and_grads: FAILED: W1, W2 missing-reg (reread batch-mean-l2)>"


def test_import_fcnet_leaves_the_machinery_unloaded():
    code = (
        "import sys, fcnet; print(callable(fcnet.diagnose), sorted(m for m in sys.modules if 'fcnet.diagnose.' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True []"


def test_the_subpackage_s_names_load_on_first_use():
    package = sys.modules["fcnet.diagnose"]  # fcnet.diagnose, the attribute, is the function
    assert package.Diagnosis is Diagnosis and Diagnosis.__module__ == "fcnet.diagnose.report"
    assert issubclass(UsageError, ValueError) and fcnet.diagnose is package.diagnose
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        package.nope  # noqa: B018


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("file, status", [("correct_notes", 0), ("sign", 1), ("hostile_syntax", 2), ("no_such", 2)])
def test_exit_status_0_right_1_wrong_2_usage(file, status, capsys):
    assert main(["diagnose", str(STUDENTS / f"{file}.py")]) == status
    out, err = capsys.readouterr()
    assert (status == 2) == bool(err) and (status == 2) != bool(out)
    assert "Traceback" not in out + err


JSON_KEYS = ["file", "target", "fcnet", "seconds", "passed", "score", "max_score", "strict", "notes",
             "uses_reference", "loss", "grads", "stability", "output", "probes", "error"]  # fmt: skip


def test_json_has_exactly_the_documented_keys(capsys):
    assert main(["diagnose", str(STUDENTS / "bias_not_summed.py"), "--json"]) == 1
    obj = json.loads(capsys.readouterr().out)
    assert list(obj) == JSON_KEYS and obj["passed"] is False and obj["error"] is None
    assert obj["file"].endswith("bias_not_summed.py") and obj["fcnet"] == fcnet.__version__
    assert obj["score"] == 3 and obj["max_score"] == 5 and 0 < obj["seconds"] < 600
    assert list(obj["grads"]) == ["W1", "b1", "W2", "b2"]
    for entry in [obj["loss"], *obj["grads"].values(), obj["stability"]]:
        assert list(entry) == ["ok", "cause", "causes", "see", "message", "score"]
    assert obj["grads"]["b2"]["cause"] == "bias-not-summed" and obj["grads"]["b2"]["see"] == "linear-grad"
    assert obj["grads"]["b1"]["causes"] == ["extra-batch-mean"]  # db1 = mean(δ1): the 1/N twice
    assert obj["loss"] == {"ok": True, "cause": None, "causes": [], "see": None,
                           "message": "matches the reference on all 6 probes", "score": 1.0}  # fmt: skip
    assert [p["name"] for p in obj["probes"]] == [p.name for p in PROBES]


def test_function_and_limit_arguments(capsys):
    assert main(["diagnose", str(STUDENTS / "hostile_types.py"), "--function", "nope"]) == 2
    assert "has no function 'nope'" in capsys.readouterr().err
    # main returns argparse's usage code rather than raising SystemExit
    assert main(["diagnose", "x.py", "--timeout", "-1"]) == 2
    assert "--timeout: expected a finite real number > 0 and <= 86400, got '-1'" in capsys.readouterr().err
    assert main(["diagnose", "x.py", "--memory", "0.5"]) == 2  # too little to start Python: not the student's fault
    assert "--memory: expected a finite real number >= 64" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"timeout": float("nan")}, "timeout is nan"),
        ({"timeout": -5}, "timeout is -5"),
        ({"timeout": True}, "timeout is True"),
        ({"memory_mb": float("nan")}, "memory_mb is nan"),
        ({"memory_mb": 1e30}, r"memory_mb is 1e\+30"),
        ({"memory_mb": 0.5}, "memory_mb is 0.5"),
    ],
)
def test_bad_limits_are_refused_by_name_before_any_child_runs(kw, match):
    # before: a NaN or huge limit crashed the child's setrlimit and the report blamed the student's file
    with pytest.raises(ValueError, match=match):
        diagnose_file(STUDENTS / "correct_layers.py", **kw)


# --- in a student's own tests: the pytest plugin ------------------------------------------------


STUDENT_TEST = """
import fcnet
from my_net import loss_and_grads

def test_backprop():
    assert fcnet.diagnose(loss_and_grads).passed
"""


def _run_pytest(folder: Path, *args, extra_path=()):
    folder.mkdir()
    (folder / "my_net.py").write_text((STUDENTS / "missing_reg.py").read_text())
    (folder / "test_my_net.py").write_text(STUDENT_TEST)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*extra_path, str(ROOT), os.environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args, "test_my_net.py"]
    return subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def student_pytest(tmp_path_factory):
    """A student's failing test run by pytest three ways, at once: no plugin, ``-p``, the entry point too."""
    tmp = tmp_path_factory.mktemp("student")
    # a stand-in distribution that declares the entry point fcnet's pyproject.toml declares
    dist = tmp / "site" / "fcnet_entry_point_probe-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fcnet-entry-point-probe\nVersion: 0\n")
    (dist / "entry_points.txt").write_text("[pytest11]\nfcnet.diagnose.pytest_plugin = fcnet.diagnose.pytest_plugin\n")
    plugin = ("-p", "fcnet.diagnose.pytest_plugin")
    runs = {  # name -> (args, extra sys.path)
        # fcnet installed (as here) registers the plugin by its entry point: the student opts out explicitly
        "none": (("-p", "no:fcnet.diagnose.pytest_plugin"), ()),
        "-p": (plugin, ()),
        # the entry point loads it; -p names the same plugin, so pytest skips it rather than registering it twice
        "entry point and -p": (plugin, [str(tmp / "site")]),
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {
            k: pool.submit(_run_pytest, tmp / f"run{i}", *args, extra_path=extra)
            for i, (k, (args, extra)) in enumerate(runs.items())
        }
        return {k: f.result() for k, f in futures.items()}


def test_without_the_plugin_the_assertion_shows_the_one_line_repr(student_pytest):
    out = student_pytest["none"]
    assert out.returncode == 1 and "fcnet diagnose -" not in out.stdout
    assert "<Diagnosis of my_net.py:loss_and_grads: FAILED: W1, W2 missing-reg (reread batch-mean-l2)>" in out.stdout


@pytest.mark.parametrize("how", ["-p", "entry point and -p"])
def test_with_the_plugin_a_failing_test_shows_the_whole_report(student_pytest, how):
    out = student_pytest[how]
    assert out.returncode == 1, out.stdout + out.stderr
    section = out.stdout.split("fcnet diagnose -")[1]
    assert "W1        missing-reg" in section and "W2        missing-reg" in section and "reread D6" in section
