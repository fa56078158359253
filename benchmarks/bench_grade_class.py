"""Time grading a class of 40 files with `fcnet diagnose FOLDER` and the default ``--jobs`` (the CPU count).

    .venv/bin/python benchmarks/bench_grade_class.py [--files 40] [--jobs N]

The class is the example submissions that ship with fcnet
(`fcnet.diagnose.examples.SUBMISSIONS`), copied round-robin into a
temporary folder until it holds ``--files`` files, graded once by the
command line a teacher types (``python -m fcnet diagnose FOLDER --csv
grades.csv``, in a fresh process).  It prints the wall time, the seconds per
file and the CPU count; the CSV is checked to have a row per file.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    from fcnet.diagnose.examples import SUBMISSIONS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40, help="how many files the class has")
    parser.add_argument("--jobs", type=int, default=None, help="files at once (default: fcnet's, the CPU count)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        sources = sorted(SUBMISSIONS.glob("*.py"))
        for i, src in zip(range(args.files), itertools.cycle(sources)):
            shutil.copy(src, folder / f"student{i:03d}_{src.name}")
        cmd = [sys.executable, "-m", "fcnet", "diagnose", str(folder), "--csv", str(Path(tmp) / "grades.csv")]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        with open(Path(tmp) / "grades.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    if done.returncode not in (0, 1) or len(rows) != args.files:
        sys.exit(f"grading failed (exit status {done.returncode}, {len(rows)} rows): {done.stderr[-2000:]}")
    passed = sum(r["passed"] == "True" for r in rows)
    jobs = args.jobs or os.cpu_count()
    print(f"graded {args.files} files ({passed} passed) with --jobs {jobs} on {os.cpu_count()} CPUs")
    print(f"{seconds:.1f} s in all, {seconds / args.files:.2f} s per file")


if __name__ == "__main__":
    main()
