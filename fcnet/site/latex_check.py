r"""Check LaTeX against the one notation: every symbol in the table, every form the table's.

`symbols` reads the symbols a formula uses: a letter or Greek letter with
its layer superscript (``W^{(1)}``, ``\Delta^{(2)}``), ``\hat{y}``,
``\mathrm{CE}``, ``\operatorname{diag}``, ``D_{\mathrm{in}}``, ``w_{1}``; the
letters of an index subscript (``_{hd}``) count as index symbols.  The
example superscript ``^{(n)}`` is dropped (CE⁽ⁿ⁾ is CE).  `problems` then
names each symbol that is neither in `fcnet.site.notation.SYMBOLS` nor in
`GENERIC`, and each use of a form the notation replaced (`FORMS`): a
transpose written T, ∘ for ⊙, a norm without its F, L for a loss, sums not
starting at `fcnet.site.notation.INDEX_BASE`.

>>> sorted(symbols(r"{W^{(1)}_{hd}} x_{d} + \hat{y}^{T} \mathrm{CE}^{(n)}"))
['W^{(1)}', '\\hat{y}', '\\mathrm{CE}', 'd', 'h', 'x']
>>> problems(r"\frac{\partial L}{\partial a} = W^{T} \delta \circ A1")
['form: L written for a loss', 'form: T for the transpose', 'form: \\circ for the entry-wise product', 'symbol: A']
"""

from __future__ import annotations

import re

from .notation import INDEX_BASE, table_tokens

__all__ = ["GENERIC", "FORMS", "INDEX_ONLY", "symbols", "problems", "index_as_value", "prose_names", "math_segments"]

#: Allowed without a row of the table: operators, layout and constants, each with the reason.
GENERIC = {
    r"\frac": "fraction",
    r"\partial": "partial derivative",
    r"\sum": "sum",
    r"\nabla": "gradient",
    r"\sqrt": "square root",
    r"\pi": "the constant π",
    r"\cos": "cosine (the notes' toy f1)",
    r"\sin": "sine (its derivative)",
    r"\max": "maximum (ReLU)",
    r"\cdot": "a placeholder or product dot",
    r"\dots": "ellipsis",
    r"\lVert": "norm bar",
    r"\rVert": "norm bar",
    r"\top": "transpose",
    r"\odot": "entry-wise product",
    "O": "big-O remainder of a Taylor series (D8)",
    # layout and relations, which pages (not the derivations) use
    **dict.fromkeys((r"\big", r"\Big", r"\tfrac", r"\dfrac", r"\textstyle", r"\underbrace"), "layout"),
    **dict.fromkeys((r"\times", r"\approx", r"\in", r"\le", r"\ge", r"\ne", r"\pm", r"\ldots", r"\ast"), "relation"),
    **dict.fromkeys((r"\leftarrow", r"\infty", r"\mathbb{R}", r"\sim", r"\mapsto", r"\to"), "relation or constant"),
    r"\mathcal": "a distribution's name, as in \\mathcal{N}(0, 1)",
    r"\lceil": "ceiling",
    r"\rceil": "ceiling",
    r"\operatorname{Var}": "variance",
}

#: (pattern, problem): forms the notation replaced.
FORMS = [
    (re.compile(r"\\partial L(?![A-Za-z])"), "form: L written for a loss"),
    (re.compile(r"\^\{?T\}?(?![A-Za-z])"), "form: T for the transpose"),
    (re.compile(r"\\circ(?![A-Za-z])"), "form: \\circ for the entry-wise product"),
    (re.compile(r"\\rVert(?!_\{?F)"), "form: a norm without its F"),
    (re.compile(r"(?<![A-Za-z\\])[WbzaA]_\{?l\}?"), "form: a layer as a subscript (W_l for W^{(l)})"),
    (re.compile(r"D_\{\\text\{in\}\}"), "form: D_{\\text{in}} for D_{\\mathrm{in}}"),
]

