"""Text for a terminal of any encoding: what the encoding cannot show is spelled in ASCII, never an error.

The commands print Greek letters, subscripts and a few symbols (λ, ŷ, W₁, ‖x‖², ∂J/∂W).  Under
``PYTHONIOENCODING=cp1252`` or a Latin-1 terminal those have no byte, and Python's default
(``errors="strict"``) ends the command in `UnicodeEncodeError`.  `ascii_fallback` registers an error
handler (`codecs.register_error`) that spells each such character in ASCII: a Greek letter by its
name (``λ`` → ``lambda``), a subscript as ``1``, superscripts as ``^2`` or ``^(l)``, a symbol as its usual ASCII
form (``∂`` → ``d``, ``≤`` → ``<=``), an undecodable byte of a file name (a surrogate escape) as
``\\xff``, anything else as ``\\u2713``.  The handler is only called for characters the encoding
lacks: a UTF-8 terminal shows everything as it is.  Any command (the grader's included) can use
`ascii_fallback` or `spell_ascii`.

>>> spell_ascii("λ‖W₁‖² ≤ ∂J/∂ŷ, δ⁽ˡ⁾")
'lambda||W1||^2 <= dJ/dy^, delta^(l)'
>>> "σ(z) → ±1".encode("cp1252", errors=ERRORS)
b'sigma(z) -> \\xb11'
"""

from __future__ import annotations

import codecs
import sys
import unicodedata
from contextlib import contextmanager

__all__ = ["ERRORS", "spell_ascii", "ascii_fallback"]

#: The name of the error handler: ``text.encode(encoding, errors=ERRORS)`` never fails.
ERRORS = "fcnet-ascii"

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ", "0123456789+-=()niT", strict=True))
_SYMBOLS = {
    "∂": "d", "∇": "grad ", "Σ": "sum", "∑": "sum", "∏": "prod", "√": "sqrt", "∞": "inf",
    "·": "*", "×": "x", "⊙": "(.)", "−": "-", "–": "-", "—": "--", "±": "+-",
    "≤": "<=", "≥": ">=", "≈": "~", "≠": "!=", "≡": "==", "∈": " in ",
    "→": "->", "←": "<-", "↦": "|->", "⇒": "=>", "‖": "||", "…": "...", "•": "*", "°": "deg",
    "‘": "'", "’": "'", "“": '"', "”": '"', "ℝ": "R", "✓": "ok", "✗": "x",
}  # fmt: skip
# SymPy's two-dimensional art (a big Σ, tall brackets): one ASCII character each, so that it stays aligned
_SYMBOLS |= dict(zip("╲╱⋅─━│┃⎛⎜⎝⎞⎟⎠⎡⎢⎣⎤⎥⎦⎧⎨⎩⎪⎫⎬⎭⌠⌡⎮⌈⌉⌊⌋", "\\/*--||/|\\\\|/[|[]|]/<\\|\\>///|[][]", strict=True))
_GREEK_SPELLING = {"LAMDA": "lambda"}  # Unicode's name for λ


def _spell(ch: str) -> str:
    """One character as ASCII."""
    if ch.isascii():
        return ch
    if "\udc80" <= ch <= "\udcff":  # a byte that was not valid UTF-8 in a file name (surrogateescape)
        return f"\\x{ord(ch) - 0xDC00:02x}"
    if ch in _SYMBOLS:
        return _SYMBOLS[ch]
    name = unicodedata.name(ch, "")
    if name.startswith("GREEK ") and " LETTER " in name:
        letter = name.rpartition(" LETTER ")[2].split()[0]
        letter = _GREEK_SPELLING.get(letter, letter.lower())
        return letter.capitalize() if "CAPITAL" in name else letter
    decomposed = unicodedata.normalize("NFKD", ch)  # ₁ → 1, é → e + accent, ŷ → y + circumflex
    base = "".join(c for c in decomposed if c.isascii())
    if base:
        return base + ("^" if "\u0302" in decomposed else "")  # ŷ is y-hat: keep the hat
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _superscript(ch: str) -> str | None:
    """A superscript's plain character (``²`` → ``2``, ``ˡ`` → ``l``), or None."""
    if ch in _SUPERSCRIPTS:
        return _SUPERSCRIPTS[ch]
    if unicodedata.name(ch, "").startswith(("SUPERSCRIPT ", "MODIFIER LETTER SMALL ", "MODIFIER LETTER CAPITAL ")):
        plain = unicodedata.normalize("NFKD", ch)
        return plain if plain.isascii() else None
    return None


def spell_ascii(text: str) -> str:
    """``text`` with every non-ASCII character spelled in ASCII (see the module's docstring).

    A run of superscripts takes one caret: ``δ⁽ˡ⁾`` → ``delta^(l)``.
    """
    out, raised = [], False
    for ch in text:
        up = None if ch.isascii() else _superscript(ch)
        if up is not None:
            out.append(up if raised else "^" + up)
        else:
            out.append(_spell(ch))
        raised = up is not None
    return "".join(out)


def _handler(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return spell_ascii(exc.object[exc.start : exc.end]), exc.end


codecs.register_error(ERRORS, _handler)


@contextmanager
def ascii_fallback(*streams):
    """Within: ``streams`` (default stdout and stderr) spell in ASCII what their encoding lacks; restored after."""
    streams = streams or (sys.stdout, sys.stderr)
    before = []
    for stream in streams:
        if hasattr(stream, "reconfigure") and hasattr(stream, "errors"):
            try:
                before.append((stream, stream.errors))
                stream.reconfigure(errors=ERRORS)
            except (OSError, ValueError):  # a closed or broken stream: its writes fail on their own
                before.pop()
    try:
        yield
    finally:
        for stream, errors in before:
            try:
                stream.reconfigure(errors=errors)
            except (OSError, ValueError):
                pass
