r"""The handout: every derivation as one standalone LaTeX document, numbered and tagged as on the site.

``python -m fcnet derive --latex --all`` prints it; the site's build turns it into a PDF with
pdflatex.  It has a title page (fcnet's version and release date, `fcnet.release`), a contents
page (and PDF bookmarks, from hyperref), the notation table of the site (`fcnet.site.notation`),
then the derivations in the site's parts, each under the short introduction the site gives it,
and an appendix that maps each derivation to the code that implements it.  When the site's
address is set (``FCNET_SITE_URL``, `fcnet.release.site_url`) every derivation links to its place
on the site; otherwise the document names no address.

It needs only what Debian's ``texlive-latex-base`` installs (amsmath, geometry, longtable,
hyperref) and is plain ASCII, so pdflatex sets it without any font or input-encoding setup.
Nothing in it depends on the machine or the day it is made: the same fcnet (and the same
``FCNET_SITE_URL``) gives the same file.

>>> tex = document(url="")
>>> tex.startswith("% fcnet: the derivations") and tex.rstrip().endswith(r"\end{document}")
True
>>> r"\tag{D5}\label{fcnet:hidden-layer-grad}" in tex and r"\tableofcontents" in tex and tex.isascii()
True
>>> "http" in tex, "http" in document(url="https://example.org/fcnet/")
(False, True)
"""

from __future__ import annotations

import re

from . import all_derivations
from .parts import INTROS, PARTS, Part, page
from .prose import latex as _prose_latex

__all__ = ["PARTS", "INTROS", "Part", "document", "notation_table", "parts", "section"]

_PREAMBLE = r"""% fcnet: the derivations. The handout of every derivation, numbered and tagged as on the site.
% Made by `python -m fcnet derive --latex --all` (fcnet {version}); compile it twice with pdflatex.
\documentclass[11pt]{{article}}
\usepackage[a4paper,margin=2.2cm]{{geometry}}
\usepackage{{amsmath}}
\usepackage{{array,longtable}}
\usepackage[hidelinks,bookmarks,bookmarksopen,bookmarksnumbered,pdftitle={{fcnet: the derivations}},
  pdfauthor={{The fcnet authors}},pdfsubject={{fcnet {version}, {date}}}]{{hyperref}}
\allowdisplaybreaks
\renewcommand{{\labelitemi}}{{$\bullet$}}  % the default bullet is a TS1 glyph: a bitmap font in texlive-latex-base
\begin{{document}}
\begin{{titlepage}}
\centering
\vspace*{{4cm}}
{{\LARGE fcnet: fully connected neural networks from scratch\par}}
\vspace{{1cm}}
{{\Large The derivations\par}}
\vspace{{2cm}}
{{\large The fcnet authors\par}}
\vspace{{0.5cm}}
{{\large Version {version}, {date}\par}}
{where}\vfill
Every backprop formula of the site, derived step by step and proved by SymPy.
\end{{titlepage}}
\tableofcontents
\clearpage
"""

# a table column of this share of the line, its text ragged right (narrow columns, long code names)
_RAGGED = r">{\raggedright\arraybackslash}p{%.2f\linewidth}"

# the few non-ASCII characters of the notation table's prose, in LaTeX
_UNICODE = {"δ": r"$\delta$", "∂": r"$\partial$", "⁽²⁾": "$^{(2)}$"}
_CODE = re.compile(r"`([^`]+)`")
_MATH = re.compile(r"\\\((.+?)\\\)")


# characters a typewriter code name can hold that LaTeX reads as commands: cmtt has each at its ASCII slot
_TT = {c: rf"\char{ord(c)}{{}}" for c in "\\{}_#%&$~^"}


def _texttt(code: str, breaks: bool = True) -> str:
    r"""``code`` in typewriter type, with a line break allowed after ``/ . : , _`` when ``breaks``.

    >>> _texttt("a_b/c")
    '\\texttt{a\\char95{}\\allowbreak{}b/\\allowbreak{}c}'
    """
    out = []
    for c in code:
        out.append(_TT.get(c, c))
        if breaks and c in "/.:,_[(":
            out.append(r"\allowbreak{}")
    return rf"\texttt{{{''.join(out)}}}"


def _markdown(md: str) -> str:
    r"""The notation table's small markdown as LaTeX: ``\( \)`` math, backtick code, plain text.

    >>> print(_markdown(r"layer 1's bias \(b^{(1)}\), `b1`; δ"))
    layer 1's bias $b^{(1)}$, \texttt{b1}; $\delta$
    """
    for char, tex in _UNICODE.items():
        md = md.replace(char, tex)
    out, pos = [], 0
    for m in re.finditer(rf"{_MATH.pattern}|{_CODE.pattern}", md):
        out.append(_prose_latex(md[pos : m.start()]))
        out.append(f"${m.group(1)}$" if m.group(1) is not None else _texttt(m.group(2)))
        pos = m.end()
    out.append(_prose_latex(md[pos:]))
    text = "".join(out)
    if not text.isascii():
        raise ValueError(f"the notation table has a character pdflatex cannot set here: {md!r}")
    return text


