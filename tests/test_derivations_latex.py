"""``python -m fcnet derive --latex --all`` compiles with pdflatex, cleanly, from texlive-latex-base alone.

The PDF is a handout: a title page with the version and the date, a contents page, PDF bookmarks,
the notation table, every derivation under its part.  pdflatex comes from Debian's
``texlive-latex-base`` and pdfinfo/pdftotext from ``poppler-utils`` (``.ci/run`` installs them).
Without them the tests are skipped with a message, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zlib

import pytest

from fcnet.derivations import all_derivations, get
from fcnet.derivations.document import PARTS
from fcnet.release import DATE, __version__


def _pdflatex_or_skip(tool: str = "pdflatex", package: str = "texlive-latex-base") -> str:
    found = shutil.which(tool)
    if found:
        return found
    message = f"{tool} not found: install Debian's {package} (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " - under CI a missing pdflatex is a failure")
    pytest.skip(message)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    pdflatex = _pdflatex_or_skip()
    folder = tmp_path_factory.mktemp("derivations-tex")
    env = {k: v for k, v in os.environ.items() if k != "FCNET_SITE_URL"}
    tex = subprocess.run(
        [sys.executable, "-m", "fcnet", "derive", "--latex", "--all"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
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


def test_every_derivation_is_labelled_for_eqref_and_tagged_once(compiled):
    folder, tex = compiled
    aux = (folder / "derivations.aux").read_text(encoding="latin-1")
    for d in all_derivations():
        # \newlabel{fcnet:id}{{{D2}}...}: the label carries the tag
        assert re.search(rf"\\newlabel\{{fcnet:{d.id}\}}\{{\{{\{{?{d.number}\}}", aux), d.id
        assert tex.count(rf"\tag{{{d.number}}}") == 1, d.number


def test_a_pasted_derivation_is_cited_by_eqref_as_on_the_site(tmp_path):
    # what a student does with `derive D2 --latex`: paste it, refer to it, and read (D2)
    pdflatex = _pdflatex_or_skip()
    body = get("softmax-ce-grad").latex()
    (tmp_path / "homework.tex").write_text(
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
        + body
        + "\nBy \\eqref{fcnet:softmax-ce-grad}, the gradient is predicted minus true.\n\\end{document}\n",
        encoding="ascii",
    )
    for _ in range(2):
        run = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "homework.tex"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout[-3000:]
    text = " ".join(_run("pdftotext", str(tmp_path / "homework.pdf"), "-").split())
    assert "By (D2), the gradient" in text and "??" not in text


def _run(tool: str, *args) -> str:
    exe = _pdflatex_or_skip(tool, "poppler-utils")
    return subprocess.run([exe, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def test_the_pdf_has_a_title_page_with_the_version_and_the_date(compiled):
    title = _run("pdftotext", "-f", "1", "-l", "1", str(compiled[0] / "derivations.pdf"), "-")
    assert "The derivations" in title and f"Version {__version__}, {DATE}" in title


def _plain(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())  # pdftotext gives the typeset apostrophe


def test_the_pdf_has_a_contents_page_listing_the_parts_and_every_derivation(compiled):
    contents = _plain(_run("pdftotext", "-f", "2", "-l", "2", str(compiled[0] / "derivations.pdf"), "-"))
    assert contents.startswith("Contents")
    for heading in ["Notation", *(p.title for p in PARTS), *(f"{d.number} · {d.title}" for d in all_derivations())]:
        assert heading in contents, heading


def _bookmarks(folder) -> list[tuple[int, str]]:
    """hyperref's bookmarks (``derivations.out``): (level, title), the title decoded from PDF's UTF-16 string."""
    out = []
    records = (folder / "derivations.out").read_text("latin-1")
    for level, title in re.findall(r"^\\BOOKMARK \[(\d)\]\[[^]]*\]\{[^}]*\}\{(.*?)\}\{", records, re.M):
        raw = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), title).encode("latin-1")
        out.append((int(level), raw.decode("utf-16")))
    return out


def test_the_pdf_has_a_bookmark_for_every_part_and_derivation_and_the_notation(compiled):
    folder = compiled[0]
    pdf = (folder / "derivations.pdf").read_bytes()
    streams = b"".join(zlib.decompress(m) for m in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S))
    assert b"/Outlines" in pdf + streams  # the catalog points at the bookmarks
    marks = _bookmarks(folder)
    assert (1, "Notation") in marks and (1, "Appendix: where each derivation is implemented") in marks
    assert [t for level, t in marks if level == 2] == [f"{d.number} · {d.title}" for d in all_derivations()]
    assert [t for level, t in marks if level == 1 and t in {p.title for p in PARTS}] == [p.title for p in PARTS]
    info = _run("pdfinfo", str(folder / "derivations.pdf"))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert "fcnet: the derivations" in info and pages >= 10  # a title page, contents, notation, 12 derivations


def test_the_notation_table_is_in_the_pdf(compiled):
    text = _plain(_run("pdftotext", str(compiled[0] / "derivations.pdf"), "-"))
    assert "Symbol In the code Shape Meaning" in text and "Iverson's bracket" in text
