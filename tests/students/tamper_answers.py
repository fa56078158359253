"""Hostile: writes crafted answer files for every probe, each function a different forgery, then os._exit(0).

The judge reads them with a size cap and no pickle: each must be a bad return, never a pass,
never an exception in the parent.
"""

import json
import os
import sys
from pathlib import Path

import numpy as np

OUT = Path(sys.argv[-1]) / "out"
OK = {"status": "ok", "error": None, "problems": {}, "replaced": []}


def _forge(write_arrays, meta=OK):
    for i in range(20):
        write_arrays(i)
        (OUT / f"probe-{i}.json").write_text(json.dumps(meta))
    os._exit(0)


def huge_summary(params, X, y, reg):
    for i in range(20):
        (OUT / f"probe-{i}.json").write_text('{"status": "ok", "x": "' + "a" * (5 << 20) + '"}')
    os._exit(0)


def object_array(params, X, y, reg):
    def write(i):
        for k in ("loss", "W1", "b1", "W2", "b2"):
            np.save(OUT / f"probe-{i}.ret-{k}.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)

    _forge(write)


def lying_header(params, X, y, reg):
    def write(i):
        for k in ("loss", "W1", "b1", "W2", "b2"):
            path = OUT / f"probe-{i}.ret-{k}.npy"
            np.save(path, np.zeros(3))
            data = path.read_bytes().replace(b"(3,)", b"(99999999999,)")
            path.write_bytes(data)

    _forge(write)


def huge_array(params, X, y, reg):
    def write(i):
        with open(OUT / f"probe-{i}.ret-W1.npy", "wb") as f:
            np.save(f, np.zeros(1))
            f.seek(32 << 20)  # past the judge's cap, under the child's 64 MiB file size limit
            f.write(b"\0")

    _forge(write)


def not_json(params, X, y, reg):
    def write(i):
        pass

    for i in range(20):
        (OUT / f"probe-{i}.json").write_bytes(b"\xff\xfe{not json")
    os._exit(0)


def claims_ok(params, X, y, reg):
    _forge(lambda i: None)


def wrong_kinds(params, X, y, reg):
    _forge(lambda i: None, {"status": "ok", "error": ["x"], "problems": [1, 2], "replaced": "W1", "used": {"a": 1}})


def bad_progress(params, X, y, reg):
    with open(Path(sys.argv[-1]) / "progress", "ab") as f:
        f.write(b"probe x\nprobe 99999\nprobe -1\n\xff\xfe\x00probe\n" * 1000)
    os._exit(0)