_DROP = re.compile(
    r"\\text\{[^{}]*\}|\\(?:begin|end)\{\w+\*?\}|\\tag\{[^{}]*\}|\\notag|\\left(?![a-z])|\\right(?![a-z])|\\[:,;!]"
    r"|\\quad|\\qquad"
    r"|&|\\\\"
)
_SUM = re.compile(r"\\sum_\{(\w+)\s*=\s*([^{}]*)\}\^\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}")  # D_{\mathrm{in}} - 1
_TOKEN = re.compile(
    r"(?P<sym>D_\{\\mathrm\{in\}\}|\\hat\{[A-Za-z]\}|\\math(?:rm|bf|bb)\{\w+\}|\\operatorname\{\w+\}|\\[A-Za-z]+|[A-Za-z])"
    r"(?P<sup>\^\{\([0-9a-z]\)(?:\\top)?\})?(?P<sub>_\{[A-Za-z0-9]+\}|_[A-Za-z0-9])?"
)
# spacing and delimiters that are not symbols
_LAYOUT = {r"\left", r"\right", r"\hat", r"\operatorname", r"\mathrm", r"\mathbf", r"\circ"}  # \circ: a form


def _intertext_math(latex: str) -> str:
    r"""``latex`` with each ``\intertext{…}`` (a derivation step's prose) replaced by the math inside it.

    >>> _intertext_math(r"\intertext{Split $\frac{1}{2}$ off, as $x$ does.} y &= x")
    ' \\frac{1}{2}  x  y &= x'
    """
    out, start = [], 0
    while (n := latex.find(r"\intertext{", start)) >= 0:
        out.append(latex[start:n])
        depth, end = 1, n + len(r"\intertext{")
        while depth and end < len(latex):
            depth += {"{": 1, "}": -1}.get(latex[end], 0)
            end += 1
        prose = latex[n + len(r"\intertext{") : end - 1]
        out.append(" " + " ".join(m.group(1) + " " for m in re.finditer(r"\$([^$]+)\$", prose)))
        start = end
    return "".join(out) + latex[start:]


#: A layer next to l, or the last one: read as layer l's symbol (the table defines W^{(l)}, Z^{(l)}, …).
_LAYER_NEAR_L = re.compile(r"\^\{\((?:[lL]\s*[-+]\s*1|L)\)(?=\\top\}|\})")


def symbols(latex: str) -> set[str]:
    """The symbols ``latex`` uses (see the module docstring), index letters included."""
    out: set[str] = set()
    known = table_tokens()
    latex = _LAYER_NEAR_L.sub("^{(l)}", _intertext_math(latex))  # Z^{(l-1)}, W^{(L)}: layer l's symbols
    text = _DROP.sub(" ", latex.replace(r"D_{\text{in}}", r"D_{\mathrm{in}}"))  # that form is a `FORMS` problem
    text = _SUM.sub(lambda m: f" {m.group(1)} {m.group(3)} ", text)
    text = re.sub(r"\^\{?T\}?(?![A-Za-z])", " ", text)  # a transpose T is a form, not a symbol
    text = re.sub(r"\\rVert_\{?F\}?", r"\\rVert ", text)
    for m in _TOKEN.finditer(text):
        sym, sub = m.group("sym"), m.group("sub") or ""
        sup = (m.group("sup") or "").replace(r"\top", "")  # W^{(2)\top} is W^{(2)} transposed
        if sym in _LAYOUT:
            continue
        if sup == "^{(n)}":  # the example superscript: CE⁽ⁿ⁾ is CE of example n
            sup = ""
        sub_body = sub.strip("_{}")
        if sub_body.isdigit():  # w_1, f_{2}: part of the name where the table says so; else an entry, x_1, W_{01}
            out.add(f"{sym}{sup}_{{{sub_body}}}" if f"{sym}{sup}_{{{sub_body}}}" in known else sym + sup)
            continue
        out.add(sym + sup)
        out.update(ch for ch in sub_body if not ch.isdigit())  # index letters, one symbol each (W_{0h}: h)
    return out


def problems(latex: str) -> list[str]:
    """What in ``latex`` departs from the notation: ``"form: …"`` and ``"symbol: …"`` entries, sorted."""
    latex = _intertext_math(latex)
    found = {msg for pattern, msg in FORMS if pattern.search(latex)}
    for var, lo, hi in _SUM.findall(latex):
        if var == "l" and (lo.strip(), hi.strip()) == ("1", "L"):  # layers are numbered from 1 to L
            continue
        if lo.strip() != str(INDEX_BASE) or (INDEX_BASE == 0) != hi.replace(" ", "").endswith("-1"):
            found.add(f"form: a sum over {var} from {lo.strip()} to {hi.strip()} (indices start at {INDEX_BASE})")
    known = table_tokens()
    found.update(f"symbol: {s}" for s in symbols(latex) if s not in known and s not in GENERIC)
    return sorted(found)


