"""HTML for the "Debugging your backprop" page: a diagnosis, the vocabulary of causes, the probes.

Each derivation a verdict points to is a link to its anchor on the page that renders it
(`fcnet.derivations.parts`), ``../backprop/#ID`` from a page one level down (``root="../"``).

>>> from fcnet.diagnose.report import Diagnosis, Verdict
>>> d = Diagnosis("net.py:f", {"W1": Verdict("W1", False, "missing-reg", "batch-mean-l2", "λW1 is missing")})
>>> html = diagnosis_html(d)
>>> 'href="../backprop/#batch-mean-l2"' in html and "missing-reg" in html
True
"""

from __future__ import annotations

import html as _html

from fcnet.derivations.parts import page
from fcnet.diagnose.causes import CAUSES, DERIVATIONS
from fcnet.diagnose.probes import PROBES
from fcnet.site.render import Markup, table_html

__all__ = [
    "derivation_link",
    "diagnosis_html",
    "causes_table_html",
    "probes_table_html",
    "case_html",
    "grades_table_html",
    "scores_table_html",
    "script_html",
]


def derivation_link(see: str | None, root: str = "../") -> str:
    """``(D6) Batch mean and L2 penalty`` linked to its anchor on the page that renders it; ``""`` for None."""
    if see is None:
        return ""
    number, title = DERIVATIONS[see]
    return f'<a href="{root}{page(see)}#{see}">({number}) {_html.escape(title.partition(":")[0])}</a>'


def diagnosis_html(d, root: str = "../") -> str:
    """A diagnosis as a table: each entry, its verdict, what and where, and the derivation to reread."""
    rows = []
    for k, v in d.verdicts.items():
        verdict = "ok" if v.ok else Markup(f"<code>{_html.escape(v.cause)}</code>")
        what = "" if v.ok else v.message.rsplit("; reread (", 1)[0]
        rows.append([Markup(f"<code>{k}</code>"), verdict, what, Markup(derivation_link(v.see, root))])
    status = "passed" if d.passed else "FAILED"
    caption = Markup(f"<code>{_html.escape(d.target)}</code>: {status}")
    return (
        f'<div class="fcnet-diagnosis" data-passed="{str(d.passed).lower()}">'
        + table_html(
            ["entry", "verdict", "what is wrong, and a smallest probe that shows it", "reread"], rows, caption=caption
        )
        + "</div>"
    )


def causes_table_html(root: str = "../") -> str:
    """Every cause id, what it means, and the derivation it sends the student to."""
    rows = [[Markup(f"<code>{c}</code>"), v.summary, Markup(derivation_link(v.see, root))] for c, v in CAUSES.items()]
    return table_html(["cause", "meaning", "reread"], rows)


def probes_table_html() -> str:
    """The probes: sizes, λ, the largest logit, and why each one is there."""
    rows = []
    for p in PROBES:
        s = p.sizes
        sizes = f"{s['D_in']}, {s['H']}, {s['C']}"
        logit = f"{float(abs(p.logits).max()):.0f}"
        rows.append([Markup(f"<code>{p.name}</code>"), s["N"], sizes, f"{p.reg:g}", logit, p.note])
    return table_html(["probe", "N", "D_in, H, C", "λ", "max |z2|", "there to show"], rows)


def case_html(name: str, diagnosis, root: str = "../") -> str:
    """One example of `fcnet.diagnose.examples.CASES`: its title, the lines that hold the mistake and the report.

    Raises AssertionError when the diagnosis is not the verdict the case expects, so that a
    change in the diagnoser that changes a verdict stops the site build.
    """
    from fcnet.diagnose.examples import CASES
    from fcnet.site.render import snippet_html

    case = CASES[name]
    got = {k: v.cause for k, v in diagnosis.verdicts.items() if not v.ok}
    assert got == case.expected, (name, got, case.expected)
    return f"<h3>{_html.escape(case.title)}</h3>" + snippet_html(case.snippet) + diagnosis_html(diagnosis, root)


def grades_table_html() -> str:
    """The example class (`fcnet.diagnose.examples.GRADES`): each file, its style, and the grade it must get."""
    from fcnet.diagnose.examples import GRADES

    rows = []
    for name, g in GRADES.items():
        causes = "; ".join(f"{k}: " + ", ".join(f"<code>{c}</code>" for c in cs) for k, cs in g.causes.items())
        layout = " (<code>--layout rows</code>)" if g.layout == "rows" else ""
        rows.append([Markup(f"<code>{name}.py</code>"), Markup(_html.escape(g.style) + layout),
                     "passes" if g.passed else "fails", Markup(causes) if causes else "every entry ok"])  # fmt: skip
    return table_html(["submission", "what it is", "grade", "findings"], rows)


def scores_table_html(rows: list[dict]) -> str:
    """The CSV's rows (dicts read by `csv.DictReader`) as a table: file, score and each entry's causes."""
    from pathlib import Path

    from fcnet.diagnose.report import ENTRIES, STABILITY

    entries = (*ENTRIES, STABILITY)

    def cell(text: str) -> str:
        return "ok" if text == "ok" else Markup(" ".join(f"<code>{_html.escape(c)}</code>" for c in text.split()))

    body = [
        [Markup(f"<code>{_html.escape(Path(r['file']).name)}</code>"), f"{r['score']}/{r['max_score']}"]
        + [cell(r[e]) for e in entries]
        for r in rows
    ]
    return table_html(["file", "score", *entries], body, caption="grades.csv")


def script_html(command: str) -> str:
    """Gradescope's ``run_autograder`` around ``command``: the script a teacher uploads."""
    from fcnet.site.render import code_html

    script = "\n".join(
        [
            "#!/usr/bin/env bash",
            "# /autograder/run_autograder: grade the submission, write Gradescope's results.json",
            command.replace("python ", "python3 ", 1),
            "exit 0  # the grade is in results.json; a failing status would report the autograder as broken",
        ]
    )
    return code_html(script, "bash")
