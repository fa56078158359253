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

import hashlib
import traceback
import warnings
from pathlib import Path

import numpy as np

from ..core.params import KEYS
from .probes import PROBES

__all__ = [
    "call_on_probes", "check_return", "raw_return", "answer", "to_record", "sent_arrays", "received",
    "describe", "located", "LAYOUTS", "to_layout", "MAX_BYTES", "fingerprint",
]  # fmt: skip


def describe(value) -> str:
    """A short description of a returned value, for a report."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


#: The largest array an answer may hold, in bytes: the probes' largest gradient has 42 entries.
MAX_BYTES = 1 << 20
#: What a record's ``mutated`` may name.
ARGS = ("W1", "b1", "W2", "b2", "X", "y")


def _guarded(thunk, what: str):
    """``(value, None)``, or ``(None, problem)`` when reading the student's value raised (a raising ``__array__``)."""
    try:
        return thunk(), None
    except Exception as exc:  # the student's object raised while we read it: its bad return, not our crash
        return None, f"{what} could not be read ({type(exc).__name__}: {str(exc)[:200]})"


def raw_return(value) -> tuple[dict, dict]:
    """``(arrays, problems)`` from what the function returned, its dtypes kept.

    ``arrays`` has ``"loss"`` (a 0-d array) and a gradient per key of ``params``, each at most
    `MAX_BYTES`; ``problems`` maps entry -> what is wrong with it.  Nothing here raises: a value
    that cannot be read (a 10**400 loss, an ``__array__`` that raises, a huge array) is a problem.
    """
    entries = ("loss", *KEYS)
    if not (isinstance(value, tuple | list) and len(value) == 2):
        return {}, dict.fromkeys(entries, f"returned {describe(value)}; expected a pair (loss, grads)")
    loss, grads = value
    arrays, problems = {}, {}
    if isinstance(loss, np.ndarray) and loss.ndim == 0:
        loss = loss[()]
    if isinstance(loss, bool) or not isinstance(loss, int | float | np.integer | np.floating):
        hint = " (returned (grads, loss)?)" if isinstance(loss, dict) else ""
        problems["loss"] = f"the loss is {describe(loss)}; expected a real number{hint}"
    elif isinstance(loss, int) and not isinstance(loss, np.integer):
        arr, problem = _guarded(lambda: np.asarray(float(loss)), "the loss (an int)")
        if problem:
            problems["loss"] = f"{problem}; expected a real number"
        else:
            arrays["loss"] = arr
    else:
        arrays["loss"] = np.asarray(loss)
    if not isinstance(grads, dict):
        problems.update(dict.fromkeys(KEYS, f"grads is {describe(grads)}; expected a dict with keys {list(KEYS)}"))
        return arrays, problems
    for k in KEYS:
        if k not in grads:
            keys, _ = _guarded(lambda: sorted(map(str, grads))[:10], "its keys")
            problems[k] = f"grads has no key {k!r} (its keys: {keys}); expected the keys of params"
            continue
        arr, problem = _guarded(lambda k=k: np.asarray(grads[k]), f"grads[{k!r}], {describe(grads[k])},")
        if problem:
            problems[k] = f"{problem}; expected an array"
        elif arr.dtype.kind not in "fiu":
            problems[k] = f"grads[{k!r}] is {describe(arr)}; expected real numbers"
        elif arr.nbytes > MAX_BYTES:
            problems[k] = f"grads[{k!r}] is {describe(arr)}: far larger than the parameter it is the gradient of"
        else:
            arrays[k] = arr
    return arrays, problems


def check_return(value, dtypes=None) -> tuple[float | None, dict, dict]:
    """``(loss, grads, problems)`` from what the function returned; ``problems`` maps entry -> message.

    ``dtypes``, a dict if given, receives the dtype name of a floating loss and of each array
    returned (``"float32"`` for a student who computed in single precision).
    """
    arrays, problems = raw_return(value)
    dtypes = {} if dtypes is None else dtypes
    loss = arrays.pop("loss", None)
    if loss is not None and loss.dtype.kind == "f" and not isinstance(value[0], float):
        dtypes["loss"] = loss.dtype.name
    dtypes.update({k: a.dtype.name for k, a in arrays.items()})
    grads = {k: a.astype(np.float64) for k, a in arrays.items()}
    return (None if loss is None else float(loss)), grads, problems


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


