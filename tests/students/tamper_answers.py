"""Hostile: writes crafted answer files for every probe, each function a different forgery, then os._exit(0).

The judge reads them with a size cap and no pickle: each must be a bad return, never a pass,
never an exception in the parent.
"""

import io
import json
import os
import sys
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(sys.argv[-1])
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


def _npz(i, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(OUT / f"probe-{i}.npz", "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)


def _npy(a, allow_pickle=False):
    f = io.BytesIO()
    np.save(f, a, allow_pickle=allow_pickle)
    return f.getvalue()


def object_array(params, X, y, reg):
    blob = _npy(np.array([{"a": 1}], dtype=object), allow_pickle=True)
    _forge(lambda i: _npz(i, {f"ret-{k}.npy": blob for k in ("loss", "W1", "b1", "W2", "b2")}))


def lying_header(params, X, y, reg):
    blob = _npy(np.zeros(3)).replace(b"(3,)", b"(99999999999,)")
    _forge(lambda i: _npz(i, {f"ret-{k}.npy": blob for k in ("loss", "W1", "b1", "W2", "b2")}))


def huge_array(params, X, y, reg):
    _forge(lambda i: _npz(i, {"ret-W1.npy": _npy(np.zeros(1 << 19))}))  # 4 MiB, past the judge's cap


def zip_bomb(params, X, y, reg):
    blob = _npy(np.zeros(8 << 20))  # 64 MiB of zeros, deflated to a few hundred KiB
    _forge(lambda i: _npz(i, {"ret-W1.npy": blob}, zipfile.ZIP_DEFLATED))


def not_a_zip(params, X, y, reg):
    _forge(lambda i: (OUT / f"probe-{i}.npz").write_bytes(b"PK\x03\x04 not a zip"))


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


def fifo_answers(params, X, y, reg):
    for i in range(20):
        os.mkfifo(OUT / f"probe-{i}.json")
    jobdir = Path(sys.argv[-1])
    (jobdir / "output").unlink()
    os.mkfifo(jobdir / "output")
    os._exit(0)


def odd_status(params, X, y, reg):
    (Path(sys.argv[-1]) / "status.json").write_text(json.dumps({"status": -(10**30), "reason": ["memory"]}))
    os._exit(0)
