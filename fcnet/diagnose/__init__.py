"""Diagnose a student's backprop: what is wrong, where, and which derivation to reread.

``fcnet.diagnose(fn)`` (and ``python -m fcnet diagnose FILE``) runs a
student's ``loss_and_grads(params, X, y, reg) -> (loss, grads)`` for the notes'
two-layer net (X is (D_in, N)) on probes chosen to tell mistakes apart
(`probes`), compares the loss and every gradient with `fcnet.loss_and_grads`
taken apart into its terms (`reference`), and names a cause from a fixed
vocabulary (`causes`) only when it explains the error on every probe (`fit`,
`classify`, `loss`), on the ordinary probes; what it does at extreme logits
is a separate ``stability`` verdict (`stability`), a warning unless
``strict``.  Student code runs in a child process tree with a time and a memory
limit that ends with the run (`sandbox`, `runner`, `guard`, `calls`); the judge
stays in the calling process.  The result is a `Diagnosis`
(`report`): ``.passed``, ``.score``, the human report as ``str()``,
``to_json()``.  A class is graded with `batch` (``python -m fcnet diagnose
FOLDER --csv grades.csv``).

``fcnet.diagnose`` is the function `diagnose`; the subpackage's other names
are imported from it: ``from fcnet.diagnose import Diagnosis, diagnose_file``.
Importing it costs nothing: the machinery loads on the first call.

>>> import fcnet
>>> fcnet.diagnose(fcnet.loss_and_grads).passed
True
"""

from __future__ import annotations

import importlib

__all__ = ["diagnose", "diagnose_file", "Diagnosis", "Verdict", "CAUSES", "UsageError"]

#: name -> the submodule that defines it, imported on first use
_LAZY = {"Diagnosis": "report", "Verdict": "report", "CAUSES": "causes", "UsageError": "sandbox"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _grading() -> bool:
    """Whether this process is grading a file that calls the grader at import: the call is then skipped."""
    import os

    return os.environ.get("FCNET_DIAGNOSE_GRADING") == "1"


def diagnose(
    fn,
    *,
    timeout: float = 10.0,
    memory_mb: float = 1024,
    sandbox: bool | None = None,
    strict: bool = False,
    rtol: float | None = None,
    layout: str = "columns",
):
    """Diagnose ``fn(params, X, y, reg) -> (loss, grads)``, an implementation of the notes' two-layer net.

    Parameters
    ----------
    fn : callable
        X is (D_in, N), one example per column; ``params`` and ``grads`` share the keys W1, b1, W2, b2.
    timeout : float, default 10
        Seconds for all the calls together (in a child process, the import of ``fn``'s file too).
    memory_mb : float, default 1024
        MiB of memory the child process may allocate.
    sandbox : bool or None, default None
        None or True: a child process.  A function found in a file as it is on disk runs in a fresh
        child that imports the file by its name (nothing is pickled); any other (a lambda, a
        closure, a notebook cell, a function whose file was edited since it was imported) runs
        in a forked child, and the report says so (on Windows, where there is no fork: this
        process, under the time limit only, or `UsageError` if True).  False: this process.
    strict : bool, default False
        Whether instability at extreme logits (the ``stability`` verdict) fails the diagnosis.
    rtol : float or None, default None
        The tolerance, relative to each entry's roundoff scale.  None: 1e-8, or 1e-4 when ``fn``
        returned float32 results (`fcnet.diagnose.fit.TOL`, `~fcnet.diagnose.fit.TOL32`).
    layout : {"columns", "rows"}, default "columns"
        "columns": the notes' (X is (D_in, N), W1 (H, D_in)); "rows": CS231n's (X is (N, D_in),
        W1 (D_in, H), W2 (H, C)), the weights' gradients returned in that layout too.

    Returns
    -------
    Diagnosis
        ``.passed``, the report as ``str()``, ``.to_json()``.  In pytest, ``assert
        diagnose(fn).passed`` fails with the report shown under the test (the plugin
        `fcnet.diagnose.pytest_plugin`); ``diagnose(fn).assert_passed()`` raises AssertionError
        with the report anywhere.

    Raises
    ------
    UsageError
        ``fn``'s file does not import in the child process, or ``sandbox=True`` and it cannot run in one.
    """
    if _grading():
        return None
    from .api import diagnose_callable

    return diagnose_callable(fn, timeout, memory_mb, sandbox, strict=strict, rtol=rtol, layout=layout)


def diagnose_file(
    path,
    function: str = "loss_and_grads",
    *,
    timeout: float = 10.0,
    memory_mb: float = 1024,
    strict: bool = False,
    rtol: float | None = None,
    layout: str = "columns",
):
    """Diagnose the function ``function`` of the file ``path``, imported only in a child process.

    As `diagnose`; a ``.ipynb`` file is run as its code cells in order.  Raises `UsageError` when
    there is no such file, no such function, or the file does not import (a syntax error, an
    import error, an exception or a hang at import).
    """
    if _grading():
        return None
    from .api import diagnose_path

    return diagnose_path(path, function, timeout, memory_mb, strict=strict, rtol=rtol, layout=layout)
