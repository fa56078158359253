"""``python -m fcnet derive --latex --all`` compiles with pdflatex, cleanly, from texlive-latex-base alone.

pdflatex comes from Debian's ``texlive-latex-base`` (``.ci/run`` installs it).  Without it the
test is skipped with a message, except under CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from fcnet.derivations import all_derivations


def _pdflatex_or_skip() -> str:
    found = shutil.which("pdflatex")
    if found:
        return found
    message = "pdflatex not found: install Debian's texlive-latex-base (apt-get install texlive-latex-base)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " - under CI a missing pdflatex is a failure")
    pytest.skip(message)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    pdflatex = _pdflatex_or_skip()
    folder = tmp_path_factory.mktemp("derivations-tex")
    tex = subprocess.run(
        [sys.executable, "-m", "fcnet", "derive", "--latex", "--all"], capture_output=True, text=True, check=True
    ).stdout
    (folder / "derivations.tex").write_text(tex, encoding="ascii")
    for _ in range(2):  # the second run settles hyperref's bookmarks
        run = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "derivations.tex"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout[-3000:]
    return folder, tex


def test_the_document_compiles_to_a_pdf(compiled):
    folder, _ = compiled
    pdf = (folder / "derivations.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000


def test_the_log_is_clean(compiled):
    # no warning, no line or equation sticking out into the margin, no bitmap font made on the fly
    log = (folder := compiled[0] / "derivations.log").read_text(encoding="latin-1")
    problems = re.findall(r"^(?:LaTeX|Package \w+) Warning.*$|^(?:Overfull|Underfull) \\[hv]box.*$", log, re.M)
    assert not problems, (folder, problems)
    assert ".600pk" not in log and "mktexpk" not in log


def test_every_derivation_is_a_numbered_section_with_its_anchor(compiled):
    folder, tex = compiled
    aux = (folder / "derivations.aux").read_text(encoding="latin-1")
    for d in all_derivations():
        assert f"\\newlabel{{{d.id}}}" in aux, d.id
        assert tex.count(rf"\tag{{{d.number}}}") == 1, d.number
