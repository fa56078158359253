"""``python -m fcnet diagnose PATH [--function NAME] [--json] [--timeout S] [--memory MIB]``.

Runs the student's ``loss_and_grads(params, X, y, reg) -> (loss, grads)`` from
PATH in a child process on every probe and prints the report (or, with
``--json``, one JSON object).  Exit status 0 when the loss and every gradient
are right, 1 when something is wrong, 2 for a usage error: no such file, no
such function, a file that does not import.
"""

from __future__ import annotations

import json
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    from ..diagnose.limits import LIMITS
    from .args import real_in

    parser.add_argument("path", help="a Python file that defines loss_and_grads(params, X, y, reg) -> (loss, grads)")
    parser.add_argument("--function", default="loss_and_grads", metavar="NAME", help="the function to diagnose")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    (t_low, t_high), (m_low, m_high) = LIMITS["timeout"], LIMITS["memory_mb"]
    seconds, mib = real_in(t_low, t_high, low_open=True), real_in(m_low, m_high)
    parser.add_argument("--timeout", type=seconds, default=10.0, metavar="S", help="seconds for all the calls")
    parser.add_argument("--memory", type=mib, default=1024.0, metavar="MIB", help="memory limit, MiB")


def run(args) -> int:
    from ..diagnose import diagnose_file
    from ..diagnose.sandbox import UsageError

    try:
        diagnosis = diagnose_file(args.path, args.function, timeout=args.timeout, memory_mb=args.memory)
    except UsageError as err:
        print(f"fcnet diagnose: {err}", file=sys.stderr)
        return 2
    print(json.dumps(diagnosis.to_json(), indent=2) if args.json else diagnosis)
    return 0 if diagnosis.passed else 1
