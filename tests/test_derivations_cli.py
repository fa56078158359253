"""``python -m fcnet derive``: list, show, --latex, --check, and the errors."""

import re
import subprocess
import sys

import pytest

import fcnet.derivations
from fcnet.cli import main
from fcnet.derivations import all_derivations
from fcnet.derivations.base import Derivation, Step
from fcnet.derivations.parts import page


def test_lists_every_number_id_and_title_one_a_line(capsys):
    assert main(["derive"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(all_derivations())
    for line, d in zip(lines, all_derivations(), strict=True):
        number, ident, title = line.split(maxsplit=2)
        assert (number, ident, title) == (d.number, d.id, d.title)


@pytest.mark.parametrize("key", ["softmax-ce-grad", "D2", "d2", "2"])
def test_a_derivation_is_found_by_its_id_or_its_number(key, capsys):
    assert main(["derive", key]) == 0
    assert capsys.readouterr().out.startswith("(D2) Softmax cross-entropy")


@pytest.mark.parametrize("key", ["D99", "0", "", "softmax"])
def test_a_number_or_id_that_names_nothing_is_an_error(key, capsys):
    assert main(["derive", key]) == 2
    assert f"unknown derivation {key!r}" in capsys.readouterr().err


def test_shows_the_steps_as_text(capsys):
    assert main(["derive", "softmax-ce-grad"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(D2) Softmax cross-entropy") and "Precondition:" in out
    assert out.count("Step ") == len(fcnet.derivations.get("softmax-ce-grad").steps)


def test_latex(capsys):
    assert main(["derive", "linear-grad", "--latex"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == fcnet.derivations.get("linear-grad").latex()
    assert out.startswith(r"\begin{align*}") and out.endswith("\\tag{D4}\\label{fcnet:linear-grad}\n\\end{equation}")
    # the explanations that `derive ID` prints are kept, math and all
    assert r"\intertext{Chain rule: $\mathrm{CE}$ depends on $W$ only through $z$;" in out


@pytest.mark.parametrize("d", all_derivations(), ids=lambda d: d.number)
def test_latex_tags_the_whole_result_once_and_labels_it_as_the_site_does(d):
    tex = d.latex()
    # one tag, on one equation holding every line of the result (the site tags its whole aligned block)
    assert tex.count(r"\tag{") == 1 and tex.count(r"\begin{equation}") == 1 and r"\notag" not in tex
    result = tex[tex.index(r"\begin{equation}") :]
    assert all(line in result for line in d.result_lines())
    assert rf"\tag{{{d.number}}}\label{{fcnet:{d.id}}}" in result


def test_text_writes_the_prose_math_in_unicode(capsys):
    assert main(["derive", "softmax-ce-grad"]) == 0
    out = capsys.readouterr().out
    assert "Precondition: the target y sums to one, Σᵢ yᵢ = 1" in out and "$" not in out


def test_latex_all_is_one_standalone_document_numbered_as_on_the_site(capsys, monkeypatch):
    monkeypatch.delenv("FCNET_SITE_URL", raising=False)
    assert main(["derive", "--latex", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("% fcnet: the derivations") and out.count(r"\documentclass") == 1
    assert out.rstrip().endswith(r"\end{document}") and out.isascii()
    tags = re.findall(r"\\tag\{(D\d+)\}", out)
    assert tags == [d.number for d in all_derivations()]
    for d in all_derivations():
        assert rf"\subsection*{{{d.number} \texorpdfstring" in out and rf"\label{{fcnet:{d.id}}}" in out
    # no address unless one is set, and no developer file reference before the appendix
    body, appendix = out.split("Appendix: where each derivation is implemented", 1)
    assert "http" not in out and "127.0.0.1" not in out
    assert "fcnet/" not in body and ".py" not in body and "fcnet/" in appendix and "py:" in appendix


def test_latex_all_links_each_derivation_to_the_site_when_its_address_is_set(capsys, monkeypatch):
    monkeypatch.setenv("FCNET_SITE_URL", "https://example.org/fcnet")
    assert main(["derive", "--latex", "--all"]) == 0
    out = capsys.readouterr().out
    for d in all_derivations():  # on the page that renders it (fcnet.derivations.parts)
        assert rf"\url{{https://example.org/fcnet/{page(d.id)}\#{d.id}}}" in out
    assert r"fcnet/numerical-gradient/\#numdiff-toy}" in out and r"fcnet/beyond/deeper-nets/\#relu-grad}" in out


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
    assert all(d.id in captured.err and d.number in captured.err for d in all_derivations())


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
    monkeypatch.setattr(fcnet.derivations, "all_derivations", lambda: [broken])
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
