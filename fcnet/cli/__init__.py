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
* Ctrl-C: one line, exit 130; SIGTERM: one line, exit 143, at any moment
  (`fcnet.cli.signals`, which also covers the imports before `main` runs);
* a character the output's encoding lacks (Greek letters, subscripts, a
  file name's undecodable byte): spelled in ASCII (`fcnet.cli.output`).

Never a traceback for any of these.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys

from . import signals
from .output import ascii_fallback

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


class _Help(argparse.Action):
    """``-h/--help`` that lets a write error through (argparse's own swallows it and exits 0)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help="show this help message and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(parser.format_help())
        sys.stdout.flush()
        parser.exit()


class _Version(argparse.Action):
    """``--version`` that, like `_Help`, lets a write error through."""

    def __init__(self, option_strings, version, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help="show fcnet's version and exit")
        self.version = version

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(self.version + "\n")
        sys.stdout.flush()
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help fails like any other output (its subcommands' parsers are of this class too)."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action=_Help)


def build_parser() -> argparse.ArgumentParser:
    from ..release import __version__

    parser = _Parser(prog=PROG, description="Fully connected nets from scratch.")
    parser.add_argument("--version", action=_Version, version=f"fcnet {__version__}")
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
    """Run one command; return its exit status (0 success, 1 failure, 2 bad usage, 130, 141, 143)."""
    try:
        with signals.raising(), ascii_fallback():
            status = _main(argv)
    except KeyboardInterrupt:  # in the instant between _main's own handlers and the signals' reset
        _say("interrupted")
        status = signals.STATUS[signal.SIGINT]
    except signals.Terminated:
        _say("terminated")
        status = signals.STATUS[signal.SIGTERM]
    lost = signals.received()
    if lost is not None and status not in signals.STATUS.values():  # its exception was lost: the command ran on
        _say("interrupted" if lost == signal.SIGINT else "terminated")
        status = signals.STATUS[lost]
    if signals.started_as_command():
        if status in signals.STATUS.values():
            signals.exit_with(status)  # now: Python would turn a KeyboardInterrupt it saw into death by SIGINT
        signals.ignore()  # the command is done: a signal while Python exits changes nothing (nor kills it)
    return status


def _main(argv: list[str] | None) -> int:
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help (0), or a bad argument (2): argparse has printed why
            if sys.stdout is not None:
                sys.stdout.flush()  # --help > /dev/full must fail like any other output
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
        return signals.STATUS[signal.SIGINT]
    except signals.Terminated:
        _say("terminated")
        return signals.STATUS[signal.SIGTERM]
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
