"""The committed benchmark results: package data, so that the benchmarks page runs wherever fcnet is installed.

``python -m fcnet bench --save`` (and ``--memory --save``, and the scripts
under ``benchmarks/``) write them; the page reads them with `load`.

>>> sorted(FILES)
['activations', 'bench', 'memory', 'profile', 'sixteen-cores', 'threads']
>>> load("bench")["settings"]["quick"]
False
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

__all__ = ["FILES", "load", "save", "path"]

#: name -> file under fcnet/bench/results/
FILES = {
    "activations": "activations-results.json",  # python benchmarks/activations_cost.py --save
    "bench": "bench-results.json",  # python -m fcnet bench --save
    "memory": "memory-results.json",  # python -m fcnet bench --memory --save
    "profile": "profile-results.json",  # python benchmarks/profile_step.py --save
    "threads": "threads-results.json",  # python benchmarks/threads_elementwise.py --save
    "sixteen-cores": "sixteen-cores-results.json",  # python -m fcnet bench on a 16-core machine, 2 and 16 threads
}


def path(name: str) -> Path:
    """Where results ``name`` are written (the source tree of an editable install)."""
    if name not in FILES:
        raise ValueError(f"results {name!r} are unknown; expected one of {sorted(FILES)}")
    return Path(__file__).with_name("results") / FILES[name]


def load(name: str) -> dict:
    """The committed results ``name``, read as package data."""
    path(name)  # checks the name
    return json.loads(resources.files("fcnet.bench").joinpath("results", FILES[name]).read_text(encoding="utf-8"))


def save(name: str, results: dict) -> Path:
    """Write results ``name`` as indented JSON; returns the file written."""
    target = path(name)
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return target