_CODE_NAME = re.compile(r"(?<![\w`'\"])([A-Za-zΔδ]\d(?:_[a-z]+)?)(?![\w`'\"])")


def prose_names(prose: str) -> list[str]:
    """Code-style names (``W2``, ``A1``, ``δ1``, ``a1_h``) used as math in prose, sorted.

    The notation writes W⁽²⁾, A⁽¹⁾, δ⁽¹⁾ in prose and keeps ``W2`` for code, in backticks.
    The notes' toy names w1, w2, f1, f2 are exempt.

    >>> prose_names("the chain through the hidden layer (D5), A1 = σ(Z1); `W2` is code; f1 is the toy")
    ['A1', 'Z1']
    """
    names = {m.group(1) for m in _CODE_NAME.finditer(prose)}
    return sorted(n for n in names if n not in {"w1", "w2", "f1", "f2", "L2"} and not re.fullmatch(r"D\d+", n))


_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def math_segments(text: str) -> list[str]:
    r"""The math of a page's text, between ``$ $``, ``$$ $$``, ``\( \)`` or ``\[ \]``.

    >>> math_segments(r"Let $x$ be \(W^{(1)} x\), and $$J$$.")
    ['x', 'W^{(1)} x', 'J']
    """
    return [next(g for g in m.groups() if g is not None) for m in _MATH.finditer(text)]


#: Index letters that name nothing else in the notation (`fcnet.site.notation.SYMBOLS`): n an example,
#: i, j, c a class (k too, but a sparse check's k is also a count), p, q an entry, l a layer.  In a
#: formula they index (a subscript, the (n) of an example) or range (n = 0, …; 0 ≤ n < N); a formula
#: that computes with one, ‖a − n‖, has given it a second meaning.
INDEX_ONLY = ("n", "i", "j", "c", "p", "q", "l")

_NAMED = re.compile(r"\\(?:mathrm|operatorname|mathbf|mathbb|mathcal|label|tag|begin|end)\{[^{}]*\}")
_PROSE = re.compile(r"\\text\{[^{}]*\}")  # words inside a formula: a letter after them is named, "of class c"
_TUPLE = re.compile(r"\((?:\s*[a-z]\s*,)+\s*[a-z]\s*\)")  # a tuple of indices, (i, k)
_SCRIPT = re.compile(r"[_^](?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z0-9])")
_RELATION = re.compile(r"\\(?:le|ge|leq|geq|in|ne|lt|gt)(?![A-Za-z])")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_INDEX_LIST = re.compile(r"[\s,()0-9" + "".join(INDEX_ONLY) + r"hdk'-]*")


def index_as_value(latex: str) -> list[str]:
    r"""The letters of `INDEX_ONLY` that ``latex`` computes with, where the notation keeps them for indices.

    >>> index_as_value(r"\lVert a - n \rVert_F"), index_as_value(r"\hat{Y}_{kn}, \; 0 \le n < N, \; \mathrm{CE}^{(n)}")
    (['n'], [])
    >>> index_as_value("n"), index_as_value("(n, h)"), index_as_value(r"\sum_{n=0}^{N-1} x_n + p")
    ([], [], ['p'])
    >>> index_as_value(r"-\log \hat{y}_{c} \quad\text{for a label of class } c"), index_as_value(r"[i = k] - \hat{y}_i")
    ([], [])
    """
    text = _TUPLE.sub(" ", _PROSE.sub(" ; ", _NAMED.sub(" ", _intertext_math(latex))))
    text = _SCRIPT.sub(" ", _SCRIPT.sub(" ", text))  # a script inside a script
    text = _COMMAND.sub(" ", _RELATION.sub("<", text))
    if _INDEX_LIST.fullmatch(text):  # the index itself, "n", or a tuple of them, "(n, h)"
        return []
    found = set()
    for m in re.finditer(r"(?<![A-Za-z])([" + "".join(INDEX_ONLY) + r"])(?![A-Za-z])", text):
        before, after = text[: m.start()].rstrip(), text[m.end() :].lstrip()
        if after[:1] in ("=", "<", ">") or before[-1:] in ("<", ">", "=", ";"):  # a range, a comparison, named
            continue
        found.add(m.group(1))
    return sorted(found)
