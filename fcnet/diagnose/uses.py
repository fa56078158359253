"""What a student's file leans on: fcnet's own answer (``uses-reference``), or a call to the grader at import.

`uses_reference` names the reference a file uses to produce its answer, found
two ways: in its source (`static_uses`: an import of fcnet's ``loss_and_grads``,
``forward``, the torch twin, or torch's autograd), and at run time (the calls
the child counted, `fcnet.diagnose.runner.watch`).  Either is a warning (cause
``uses-reference``); ``strict`` fails it.

`module_level_diagnose` finds a call to ``fcnet.diagnose`` that runs when the
file is imported (not under ``if __name__ == "__main__":``): the grader imports
the file, so that call would grade it again; it is skipped while grading, and
the report shows the fix.

>>> static_uses("from fcnet import loss_and_grads\\n")
['line 1: imports fcnet.loss_and_grads']
>>> static_uses("import numpy as np\\ndef forward(W, X):\\n    return W @ X\\n")
[]
>>> module_level_diagnose("import fcnet\\nprint(fcnet.diagnose(f))\\n")
2
"""

from __future__ import annotations

import ast
import threading
from pathlib import Path

__all__ = ["static_uses", "uses_reference", "module_level_diagnose", "parse", "MAIN_GUARD_FIX"]

#: fcnet's names that compute the answer.
_REFERENCE_NAMES = {"loss_and_grads", "forward", "mlp_loss_and_grads", "mlp_forward", "torch_loss_and_grads"}
_MAX_SOURCE = 1 << 20

#: How a report shows the fix for a module-level call to the grader.
MAIN_GUARD_FIX = 'if __name__ == "__main__":\n    print(fcnet.diagnose(loss_and_grads))'


#: CPython 3.11 before 3.11.9 can fail ``ast.parse`` run in two threads at once ("AST constructor recursion
#: depth mismatch"); a batch grades files in threads, so every parse of the grader's takes turns (`parse`).
_PARSING = threading.Lock()
#: A parse outside the grader can still overlap one of ours (Python's own tracebacks parse each line they
#: underline): the failure is only that moment's, so a parse that meets it is tried again, this many times.
PARSE_ATTEMPTS = 3


def parse(source: str):
    """``ast.parse(source)``, one thread at a time; None for source that does not parse.

    >>> parse("x = 1").body[0].targets[0].id, parse("x = ")
    ('x', None)
    """
    for attempt in range(1, PARSE_ATTEMPTS + 1):
        try:
            with _PARSING:
                return ast.parse(source)
        except SystemError as exc:
            if "recursion depth mismatch" not in str(exc) or attempt == PARSE_ATTEMPTS:
                raise
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def static_uses(source: str) -> list[str]:
    """Where ``source`` imports or calls fcnet's answer, the torch twin or torch's autograd (``"line L: …"``)."""
    tree = parse(source)
    if tree is None:
        return []
    found, torch = [], False
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [a.name for a in node.names]
            if node.module.split(".")[0] == "fcnet":
                if node.module.startswith("fcnet.witnesses"):
                    found.append(f"line {line}: imports {node.module} (the torch twin)")
                found += [f"line {line}: imports fcnet.{n}" for n in names if n in _REFERENCE_NAMES]
            if node.module.split(".")[0] == "torch":
                torch = True
                if node.module.startswith("torch.autograd") or "autograd" in names:
                    found.append(f"line {line}: imports torch's autograd")
        elif isinstance(node, ast.Import):
            for a in node.names:
                torch |= a.name.split(".")[0] == "torch"
                if a.name.startswith("fcnet.witnesses"):
                    found.append(f"line {line}: imports {a.name} (the torch twin)")
        elif isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            root = dotted.split(".")[0]
            if root == "fcnet" and node.attr in _REFERENCE_NAMES:
                found.append(f"line {line}: uses {dotted}")
            elif dotted.startswith("torch.autograd") and dotted.count(".") == 1:
                found.append(f"line {line}: uses torch.autograd")
        elif isinstance(node, ast.Constant) and node.value == "torch":  # __import__("torch"), import_module
            torch = True
        elif isinstance(node, ast.keyword) and node.arg == "requires_grad":
            found.append(f"line {line}: asks torch for gradients (requires_grad)")
    if torch:
        found += [
            f"line {n.lineno}: calls .backward() (torch's autograd)"
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "backward"
        ]
    return sorted(set(found), key=lambda s: int(s.split()[1].rstrip(":")))


def _read(source_file) -> str:
    try:
        path = Path(source_file)
        if path.stat().st_size > _MAX_SOURCE:
            return ""
        return path.read_text(encoding="utf-8", errors="replace")
    except (OSError, TypeError, ValueError):
        return ""


def uses_reference(source_file, records) -> str | None:
    """The ``uses-reference`` message for a file (its source) and the records of its run, or None."""
    seen = static_uses(_read(source_file)) if source_file else []
    called = sorted({u for r in records for u in r.get("used", [])})
    if not (seen or called):
        return None
    parts = []
    if called:
        parts.append(f"it called {', '.join(called)} while answering")
    if seen:
        parts.append(f"its source {'; '.join(seen[:3])}" + (f" (and {len(seen) - 3} more)" if len(seen) > 3 else ""))
    return "; ".join(parts) + ": the answer must be computed by the file's own code (--strict fails it)"


def module_level_diagnose(source: str) -> int | None:
    """The line of a call to ``diagnose`` that runs when ``source`` is imported, or None."""
    tree = parse(source)
    if tree is None:
        return None
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and "__name__" in ast.dump(stmt.test):
            continue
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for n in ast.walk(stmt):
            if isinstance(n, ast.Call) and _dotted(n.func).split(".")[-1] in ("diagnose", "diagnose_file"):
                return n.lineno
    return None


def module_level_note(source_file) -> str | None:
    """The report's note for a file that calls the grader when imported, with the fix; None otherwise."""
    line = module_level_diagnose(_read(source_file)) if source_file else None
    if line is None:
        return None
    fix = MAIN_GUARD_FIX.replace("\n   ", "")
    return (
        f"line {line} calls fcnet.diagnose when the file is imported; it was skipped while grading (the grader"
        f" imports the file). Put it under the main guard: {fix}"
    )
