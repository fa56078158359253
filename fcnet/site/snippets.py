"""Named source sections: the lines the site shows under each formula.

A section is marked in fcnet's source the way pymdownx.snippets reads it::

    # --8<-- [start:affine-dW]
    dW = dout @ a.T
    # --8<-- [end:affine-dW]

and is addressed as ``"fcnet/core/layers.py:affine-dW"``, the same string a
markdown page passes to ``--8<--``.  The site and the tests read sections
through `section`, so an excerpt on the site is the source, never a copy.
pymdownx.snippets reads the same markers on markdown pages, but it is a
Markdown preprocessor with no function that returns a section's text, which
the notebook pages and the tests need: hence this small reader.
A marker is a comment alone on its line, found by `tokenize`: marker text in
a string, like the example above in this docstring, marks nothing.  Each
name is unique in its file, and each section ends; otherwise ValueError.

>>> print(section("fcnet/core/layers.py:affine-dW"))
# ∂J/∂W = (∂J/∂z) aᵀ   (dout is ∂J/∂z, a column per example: the product sums their N outer products)
dW = dout @ a.T
>>> "fcnet/core/layers.py:affine-dW" in sections()
True
>>> [ref for ref in sections() if ref.startswith("fcnet/site/snippets.py:")]
[]
"""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from pathlib import Path

__all__ = ["ROOT", "section", "sections"]

#: The directory that holds the ``fcnet`` package: snippet paths are relative to it.
ROOT = Path(__file__).resolve().parents[2]

_MARK = re.compile(r"^\s*# --8<-- \[(start|end):([\w-]+)\]\s*$")


def _markers(text: str) -> dict[int, tuple[str, str]]:
    """Line index (0-based) -> ``(start|end, name)`` for each marker that is a comment alone on its line."""
    out = {}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT and (m := _MARK.match(tok.line.rstrip("\n"))):
            out[tok.start[0] - 1] = (m.group(1), m.group(2))
    return out


def _parse(path: str) -> dict[str, str]:
    file = ROOT / path
    if not file.is_file() or not path.startswith("fcnet/"):
        raise ValueError(f"snippet path {path!r} is not a file under fcnet/; expected e.g. 'fcnet/core/layers.py'")
    text = file.read_text(encoding="utf-8")
    marks = _markers(text)
    found: dict[str, str] = {}
    open_: dict[str, list[str]] = {}
    for n, line in enumerate(text.split("\n")):
        kind, name = marks.get(n, (None, None))
        if kind == "start":
            if name in open_ or name in found:
                raise ValueError(
                    f"{path}:{n + 1}: snippet section {name!r} starts again; expected unique names per file"
                )
            open_[name] = []
        elif kind == "end":
            if name not in open_:
                raise ValueError(f"{path}:{n + 1}: snippet section {name!r} ends but never started")
            found[name] = textwrap.dedent("\n".join(open_.pop(name))).strip("\n")
        else:
            for lines in open_.values():
                lines.append(line)
    if open_:
        raise ValueError(f"{path}: snippet sections {sorted(open_)} start but never end")
    return found


def section(ref: str) -> str:
    """The dedented lines between ``[start:name]`` and ``[end:name]``.

    Parameters
    ----------
    ref : str
        ``"fcnet/<file>.py:<name>"``.

    Returns
    -------
    code : str
        The section's lines without the markers, dedented.
    """
    path, sep, name = ref.partition(":")
    if not sep:
        raise ValueError(f"snippet reference {ref!r} has no ':name'; expected 'fcnet/<file>.py:<name>'")
    found = _parse(path)
    if name not in found:
        raise ValueError(f"{path} has no snippet section {name!r}; it has {sorted(found)}")
    return found[name]


def sections() -> dict[str, str]:
    """Every named section in the package, keyed ``"fcnet/<file>.py:<name>"``."""
    out = {}
    for file in sorted((ROOT / "fcnet").rglob("*.py")):
        path = file.relative_to(ROOT).as_posix()
        out.update({f"{path}:{name}": code for name, code in _parse(path).items()})
    return out
