"""fcnet.derivations: the registry, every proof, and the results against the NumPy code."""

import io
import re
import subprocess
import sys
import tokenize

import numpy as np
import pytest
import sympy as sp

import fcnet
import fcnet.site.snippets
from fcnet.derivations import all_derivations, get
from fcnet.site.snippets import ROOT, section, sections

DERIVATIONS = all_derivations()
IDS = [d.id for d in DERIVATIONS]

#: the ids the site cites: they must stay
CITED = [
    "softmax-jacobian",
    "softmax-ce-grad",
    "sigmoid-grad",
    "linear-grad",
    "hidden-layer-grad",
    "batch-mean-l2",
    "numdiff-toy",
    "numdiff-error",
]

#: LaTeX commands amsmath and MathJax 3 both know, and nothing else (no amssymb, no custom macros)
AMSMATH = set(
    r"""
\begin \end \frac \partial \sum \prod \hat \left \right \log \exp \sin \cos \tanh \sigma \delta \Delta \lambda \Phi
\phi \pi \mathrm \mathbf \operatorname \circ \odot \notag \tag \nabla \sqrt \substack \leq \geq \cdot \quad \qquad
\infty \text \lVert \rVert \max \min \operatorname \theta \ne \neq \erf \tfrac \dfrac \Bigl \Bigr \big \Big \times \top
""".split()
)


@pytest.mark.parametrize("d", DERIVATIONS, ids=IDS)
def test_verify_proves_the_result(d):
    assert d.verify() is True


@pytest.mark.parametrize("d", DERIVATIONS, ids=IDS)
def test_result_lambdified_matches_the_numpy_code(d, rng):
    # Both sides evaluate the same formula in float64 in a different order: round-off is ~1e-16
    # per operation (measured ≤ 4e-16), 1e-12 leaves four orders of margin.  numdiff-toy compares
    # finite differences at h = 1e-3 with the exact gradient plus its h²/6 f''' error term: the
    # O(h⁴) remainder and round-off ε|f|/h leave ~1e-13 (measured 7e-14).
    assert d.numeric is not None, f"{d.id} has no numeric check against the code"
    ours, code = d.numeric(rng)
    assert np.shape(ours) == np.shape(code)
    assert fcnet.norm_rel_error(ours, code) <= 1e-12


def test_the_cited_ids_exist_in_reading_order():
    assert IDS[: len(CITED)] == CITED


@pytest.mark.parametrize("d", DERIVATIONS, ids=IDS)
def test_contract_fields(d):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", d.id)
    assert d.title and isinstance(d.precondition, str)
    assert d.steps and all(isinstance(s.expr, sp.Basic) and s.prose for s in d.steps)
    # the code that computes the result, or, for a result no code forms (the softmax Jacobian), the
    # derivations that use it: "Implemented by" never names code that does not compute it
    used_by = [other.number for other in DERIVATIONS if other is not d and f"({d.number})" in str(other.steps)]
    assert d.snippets or used_by, f"{d.id} names no NumPy section and no derivation uses it"
    for ref in d.snippets:
        assert section(ref).strip()


def test_every_snippet_section_name_is_unique_in_its_file():
    # read apart from the parser: every start marker that is a comment token, file by file
    mark = re.compile(r"\s*# --8<-- \[start:([\w-]+)\]\s*$")
    total = 0
    for file in sorted((ROOT / "fcnet").rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(file.read_text(encoding="utf-8")).readline)
        names = [m.group(1) for t in tokens if t.type == tokenize.COMMENT and (m := mark.match(t.line))]
        assert len(names) == len(set(names)), f"{file.relative_to(ROOT)}: {sorted(names)}"
        total += len(names)
    assert len(sections()) == total  # each one parsed, none from elsewhere


def test_no_snippet_section_comes_from_the_parser_s_own_docstring():
    assert [ref for ref in sections() if ref.startswith("fcnet/site/snippets.py:")] == []


def test_the_snippet_parser_ignores_markers_in_strings_and_rejects_duplicates_and_unclosed(tmp_path, monkeypatch):
    monkeypatch.setattr(fcnet.site.snippets, "ROOT", tmp_path)
    (tmp_path / "fcnet").mkdir()
    src = tmp_path / "fcnet" / "m.py"
    start, end = "# --8<-- [start:{}]", "# --8<-- [end:{}]"
    body = [start.format("a"), "x = 1", end.format("a")]
    src.write_text("\n".join(['"""Example:', "    " + start.format("doc"), '"""', *body, ""]))
    assert sections() == {"fcnet/m.py:a": "x = 1"}
    src.write_text("\n".join([*body, *body, ""]))
    with pytest.raises(ValueError, match=r"fcnet/m.py:4: snippet section 'a' starts again"):
        sections()
    src.write_text("\n".join(body[:2]))
    with pytest.raises(ValueError, match=r"snippet sections \['a'\] start but never end"):
        sections()


def test_numbers_and_ids_are_unique():
    assert len(set(IDS)) == len(IDS)
    numbers = [d.number for d in DERIVATIONS]
    assert len(set(numbers)) == len(numbers)
    assert [get(i).number for i in CITED] == [f"D{n}" for n in range(1, 9)]


def test_the_headings_are_the_registrys_every_derivation_in_its_order():
    from fcnet.derivations.parts import HEADINGS, number

    assert [(i, *h) for i, h in HEADINGS.items()] == [(d.id, d.number, d.title) for d in DERIVATIONS]
    with pytest.raises(KeyError) as err:
        number("softmax-grad")
    assert "softmax-grad" in str(err.value) and all(i in str(err.value) for i in IDS)


