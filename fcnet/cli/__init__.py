"""The command line: ``python -m fcnet <command>``.

Each command lives in its own module, which provides ``add_arguments(parser)``
and ``run(args) -> int``; this file only dispatches, importing a command's
module (and so sympy or torch) only when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main"]

#: command -> (module, one-line help)
COMMANDS = {
    "example": ("fcnet.cli.example", "the worked example by NumPy, PyTorch, finite differences and SymPy (exact)"),
    "train": ("fcnet.cli.train", "train the two-layer net on scikit-learn's digits (SGD with momentum)"),
    "bench": ("fcnet.cli.bench", "time one training step: NumPy against PyTorch, GEMM throughput, check costs"),
    "derive": ("fcnet.cli.derive", "the backprop derivations by SymPy: list, show (--latex), prove (--check)"),
    "diagnose": ("fcnet.cli.diagnose", "diagnose a student's loss_and_grads: what is wrong, where, which derivation"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fcnet", description="Fully connected nets from scratch.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(_module=module)
        importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return importlib.import_module(args._module).run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
