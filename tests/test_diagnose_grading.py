"""Grading a class with `fcnet diagnose`: several files and folders, the CSV, Gradescope, JSON for every outcome.

The class is `fcnet.diagnose.examples.SUBMISSIONS` (shipped with fcnet; each file's expected grade is
in ``GRADES``), graded once by the module fixture with the command the "Grading a class" page runs.
"""

from __future__ import annotations

import csv
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fcnet
from fcnet.cli import main
from fcnet.diagnose import diagnose_file
from fcnet.diagnose.batch import CSV_COLUMNS, expand
from fcnet.diagnose.examples import GRADES, GRADING_COMMANDS, SUBMISSIONS

STUDENTS = Path(__file__).parent / "students"
ENTRIES = ("loss", "W1", "b1", "W2", "b2", "stability")


def command(name: str, **paths) -> list[str]:
    """The page's command ``name`` as argv for `fcnet.cli.main`, its folders replaced by ``paths``."""
    argv = shlex.split(GRADING_COMMANDS[name].replace("SUBMISSIONS", str(SUBMISSIONS)))
    for old, new in paths.items():  # an argument, or the start of a path
        argv = [str(new) + a[len(old) :] if a == old or a.startswith(old + "/") else a for a in argv]
    assert argv[:3] == ["python", "-m", "fcnet"]
    return argv[3:]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The page's class command run once in a fresh folder, with --json: (status, JSON, folder)."""
    folder = tmp_path_factory.mktemp("class")
    argv = command("class", **{"grades.csv": folder / "grades.csv", "gradescope": folder / "gradescope"})
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main([*argv, "--json"])
    return status, json.loads(out.getvalue()), folder


def test_the_class_is_graded_in_one_command_each_file_as_expected(graded):
    status, obj, _ = graded
    assert status == 1  # some files fail
    assert obj["fcnet"] == fcnet.__version__ and obj["graded"] == len(GRADES) == len(obj["files"])
    for f in obj["files"]:
        name = Path(f["file"]).stem
        grade = GRADES[name]
        assert f["error"] is None and f["fcnet"] == fcnet.__version__ and f["seconds"] > 0
        verdicts = [("loss", f["loss"]), *f["grads"].items(), ("stability", f["stability"])]
        got = {k: tuple(v["causes"]) for k, v in verdicts if not v["ok"]}
        if grade.layout == "rows":  # graded in the columns layout: every entry raises, and the hint says why
            assert not f["passed"] and got["loss"] == ("raised",)
            assert any("try --layout rows" in n for n in f["notes"]), f["notes"]
            continue
        assert (f["passed"], got) == (grade.passed, grade.causes), name
        assert f["score"] == 5 - sum(k != "stability" for k in grade.causes) and f["max_score"] == 5