#: The layouts a student's function may take its arguments in.  "columns": the notes' (X is (D_in, N),
#: W1 (H, D_in), W2 (C, H)); "rows": CS231n's (X is (N, D_in), W1 (D_in, H), W2 (H, C)); biases and y alike.
LAYOUTS = ("columns", "rows")


def to_layout(params, X, layout):
    """The probe's ``params`` and ``X`` in ``layout`` (the weights and X transposed for "rows")."""
    if layout == "rows":
        return {k: (v.T.copy() if k[0] == "W" else v) for k, v in params.items()}, X.T.copy()
    return params, X


def answer(fn, params, X, y, reg, files=()) -> tuple[dict, dict]:
    """The child's side of one call: ``(meta, arrays)`` to send back; nothing is judged here.

    ``meta`` has ``status`` (``"ok"``, ``"raised"`` or ``"bad-return"``), ``error`` (the exception,
    located in ``files``), ``problems`` (entry -> what is wrong with its type), ``after`` (the
    `fingerprint` of each argument after the call: the judge compares it with the one of what it
    sent, so a ``np.array_equal`` replaced in the child hides nothing) and ``replaced`` (the
    arguments no longer arrays of theirs).  ``arrays`` has ``ret-loss``, ``ret-W1``, … (as
    returned, dtypes kept).
    """
    meta = {"status": "ok", "error": None, "problems": {}, "replaced": []}
    keys = list(params)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a student's overflow warnings are not errors here
            value = fn(params, X, y, reg)
    except BaseException as exc:  # anything, SystemExit too, is the student's to see
        meta.update(status="raised", error=located(exc, files))
        return meta, {}
    arrays, problems = raw_return(value)
    meta.update(status="bad-return" if problems else "ok", problems=problems)
    out = {f"ret-{k}": a for k, a in arrays.items()}
    after = [("X", X), ("y", y)]
    if isinstance(params, dict) and sorted(map(str, params)) == sorted(keys):
        after += [(k, params[k]) for k in keys]
    else:
        meta["replaced"].append("params (its keys)")
    meta["after"] = {}
    for k, v in after:
        if isinstance(v, np.ndarray) and v.dtype.kind in "biuf" and v.nbytes <= MAX_BYTES:
            meta["after"][k] = fingerprint(v)
        else:
            meta["replaced"].append(k)
    return meta, out


