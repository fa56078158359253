"""The child process's time and memory limits: their bounds, and the check that names a bad one.

Standard library only, so that the command line's parser can read the bounds
without importing NumPy.
"""

from __future__ import annotations

import math

__all__ = ["LIMITS", "check_limits"]

#: argument -> (least, most): the child's limits (64 MiB runs a correct net; 0.5 MiB does not start Python)
LIMITS = {"timeout": (0.0, 86_400.0), "memory_mb": (64.0, 2.0**20)}


def check_limits(timeout, memory_mb) -> None:
    """Refuse a time or memory limit that is not a finite real in `LIMITS`, naming it (never the student's file).

    >>> check_limits(10, float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: memory_mb is nan; expected a finite real number >= 64 and <= 1.04858e+06 (MiB)
    """
    for name, value, unit in (("timeout", timeout, "seconds"), ("memory_mb", memory_mb, "MiB")):
        low, high = LIMITS[name]
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        ok = ok and (value > low if name == "timeout" else value >= low) and value <= high
        if not ok:
            bound = f"> {low:g}" if name == "timeout" else f">= {low:g}"
            raise ValueError(f"{name} is {value!r}; expected a finite real number {bound} and <= {high:g} ({unit})")
