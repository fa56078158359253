"""``python -m fcnet derive [ID | --all] [--latex] [--check]``: the derivations, for coursework.

Without an ID: each derivation's number, id and title, one a line.  With one (its id, its
number ``D2`` or just ``2``): its steps as text, or with ``--latex`` an amsmath ``align*``
block, each step's explanation in an ``\\intertext``, then the result tagged (D2) and labelled
``fcnet:<id>`` (so ``\\eqref{fcnet:softmax-ce-grad}`` prints (D2)), to paste into homework.
``--all`` does the same for every derivation; ``--latex --all`` prints the handout, one
standalone LaTeX document numbered as on the site (``pdflatex`` compiles it:
`fcnet.derivations.document`).  ``--check`` runs ``verify()`` (on ID,
or on every derivation) and exits 1 if a proof fails.  An unknown ID exits 2
with the known ones on stderr.

This module imports SymPy only when the command runs.
"""

from __future__ import annotations

import sys
import time

__all__ = ["add_arguments", "find", "run"]


def add_arguments(parser) -> None:
    parser.add_argument(
        "id", nargs="?", help="a derivation, by its id or its number: softmax-ce-grad, D2 or 2; omit to list them"
    )
    parser.add_argument("--all", action="store_true", help="every derivation; with --latex, one standalone document")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--latex", action="store_true", help="print the derivation as a LaTeX align block (amsmath)")
    how.add_argument("--check", action="store_true", help="prove the result(s) with verify(); exit 1 on failure")


def find(key: str):
    """The derivation named by ``key``: its id (``softmax-ce-grad``), its number (``D2``, ``d2``) or ``2``.

    KeyError naming what was given and the known ids and numbers if none matches.
    """
    from ..derivations import all_derivations

    wanted = key.strip()
    number = wanted.upper() if wanted[:1] in "dD" else "D" + wanted
    for d in all_derivations():
        if wanted == d.id or number == d.number:
            return d
    known = ", ".join(f"{d.number} {d.id}" for d in all_derivations())
    raise KeyError(f"unknown derivation {key!r}; give an id or a number, one of: {known}")


def _check(derivations) -> int:
    failed = 0
    for d in derivations:
        start = time.perf_counter()
        try:
            d.verify()
        except AssertionError as err:
            failed += 1
            print(f"FAIL  {d.id}: {err}", file=sys.stderr)
            continue
        print(f"ok    {d.id}  ({d.number}, {time.perf_counter() - start:.2f} s)")
    return 1 if failed else 0


def run(args) -> int:
    from ..derivations import all_derivations

    if args.all and args.id is not None:
        print(f"fcnet derive: give a derivation id ({args.id}) or --all, not both", file=sys.stderr)
        return 2
    if args.id is None:
        if args.check:
            return _check(all_derivations())
        if args.all and args.latex:
            from ..derivations.document import document

            print(document(), end="")
            return 0
        if args.all:
            print("\n\n".join(d.text() for d in all_derivations()))
            return 0
        if args.latex:
            print("fcnet derive: --latex needs a derivation id, or --all for every derivation", file=sys.stderr)
            return 2
        number = max(len(d.number) for d in all_derivations())
        width = max(len(d.id) for d in all_derivations())
        for d in all_derivations():
            print(f"{d.number:<{number}}  {d.id:<{width}}  {d.title}")
        return 0
    try:
        d = find(args.id)
    except KeyError as err:
        print(f"fcnet derive: {err.args[0]}", file=sys.stderr)
        return 2
    if args.check:
        return _check([d])
    print(d.latex() if args.latex else d.text())
    return 0
