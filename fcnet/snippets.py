"""Named source sections: the lines the site shows under each formula.

A section is marked in fcnet's source the way pymdownx.snippets reads it::

    # --8<-- [start:affine-dW]
    dW = dout @ a.T
    # --8<-- [end:affine-dW]

and is addressed as ``"fcnet/layers.py:affine-dW"``, the same string a
markdown page passes to ``--8<--``.  The site and the tests read sections
through `section`, so an excerpt on the site is the source, never a copy.

>>> print(section("fcnet/layers.py:affine-dW"))
# ∂J/∂W = δ aᵀ   (the matrix product sums the N per-example outer products δ⁽ⁿ⁾ a⁽ⁿ⁾ᵀ)
dW = dout @ a.T
>>> "fcnet/layers.py:affine-dW" in sections()
True
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

__all__ = ["ROOT", "section", "sections"]

#: The directory that holds the ``fcnet`` package: snippet paths are relative to it.
ROOT = Path(__file__).resolve().parent.parent

_MARK = re.compile(r"^\s*# --8<-- \[(start|end):([\w-]+)\]\s*$")


def _parse(path: str) -> dict[str, str]:
    file = ROOT / path
    if not file.is_file() or not path.startswith("fcnet/"):
        raise ValueError(f"snippet path {path!r} is not a file under fcnet/; expected e.g. 'fcnet/layers.py'")
    found: dict[str, str] = {}
    open_: dict[str, list[str]] = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        m = _MARK.match(line)
        if m and m.group(1) == "start":
            open_[m.group(2)] = []
        elif m:
            found[m.group(2)] = textwrap.dedent("\n".join(open_.pop(m.group(2)))).strip("\n")
        else:
            for lines in open_.values():
                lines.append(line)
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
