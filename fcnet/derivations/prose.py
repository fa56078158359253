r"""Prose with inline math: one source for the site, the LaTeX document and the terminal.

A step's explanation, and a precondition, is a sentence with its math between dollar signs,
in the same notation the derivation prints (``$W^{(2)}$``, ``$\hat{y}_k$``).  The site hands
the math to MathJax, `latex` keeps it for pdflatex, and `text` writes it in unicode for
``python -m fcnet derive ID``.  Standard library only: the site's hooks use `text` as well.

>>> s = r"Quotient rule: $e^{z_i}$ depends on $z_k$ only when $i = k$, and $\sum_j e^{z_j}$ always."
>>> text(s)
'Quotient rule: e^(zᵢ) depends on zₖ only when i = k, and Σⱼ e^(zⱼ) always.'
>>> latex("the ½ cancels — see $\\lambda W$ (D6)")
'the $\\tfrac{1}{2}$ cancels --- see $\\lambda W$ (D6)'
>>> segments("a $x$ b")
[(False, 'a '), (True, 'x'), (False, ' b')]
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["segments", "tex_to_text", "text", "latex"]

_MATH = re.compile(r"\$([^$]+)\$")

_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "lambda": "λ",
    "mu": "μ", "pi": "π", "sigma": "σ", "phi": "φ", "Phi": "Φ", "Delta": "Δ", "Sigma": "Σ", "sum": "Σ",
    "partial": "∂", "nabla": "∇", "odot": "⊙", "circ": "∘", "cdot": "·", "times": "×", "le": "≤", "leq": "≤",
    "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "to": "→", "infty": "∞", "in": "∈",
    "top": "ᵀ", "ldots": "…", "dots": "…", "lVert": "‖", "rVert": "‖", "|": "‖", "log": "log", "exp": "exp",
    "max": "max", "min": "min", "tanh": "tanh", "sin": "sin", "cos": "cos", "erf": "erf",
    "quad": "  ", "qquad": "  ", ",": " ", ";": " ", ":": " ", "!": "", "left": "", "right": "",
    "big": "", "Big": "", "bigl": "", "bigr": "",
}  # fmt: skip
_SUP = dict(zip("0123456789+-−=()nijkT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱʲᵏᵀ"))
_SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_PREFIX = ("\\partial", "\\nabla")
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|[^\\{}^_]")


def segments(prose: str) -> list[tuple[bool, str]]:
    """``prose`` cut into ``(is_math, piece)`` pairs, in order; math without its dollar signs."""
    out, last = [], 0
    for m in _MATH.finditer(prose):
        if m.start() > last:
            out.append((False, prose[last : m.start()]))
        out.append((True, m.group(1)))
        last = m.end()
    if last < len(prose):
        out.append((False, prose[last:]))
    return out


def _script(body: str, table: dict, mark: str) -> str:
    if body and all(c in table or c in table.values() for c in body):
        return "".join(table.get(c, c) for c in body)
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def _parse(tokens: list[str], stop: str | None = None) -> str:
    """Unicode for tokens up to ``stop`` (consumed); ``tokens`` is consumed from the front."""
    out = []
    while tokens:
        tok = tokens.pop(0)
        if tok == stop:
            break
        out.append(_atom(tok, tokens))
    return "".join(out)


def _arg(tokens: list[str]) -> str:
    if not tokens:
        return ""
    tok = tokens.pop(0)
    return _parse(tokens, "}") if tok == "{" else _atom(tok, tokens)


def _atom(tok: str, tokens: list[str]) -> str:
    if tok == "{":
        return _parse(tokens, "}")
    if tok in "^_":
        body = _arg(tokens)
        return _script(body, _SUP, "^") if tok == "^" else _script(body, _SUB, "_")
    if not tok.startswith("\\"):
        return "−" if tok == "-" else tok
    name = tok[1:]
    if name == "frac":
        num, den = _arg(tokens), _arg(tokens)
        wrap = lambda s: s if len(s) <= 2 or s.isalnum() else f"({s})"  # noqa: E731
        return f"{wrap(num)}/{wrap(den)}"
    if name in ("tfrac", "dfrac"):
        return _atom("\\frac", tokens)
    if name in ("hat", "tilde", "bar"):
        body = _arg(tokens)
        mark = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304"}[name]
        return body + mark if len(body) == 1 else body
    if name == "sqrt":
        body = _arg(tokens)
        return f"√{body}" if len(body) == 1 else f"√({body})"
    if name in ("mathrm", "text", "operatorname", "mathit"):
        return _arg(tokens)
    if name == "mathbf":
        body = _arg(tokens)
        return "𝟙" if body == "1" else body
    return _SYMBOLS.get(name) if _SYMBOLS.get(name) is not None else name


def tex_to_text(tex: str) -> str:
    r"""Inline TeX as unicode text, for a terminal or a search preview.

    >>> tex_to_text(r"\frac{\partial L}{\partial W^{(1)}} = \delta^{(1)} x^\top")
    '∂L/(∂W⁽¹⁾) = δ⁽¹⁾ xᵀ'
    >>> tex_to_text(r"\operatorname{erf}'(u) = \tfrac{2}{\sqrt{\pi}} e^{-u^2}")
    "erf'(u) = 2/√π e^(−u²)"
    """
    tokens = _TOKEN.findall(tex)
    # ∂ and ∇ bind to what follows: "\partial L" is ∂L
    tokens = [t for n, t in enumerate(tokens) if not (t.isspace() and n and tokens[n - 1] in _PREFIX)]
    return unicodedata.normalize("NFC", _parse(tokens)).strip()  # ŷ as one character where unicode has it


def text(prose: str) -> str:
    """The prose in unicode: each ``$…$`` written out by `tex_to_text`."""
    return "".join(tex_to_text(p) if is_math else p for is_math, p in segments(prose))


# text-mode characters pdflatex (without extra packages) cannot set, and what it sets instead
_TEXT_LATEX = {
    "—": "---", "–": "--", "−": "$-$", "…": r"\ldots{}", "’": "'", "‘": "`", "“": "``", "”": "''",
    "½": r"$\tfrac{1}{2}$", "×": r"$\times$", "≈": r"$\approx$", "%": r"\%", "&": r"\&", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip


def latex(prose: str) -> str:
    """The prose for a LaTeX text-mode context (``\\intertext``): text escaped, math kept in ``$…$``."""
    out = []
    for is_math, piece in segments(prose):
        out.append(f"${piece}$" if is_math else "".join(_TEXT_LATEX.get(c, c) for c in piece))
    return "".join(out)
