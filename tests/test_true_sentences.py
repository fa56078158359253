"""Sentences of the pages that could drift from what they describe, each read against the thing itself.

One test per class of claim: a library's default quoted in prose is the library's default; a
measured ratio is never typed into prose (it is rendered from the measurement); tabs that show
"the same" computation end at the same quantity; a code comment's claim about shapes holds on
every net the code runs on.  (Where a derivation says it is implemented: tests/test_derivations.py;
the threads verdict, worded from its ratios: tests/test_bench_page.py.)
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from fcnet.core.examples import random_example
from fcnet.core.net import loss_and_grads
from fcnet.gradcheck.planted import PLANTED_BUGS, planted_problem
from fcnet.site.notation import SYMBOLS
from fcnet.site.snippets import section

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "docs").rglob("*.py") if "hooks" not in p.parts)


def _markdown(path: Path) -> str:
    """The prose of a jupytext percent notebook: its markdown cells, without the leading ``# ``."""
    cells = re.split(r"^# %%", path.read_text(encoding="utf-8"), flags=re.M)
    prose = [c.split("\n", 1)[1] for c in cells if c.startswith(" [markdown]")]
    return "\n".join(line.removeprefix("#").removeprefix(" ") for cell in prose for line in cell.splitlines())


def test_a_library_default_quoted_in_prose_is_the_librarys_default():
    torch = pytest.importorskip("torch")
    default = inspect.signature(torch.autograd.gradcheck).parameters["fast_mode"].default
    prose = " ".join(_markdown(ROOT / "docs/beyond/gradient-checks.py").split())
    assert f"by default (`fast_mode={default}`)" in prose
    assert "one random direction by default" not in prose


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_no_measured_ratio_is_typed_into_prose(page):
    # "6-7x slower than np.tanh" beside a table measuring 22x: a speed ratio depends on the machine
    # and the build, so a page renders it from its measurement (a hide-input cell) instead
    typed = re.findall(r"\d[\d.,]*(?:\s*[–-]\s*\d[\d.,]*)?\s*(?:×|x|times)\s+(?:slower|faster)", _markdown(page))
    assert not typed, typed


def test_the_forward_tabs_end_at_the_same_quantity():
    # the Math tab's left-hand side is what the NumPy excerpt computes last (the notation table links the two)
    source = (ROOT / "docs/forward.py").read_text(encoding="utf-8")
    cell = source[source.index('"Math": math_html(') :]
    math = ast.literal_eval("(" + cell[cell.index("(") + 1 : cell.index("),")] + ")")
    math = math if isinstance(math, str) else "".join(math)
    lhs = math.split("=", 1)[0].strip()
    last = re.findall(r"^(\w+)(?:,\s*\w+)?\s*=", section("fcnet/core/net.py:net-forward"), re.M)[-1]
    batch = {s.code: s.latex for s in SYMBOLS if s.group.startswith("A batch")}
    assert batch[last] == lhs, (last, lhs)


@pytest.mark.parametrize("square", [True, False])
def test_the_transposed_dW1_comment_holds_on_square_and_other_nets(square):
    params, X, y, reg = planted_problem() if square else random_example(5, 3, 4, 2, seed=1)
    _, grads = loss_and_grads(params, X, y, reg)
    bad = PLANTED_BUGS["transposed dW1"](params, grads, reg)["W1"]
    assert (bad.shape == params["W1"].shape) is square  # the shape agrees only when W1 is square
    np.testing.assert_array_equal(bad, grads["W1"].T)
    comment = section("fcnet/gradcheck/planted.py:bug-transpose")
    assert "only when W1 is square" in comment and "W1 is square, so" not in comment


def _sums(expr):
    import sympy as sp

    return [s for s in sp.preorder_traversal(expr) if isinstance(s, sp.Sum)]


@pytest.mark.parametrize("number", [f"D{n}" for n in range(1, 13)])
def test_class_letters_run_over_classes_only(number):
    # the notation table reserves i, j, k, c for classes (0 <= k < C): a sum over i, j, k or c runs to C - 1,
    # and a sum over hidden units or inputs uses h and d (D4 once summed over i for a hidden unit)
    import sympy as sp

    from fcnet.derivations import all_derivations
    from fcnet.derivations.notation import C

    (d,) = [x for x in all_derivations() if x.number == number]
    exprs = [s.expr for s in d.steps] + [d.result]
    for total in (s for e in exprs for s in _sums(e)):
        for var, _, upper in total.limits:
            if str(var) in ("i", "j", "k", "c"):
                assert sp.simplify(upper - (C - 1)) == 0, (number, total)
