"""Argument types for the commands: each value is checked while the command line is parsed.

argparse calls a ``type=`` function on each flag's text and, when it raises
`argparse.ArgumentTypeError`, exits with status 2 and one line that names
the flag: ``argument --seed: expected an integer in [0, 4294967295], got '-1'``.
So every check here runs before any work starts.

>>> import argparse
>>> p = argparse.ArgumentParser(prog="demo", exit_on_error=False)
>>> _ = p.add_argument("--lr", type=real_in(0, None, low_open=True))
>>> p.parse_args(["--lr", "1e-2"]).lr
0.01
>>> p.parse_args(["--lr", "nan"])
Traceback (most recent call last):
...
argparse.ArgumentError: argument --lr: expected a finite real number > 0, got 'nan'
"""

from __future__ import annotations

import argparse
import math
import os

__all__ = ["int_in", "real_in", "npz_out"]


def int_in(low: int, high: int | None = None):
    """A ``type=`` for integers in [low, high] (high None: no upper bound)."""
    span = f"in [{low}, {high}]" if high is not None else f">= {low}"

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer {span}, got {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected an integer {span}, got {text!r}")
        return value

    parse.__name__ = "integer"
    return parse


def real_in(low: float, high: float | None, *, low_open: bool = False, high_open: bool = False):
    """A ``type=`` for finite reals between low and high (open or closed ends; high None: no upper bound)."""
    left = f"> {low:g}" if low_open else f">= {low:g}"
    right = "" if high is None else (f" and < {high:g}" if high_open else f" and <= {high:g}")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        ok = math.isfinite(value) and (value > low if low_open else value >= low)
        if ok and high is not None:
            ok = value < high if high_open else value <= high
        if not ok:
            raise argparse.ArgumentTypeError(f"expected a finite real number {left}{right}, got {text!r}")
        return value

    parse.__name__ = "real"
    return parse


def npz_out(text: str) -> str:
    """A ``type=`` for an output path: ends in .npz, is no folder, and its folder exists and is writable."""
    if not text.endswith(".npz"):
        raise argparse.ArgumentTypeError(f"expected a path ending in .npz, got {text!r}")
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; expected a file path ending in .npz")
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"the folder {os.path.dirname(text) or '.'!r} of {text!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"the folder {os.path.dirname(text) or '.'!r} of {text!r} is not writable")
    return text
