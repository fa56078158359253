"""The pages' tables and matrix displays, built from what the visible cells compute.

A page's visible code computes (a report, a list of rows); a hidden cell passes the result to
one of these and `show`s the HTML.  Each builder is tested here, not in a notebook.

>>> import numpy as np
>>> print(matrices_html({"x": np.array([1.0, 2.0])}))  # doctest: +ELLIPSIS
<div class="fcnet-matrices"><div class="arithmatex" ...>\\[x = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}\\]</div></div>
"""

from __future__ import annotations

import html as _html
from decimal import Decimal

import numpy as np

from .render import Markup, math_html, matrix_latex, table_html

__all__ = ["matrices_html", "witness_tables", "check_table_html"]

#: How the witnesses of `fcnet.witnesses.registry` are named in tables.
WITNESS_NAMES = {
    "torch": "PyTorch autograd",
    "numpy": "fcnet (NumPy)",
    "sympy": "SymPy, exact",
    "finite_differences": "finite differences",
}


def matrices_html(named: dict, digits: int = 6) -> str:
    """Arrays as ``name = [matrix]`` displays, side by side where the page is wide enough.

    ``named`` maps a LaTeX name (``"z^{(1)}"``) to an array.
    """
    blocks = "".join(math_html(f"{name} = {matrix_latex(value, digits)}") for name, value in named.items())
    return f'<div class="fcnet-matrices">{blocks}</div>'


def _exact(text: str, digits: int = 20) -> Markup:
    """An exact decimal from SymPy, shown to ``digits`` significant digits, as a number cell."""
    return Markup(f'<td class="num">{Decimal(text):.{digits}g}</td>')


def witness_tables(report: dict) -> tuple[str, str]:
    """The agreement of each pair of witnesses, and every gradient entry by each witness.

    Parameters
    ----------
    report : dict
        `fcnet.witnesses.registry.example_report` with the ``torch``, ``numpy`` and ``sympy`` witnesses.

    Returns
    -------
    agreement, entries : str
        Two tables: the norm-relative error and loss difference of each pair; the loss and each
        gradient entry by PyTorch, by fcnet and exactly (20 digits), with fcnet's distance from exact.
    """
    from ..core.params import KEYS

    w = report["witnesses"]
    missing = {"torch", "numpy", "sympy"} - set(w)
    if missing:
        raise ValueError(f"report has no witness {sorted(missing)}; expected torch, numpy and sympy (not skipped)")
    exact = w["sympy"]["exact"]  # 40-digit decimal strings of the exact rational-arithmetic values
    rows = [
        [
            "J",
            w["torch"]["loss"],
            w["numpy"]["loss"],
            _exact(exact["loss"]),
            float(abs(Decimal(w["numpy"]["loss"]) - Decimal(exact["loss"]))),
        ]
    ]
    for key in KEYS:
        ours = w["numpy"]["grads"][key]
        exact_key = np.array(exact["grads"][key], dtype=object).reshape(ours.shape)
        for ix in np.ndindex(ours.shape):
            rows.append(
                [
                    f"∂J/∂{key}[{', '.join(map(str, ix))}]",
                    w["torch"]["grads"][key][ix],
                    ours[ix],
                    _exact(exact_key[ix]),
                    float(abs(Decimal(ours[ix]) - Decimal(exact_key[ix]))),
                ]
            )
    names = WITNESS_NAMES
    header = ["", names["torch"], names["numpy"], names["sympy"] + " (20 digits)", "|fcnet − exact|"]
    entries = table_html(header, rows, caption=f"The {report['example']!r} example: J and every gradient entry")
    pairs = [
        [f"{names[p['a']]} vs {names[p['b']]}", p["norm_rel_error"], p["loss_abs_error"]] for p in report["agreement"]
    ]
    agreement = table_html(["pair", "norm-relative error of the whole gradient", "|Δ loss|"], pairs)
    return agreement, entries


def check_table_html(table: list[dict], labels: dict[str, str], caption: str | None = None) -> str:
    """`fcnet.gradcheck.planted.bug_table` as a table: per gradient and mode, pass or FAIL, the error, the worst entry.

    ``labels`` maps each mode to show (``"full"``, ``"sparse"``, ``"directional"``) to its column heading.
    """

    def cell(r):
        verdict = "pass" if r.passed else "<strong>FAIL</strong>"
        return Markup(f"<td>{verdict} {r.error:.1e}<br><small>worst: {_html.escape(str(r.worst))}</small></td>")

    rows = [[row["bug"]] + [cell(row[m]) for m in labels] for row in table]
    rows.append(["evaluations of f"] + [str(table[0][m].n_evals) for m in labels])
    return table_html(["gradient", *labels.values()], rows, caption=caption)
