"""Hostile: writes an empty results file where the old grader looked for one, then leaves with os._exit(0)."""

import json
import os
import sys
from pathlib import Path


def loss_and_grads(params, X, y, reg):
    jobdir = Path(sys.argv[-1])
    if jobdir.is_dir():
        (jobdir / "results.json").write_text(json.dumps({"probes": 0}))
        (jobdir / "status.json").write_text(json.dumps({"status": 0, "reason": None}))
    os._exit(0)
