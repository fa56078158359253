r"""Every derivation as one standalone LaTeX document, numbered and anchored as on the site.

``python -m fcnet derive --latex --all`` prints it; the site's build turns it into a PDF with
pdflatex.  It needs only what Debian's ``texlive-latex-base`` installs (amsmath, geometry,
hyperref) and is plain ASCII, so pdflatex sets it without any font or input-encoding setup.
Nothing in it depends on the date or the machine: the same fcnet gives the same file.

>>> tex = document()
>>> tex.startswith("% Every derivation") and tex.rstrip().endswith(r"\end{document}")
True
>>> r"\tag{D5}" in tex and r"\label{hidden-layer-grad}" in tex and tex.isascii()
True
"""

from __future__ import annotations

from . import all_derivations
from .prose import latex as _prose_latex

__all__ = ["document", "section"]

#: The site's page for the derivations: an anchor there is ``backprop/#<id>``.
PAGE = "backprop/"

_PREAMBLE = r"""% Every derivation of fcnet, numbered and anchored as on the site.
% Made by `python -m fcnet derive --latex --all` (fcnet {version}); compile with pdflatex.
\documentclass[11pt]{{article}}
\usepackage[a4paper,margin=2.2cm]{{geometry}}
\usepackage{{amsmath}}
\usepackage[hidelinks,pdftitle={{fcnet: the derivations}},pdfauthor={{The fcnet authors}}]{{hyperref}}
\allowdisplaybreaks
\renewcommand{{\labelitemi}}{{$\bullet$}}  % the default bullet is a TS1 glyph: a bitmap font in texlive-latex-base
\title{{fcnet: the derivations}}
\author{{The fcnet authors}}
\date{{fcnet {version}}}
\begin{{document}}
\maketitle
\noindent Every backprop formula of fcnet, derived step by step and proved by SymPy
(\texttt{{python -m fcnet derive --check}}). Each derivation keeps the number and the anchor it
has on the site: cite (D2) as \texttt{{{page}\#softmax-ce-grad}}.
"""


def section(d) -> str:
    """One derivation: a heading with its number, its anchor, the precondition, the align block, the code."""
    esc = _prose_latex
    out = [
        rf"\section*{{{d.number} $\cdot$ {esc(d.title)}}}\label{{{d.id}}}",
        rf"\noindent Anchor: \texttt{{{PAGE}\#{d.id}}}.",
    ]
    if d.precondition:
        out.append(rf"\emph{{Precondition:}} {esc(d.precondition)}.")
    out.append(d.latex())
    if d.snippets:
        items = "\n".join(rf"\item \texttt{{{esc(ref)}}}" for ref in d.snippets)
        out.append(
            "\\noindent Implemented by\n\\begin{itemize}\\setlength\\itemsep{0pt}\n" + items + "\n\\end{itemize}"
        )
    return "\n\n".join(out)


def document(derivations=None) -> str:
    """The standalone document: a title, then `section` for each derivation in reading order."""
    from .. import __version__

    derivations = all_derivations() if derivations is None else derivations
    body = "\n\n".join(section(d) for d in derivations)
    return _PREAMBLE.format(version=__version__, page=PAGE) + "\n" + body + "\n\n\\end{document}\n"
