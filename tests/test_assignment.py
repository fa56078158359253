"""``python -m fcnet assignment``: the folder, the starter generated from the core, and its public tests.

The public tests pass on the reference solution run as a student runs them (``python -m pytest`` in
the folder, a process of its own; and so does ``fcnet diagnose``).  They fail on the starter naming
the next TODO, and on the solution with each of the grader's causes planted in it: those runs are
pytest sessions in this process (pytest's own ``pytester``, which gives each session its own
``sys.modules`` and ``sys.path``, so each imports its folder's ``my_net.py``), the same tests and
verdicts without an interpreter started for each of two dozen folders.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fcnet.assignment import solution, starter, write_assignment
from fcnet.assignment.generate import TODOS, build, generated_lines
from fcnet.cli import main
from fcnet.derivations.parts import page
from fcnet.diagnose import CAUSES

# the assignment folder's own pytest, and the grader on it: make test runs these tests, make test-quick does not
pytestmark = pytest.mark.processes

FILES = ["README.md", "grade.sh", "my_net.py", "pytest.ini", "run_autograder", "test_my_net.py"]


def public_tests(folder: Path, *options: str) -> subprocess.CompletedProcess:
    """``python -m pytest`` in the assignment folder, as a student runs it (with no third-party pytest plugin:
    the folder needs none, and this environment's hypothesis plugin alone would double the run's time)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *options],
        cwd=folder,
        env=dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),
        capture_output=True,
        text=True,
        timeout=600,
    )


def public_tests_here(pytester: pytest.Pytester, text: str, *options: str) -> tuple[int, str]:
    """The public tests of a columns folder whose ``my_net.py`` is ``text``, run by a pytest session in this
    process; its exit status and its output."""
    write_assignment(pytester.path, "columns")
    (pytester.path / "my_net.py").write_text(text, encoding="utf-8")
    if "os._exit(" in text:  # it would end this process: a process of its own, as a student runs it
        run = public_tests(pytester.path, *options)
        return run.returncode, run.stdout + run.stderr
    run = pytester.runpytest_inprocess("-q", "-p", "no:hypothesispytest", *options)
    return int(run.ret), "\n".join(run.outlines)


@pytest.fixture(params=["columns", "rows"])
def layout(request):
    return request.param


def test_writes_the_folder(tmp_path, layout, capsys):
    assert main(["assignment", str(tmp_path / "hw"), "--layout", layout]) == 0
    assert sorted(p.name for p in (tmp_path / "hw").iterdir()) == FILES
    assert (tmp_path / "hw" / "my_net.py").read_text(encoding="utf-8") == starter(layout)
    assert all((tmp_path / "hw" / f).stat().st_mode & 0o100 for f in ("grade.sh", "run_autograder"))
    for name in FILES:
        text = (tmp_path / "hw" / name).read_text(encoding="utf-8")
        assert "{{" not in text, f"{name} has a template field left unfilled"
        assert f"--layout {layout}" in text or name in ("my_net.py", "pytest.ini", "test_my_net.py")
    assert "cd " in capsys.readouterr().out


