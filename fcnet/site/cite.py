"""BibTeX for the Cite page, made from the repository's CITATION.cff (the one source).

Two entries for the same work: ``@misc`` for classic BibTeX (``plain.bst`` and every other
style knows it: author, title, how published, year, note; the version is in ``howpublished``
too, since classic styles print no ``version`` field), and ``@software`` for biblatex.

>>> cff = {"title": "T", "authors": [{"name": "The T authors"}], "version": "1.0", "date-released": "2026-01-02"}
>>> print(bibtex("misc", cff=cff))  # doctest: +ELLIPSIS
@misc{fcnet,
  author       = {{The T authors}},
  title        = {{T}},
  howpublished = {Python package and documentation site, version 1.0},
  year         = {2026},
  version      = {1.0},
  note         = {Cite a derivation by its number and anchor, e.g. (D2), ...}
}
"""

from __future__ import annotations

from .snippets import ROOT

__all__ = ["bibtex", "load_cff"]


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


def bibtex(kind: str = "misc", key: str | None = None, cff: dict | None = None) -> str:
    """The BibTeX entry of the work, ``kind`` ``"misc"`` (classic BibTeX) or ``"software"`` (biblatex).

    The keys are ``fcnet`` and ``fcnet:software``; the fields come from CITATION.cff.
    """
    if kind not in ("misc", "software"):
        raise ValueError(f"kind is {kind!r}; expected 'misc' (classic BibTeX) or 'software' (biblatex)")
    cff = load_cff() if cff is None else cff
    version, url = cff.get("version"), cff.get("url")
    year = str(cff.get("date-released", ""))[:4] or None
    where = "Python package and documentation site" + (f", version {version}" if version else "")
    anchor = r"Cite a derivation by its number and anchor, e.g. (D2), \texttt{backprop/\#softmax-ce-grad}"
    if kind == "misc":
        fields = {
            "author": _authors(cff),
            "title": f"{{{cff['title']}}}",  # braced: classic styles would lower-case it
            "howpublished": where + (f", \\url{{{url}}}" if url else ""),
            "year": year,
            "version": version,
            "note": anchor,
        }
        key = key or "fcnet"
    else:
        fields = {
            "author": _authors(cff),
            "title": cff["title"],
            "version": version,
            "date": cff.get("date-released"),
            "url": url,
            "license": cff.get("license"),
            "note": anchor,
        }
        key = key or "fcnet:software"
    width = max(len(k) for k in fields)
    body = ",\n".join(f"  {k:<{width}} = {{{v}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{key},\n{body}\n}}"
