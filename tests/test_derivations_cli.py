"""``python -m fcnet derive``: list, show, --latex, --check, and the errors."""

import re
import subprocess
import sys

import pytest

import fcnet.derivations
from fcnet.cli import main
from fcnet.derivations import all_derivations
from fcnet.derivations.base import Derivation, Step


def test_lists_every_id_then_its_title_one_a_line(capsys):
    assert main(["derive"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(all_derivations())
    for line, d in zip(lines, all_derivations(), strict=True):
        ident, title = line.split(maxsplit=1)
        assert (ident, title) == (d.id, d.title)


def test_shows_the_steps_as_text(capsys):
    assert main(["derive", "softmax-ce-grad"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(D2) Softmax cross-entropy") and "Precondition:" in out
    assert out.count("Step ") == len(fcnet.derivations.get("softmax-ce-grad").steps)


def test_latex(capsys):
    assert main(["derive", "linear-grad", "--latex"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == fcnet.derivations.get("linear-grad").latex()
    assert out.startswith(r"\begin{align}") and out.endswith("\\tag{D4}\n\\end{align}")
    # the explanations that `derive ID` prints are kept, math and all
    assert r"\intertext{Chain rule: $\mathrm{CE}$ depends on $W$ only through $z$;" in out


def test_text_writes_the_prose_math_in_unicode(capsys):
    assert main(["derive", "softmax-ce-grad"]) == 0
    out = capsys.readouterr().out
    assert "Precondition: the target y sums to one, Σᵢ yᵢ = 1" in out and "$" not in out


def test_latex_all_is_one_standalone_document_numbered_as_on_the_site(capsys):
    assert main(["derive", "--latex", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("% Every derivation") and out.count(r"\documentclass") == 1
    assert out.rstrip().endswith(r"\end{document}") and out.isascii()
    tags = re.findall(r"\\tag\{(D\d+)\}", out)
    assert tags == [d.number for d in all_derivations()]
    for d in all_derivations():
        assert rf"\section*{{{d.number} $\cdot$ " in out and rf"\label{{{d.id}}}" in out
        assert rf"backprop/\#{d.id}" in out


def test_all_prints_every_derivation_as_text(capsys):
    assert main(["derive", "--all"]) == 0
    out = capsys.readouterr().out
    assert [line.split("   [")[-1].rstrip("]") for line in out.splitlines() if line.startswith("(D")] == [
        d.id for d in all_derivations()
    ]


def test_an_id_and_all_together_are_an_error(capsys):
    assert main(["derive", "sigmoid-grad", "--all"]) == 2
    assert "not both" in capsys.readouterr().err


def test_unknown_id_is_a_clear_error(capsys):
    assert main(["derive", "softmax-grad"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown derivation 'softmax-grad'" in captured.err
    assert all(d.id in captured.err for d in all_derivations())


def test_check_passes(capsys):
    assert main(["derive", "sigmoid-grad", "--check"]) == 0
    assert capsys.readouterr().out.startswith("ok    sigmoid-grad")


def test_check_fails_with_exit_1(monkeypatch, capsys):
    def wrong():
        raise AssertionError("1 + 1 is not 3")

    broken = Derivation(
        "broken",
        "D0",
        "A wrong result",
        (Step(fcnet.derivations.get("sigmoid-grad").result, "x"),),
        fcnet.derivations.get("sigmoid-grad").result,
        proof=wrong,
    )
    monkeypatch.setattr(fcnet.derivations, "get", lambda ident: broken)
    assert main(["derive", "broken", "--check"]) == 1
    assert "FAIL  broken: 1 + 1 is not 3" in capsys.readouterr().err


def test_latex_without_an_id_is_an_error(capsys):
    assert main(["derive", "--latex"]) == 2
    assert "--latex needs a derivation id" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["derive", "--help"], ["example", "--help"]])
def test_parsing_the_command_line_imports_no_sympy(argv):
    code = (
        "import sys\nfrom fcnet.cli import build_parser\nbuild_parser()\n"
        "assert 'sympy' not in sys.modules, sorted(m for m in sys.modules if m.startswith('sympy'))[:3]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
