"""``python -m fcnet derive [ID | --all] [--latex] [--check]``: the derivations, for coursework.

Without an ID: the ids and titles, one a line.  With one: its steps as text,
or with ``--latex`` an amsmath ``align`` block, each step's explanation in an
``\\intertext``, to paste into homework.  ``--all`` does the same for every
derivation; ``--latex --all`` prints one standalone LaTeX document, numbered as
on the site (``pdflatex`` compiles it).  ``--check`` runs ``verify()`` (on ID,
or on every derivation) and exits 1 if a proof fails.  An unknown ID exits 2
with the known ones on stderr.

This module imports SymPy only when the command runs.
"""

from __future__ import annotations

import sys
import time

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    parser.add_argument("id", nargs="?", help="a derivation id, e.g. softmax-ce-grad; omit to list them all")
    parser.add_argument("--all", action="store_true", help="every derivation; with --latex, one standalone document")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--latex", action="store_true", help="print the derivation as a LaTeX align block (amsmath)")
    how.add_argument("--check", action="store_true", help="prove the result(s) with verify(); exit 1 on failure")


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
    from ..derivations import all_derivations, get

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
        width = max(len(d.id) for d in all_derivations())
        for d in all_derivations():
            print(f"{d.id:<{width}}  {d.title}")
        return 0
    try:
        d = get(args.id)
    except KeyError as err:
        print(f"fcnet derive: {err.args[0]}", file=sys.stderr)
        return 2
    if args.check:
        return _check([d])
    print(d.latex() if args.latex else d.text())
    return 0
