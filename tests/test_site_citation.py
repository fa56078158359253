"""CITATION.cff is valid Citation File Format 1.2 and agrees with the package; the BibTeX comes from it."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

import fcnet
from fcnet.site import bibtex

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
    assert CFF["version"] == fcnet.__version__ == PYPROJECT["project"]["version"]
    assert CFF["license"] == PYPROJECT["project"]["license"]


def test_bibtex_is_made_from_the_cff():
    entry = bibtex()
    assert entry.startswith("@software{fcnet,") and entry.endswith("}")
    assert f"title   = {{{CFF['title']}}}" in entry and f"version = {{{CFF['version']}}}" in entry
    assert entry.count("{") == entry.count("}")
    assert re.search(r"author\s+= \{\{The fcnet authors\}\}", entry)
