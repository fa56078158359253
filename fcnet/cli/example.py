"""``python -m fcnet example [--which seed|second] [--json]``."""

from __future__ import annotations

import json

from ..witnesses.registry import EXAMPLES, example_report, format_report, to_json


def add_arguments(parser) -> None:
    parser.add_argument(
        "--which",
        choices=sorted(EXAMPLES),
        default="seed",
        help="the notes' example (seed) or the non-degenerate one (second)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args) -> int:
    report = example_report(args.which)
    print(json.dumps(to_json(report), indent=2) if args.json else format_report(report))
    return 0
