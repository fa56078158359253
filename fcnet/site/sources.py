"""The notes' sources, credited once: for the Home and Cite pages and for ``CITATION.cff``'s ``references:``.

The notes end with their references: "(1) Eric Darve, Stanford University.
(2) CS 231N." and two links on matrix calculus (MIT 18.S096 and a PDF on a
University of Washington server).  `SOURCES` records them as the notes give
them; `sources_markdown` renders the list, `cff_references` the entries of
Citation File Format 1.2.

>>> [s.key for s in SOURCES]
['darve', 'cs231n', 'mit-18s096', 'uw-matrix-calculus']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "SOURCES", "sources_markdown", "cff_references"]


@dataclass(frozen=True)
class Source:
    """One source: what it is, who made it (as CFF authors), where, and what the notes take from it."""

    key: str
    title: str
    authors: tuple
    cff_type: str
    url: str
    used_for: str


SOURCES = [
    Source(
        "darve",
        "Untitled: cited by the notes as 'Eric Darve, Stanford University'",
        ({"family-names": "Darve", "given-names": "Eric"},),
        "generic",
        "",
        "the notes' first reference",
    ),
    Source(
        "cs231n",
        "CS231n: Deep Learning for Computer Vision, course notes",
        ({"name": "Stanford University, CS231n"},),
        "website",
        "https://cs231n.github.io/",
        "the notes' second reference: its eval_numerical_gradient, and the row layout",
    ),
    Source(
        "mit-18s096",
        "18.S096 Matrix Calculus for Machine Learning and Beyond (IAP 2023), MIT OpenCourseWare",
        ({"family-names": "Edelman", "given-names": "Alan"}, {"family-names": "Johnson", "given-names": "Steven G."}),
        "website",
        "https://ocw.mit.edu/courses/18-s096-matrix-calculus-for-machine-learning-and-beyond-january-iap-2023/",
        "matrix calculus: the Jacobians and the chain rule behind the derivations",
    ),
    Source(
        "uw-matrix-calculus",
        "Matrix calculus notes (PDF), hosted at the University of Washington",
        ({"name": "University of Washington, Department of Atmospheric Sciences (host)"},),
        "generic",
        "https://atmos.washington.edu/~dennis/MatrixCalculus.pdf",
        "matrix calculus, as linked by the notes",
    ),
]


def sources_markdown() -> str:
    """The sources as a markdown list, one line each: title, link, what the notes take from it."""
    lines = []
    for s in SOURCES:
        who = ", ".join(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in s.authors)
        link = f" <{s.url}>" if s.url else ""
        lines.append(f"- {who}: *{s.title}*.{link} ({s.used_for}.)")
    return "\n".join(lines)


def cff_references() -> list[dict]:
    """The sources as ``references:`` entries of CITATION.cff (type, title, authors, url)."""
    return [
        {"type": s.cff_type, "title": s.title, "authors": [dict(a) for a in s.authors]}
        | ({"url": s.url} if s.url else {})
        for s in SOURCES
    ]