def fingerprint(a: np.ndarray) -> str:
    """A digest of ``a``'s dtype, shape and bytes: the judge compares it with the one of the array it sent.

    >>> fingerprint(np.zeros(2)) == fingerprint(np.zeros(2)), fingerprint(np.zeros(2)) == fingerprint(np.ones(2))
    (True, False)
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{a.dtype.str}{a.shape}".encode())
    h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _label(k: str) -> str:
    return k if k in ("X", "y") else f"params[{k!r}]"


def _text(value, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) else None


def to_record(name: str, meta, arrays: dict, sent: dict, layout: str = "columns") -> dict:
    """The judge's side of one call: the record of probe ``name`` from what came back, checked here.

    ``sent`` holds the arrays the call was given (``W1``, …, ``X``, ``y``, in ``layout``).  Whatever
    cannot be read (``meta`` not a dict of the expected kinds, an array missing, of another kind
    or 0-d where it should not be) is a problem of the entry, never an exception; ``meta`` may be
    a string: why the answer could not be read at all.  A change in place is found here, by
    comparing the fingerprints sent back with those of ``sent``.
    """
    entries = ("loss", *KEYS)
    record = {"probe": name, "status": "bad-return", "loss": None, "grads": {}, "problems": {}, "error": None,
              "mutated": [], "dtypes": {}, "used": []}  # fmt: skip
    if not isinstance(meta, dict) or meta.get("status") not in ("ok", "raised", "bad-return"):
        why = meta if isinstance(meta, str) else "the answer's summary is not one the child writes"
        record["problems"] = dict.fromkeys(entries, f"its answer could not be read: {why[:300]}")
        return record
    used = meta.get("used", [])
    record["used"] = (
        sorted({u for u in used if isinstance(u, str) and len(u) < 80})[:10] if isinstance(used, list) else []
    )
    if meta["status"] == "raised":
        record.update(status="raised", error=_text(meta.get("error"), 2000) or "an exception (its text unreadable)")
        return record
    problems = meta.get("problems")
    problems = problems if isinstance(problems, dict) else {}
    problems = {k: _text(v, 500) or "unreadable" for k, v in problems.items() if k in entries}
    loss = arrays.get("ret-loss")
    if "loss" not in problems:
        if isinstance(loss, np.ndarray) and loss.ndim == 0 and loss.dtype.kind in "fiu":
            record["loss"] = float(loss)
            if loss.dtype.kind == "f":
                record["dtypes"]["loss"] = loss.dtype.name
        else:
            problems["loss"] = "its answer has no readable loss (a real number)"
    for k in KEYS:
        g = arrays.get(f"ret-{k}")
        if k in problems:
            continue
        if not (isinstance(g, np.ndarray) and g.dtype.kind in "fiu"):
            problems[k] = f"its answer has no readable array for grads[{k!r}]"
            continue
        record["dtypes"][k] = g.dtype.name
        g = g.astype(np.float64)
        record["grads"][k] = g.T if layout == "rows" and k[0] == "W" else g
    record["problems"] = problems
    record["status"] = "bad-return" if problems else "ok"
    replaced = meta.get("replaced")
    replaced = [r for r in replaced if isinstance(r, str)] if isinstance(replaced, list) else []
    if "params (its keys)" in replaced:
        record["mutated"] = ["params (its keys)"]
        return record
    after = meta.get("after")
    after = after if isinstance(after, dict) else {}
    for k in ARGS:
        if k in replaced or after.get(k) != fingerprint(sent[k]):
            record["mutated"].append(_label(k))
    return record


def call_on_probes(fn, probes=PROBES, on_start=None, files=(), layout="columns", on_done=None) -> list[dict]:
    """Call ``fn`` on each probe in this process; one record per probe (`answer`, then `to_record`).

    A record has ``probe``, ``status`` (``"ok"``, ``"raised"`` or ``"bad-return"``), ``loss``
    (float or None), ``grads`` (the float64 arrays it returned, in the notes' layout),
    ``problems`` (entry -> what is wrong with its type), ``error`` (the exception, located in
    ``files``), ``mutated``, ``dtypes`` (entry -> the dtype it returned) and ``used``.  ``layout``
    (one of `LAYOUTS`) is how the arguments are given.  ``on_done(i, record)`` is called as each
    record is made.
    """
    records = []
    for i, probe in enumerate(probes):
        if on_start:
            on_start(i)
        sent = sent_arrays(probe, layout)
        params, X, y, reg = received(sent, probe.reg)
        meta, arrays = answer(fn, params, X, y, reg, files)
        record = to_record(probe.name, meta, arrays, sent, layout)
        records.append(record)
        if on_done:
            on_done(i, record)
    return records


def sent_arrays(probe, layout: str) -> dict:
    """The arrays a call on ``probe`` is given, by name (W1, b1, W2, b2, X, y), in ``layout``."""
    params, X, y, _ = probe.args()
    params, X = to_layout(params, X, layout)
    return {**params, "X": X, "y": y}


def received(sent: dict, reg: float):
    """Fresh ``(params, X, y, reg)`` from `sent_arrays`: the call cannot change what the judge compares with."""
    return {k: sent[k].copy() for k in KEYS}, sent["X"].copy(), sent["y"].copy(), reg
