"""How fast, and in how little memory, `fcnet.load_params` refuses a zip bomb.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_zip_bomb.py [--naive]

Builds the bomb of ``tests/zip_bomb.py`` (a valid 2 MB ``.npz`` whose W1.npy
inflates to 2 GiB) in two variants: the metadata declares the tiny net's W1
(4, 3), or the full (16384, 16384).  Each is loaded in a fresh subprocess,
which prints the wall time of the refused `load_params` call and its peak
resident memory (``ru_maxrss``) against the same process's peak just before
the call.  ``--naive`` also times what inflating the member costs
(``np.load`` on it: 2 GiB of memory), the price a loader pays that checks
sizes only after decompression.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from zip_bomb import write_bomb  # noqa: E402

CHILD = """
import json, resource, sys, time
import numpy as np
from fcnet import ParamsFileError, load_params
path, naive = sys.argv[1], sys.argv[2] == "naive"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if naive:
    import zipfile
    with zipfile.ZipFile(path) as z, z.open("W1.npy") as fp:
        np.lib.format.read_array(fp)
    message = "inflated"
else:
    try:
        load_params(path)
        message = "LOADED (not refused)"
    except ParamsFileError as exc:
        message = str(exc)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_rss_mb": after / 1024, "added_peak_mb": (after - before) / 1024,
                  "message": message}))
"""


def measure(path, naive=False) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "naive" if naive else "load"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for declare in (False, True):
            path = Path(tmp) / f"bomb-{declare}.npz"
            inflated = write_bomb(path, declare=declare)
            row = {
                "metadata declares W1": "(16384, 16384)" if declare else "(4, 3)",
                "file_mb": path.stat().st_size / 1e6,
                "inflates_to_gib": inflated / 2**30,
            } | measure(path)
            rows.append(row)
        if "--naive" in sys.argv:
            rows.append({"naive np.load of W1.npy": True} | measure(Path(tmp) / "bomb-False.npz", naive=True))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