@pytest.mark.processes
def test_a_link_to_a_derivation_and_the_cite_table_build_no_derivation():
    # the Cite page's table and every link (corrections, takeaways) name a derivation from parts alone
    code = (
        "import sys\nfrom fcnet.derivations.parts import HEADINGS, href, page\n"
        "from fcnet.site.derivation import link, link_markdown\n"
        "print(link('sigmoid-grad', 'changes/'), link_markdown('linear-grad', 'backprop/'), len(HEADINGS))\n"
        "assert 'sympy' not in sys.modules, sorted(m for m in sys.modules if m.startswith('sympy'))[:3]"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out == '<a class="fcnet-dlink" href="../backprop/#sigmoid-grad">D3</a> [D4](#linear-grad) 12\n'


def test_get_unknown_id_lists_the_known_ones():
    with pytest.raises(KeyError) as err:
        get("softmax-grad")
    assert "softmax-grad" in str(err.value) and all(i in str(err.value) for i in IDS)


@pytest.mark.parametrize("d", DERIVATIONS, ids=IDS)
def test_latex_explains_each_step_then_tags_and_labels_the_whole_result_once(d):
    tex = d.latex()
    lines = tex.splitlines()
    steps, result = tex.split("\nResult:\n")
    assert lines[0] == r"\begin{align*}" and steps.endswith(r"\end{align*}")
    explained = [line for line in steps.splitlines() if line.startswith(r"\intertext{")]
    assert len(explained) == len(d.steps)  # each step's explanation, an \intertext of its own line
    # the result: one equation, every line of it in one aligned block under one tag, as on the site
    assert result.startswith("\\begin{equation}\n\\begin{aligned}\n")
    assert result.endswith(f"\\end{{aligned}}\n\\tag{{{d.number}}}\\label{{fcnet:{d.id}}}\n\\end{{equation}}")
    assert tex.count(r"\tag") == 1 and r"\notag" not in tex and tex.count("{") == tex.count("}")
    assert tex.count(r"\left") == tex.count(r"\right")
    equations = [line.removesuffix(" \\\\") for line in lines if "&" in line and not line.startswith("\\")]
    assert all(line.count("&=") == 1 or line.startswith(r"&\quad ") or line.startswith("&") for line in equations)
    assert set(re.findall(r"\\[A-Za-z]+", tex)) <= AMSMATH | {r"\intertext", r"\label"}


@pytest.mark.parametrize("d", DERIVATIONS, ids=IDS)
def test_prose_is_text_with_its_math_in_dollars(d):
    # no pseudo-TeX outside $…$, no unicode math either: "e^{z_i}" or "Σ_i y_i" in the prose is a bug
    from fcnet.derivations.prose import segments, text

    for prose in (d.precondition, *(s.prose for s in d.steps)):
        assert prose.count("$") % 2 == 0, prose
        plain = "".join(p for is_math, p in segments(prose) if not is_math)
        assert not re.search(r"[\\^_{}]|[ΣσδΔλŷ∂⊙ᵀ⁽⁾∇√]", plain), prose
        for is_math, piece in segments(prose):
            if is_math:
                assert set(re.findall(r"\\[A-Za-z]+", piece)) <= AMSMATH, piece
        assert "\\" not in text(prose) and "$" not in text(prose), text(prose)


@pytest.mark.parametrize("d", DERIVATIONS, ids=IDS)
def test_titles_are_short_names_without_formulas(d):
    # the heading is "D5 · Through the hidden layer"; the formula is in the body
    assert len(d.title) <= 40 and not re.search(r"[=∂δσΣ^_\\$]", d.title), d.title


def test_a_long_sum_wraps_over_aligned_lines_and_reads_the_same():
    from fcnet.derivations.base import wrap

    d = get("numdiff-error")
    step = d.steps[0]
    lines = step.lines()
    assert len(lines) == 2 and lines[1].startswith(r"&\quad + ")
    joined = lines[0] + " " + lines[1].removeprefix(r"&\quad ")
    assert joined == wrap(joined, 0)[0] == step.lines()[0].split(" &= ")[0] + " &= " + joined.split(" &= ")[1]
    # a sign inside a fraction or a bracket is not a break point
    assert wrap(r"f &= \frac{a - b}{2} + \left(c - d\right) - e", 1) == [
        r"f &= \frac{a - b}{2}",
        r"&\quad + \left(c - d\right)",
        r"&\quad - e",
    ]


def test_softmax_ce_states_and_uses_its_precondition():
    d = get("softmax-ce-grad")
    assert r"$\sum_i y_i = 1$" in d.precondition and r"$\hat{y}_k \sum_i y_i - y_k$" in d.precondition
    # the general result ŷ_k Σy − y_k is one of the steps; it differs from the result by ŷ_k(Σy − 1)
    from fcnet.derivations.notation import k, y, yhat
    from fcnet.derivations.softmax import SY

    general = yhat[k] * SY - y[k]
    assert sum(1 for s in d.steps if isinstance(s.expr, sp.Eq) and s.expr.rhs.doit() == general) == 1
    assert sp.expand(general - d.result.rhs.doit() - yhat[k] * (SY - 1)) == 0
    assert d.result.rhs.doit() == general.subs(SY, 1)


def test_step_text_and_latex():
    d = get("sigmoid-grad")
    assert d.steps[0].latex() == r"\sigma\left(z\right) &= \frac{1}{1 + e^{- z}}"
    text = d.text()
    assert text.startswith("(D3) The sigmoid's derivative") and "fcnet/core/layers.py:sigmoid-backward" in text