def test_the_csv_has_a_row_per_file_and_a_column_per_entry(graded):
    _, obj, folder = graded
    with open(folder / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == len(GRADES)
    by_name = {Path(r["file"]).stem: r for r in rows}
    assert by_name["mean_bias"]["b1"] == "extra-batch-mean" and by_name["mean_bias"]["score"] == "3"
    assert by_name["no_penalty_naive"]["loss"] == "loss-missing-reg"
    assert by_name["no_penalty_naive"]["stability"] == "softmax-overflow"
    assert by_name["log_softmax"]["passed"] == "True" and all(by_name["log_softmax"][e] == "ok" for e in ENTRIES)
    assert by_name["loops"]["passed"] == "True" and by_name["loops"]["stability"] == "sigmoid-overflow"
    assert all(float(r["seconds"]) > 0 and r["max_score"] == "5" for r in rows)


def test_gradescope_gets_one_file_per_submission_with_a_test_per_entry(graded):
    _, obj, folder = graded
    files = sorted(p.stem for p in (folder / "gradescope").glob("*.json"))
    assert files == sorted(GRADES)
    result = json.loads((folder / "gradescope" / "mean_bias.json").read_text(encoding="utf-8"))
    assert set(result) == {"score", "execution_time", "output", "visibility", "extra_data", "tests"}
    assert result["score"] == 3 and result["execution_time"] > 0
    assert result["extra_data"]["file"].endswith("mean_bias.py") and result["extra_data"]["fcnet"] == fcnet.__version__
    names = [t["name"] for t in result["tests"]]
    stability = "stability (extreme logits, saturated sigmoids)"
    assert names == ["the loss (loss)", "dW1 (W1)", "db1 (b1)", "dW2 (W2)", "db2 (b2)", stability]
    assert sum(t["score"] for t in result["tests"]) == result["score"]
    assert [t["max_score"] for t in result["tests"]] == [1, 1, 1, 1, 1, 0]  # stability: a warning unless --strict
    db1 = result["tests"][2]
    assert db1["status"] == "failed" and db1["score"] == 0 and db1["visibility"] == "visible"
    assert "extra-batch-mean" in db1["output"] and "reread (D6) Batch mean and L2 penalty" in db1["output"]
    assert all(set(t) == {"name", "score", "max_score", "status", "output", "visibility"} for t in result["tests"])


def test_rows_layout_grades_cs231n_code_and_strict_fails_instability(capsys):
    assert main(command("rows")) == 0
    assert "note: run in the rows layout" in capsys.readouterr().out
    assert main(command("strict")) == 1
    out = capsys.readouterr().out
    assert "stability softmax-overflow" in out and "FAILED: stability wrong (score 5/6)" in out
    assert main(command("strict")[:-1]) == 0  # without --strict: a warning
    assert "warning: unstable at extreme logits" in capsys.readouterr().out


def test_a_gradescope_run_autograder_writes_results_json(tmp_path, capsys):
    # the page's run_autograder line, with /autograder in a temporary folder
    (tmp_path / "submission").mkdir()
    shutil.copy(SUBMISSIONS / "forgot_mean.py", tmp_path / "submission" / "net.py")
    assert main([*command("autograder", **{"/autograder": tmp_path}), "--visibility", "after_published"]) == 1
    result = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert result["score"] == 1 and {t["visibility"] for t in result["tests"]} == {"after_published"}
    assert "FAILED: W1, b1, W2, b2 wrong" in result["output"] and "net.py" in capsys.readouterr().out


def test_a_file_that_cannot_be_graded_still_gets_a_results_json(tmp_path):
    out = tmp_path / "results.json"
    assert main(["diagnose", str(STUDENTS / "hostile_syntax.py"), "--gradescope", str(out)]) == 2
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["score"] == 0 and result["tests"] == [] and "SyntaxError" in result["output"]


@pytest.mark.parametrize(
    "argv, status, error",
    [
        (["hostile_syntax.py"], 2, "does not import: SyntaxError"),
        (["no_such.py"], 2, "no such file or folder"),
        (["correct_notes.py", "--jobs", "0"], 2, "usage error: argument --jobs"),
        (["correct_notes.py", "--nope"], 2, "usage error: unrecognized arguments: --nope"),
        (["correct_notes.py", "--rtol", "nan"], 2, "usage error: argument --rtol"),
        (["correct_notes.py", "--layout", "diagonal"], 2, "usage error: argument --layout"),
        (["broken_notebook.ipynb"], 2, "is not a Jupyter notebook that can be read"),
        (["ruff.toml"], 2, "is not a .py file or a .ipynb notebook"),
    ],
)
def test_every_outcome_under_json_is_a_json_object_with_error(argv, status, error, capsys):
    argv = [str(STUDENTS / argv[0]), *argv[1:]]
    assert main(["diagnose", *argv, "--json"]) == status
    out = capsys.readouterr().out
    assert out.strip(), "a 0-byte result"
    obj = json.loads(out)
    assert error in obj["error"] and obj["passed"] is False and obj["score"] == 0 and obj["fcnet"] == fcnet.__version__


@pytest.mark.parametrize(
    "files, status", [(["correct_notes", "correct_layers"], 0), (["correct_notes", "sign"], 1),
                      (["correct_notes", "no_such"], 2), (["correct_notes", "hostile_syntax"], 1)],
)  # fmt: skip
def test_exit_status_of_several_files(files, status, capsys):
    assert main(["diagnose", *(str(STUDENTS / f"{f}.py") for f in files), "--jobs", "2"]) == status
    out, err = capsys.readouterr()
    if status != 2:
        assert len(out.strip().splitlines()) == len(files) + 2 and "passed" in out
    if "hostile_syntax" in files:
        assert "not graded: " in out and "SyntaxError" in out


def test_a_notebook_is_graded_by_its_code_cells_in_order():
    d = diagnose_file(STUDENTS / "notebook.ipynb")
    assert d.passed and d.file.endswith("notebook.ipynb"), str(d)


def test_a_folder_means_its_py_files(tmp_path):
    for name in ("b.py", "a.py", "notes.txt", "c.ipynb"):
        (tmp_path / name).write_text("")
    assert [p.name for p in expand([tmp_path])] == ["a.py", "b.py"]
    assert [p.name for p in expand([tmp_path / "c.ipynb", tmp_path])] == ["c.ipynb", "a.py", "b.py"]


def test_a_run_that_times_out_keeps_the_probes_it_finished():
    d = diagnose_file(STUDENTS / "slow_later.py", timeout=2.0)
    v = d.verdicts["W1"]
    # 'wide' is the sixth ordinary probe: the five before it count, the one it was on is named
    assert v.cause == "timeout" and "right on the 5 of 6 ordinary probes it finished" in v.message
    assert "on probe 'wide'" in v.message and v.credit == pytest.approx(5 / 6)
    assert d.score == pytest.approx(5 * 5 / 6, abs=1e-3) and not d.passed
    assert [p["status"] for p in d.probes] == ["ok"] * 5 + ["not run"] * (len(d.probes) - 5)


def test_an_unwritable_csv_path_is_a_usage_error_not_a_traceback(tmp_path, capsys):
    assert main(["diagnose", str(STUDENTS / "correct_notes.py"), "--csv", str(tmp_path)]) == 2
    assert "cannot write" in capsys.readouterr().err


def _unshare_allowed() -> bool:
    try:
        return subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"], timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _unshare_allowed(), reason="this machine does not allow user namespaces")
def test_the_security_section_s_unshare_command_grades_the_class_without_network(tmp_path):
    shutil.copytree(SUBMISSIONS, tmp_path / "submissions")
    argv = shlex.split(GRADING_COMMANDS["unshare"].replace("SUBMISSIONS", "submissions"))
    assert {"--net", "--pid", "--kill-child", "--user"} <= set(argv)
    argv[argv.index("python")] = sys.executable
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr  # the class has failing files
    with (tmp_path / "grades.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {Path(r["file"]).stem for r in rows} == set(GRADES)
    expected = {k: g.passed and g.layout == "columns" for k, g in GRADES.items()}  # graded in the columns layout
    assert {Path(r["file"]).stem: r["passed"] == "True" for r in rows} == expected


def test_the_security_section_s_docker_command_isolates_the_grader():
    argv = shlex.split(GRADING_COMMANDS["docker"])
    image = argv.index("fcnet-grader")
    options, command = argv[2:image], argv[image + 1 :]
    assert argv[:2] == ["docker", "run"] and "--rm" in options and "--read-only" in options
    flags = dict(zip(options, options[1:]))
    assert flags["--network"] == "none" and flags["--memory"] == flags["--memory-swap"] == "2g"
    assert int(flags["--pids-limit"]) > 16  # the grader's own cap on a file's processes fits inside it
    mounts = [b for a, b in zip(options, options[1:]) if a == "-v"]
    assert any(m.endswith(":/submissions:ro") for m in mounts)
    assert command[:3] == ["python", "-m", "fcnet"]
    from fcnet.cli import build_parser

    args = build_parser().parse_args(command[3:])
    assert args.path == ["/submissions"] and args.csv == "/grades/grades.csv"
