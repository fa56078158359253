"""``python -m fcnet bench [--quick] [--json]``: see `fcnet.bench.race`.

Progress lines go to stderr; stdout gets the report, or with ``--json``
one JSON object and nothing else.  For numbers worth keeping, unset the
OpenBLAS overrides in that command alone::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python -m fcnet bench --json > docs/beyond/bench-results.json
"""

from __future__ import annotations

import json
import sys

from .args import int_in


def add_arguments(parser) -> None:
    parser.add_argument(
        "--quick", action="store_true", help="the smallest shape, 2 rounds, a 512² GEMM: seconds, rough numbers"
    )
    parser.add_argument(
        "--rounds", type=int_in(1, 1000), default=None, help="blocks per side and configuration (default 7; quick 2)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")


def run(args) -> int:
    from ..bench.race import run_bench
    from ..bench.targets import format_results

    results = run_bench(
        quick=args.quick, rounds=args.rounds, log=lambda s: print("bench:", s, file=sys.stderr, flush=True)
    )
    print(json.dumps(results, indent=1) if args.json else format_results(results))
    return 0
