"""Hostile: tampers with the grader's modules in its own process, then returns nothing useful.

It replaces the child's ``call_on_probes`` and ``answer`` with functions that answer nothing, or
"ok" for every probe; the judge, in the parent, must still see that no probe got a right answer.
"""

import importlib
import sys

calls = importlib.import_module("fcnet.diagnose.calls")
runner = importlib.import_module("fcnet.diagnose.runner")

sys.modules["__main__"].call_on_probes = lambda *a, **k: []
calls.call_on_probes = lambda *a, **k: []
runner.answer = lambda *a, **k: ({"status": "ok", "problems": {}, "replaced": []}, {})
calls.answer = runner.answer


def loss_and_grads(params, X, y, reg):
    return 0.0, {}
