"""``python -m fcnet assignment OUT [--layout rows]``: write an assignment folder (`fcnet.assignment`).

Exit status 0 when written, 2 when OUT exists and is not an empty folder
(nothing is overwritten).
"""

from __future__ import annotations

import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    from ..assignment import LAYOUTS

    parser.add_argument("out", metavar="OUT", help="the folder to write (new, or empty)")
    parser.add_argument(
        "--layout", choices=LAYOUTS, default="columns", help="columns: the notes' (X is (D_in, N)); rows: CS231n's"
    )


def run(args) -> int:
    from ..assignment import write_assignment

    try:
        written = write_assignment(args.out, args.layout)
    except FileExistsError as err:
        print(f"fcnet assignment: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(f"\nNext: cd {args.out} && python -m pytest   (fails naming the first TODO until my_net.py is written)")
    return 0
