"""Docs support: what the pages (and their downloaded notebooks) import to render.

Nothing here is teaching code: it turns fcnet's results, SymPy objects and source sections
into HTML fragments, in the cells whose input the site hides (tagged ``hide-input``).
`snippets` reads the named sections of the source; `render` builds the basic fragments;
`derivation` renders derivations and links to them; `tables` and `figures` build the pages'
tables and plots; `guards` holds the tests the pages cite; `cite` makes the BibTeX.
"""

from .derivation import derivation_html, link, prose_html, results_latex, results_table
from .figures import svg_html, use_site_style
from .guards import test_html
from .render import (
    Markup,
    code_html,
    math_html,
    matrix_latex,
    show,
    snippet_html,
    source_html,
    table_html,
    tabs_html,
)
from .tables import check_table_html, matrices_html, witness_tables

__all__ = [
    "Markup",
    "check_table_html",
    "code_html",
    "derivation_html",
    "link",
    "math_html",
    "matrices_html",
    "matrix_latex",
    "prose_html",
    "results_latex",
    "results_table",
    "show",
    "snippet_html",
    "source_html",
    "svg_html",
    "table_html",
    "tabs_html",
    "test_html",
    "use_site_style",
    "witness_tables",
]
