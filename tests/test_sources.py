"""The notes' sources: recorded once (fcnet/site/sources.py), rendered for the pages, and the same in CITATION.cff."""

from pathlib import Path

import yaml

from fcnet.site.sources import SOURCES, cff_references, sources_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_every_reference_of_the_notes_is_recorded():
    text = sources_markdown()
    for who in ("Eric Darve", "CS231n", "18.S096", "University of Washington"):
        assert who in text
    assert all(s.url.startswith("https://") or not s.url for s in SOURCES)


def test_cff_references_have_what_cff_1_2_requires():
    for ref in cff_references():
        assert ref["type"] in ("generic", "website") and ref["title"] and ref["authors"]
        assert all("name" in a or "family-names" in a for a in ref["authors"])


def test_citation_cff_credits_the_notes_sources():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    expected = yaml.safe_dump({"references": cff_references()}, sort_keys=False, allow_unicode=True, width=120)
    assert cff.get("references") == cff_references(), "CITATION.cff's references: should read\n" + expected
