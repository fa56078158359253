"""``python -m fcnet bench [--quick] [--json] [--save] [--memory]``: see `fcnet.bench.race` and `fcnet.bench.memory`.

Progress lines go to stderr; stdout gets the report, or with ``--json`` one
JSON object and nothing else.  ``--save`` also writes the results where the
benchmarks page reads them (``fcnet/bench/results/``, package data)::

    python -m fcnet bench --save             # the race: about 3 minutes on a quiet 2-core machine
    python -m fcnet bench --memory --save    # the memory peaks at N = 200,000: about 2 minutes, 6 GB free

The workers run without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE; nothing
else about this process or its environment is changed.
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
    parser.add_argument(
        "--save", action="store_true", help="also write the results where the benchmarks page reads them"
    )
    parser.add_argument(
        "--memory", action="store_true", help="measure the step's peak memory at N = 200,000 instead of its speed"
    )


def run(args) -> int:
    from ..bench import archive
    from ..bench.targets import format_results

    if args.save and args.quick:
        print("error: --save with --quick; the page shows full runs only", file=sys.stderr)
        return 2
    log = lambda s: print("bench:", s, file=sys.stderr, flush=True)  # noqa: E731
    if args.memory:
        from ..bench.memory import format_memory, run_memory

        results, name, text = run_memory(quick=args.quick, log=log), "memory", format_memory
    else:
        from ..bench.race import run_bench

        results, name, text = run_bench(quick=args.quick, rounds=args.rounds, log=log), "bench", format_results
    if args.save:
        log(f"saved {archive.save(name, results)}")
    print(json.dumps(results, indent=1) if args.json else text(results))
    return 0
