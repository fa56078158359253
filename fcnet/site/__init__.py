"""Docs support: what the pages (and their downloaded notebooks) import to render.

Nothing here is teaching code: it turns fcnet's results, SymPy objects and
source sections into HTML fragments.  `snippets` reads the named sections of
the source; `render` builds the fragments.
"""

from .render import (
    bibtex,
    code_html,
    derivation_html,
    figure_html,
    math_html,
    matrix_latex,
    results_latex,
    show,
    snippet_html,
    source_html,
    table_html,
    tabs_html,
    test_html,
)

__all__ = [
    "bibtex",
    "code_html",
    "derivation_html",
    "figure_html",
    "math_html",
    "matrix_latex",
    "results_latex",
    "show",
    "snippet_html",
    "source_html",
    "table_html",
    "tabs_html",
    "test_html",
]
