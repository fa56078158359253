"""The command line: ``python -m fcnet <command>``.

Each command lives in its own module, which provides ``add_arguments(parser)``
and ``run(args) -> int``; this file dispatches, importing a command's module
(and so sympy or torch) only when that command runs, and owns what can go
wrong with the streams for every command at once:

* a bad argument: argparse's one line naming the flag (`fcnet.cli.args`), exit 2;
* a closed pipe (``python -m fcnet derive | head -1``): nothing more is
  printed and the exit status is 141 (128 + SIGPIPE), as for a Unix tool;
* a full disk or another write error (``... > /dev/full``): one line on
  stderr, exit 1;
* Ctrl-C: one line, exit 130.  Never a traceback for any of these.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

__all__ = ["main"]

#: command -> (module, one-line help)
COMMANDS = {
    "example": ("fcnet.cli.example", "the worked example by NumPy, PyTorch, finite differences and SymPy (exact)"),
    "train": ("fcnet.cli.train", "train the two-layer net on scikit-learn's digits (SGD with momentum)"),
    "bench": ("fcnet.cli.bench", "time one training step: NumPy against PyTorch, GEMM throughput, check costs"),
    "derive": ("fcnet.cli.derive", "the backprop derivations by SymPy: list, show (--latex), prove (--check)"),
    "diagnose": ("fcnet.cli.diagnose", "diagnose a student's loss_and_grads: what is wrong, where, which derivation"),
    "assignment": ("fcnet.cli.assignment", "write an assignment folder: starter my_net.py with TODOs, public tests"),
}

PROG = "python -m fcnet"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Fully connected nets from scratch.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(_module=module)
        importlib.import_module(module).add_arguments(p)
    return parser


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (under a test's capture)
        pass


def _say(message: str) -> None:
    """One line on stderr, if stderr can still take it."""
    try:
        print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status (0 success, 1 failure, 2 bad usage, 130, 141)."""
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help (0), or a bad argument (2): argparse has printed why
            return exc.code if isinstance(exc.code, int) else 2
        if sys.stdout is None:  # started with stdout closed (>&-): Python would drop every line silently
            _say("error: standard output is closed")
            return 1
        status = importlib.import_module(args._module).run(args)
        sys.stdout.flush()  # a write error must surface here, not in the interpreter's exit
        return status
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as Unix tools do
        _silence_stdout()
        return 141
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except MemoryError:
        _say("error: out of memory")
        return 1
    except OSError as exc:  # a full disk, a vanished folder ...: the file, or else the output stream
        where = f" ({exc.filename})" if exc.filename else " writing to standard output"
        _silence_stdout()
        _say(f"error{where}: {exc.strerror or exc}")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
