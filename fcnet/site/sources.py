"""The notes' sources, credited once: for the Home and Cite pages and for ``CITATION.cff``'s ``references:``.

The notes end with their references: "(1) Eric Darve, Stanford University.
(2) CS 231N." and two links on matrix calculus (MIT 18.S096 and a PDF on a
University of Washington server).  `SOURCES` records them as the notes give
them; `sources_markdown` renders the list (Home and Cite), `cff_references` the
entries of Citation File Format 1.2 that ``CITATION.cff`` holds (a test checks
they are equal).

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
    institution: str = ""


SOURCES = [
    Source(
        "darve",
        "Course notes (untitled in the notes' references)",
        ({"family-names": "Darve", "given-names": "Eric"},),
        "generic",
        "",
        "the notes' reference (1)",
        "Stanford University",
    ),
    Source(
        "cs231n",
        "CS231n: Deep Learning for Computer Vision, course notes",
        ({"name": "Stanford University, CS231n"},),
        "website",
        "https://cs231n.github.io/",
        "the notes' reference (2); they quote its eval_numerical_gradient",
    ),
    Source(
        "mit-18s096",
        "18.S096 Matrix Calculus for Machine Learning and Beyond (IAP 2023), MIT OpenCourseWare",
        ({"family-names": "Edelman", "given-names": "Alan"}, {"family-names": "Johnson", "given-names": "Steven G."}),
        "website",
        "https://ocw.mit.edu/courses/18-s096-matrix-calculus-for-machine-learning-and-beyond-january-iap-2023/download/",
        "the notes' link for matrix calculus: Jacobians and the chain rule behind the derivations",
    ),
    Source(
        "uw-matrix-calculus",
        "Matrix calculus notes (PDF), hosted at the University of Washington",
        ({"name": "University of Washington, Department of Atmospheric Sciences (host)"},),
        "generic",
        "https://atmos.washington.edu/~dennis/MatrixCalculus.pdf",
        "the notes' second link for matrix calculus",
    ),
]


def _who(s: Source) -> str:
    names = ", ".join(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in s.authors)
    return f"{names} ({s.institution})" if s.institution else names


def sources_markdown() -> str:
    """The sources as a markdown list, one line each: who, title, what the notes take from it, the address.

    The address is written as code, not as a link: the site links to nothing outside itself.
    """
    lines = []
    for s in SOURCES:
        where = f" `{s.url}`" if s.url else ""
        lines.append(f"- {_who(s)}: *{s.title}*. {s.used_for[0].upper()}{s.used_for[1:]}.{where}")
    return "\n".join(lines)


def cff_references() -> list[dict]:
    """The sources as ``references:`` entries of CITATION.cff (type, title, authors, institution, url, notes).

    ``tests/test_sources.py`` checks that CITATION.cff holds exactly these.
    """
    return [
        {"type": s.cff_type, "title": s.title, "authors": [dict(a) for a in s.authors]}
        | ({"institution": {"name": s.institution}} if s.institution else {})
        | ({"url": s.url} if s.url else {})
        | {"notes": s.used_for}
        for s in SOURCES
    ]
