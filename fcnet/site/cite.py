"""BibTeX for the Cite page, made from the repository's CITATION.cff (the one source).

Two entries for the same work under one key, ``fcnet``, so that switching between them changes no
``\\cite``: ``@misc`` for classic BibTeX (``plain.bst`` and every other style knows it: author,
title, how published, year; the version is in ``howpublished`` too, since classic styles print no
``version`` field), and ``@software`` for biblatex.  No field carries an instruction: every field
is printed in a reference list.  The ``url`` is the site's address, `fcnet.release.site_url`
(``FCNET_SITE_URL`` when the site is built); with none set, the entries name no address.

>>> cff = {"title": "T", "authors": [{"name": "The T authors"}], "version": "1.0", "date-released": "2026-01-02"}
>>> print(bibtex("misc", cff=cff, url=""))
@misc{fcnet,
  author       = {{The T authors}},
  title        = {{T}},
  howpublished = {Python package and documentation site, version 1.0},
  year         = {2026},
  version      = {1.0}
}
>>> print(bibtex("software", cff=cff, url="https://example.org/fcnet/"))
@software{fcnet,
  author  = {{The T authors}},
  title   = {T},
  version = {1.0},
  date    = {2026-01-02},
  url     = {https://example.org/fcnet/}
}
"""

from __future__ import annotations

from ..release import site_url
from .snippets import ROOT

__all__ = ["KEY", "bibtex", "load_cff"]

#: The one citation key of both entries.
KEY = "fcnet"


def load_cff(path: str = "CITATION.cff") -> dict:
    """CITATION.cff of the repository (``ROOT / path``), parsed."""
    import yaml

    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def _authors(cff: dict) -> str:
    # an entity in double braces, so that BibTeX never splits "The fcnet authors" into first and last names
    return " and ".join(
        f"{{{a['name']}}}" if "name" in a else f"{a['family-names']}, {a.get('given-names', '')}".rstrip(", ")
        for a in cff["authors"]
    )


def bibtex(kind: str = "misc", cff: dict | None = None, url: str | None = None) -> str:
    """The BibTeX entry of the work, ``kind`` ``"misc"`` (classic BibTeX) or ``"software"`` (biblatex).

    Both have the key `KEY`; the fields come from CITATION.cff, the ``url`` from ``url`` (by default
    `fcnet.release.site_url`, empty when ``FCNET_SITE_URL`` is not set: then there is no ``url`` field).
    """
    if kind not in ("misc", "software"):
        raise ValueError(f"kind is {kind!r}; expected 'misc' (classic BibTeX) or 'software' (biblatex)")
    cff = load_cff() if cff is None else cff
    url = site_url() if url is None else url
    version = cff.get("version")
    year = str(cff.get("date-released", ""))[:4] or None
    where = "Python package and documentation site" + (f", version {version}" if version else "")
    if kind == "misc":
        fields = {
            "author": _authors(cff),
            "title": f"{{{cff['title']}}}",  # braced: classic styles would lower-case it
            "howpublished": where + (f", \\url{{{url}}}" if url else ""),
            "year": year,
            "version": version,
        }
    else:
        fields = {
            "author": _authors(cff),
            "title": cff["title"],
            "version": version,
            "date": cff.get("date-released"),
            "url": url,
        }
    width = max(len(k) for k in fields)
    body = ",\n".join(f"  {k:<{width}} = {{{v}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{KEY},\n{body}\n}}"
