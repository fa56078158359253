"""CITATION.cff is valid Citation File Format 1.2 and agrees with the package; the BibTeX comes from it.

The ``@misc`` entry is for classic BibTeX: a test runs ``bibtex`` with ``plain.bst`` on it (where
TeX Live's bibtex is installed; otherwise it parses the entry's fields instead, and says so).
"""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

import fcnet
import fcnet.release
from fcnet.site.cite import bibtex

ROOT = Path(__file__).resolve().parent.parent
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", ["cff-version", "message", "title", "authors"])
def test_required_keys_are_present_and_non_empty(key):
    assert CFF.get(key), key


def test_structure_follows_cff_1_2():
    assert CFF["cff-version"] == "1.2.0"
    assert CFF.get("type", "software") in ("software", "dataset")
    assert isinstance(CFF["message"], str) and isinstance(CFF["title"], str)
    # each author is a person (family-names) or an entity (name), per the schema
    assert isinstance(CFF["authors"], list)
    for author in CFF["authors"]:
        assert isinstance(author, dict) and ("family-names" in author or "name" in author), author
    known = {
        "cff-version",
        "message",
        "title",
        "authors",
        "type",
        "abstract",
        "version",
        "license",
        "keywords",
        "date-released",
        "doi",
        "url",
        "repository-code",
        "identifiers",
        "preferred-citation",
        "references",
        "commit",
        "contact",
        "license-url",
        "repository",
        "repository-artifact",
    }
    assert set(CFF) <= known, set(CFF) - known


def test_agrees_with_the_package():
    assert CFF["version"] == fcnet.__version__ and str(CFF["date-released"]) == fcnet.release.DATE
    assert "version" in PYPROJECT["project"]["dynamic"]  # read from fcnet/release.py, never written twice
    assert CFF["license"] == PYPROJECT["project"]["license"]


def _fields(entry: str) -> dict[str, str]:
    """``name = {value}`` pairs of one BibTeX entry (values with balanced braces)."""
    out, n = {}, entry.index(",") + 1
    for m in re.finditer(r"(\w+)\s*=\s*\{", entry[n:]):
        start, depth = n + m.end(), 1
        end = start
        while depth:
            depth += {"{": 1, "}": -1}.get(entry[end], 0)
            end += 1
        out[m.group(1)] = entry[start : end - 1]
    return out


@pytest.mark.parametrize("kind", ["misc", "software"])
def test_bibtex_is_made_from_the_cff_under_one_key(kind):
    entry = bibtex(kind, url="")
    # one key for both entries: switching from BibTeX to biblatex changes no \cite
    assert entry.startswith(f"@{kind}{{fcnet,\n") and entry.endswith("}") and entry.count("{") == entry.count("}")
    fields = _fields(entry)
    assert fields["author"] == "{The fcnet authors}"  # an entity: BibTeX must not split it into names
    assert CFF["title"] in fields["title"] and fields["version"] == CFF["version"]
    # every field lands in a reference list: none carries an instruction, and no address unless one is set
    assert "note" not in fields and "cite" not in entry.lower().replace("fcnet,", "")
    assert "url" not in fields and "http" not in entry and "127.0.0.1" not in entry


@pytest.mark.parametrize("kind", ["misc", "software"])
def test_the_url_is_the_site_address_from_the_one_build_setting(kind, monkeypatch):
    monkeypatch.setenv("FCNET_SITE_URL", "https://example.org/fcnet")
    entry = bibtex(kind)
    assert "https://example.org/fcnet/" in entry
    monkeypatch.setenv("FCNET_SITE_URL", "")
    assert "http" not in bibtex(kind)


def test_the_misc_entry_has_what_classic_styles_print():
    fields = _fields(bibtex("misc"))
    assert {"author", "title", "howpublished", "year"} <= set(fields)
    assert fields["year"] == str(CFF["date-released"])[:4]
    assert CFF["version"] in fields["howpublished"]  # plain.bst prints no version field


def test_references_name_the_sources_of_the_notes():
    refs = CFF["references"]
    text = yaml.safe_dump(refs)
    for source in ("Darve", "CS231n", "18.S096", "atmos.washington.edu"):
        assert source in text, source
    for ref in refs:
        assert ref["type"] and ref["title"] and ref["authors"], ref


def test_classic_bibtex_with_plain_bst_prints_every_field(tmp_path):
    if not shutil.which("bibtex"):
        # no TeX Live bibtex here: the fields were parsed above (test_the_misc_entry_has_what_classic_styles_print)
        pytest.skip(
            "bibtex is not installed (TeX Live's texlive-binaries); the entry's fields are parse-checked instead"
        )
    (tmp_path / "fcnet.bib").write_text(bibtex("misc") + "\n", encoding="utf-8")
    (tmp_path / "cite.aux").write_text("\\citation{fcnet}\n\\bibstyle{plain}\n\\bibdata{fcnet}\n", encoding="utf-8")
    run = subprocess.run(["bibtex", "cite"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    log = (tmp_path / "cite.blg").read_text(encoding="latin-1")
    assert run.returncode == 0 and "Warning" not in log and "error" not in log.lower(), log
    bbl = " ".join((tmp_path / "cite.bbl").read_text(encoding="latin-1").split())
    year = str(CFF["date-released"])[:4]
    for shown in ("The fcnet authors", "fcnet: fully connected neural networks from scratch", year, CFF["version"]):
        assert shown in bbl, (shown, bbl)
    assert "Python package" in bbl and "Cite" not in bbl  # no instruction in the reference list