def notation_table() -> str:
    """The site's notation table (`fcnet.site.notation.SYMBOLS`) as a ``longtable``, grouped as on the site."""
    from ..site.notation import INDEX_CONVENTION, SYMBOLS

    rows, group = [], None
    for s in SYMBOLS:
        if s.group != group:
            group = s.group
            rows.append(rf"\multicolumn{{4}}{{l}}{{\rule{{0pt}}{{3ex}}\textbf{{{_prose_latex(group)}}}}} \\")
        shape = _prose_latex(s.shape.replace("_", " ")) if s.shape else ""
        symbol = "$" + s.latex.replace(", ", "$, $") + "$"  # a line may break between the symbols of a row
        rows.append(rf"{symbol} & {_texttt(s.code)} & {shape} & {_markdown(s.meaning)} \\")
    head = r"Symbol & In the code & Shape & Meaning \\ \hline"
    return "\n".join(
        [
            _markdown(INDEX_CONVENTION),
            "",
            r"{\footnotesize",
            r"\begin{longtable}{@{}" + "".join(_RAGGED % w for w in (0.14, 0.24, 0.11, 0.41)) + "@{}}",
            head,
            r"\endfirsthead",
            head,
            r"\endhead",
            *rows,
            r"\end{longtable}}",
        ]
    )


def parts(derivations=None) -> list[tuple[Part, list]]:
    """The derivations sorted into `PARTS`, in reading order; a part holding none is left out."""
    derivations = all_derivations() if derivations is None else list(derivations)
    named = {i for p in PARTS if p.ids for i in p.ids}
    out = []
    for part in PARTS:
        held = [d for d in derivations if (d.id in part.ids if part.ids else d.id not in named)]
        if held:
            out.append((part, held))
    return out


def _bookmarked(level: str, title: str, label: str = "") -> str:
    # an unnumbered heading that is listed in the contents and the PDF's bookmarks, as the site lists it
    star = rf"\{level}*{{{title}}}"
    entry = rf"\phantomsection\addcontentsline{{toc}}{{{level}}}{{{title}}}"
    return entry + "\n" + star + (rf"\label{{{label}}}" if label else "")


def section(d, url: str = "") -> str:
    """One derivation: its heading (number and title), the site's introduction, the precondition, its steps and result.

    With ``url`` (the site's address) it links to the derivation's place on the site.
    """
    title = rf"{d.number} \texorpdfstring{{$\cdot$}}{{\textperiodcentered}} {_prose_latex(d.title)}"
    out = [_bookmarked("subsection", title, f"sec:{d.id}")]
    if d.id in INTROS:
        out.append(r"\noindent " + _prose_latex(INTROS[d.id]))
    if d.precondition:
        out.append(rf"\emph{{Precondition:}} {_prose_latex(d.precondition)}.")
    out.append(d.latex())
    if url:
        out.append(rf"\noindent On the site: \url{{{url}{page(d.id)}\#{d.id}}}")
    return "\n\n".join(out)


def _appendix(derivations) -> str:
    rows = []
    for d in derivations:
        users = [o.number for o in derivations if o is not d and f"({d.number})" in "".join(s.prose for s in o.steps)]
        refs = r" \newline ".join(_texttt(ref) for ref in d.snippets) or "no code forms it; used by " + ", ".join(users)
        rows.append(rf"\hyperref[sec:{d.id}]{{{d.number}}} & {_texttt(d.id)} & {refs} \\")
    return "\n".join(
        [
            _bookmarked("section", "Appendix: where each derivation is implemented"),
            r"\noindent The sections of fcnet's source that compute each result; the site shows them beside the"
            " derivation, and the tests check each against SymPy's result.",
            r"{\small",
            r"\begin{longtable}{@{}" + "".join(_RAGGED % w for w in (0.07, 0.28, 0.58)) + "@{}}",
            r"Result & Id & Implemented by \\ \hline",
            r"\endhead",
            *rows,
            r"\end{longtable}}",
        ]
    )


def document(derivations=None, url: str | None = None) -> str:
    """The handout: title page, contents, how to use it, notation, the parts and their derivations, appendix.

    ``url`` is the site's address (by default `fcnet.release.site_url`); empty, no address is printed.
    """
    from ..release import DATE, __version__, site_url

    url = site_url() if url is None else url
    derivations = all_derivations() if derivations is None else list(derivations)
    where = rf"{{\large \url{{{url}}}\par}}" + "\n" if url else ""
    body = [
        _bookmarked("section", "About this handout"),
        r"{\raggedright Every backprop formula of fcnet's two-layer net (and of the deeper nets and of the"
        r" numerical checks), derived step by step as on the site and proved exactly by SymPy"
        r" (\texttt{python -m fcnet derive --check}). Each result keeps the number it has on the site: cite"
        r" (D2) as \texttt{\char92{}cite[derivation\char126{}(D2)]\char123{}fcnet\char125{}}, and"
        r" \texttt{python -m fcnet derive D2 --latex} prints it for your own document, labelled"
        r" \texttt{fcnet:softmax-ce-grad}.\par}",
        _bookmarked("section", "Notation"),
        notation_table(),
        r"\clearpage",
    ]
    for part, held in parts(derivations):
        body.append(_bookmarked("section", _prose_latex(part.title)))
        body.append(r"\noindent " + _prose_latex(part.intro))
        body += [section(d, url) for d in held]
    body += [r"\clearpage", _appendix(derivations)]
    preamble = _PREAMBLE.format(version=__version__, date=DATE, where=where)
    return preamble + "\n" + "\n\n".join(body) + "\n\n\\end{document}\n"
