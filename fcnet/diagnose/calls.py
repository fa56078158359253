"""Calling the student's function on every probe, and checking what comes back.

`call_on_probes` calls ``fn(params, X, y, reg)`` on fresh copies of each
probe and checks the return value: a pair ``(loss, grads)``, a real number and
a dict of real arrays keyed like ``params``.  An exception is caught (any, even
``SystemExit``) and located in the student's source; a changed argument is
recorded.  The child process (`fcnet.diagnose.runner`) calls it, and so does
`fcnet.diagnose.sandbox.run_in_process` for a function that cannot be
located in a file.

>>> from fcnet.core.net import loss_and_grads
>>> records = call_on_probes(loss_and_grads)
>>> {r["status"] for r in records}, sorted(records[0]["grads"])
({'ok'}, ['W1', 'W2', 'b1', 'b2'])
>>> call_on_probes(lambda params, X, y, reg: None)[0]["problems"]["loss"]
'returned None; expected a pair (loss, grads)'
"""

from __future__ import annotations

import traceback
import warnings
from pathlib import Path

import numpy as np

from ..core.params import KEYS
from .probes import PROBES

__all__ = ["call_on_probes", "check_return", "describe", "located", "LAYOUTS", "to_layout"]


def describe(value) -> str:
    """A short description of a returned value, for a report."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


def check_return(value, dtypes=None) -> tuple[float | None, dict, dict]:
    """``(loss, grads, problems)`` from what the function returned; ``problems`` maps entry -> message.

    ``dtypes``, a dict if given, receives the dtype name of the loss and of each array returned
    (``"float32"`` for a student who computed in single precision).
    """
    entries = ("loss", *KEYS)
    dtypes = {} if dtypes is None else dtypes
    if not (isinstance(value, tuple | list) and len(value) == 2):
        return None, {}, dict.fromkeys(entries, f"returned {describe(value)}; expected a pair (loss, grads)")
    loss, grads = value
    problems = {}
    if isinstance(loss, np.ndarray) and loss.ndim == 0:
        loss = loss[()]
    if isinstance(loss, np.floating):
        dtypes["loss"] = loss.dtype.name
    if isinstance(loss, bool) or not isinstance(loss, int | float | np.integer | np.floating):
        hint = " (returned (grads, loss)?)" if isinstance(loss, dict) else ""
        problems["loss"] = f"the loss is {describe(loss)}; expected a real number{hint}"
        loss = None
    if not isinstance(grads, dict):
        problems.update(dict.fromkeys(KEYS, f"grads is {describe(grads)}; expected a dict with keys {list(KEYS)}"))
        return loss, {}, problems
    arrays = {}
    for k in KEYS:
        if k not in grads:
            problems[k] = f"grads has no key {k!r} (its keys: {sorted(map(str, grads))}); expected the keys of params"
            continue
        try:
            arr = np.asarray(grads[k])
        except (TypeError, ValueError) as exc:
            problems[k] = f"grads[{k!r}] is {describe(grads[k])} that is not an array ({exc})"
            continue
        if arr.dtype.kind not in "fiu":
            problems[k] = f"grads[{k!r}] is {describe(arr)}; expected real numbers"
            continue
        dtypes[k] = arr.dtype.name
        arrays[k] = arr.astype(np.float64)
    return (None if loss is None else float(loss)), arrays, problems


def located(exc: BaseException, files) -> str:
    """``"ValueError: ... (at net.py, line 12: dW1 = dz1 @ X)"``, from the student's last frame."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    mine = [f for f in frames if any(Path(f.filename).parent == Path(s).parent for s in files)] or frames
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, MemoryError):  # NumPy's is _ArrayMemoryError
        text = f"MemoryError: {exc}"
    if isinstance(exc, SystemExit):
        text = f"SystemExit: it called sys.exit({exc.code!r})"
    if isinstance(exc, SyntaxError) and exc.filename:  # raised by the compiler: no frame of the student's
        where = f"{Path(exc.filename).name}, line {exc.lineno}: {(exc.text or '').strip()}"
        return f"{type(exc).__name__}: {exc.msg} (at {where})"
    if not mine:
        return text
    f = mine[-1]
    return f"{text} (at {Path(f.filename).name}, line {f.lineno}: {(f.line or '').strip()})"


def _mutated(before, after) -> list[str]:
    (params0, X0, y0), (params, X, y) = before, after
    out = []
    if not isinstance(params, dict) or sorted(params) != sorted(params0):
        return ["params (its keys)"]
    out += [f"params[{k!r}]" for k in params0 if not np.array_equal(params[k], params0[k])]
    out += [name for name, a, b in (("X", X, X0), ("y", y, y0)) if not np.array_equal(a, b)]
    return out


#: The layouts a student's function may take its arguments in.  "columns": the notes' (X is (D_in, N),
#: W1 (H, D_in), W2 (C, H)); "rows": CS231n's (X is (N, D_in), W1 (D_in, H), W2 (H, C)); biases and y alike.
LAYOUTS = ("columns", "rows")


def to_layout(params, X, layout):
    """The probe's ``params`` and ``X`` in ``layout`` (the weights and X transposed for "rows")."""
    if layout == "rows":
        return {k: (v.T.copy() if k[0] == "W" else v) for k, v in params.items()}, X.T.copy()
    return params, X


def call_on_probes(fn, probes=PROBES, on_start=None, files=(), layout="columns", on_done=None) -> list[dict]:
    """Call ``fn`` on each probe; one record per probe.

    A record has ``probe``, ``status`` (``"ok"``, ``"raised"`` or ``"bad-return"``), ``loss``
    (float or None), ``grads`` (the float64 arrays it returned, in the notes' layout),
    ``problems`` (entry -> what is wrong with its type), ``error`` (the exception, located in
    ``files``), ``mutated`` and ``dtypes`` (entry -> the dtype it returned).  ``layout`` (one of
    `LAYOUTS`) is how the arguments are given; a weight's gradient is transposed back from
    "rows".  ``on_done(i, record)`` is called as each record is made.
    """
    records = []
    for i, probe in enumerate(probes):
        if on_start:
            on_start(i)
        params, X, y, reg = probe.args()
        params, X = to_layout(params, X, layout)
        record = {"probe": probe.name, "loss": None, "grads": {}, "problems": {}, "error": None, "dtypes": {}}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a student's overflow warnings are not errors here
                value = fn(params, X, y, reg)
        except BaseException as exc:  # anything, SystemExit too, is the student's to see
            record.update(status="raised", error=located(exc, files), mutated=[])
        else:
            record["loss"], record["grads"], record["problems"] = check_return(value, record["dtypes"])
            if layout == "rows":
                record["grads"] = {k: (g.T if k[0] == "W" else g) for k, g in record["grads"].items()}
            record["status"] = "bad-return" if record["problems"] else "ok"
            before = probe.args()
            record["mutated"] = _mutated((*to_layout(before[0], before[1], layout), before[2]), (params, X, y))
        records.append(record)
        if on_done:
            on_done(i, record)
    return records
