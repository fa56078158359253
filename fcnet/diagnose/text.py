"""Printing a report in any terminal: the characters a stream cannot encode fall back to ASCII names.

A report names λ, ŷ, σ, ‖W‖, arrows and dashes; a cp1252 or ASCII terminal cannot
encode some of them, and Python would stop with UnicodeEncodeError.  `printable`
spells them in ASCII (``lambda``, ``y_hat``) when, and only when, the stream's
encoding cannot encode the text.

>>> printable("λ=0.5, ‖W1‖² → 0", "ascii")
'lambda=0.5, ||W1||^2 -> 0'
>>> printable("λ=0.5", "utf-8")
'λ=0.5'
"""

from __future__ import annotations

import sys
import unicodedata

__all__ = ["printable", "say"]

_ASCII = {
    "λ": "lambda", "σ": "sigma", "δ": "delta", "ŷ": "y_hat", "ε": "eps", "Σ": "sum", "θ": "theta",
    "‖": "||", "²": "^2", "³": "^3", "⁻": "^-", "¹": "1", "½": "1/2", "¼": "1/4", "·": "*", "×": "x",
    "→": "->", "←": "<-", "≈": "~", "≤": "<=", "≥": ">=", "≠": "!=", "−": "-", "–": "-", "—": "--",
    "…": "...", "’": "'", "‘": "'", "“": '"', "”": '"', "∞": "inf", "√": "sqrt", "∂": "d", "∇": "grad",
}  # fmt: skip


def printable(text: str, encoding: str | None) -> str:
    """``text`` as it can be written in ``encoding``: unchanged if it fits, else with ASCII names for what does not."""
    encoding = encoding or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
        except (UnicodeEncodeError, LookupError):
            plain = _ASCII.get(ch) or unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode() or "?"
            out.append(plain)
    return "".join(out)


def say(text: str, file=None) -> None:
    """``print(text, file=file)`` that never raises UnicodeEncodeError (`printable`)."""
    file = sys.stdout if file is None else file
    print(printable(str(text), getattr(file, "encoding", None)), file=file)
