"""Executable derivations: SymPy derives every backprop formula fcnet uses.

SymPy is imported here and nowhere else in fcnet.  Each family of
derivations is one module of this package with a function
``derivations() -> list[Derivation]`` (see `fcnet.derivations.sigmoid`, the
smallest); registering a family is one line in `FAMILIES`.  Derivations are
built once, on first use, and SymPy is imported only then.  Shared symbols live in `.notation`, proof tools
in `.proofs`; each derivation's equation number and title are in `.parts` (`HEADINGS`), which its family
passes on, and are unique (D1-D8 are the two-layer net's).

>>> [d.id for d in all_derivations()][:2]
['softmax-jacobian', 'softmax-ce-grad']
>>> get("sigmoid-grad").number
'D3'
>>> get("no-such-id")
Traceback (most recent call last):
...
KeyError: "unknown derivation 'no-such-id'; known ids: softmax-jacobian, ..."
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .base import Derivation, Step

__all__ = ["Derivation", "Step", "FAMILIES", "all_derivations", "get"]

#: The families, in reading order: one module of this package each.
FAMILIES = (
    "softmax",  # D1 softmax-jacobian, D2 softmax-ce-grad
    "sigmoid",  # D3 sigmoid-grad
    "linear",  # D4 linear-grad
    "hidden",  # D5 hidden-layer-grad
    "batch",  # D6 batch-mean-l2
    "numdiff",  # D7 numdiff-toy, D8 numdiff-error
    "activations",  # D9 on: one per activation in fcnet.core.activations.ACTIVATIONS but the sigmoid (deeper nets)
)


def __getattr__(name: str):
    # Derivation and Step load SymPy on first use, so `fcnet.cli.derive` imports without it
    if name in ("Derivation", "Step"):
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _registry() -> dict[str, Derivation]:
    out: dict[str, Derivation] = {}
    for family in FAMILIES:
        for d in importlib.import_module(f"{__name__}.{family}").derivations():
            if d.id in out:
                raise ValueError(f"derivation id {d.id!r} from family {family!r} is already registered")
            out[d.id] = d
    return out


def all_derivations() -> list[Derivation]:
    """Every derivation, in a stable reading order."""
    return list(_registry().values())


def get(id: str) -> Derivation:
    """The derivation with this id; KeyError listing the known ids if none."""
    reg = _registry()
    if id not in reg:
        raise KeyError(f"unknown derivation {id!r}; known ids: {', '.join(reg)}")
    return reg[id]