@pytest.mark.parametrize("existing", ["file in it", "a file"])
def test_refuses_an_existing_non_empty_out(tmp_path, existing, capsys):
    out = tmp_path / "hw"
    if existing == "a file":
        out.write_text("mine", encoding="utf-8")
    else:
        out.mkdir()
        (out / "my_net.py").write_text("mine", encoding="utf-8")
    assert main(["assignment", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "expected a new or empty folder" in err
    assert (out if existing == "a file" else out / "my_net.py").read_text(encoding="utf-8") == "mine"


def test_an_empty_out_is_fine(tmp_path):
    (tmp_path / "hw").mkdir()
    assert sorted(p.name for p in write_assignment(tmp_path / "hw")) == FILES


def test_unknown_layout():
    with pytest.raises(ValueError, match="layout is 'cols'; expected one of"):
        write_assignment("never-written", layout="cols")


def test_every_todo_raises_in_order_and_names_its_derivations(layout):
    text = starter(layout)
    ast.parse(text)
    raises = [line.strip() for line in text.splitlines() if line.strip().startswith("raise NotImplementedError(")]
    assert len(raises) == len(TODOS) >= 4
    for k, line in enumerate(raises, 1):
        assert f"TODO {k} of {len(TODOS)}: write d" in line
    for see in ("softmax-ce-grad", "hidden-layer-grad", "batch-mean-l2"):
        assert f"{page(see)}#{see}" in text and page(see) == "backprop/"


def test_the_starter_shows_the_core_formula_comments():
    """Each TODO repeats its building blocks' formula comments, read from the sections the site shows."""
    text = starter()
    for todo in TODOS:
        for ref, names in todo.sections:
            for comment in (c for c in generated_lines(ref, names) if c.startswith("#")):
                assert comment.lstrip("# ") in text, f"{ref}'s comment {comment!r} is not in the starter"


def test_a_renamed_block_variable_fails_loudly(monkeypatch):
    monkeypatch.setattr("fcnet.assignment.generate.section", lambda ref: "dW = np.matmul(upstream, a.T)")
    with pytest.raises(ValueError, match=r"reads \['upstream'\], which the starter has not"):
        generated_lines("fcnet/core/layers.py:affine-dW", {"dW": "dW2", "a": "a1"})


@pytest.mark.parametrize("filled", range(len(TODOS)))
def test_the_public_tests_name_the_next_todo(pytester, filled):
    """Filled up to TODO k, every public test fails naming TODO k + 1."""
    status, out = public_tests_here(pytester, build("columns", filled), "-x")
    assert status == 1, out
    assert f"next: TODO {filled + 1} of {len(TODOS)}: write d" in out, out


def test_the_public_tests_and_the_grader_pass_on_the_solution(tmp_path, layout):
    write_assignment(tmp_path, layout)
    (tmp_path / "my_net.py").write_text(solution(layout), encoding="utf-8")
    run = public_tests(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed" in run.stdout
    graded = subprocess.run(
        [sys.executable, "-m", "fcnet", "diagnose", "my_net.py", "--strict", "--layout", layout],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert graded.returncode == 0, graded.stdout + graded.stderr


#: the gradient-level causes, planted in the solution's result: (loss, g) is its return, N the batch
_GRADIENT_PLANTS = {
    "missing-batch-mean": 'g = {k: N * (v - reg * params[k]) + reg * params[k] if k[0] == "W" else N * v '
    "for k, v in g.items()}",
    "extra-batch-mean": 'g = {k: (v - reg * params[k]) / N + reg * params[k] if k[0] == "W" else v / N '
    "for k, v in g.items()}",
    "missing-reg": 'g["W1"] = g["W1"] - reg * params["W1"]; g["W2"] = g["W2"] - reg * params["W2"]',
    "reg-factor": 'g["W1"] = g["W1"] + reg * params["W1"]; g["W2"] = g["W2"] + reg * params["W2"]',
    "reg-on-bias": 'g["b1"] = g["b1"] + reg * params["b1"]',
    "sigmoid-derivative": 'g["W1"], g["b1"] = sigma_not_its_derivative(params, X, y, reg)',
    "transposed": 'g["W2"] = g["W2"].T',
    "sign": 'g["W2"] = -g["W2"]',
    "bias-not-summed": 'g["b2"] = g["b2"] / N',
    "wrong-shape": 'g["b1"] = g["b1"][:, None]',
    "raised": 'raise ValueError("planted")',
    "mutates-input": 'params["W1"][0, 0] += 1.0',
    "not-finite": 'g["W1"][0, 0] = np.nan',
    "unknown": 'g["W1"] = g["W1"] + 0.01',
    "crashed": "os._exit(3)",
    "bad-return": "return g",
    "uses-reference": "import fcnet; loss, g = fcnet.loss_and_grads(params, X, y, reg)",
}

_WRAPPER = '''

def sigma_not_its_derivative(params, X, y, reg):
    """dW1 and db1 with σ(z1) where σ'(z1) = σ(z1)(1 − σ(z1)) belongs."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    a1 = 1 / (1 + np.exp(-(W1 @ X + b1[:, None])))
    z2 = W2 @ a1 + b2[:, None]
    probs = np.exp(z2 - z2.max(axis=0)) / np.exp(z2 - z2.max(axis=0)).sum(axis=0)
    probs[y, np.arange(N)] -= 1
    dz1 = (W2.T @ probs / N) * a1
    return dz1 @ X.T + reg * W1, dz1.sum(axis=1)


def loss_and_grads(params, X, y, reg):
    import os

    N = X.shape[1]
    loss, g = right(params, X, y, reg)
    PLANT
    return loss, g
'''

#: the causes planted in the given forward pass and loss: (the line as given, as planted)
_FORWARD_PLANTS = {
    "softmax-overflow": (
        "logp = logp - np.log(np.exp(logp).sum(axis=0, keepdims=True))",
        "logp = np.log(np.exp(z2) / np.exp(z2).sum(axis=0, keepdims=True))",
    ),
    "log-underflow": ("probs = np.exp(logp)", "probs = np.exp(logp); logp = np.log(probs)"),
    "sigmoid-overflow": ("a1 = 1 / (1 + np.exp(-z1))", "a1 = np.exp(z1) / (1 + np.exp(z1))"),
    "unstable": ("probs = np.exp(logp)", "probs = np.exp(logp); logp = np.log(np.clip(probs, 1e-12, None))"),
    "loss-not-mean": ("-logp[y, np.arange(N)].mean()", "-logp[y, np.arange(N)].sum()"),
    "loss-missing-reg": (" + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))", ""),
    "loss-reg-factor": ("0.5 * reg * (np.sum(W1", "reg * (np.sum(W1"),
}

#: the grader's causes no plant covers, and why
_NOT_PLANTED = {"timeout": "the public tests call the function directly: a hang would hang them, not fail them"}


def test_every_cause_of_the_grader_is_planted():
    assert set(_GRADIENT_PLANTS) | set(_FORWARD_PLANTS) | set(_NOT_PLANTED) == set(CAUSES)


def planted(cause: str) -> str:
    text = solution("columns")
    if cause in _FORWARD_PLANTS:
        given, plant = _FORWARD_PLANTS[cause]
        assert text.count(given) == 1, f"{given!r} is not once in the starter's forward pass"
        return text.replace(given, plant)
    text = text.replace("def loss_and_grads(", "def right(")
    return text + _WRAPPER.replace("PLANT", textwrap.indent(_GRADIENT_PLANTS[cause], " " * 4).lstrip())


@pytest.mark.parametrize("cause", sorted(set(_GRADIENT_PLANTS) | set(_FORWARD_PLANTS)))
def test_the_public_tests_fail_on_each_planted_cause(pytester, cause):
    status, out = public_tests_here(pytester, planted(cause), "-x")
    assert status != 0, f"{cause}: the public tests passed\n{out}"
    assert "failed" in out or status not in (0, 1), out


def test_the_wheel_carries_every_template():
    """pyproject's package data for fcnet.assignment covers each template a folder is written from."""
    import fnmatch
    import tomllib

    from fcnet.assignment import _FILES
    from fcnet.site.snippets import ROOT

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    for template, _ in _FILES.values():
        assert any(fnmatch.fnmatch(f"templates/{template}", g) for g in globs["fcnet.assignment"]), template
        assert (ROOT / "fcnet" / "assignment" / "templates" / template).is_file()


def test_grade_sh_grades_a_folder_into_a_csv(tmp_path):
    write_assignment(tmp_path / "hw")
    subs = tmp_path / "submissions"
    subs.mkdir()
    (subs / "alice.py").write_text(solution(), encoding="utf-8")
    (subs / "bob.py").write_text(starter(), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHON": sys.executable}
    run = subprocess.run(
        ["sh", str(tmp_path / "hw" / "grade.sh"), str(subs), "--jobs", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    rows = (tmp_path / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and "alice" in "".join(rows) and "1 of 2 passed" in run.stdout
    missing = subprocess.run(
        ["sh", str(tmp_path / "hw" / "grade.sh"), str(subs)],
        cwd=tmp_path,
        env=env | {"PYTHON": "/bin/false"},
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "fcnet is not installed" in missing.stderr


@pytest.mark.parametrize("handed_in", ["solution", "starter", "nothing"])
def test_run_autograder_writes_gradescope_results(tmp_path, handed_in):
    import json

    write_assignment(tmp_path / "hw")
    (tmp_path / "ag" / "submission").mkdir(parents=True)
    if handed_in != "nothing":
        text = solution() if handed_in == "solution" else starter()
        (tmp_path / "ag" / "submission" / "my_net.py").write_text(text, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "AUTOGRADER": str(tmp_path / "ag")}
    run = subprocess.run(
        ["bash", str(tmp_path / "hw" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads((tmp_path / "ag" / "results" / "results.json").read_text(encoding="utf-8"))
    score = results.get("score", sum(t.get("score", 0) for t in results.get("tests", [])))
    if handed_in == "solution":
        assert score > 0 and all(t["score"] == t["max_score"] for t in results["tests"])
    else:
        assert score == 0 or any(t["score"] < t["max_score"] for t in results["tests"])


def test_plain_blocks_generate_plain_lines(monkeypatch):
    """A building block written plainly (no ``out=``) gives the same lines, renamed, an upstream 1 dropped."""
    plain = {
        "softmax-ce-backward": "# ∂J/∂Z = (1/N)(Ŷ − Y)\nY = np.zeros_like(probs)\nY[y, np.arange(N)] = 1\n"
        "dz = dout * (probs - Y) / N",
        "affine-dW": "# ∂J/∂W = (∂J/∂z) aᵀ\ndW = dout @ a.T",
        "sigmoid-backward": "# σ'(z) = σ(z)(1 − σ(z))\ndz = dout * a * (1 - a)",
    }
    monkeypatch.setattr("fcnet.assignment.generate.section", lambda ref: plain[ref.partition(":")[2]])
    (ref, names), *_ = TODOS[0].sections
    assert generated_lines(ref, names)[1:] == [
        "Y = np.zeros_like(probs)",
        "Y[y, np.arange(N)] = 1",
        "dz2 = (probs - Y) / N",
    ]
    assert generated_lines(*TODOS[1].sections[0]) == ["# ∂J/∂W = (∂J/∂z) aᵀ", "dW2 = dz2 @ a1.T"]
    assert generated_lines(*TODOS[2].sections[1])[1:] == ["dz1 = da1 * a1 * (1 - a1)"]
