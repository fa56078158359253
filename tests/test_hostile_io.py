"""Hostile checkpoints and hostile SGD steps: every malformed file is a ParamsFileError, every bad step changes nothing.

The files are crafted around `save_params`'s format: wrong metadata (schema, size, nesting), arrays
whose stored dtype, shape or zip size disagree with it, a zip bomb (`tests/zip_bomb.py`), zip
features fcnet never writes (duplicate names, encryption, bzip2), broken .npy headers.
"""

import json
import zlib

import numpy as np
import pytest
from zip_bomb import npy_bytes, write_bomb, zip_bytes

from fcnet import KEYS, SGD, NonFiniteError, NumericalOverflowError, ParamsFileError, load_params, save_params
from fcnet.training.checkpoint import META, digest

PARAMS = {"W1": np.ones((4, 3)), "b1": np.zeros(4), "W2": np.full((5, 4), 0.5), "b2": np.zeros(5)}


def meta_for(params, **overrides):
    meta = {
        "format": "fcnet-params/1",
        "shapes": {k: list(np.shape(params[k])) for k in KEYS},
        "dtypes": {k: np.asarray(params[k]).dtype.str for k in KEYS},
        "sha256": digest(params),
    }
    return meta | overrides


def members(arrays, meta, method=0):
    """(name, data, method, crc, size) for each array and the metadata (a dict is dumped as JSON)."""
    meta_arr = np.array(json.dumps(meta)) if isinstance(meta, dict) else np.asarray(meta)
    out = []
    for name, arr in {**arrays, META: meta_arr}.items():
        data = npy_bytes(arr)
        stored = zlib.compress(data)[2:-4] if method == 8 else data
        out.append((f"{name}.npy", stored, method, zlib.crc32(data), len(data)))
    return out


def write(path, arrays=None, meta=None, member_list=None):
    arrays = PARAMS if arrays is None else arrays
    meta = meta_for(PARAMS) if meta is None else meta
    path.write_bytes(zip_bytes(member_list if member_list is not None else members(arrays, meta)))
    return path


def nested(depth):
    return "[" * depth + "]" * depth


def with_member(name, data, size=None, method=0, flags=0):
    """The good file's members, with ``name`` replaced by raw ``data``."""
    out = [m for m in members(PARAMS, meta_for(PARAMS)) if m[0] != f"{name}.npy"]
    return [*out, (f"{name}.npy", data, method, zlib.crc32(data), len(data) if size is None else size, flags)]


GOOD_W1 = npy_bytes(PARAMS["W1"])
NPY_V3 = b"\x93NUMPY\x03\x00" + GOOD_W1[10:12] + b"\x00\x00" + GOOD_W1[12:]

FILES = [
    # the metadata
    ("meta-not-json", dict(meta="{not json"), "fcnet_meta is not valid JSON"),
    ("meta-nested", dict(meta=nested(8000)), r"fcnet_meta is not valid JSON \(RecursionError"),
    ("meta-huge-int", dict(meta='{"format": ' + "9" * 5000 + "}"), "fcnet_meta is not valid JSON"),
    ("meta-list", dict(meta="[1, 2]"), "fcnet_meta has format 'list'"),
    ("meta-foreign", dict(meta=meta_for(PARAMS, format="other/2")), "has format 'other/2'; expected 'fcnet-params/1'"),
    (
        "meta-no-dtypes",
        dict(meta={k: v for k, v in meta_for(PARAMS).items() if k != "dtypes"}),
        r"has fields \['format', 'sha256', 'shapes'\]",
    ),
    (
        "meta-extra-field",
        dict(meta=meta_for(PARAMS, pickle="yes")),
        r"expected exactly \['dtypes', 'format', 'sha256', 'shapes'\]",
    ),
    ("meta-shapes-list", dict(meta=meta_for(PARAMS, shapes=[[4, 3]])), "shapes is list; expected a dict"),
    (
        "meta-shapes-keys",
        dict(meta=meta_for(PARAMS, shapes={"W1": [4, 3]})),
        r"shapes is \['W1'\]; expected a dict with keys",
    ),
    (
        "meta-shape-negative",
        dict(meta=meta_for(PARAMS, shapes={**meta_for(PARAMS)["shapes"], "W1": [-4, 3]})),
        r"the shape of W1 is \[-4, 3\]; expected 2 positive",
    ),
    (
        "meta-shape-bool",
        dict(meta=meta_for(PARAMS, shapes={**meta_for(PARAMS)["shapes"], "b1": [True]})),
        r"the shape of b1 is \[True\]",
    ),
    (
        "meta-shape-float",
        dict(meta=meta_for(PARAMS, shapes={**meta_for(PARAMS)["shapes"], "b2": [5.0]})),
        r"the shape of b2 is \[5.0\]",
    ),
    (
        "meta-shape-3d",
        dict(meta=meta_for(PARAMS, shapes={**meta_for(PARAMS)["shapes"], "W2": [5, 4, 1]})),
        "the shape of W2 is",
    ),
    (
        "meta-shape-huge",
        dict(meta=meta_for(PARAMS, shapes={**meta_for(PARAMS)["shapes"], "W1": [2**50, 3]})),
        "the shape of W1 is",
    ),
    (
        "meta-dtype-int16",
        dict(meta=meta_for(PARAMS, dtypes={**meta_for(PARAMS)["dtypes"], "W1": "<i2"})),
        "the dtype of W1 is '<i2'; expected a float dtype",
    ),
    (
        "meta-dtype-object",
        dict(meta=meta_for(PARAMS, dtypes={**meta_for(PARAMS)["dtypes"], "b1": "|O"})),
        "the dtype of b1 is '|O'",
    ),
    (
        "meta-dtype-f12",
        dict(meta=meta_for(PARAMS, dtypes={**meta_for(PARAMS)["dtypes"], "b2": "<f12"})),
        "unknown on this machine",
    ),
    ("meta-sha-short", dict(meta=meta_for(PARAMS, sha256="abc")), "sha256 is 'abc'; expected 64 hexadecimal digits"),
    (
        "meta-2d",
        dict(meta=np.array([["{}"]])),
        r"fcnet_meta.npy has dtype <U2 and shape \(1, 1\); expected a unicode scalar",
    ),
    ("meta-float", dict(meta=np.array(1.0)), "fcnet_meta.npy has dtype float64"),
    ("meta-too-long", dict(meta=np.array("x" * 17_000)), "expected a unicode scalar of at most 16,384 characters"),
    ("meta-too-big", dict(meta=np.array("x" * 30_000)), "fcnet_meta.npy inflates to 120,128 bytes"),
    # the arrays against the metadata
    (
        "stored-int16",
        dict(arrays={**PARAMS, "W1": np.ones((4, 3), np.int16)}),
        r"W1.npy stores dtype int16 \(<i2\); expected float64",
    ),
    ("stored-float32", dict(arrays={**PARAMS, "b2": np.zeros(5, np.float32)}), "b2.npy stores dtype float32"),
    (
        "stored-big-endian",
        dict(arrays={**PARAMS, "b1": np.zeros(4, ">f8")}),
        r"b1.npy stores dtype >f8 \(>f8\); expected float64 \(<f8\)",
    ),
    ("stored-object", dict(arrays={**PARAMS, "b2": np.array([None] * 5)}), r"b2.npy stores dtype object"),
    ("stored-shape", dict(arrays={**PARAMS, "W2": np.zeros((4, 5))}), r"W2.npy has shape \(4, 5\); expected \(5, 4\)"),
    (
        "declared-chain",
        dict(arrays={**PARAMS, "b1": np.zeros(3)}, meta=meta_for({**PARAMS, "b1": np.zeros(3)})),
        r"params\['b1'\] has shape \(3,\) but params\['W1'\] has 4 rows",
    ),
    ("digest", dict(meta=meta_for(PARAMS, sha256="0" * 64)), "changed after it was saved"),
    (
        "nan-weights",
        dict(
            arrays={**PARAMS, "W2": np.full((5, 4), np.nan)}, meta=meta_for({**PARAMS, "W2": np.full((5, 4), np.nan)})
        ),
        r"params\['W2'\] has a non-finite entry nan",
    ),
    ("missing-b2", dict(arrays={k: v for k, v in PARAMS.items() if k != "b2"}), r"\(missing \['b2'\]\)"),
    ("extra-W3", dict(arrays={**PARAMS, "W3": np.ones((2, 2))}), r"\(unexpected \['W3'\]\)"),
    # the zip and .npy layers
    (
        "member-size-lies",
        dict(member_list=with_member("W1", GOOD_W1, size=len(GOOD_W1) + 8)),
        r"W1.npy is 232 bytes; its header declares 128 \+ 96",
    ),
    ("member-truncated", dict(member_list=with_member("W1", GOOD_W1[:-10], size=len(GOOD_W1))), "W1.npy"),
    ("member-bad-magic", dict(member_list=with_member("b1", b"GARBAGE!" * 20)), r"b1.npy is not readable .*magic"),
    (
        "member-npy-v3",
        dict(member_list=with_member("W1", NPY_V3)),
        r"W1.npy is .npy format \(3, 0\); expected 1.0 or 2.0",
    ),
    ("member-encrypted", dict(member_list=with_member("W1", GOOD_W1, flags=1)), "W1.npy is encrypted"),
    ("member-bzip2", dict(member_list=with_member("W1", GOOD_W1, method=12)), "W1.npy uses zip compression method 12"),
    (
        "member-bad-deflate",
        dict(member_list=with_member("W1", b"\xff" * 40, method=8, size=len(GOOD_W1))),
        "W1.npy is not readable",
    ),
    (
        "member-twice",
        dict(member_list=[*members(PARAMS, meta_for(PARAMS)), members(PARAMS, meta_for(PARAMS))[0]]),
        "lists a member twice",
    ),
    (
        "member-not-npy",
        dict(member_list=[*members(PARAMS, meta_for(PARAMS)), ("notes.txt", b"hi", 0, zlib.crc32(b"hi"), 2)]),
        r"expected only .npy members",
    ),
]


@pytest.mark.parametrize("kwargs, match", [c[1:] for c in FILES], ids=[c[0] for c in FILES])
def test_malformed_files_are_params_file_errors(tmp_path, kwargs, match):
    path = write(tmp_path / "p.npz", **kwargs)
    with pytest.raises(ParamsFileError, match=match):
        load_params(path)


def raw(data):
    return lambda p: p.write_bytes(data)


OTHER = [
    ("empty-file", raw(b""), {}, ParamsFileError, "not a readable .npz file"),
    ("random-bytes", raw(bytes(range(256)) * 4), {}, ParamsFileError, "not a readable .npz file"),
    ("single-npy", raw(npy_bytes(np.zeros(3))), {}, ParamsFileError, "holds a single array, not an .npz archive"),
    (
        "truncated-zip",
        lambda p: save_params(p, PARAMS) or p.write_bytes(p.read_bytes()[:300]),
        {},
        ParamsFileError,
        "not a readable",
    ),
    (
        "max-bytes-small",
        lambda p: save_params(p, PARAMS),
        {"max_bytes": 64},
        ParamsFileError,
        "larger max_bytes if you trust",
    ),
    (
        "max-bytes-file",
        raw(bytes(3 << 20)),
        {"max_bytes": 1},
        ParamsFileError,
        "is 3,145,728 bytes, more than max_bytes=1 allows",
    ),
    (
        "max-bytes-zero",
        lambda p: save_params(p, PARAMS),
        {"max_bytes": 0},
        ValueError,
        "max_bytes is 0; expected a positive",
    ),
    ("max-bytes-float", lambda p: save_params(p, PARAMS), {"max_bytes": 1e9}, ValueError, "max_bytes is 1000000000.0"),
    (
        "bomb",
        lambda p: write_bomb(p),
        {},
        ParamsFileError,
        "W1.npy inflates to 2,147,483,776 bytes; expected at most 10,096",
    ),
    (
        "bomb-declared",
        lambda p: write_bomb(p, declare=True),
        {},
        ParamsFileError,
        "declares 2,147,614,920 bytes of arrays",
    ),
    (
        "bomb-trusted-size",
        lambda p: write_bomb(p, declare=True),
        {"max_bytes": 2**32},
        ParamsFileError,
        r"b1.npy has shape \(4,\); expected \(16384,\)",
    ),
]


@pytest.mark.parametrize("make, kwargs, exc, match", [c[1:] for c in OTHER], ids=[c[0] for c in OTHER])
def test_unreadable_files_and_bombs(tmp_path, make, kwargs, exc, match):
    path = tmp_path / "p.npz"
    make(path)
    with pytest.raises(exc, match=match):
        load_params(path, **kwargs)


@pytest.mark.parametrize(
    "path, exc, match",
    [
        (3, TypeError, r"path is a int \(3\); expected a str or os.PathLike"),
        (None, TypeError, "path is a NoneType"),
        ("missing-folder/p.npz", FileNotFoundError, "does not exist"),
        ("p.npy", ValueError, "expected a file name ending in '.npz'"),
    ],
)
def test_save_refuses_bad_paths(tmp_path, monkeypatch, path, exc, match):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(exc, match=match):
        save_params(path, PARAMS)
    assert list(tmp_path.iterdir()) == []  # not even a temporary file is left behind


@pytest.mark.parametrize("path, exc", [(7, TypeError), ("nothing.npz", FileNotFoundError), (".", IsADirectoryError)])
def test_load_refuses_what_is_not_a_file(tmp_path, monkeypatch, path, exc):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(exc):
        load_params(path)


def test_a_failed_save_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "p.npz"
    save_params(path, PARAMS)
    before = path.read_bytes()
    with pytest.raises(ValueError, match=r"params\['W1'\] has a non-finite entry"):
        save_params(path, {**PARAMS, "W1": np.full((4, 3), np.inf)})
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["p.npz"]


@pytest.mark.parametrize("dtype", ["<f2", "<f4", "<f8", ">f8"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_every_float_dtype_and_order_round_trips_exactly(tmp_path, dtype, order):
    params = {
        k: np.asarray(np.arange(v.size).reshape(v.shape) / 8, dtype=dtype, order=order) for k, v in PARAMS.items()
    }
    save_params(tmp_path / "p.npz", params)
    back = load_params(tmp_path / "p.npz")
    for k in KEYS:
        assert back[k].dtype == np.dtype(dtype) and np.array_equal(back[k], params[k]) and back[k].flags.writeable


# --- SGD: all or nothing ----------------------------------------------------------------------------------------


def fresh():
    rng = np.random.default_rng(0)
    return {k: rng.standard_normal(v.shape) for k, v in PARAMS.items()}


def good_grads():
    return {k: np.full(v.shape, 0.5) for k, v in PARAMS.items()}


BAD_STEPS = [
    ("grads-list", lambda g: list(g.values()), TypeError, "grads is a list; expected a dict"),
    ("grads-missing", lambda g: {k: v for k, v in g.items() if k != "b2"}, ValueError, "grads has keys"),
    ("grads-extra", lambda g: {**g, "W3": np.zeros(2)}, ValueError, "expected the keys of params"),
    ("b2-shape", lambda g: {**g, "b2": np.zeros(4)}, ValueError, r"grads\['b2'\] has shape \(4,\); expected \(5,\)"),
    ("W2-transposed", lambda g: {**g, "W2": g["W2"].T}, ValueError, r"grads\['W2'\] has shape \(4, 5\)"),
    ("b2-complex", lambda g: {**g, "b2": np.zeros(5, complex)}, TypeError, r"grads\['b2'\] is dtype complex128"),
    ("b2-int", lambda g: {**g, "b2": np.zeros(5, int)}, TypeError, r"grads\['b2'\] is dtype int64"),
    ("b2-list", lambda g: {**g, "b2": [0.0] * 5}, TypeError, r"grads\['b2'\] is a list"),
    (
        "b2-nan",
        lambda g: {**g, "b2": np.array([0, 0, 0, 0, np.nan])},
        NonFiniteError,
        r"grads\['b2'\] has a non-finite entry nan at index \(4,\)",
    ),
    (
        "W2-inf",
        lambda g: {**g, "W2": np.full((5, 4), -np.inf)},
        NonFiniteError,
        r"grads\['W2'\] has a non-finite entry -inf",
    ),
    (
        "b2-huge",
        lambda g: {**g, "b2": np.full(5, 1e308)},
        NumericalOverflowError,
        r"SGD step would overflow params\['b2'\]",
    ),
]


@pytest.mark.parametrize("spoil, exc, match", [c[1:] for c in BAD_STEPS], ids=[c[0] for c in BAD_STEPS])
def test_a_bad_step_is_refused_and_changes_nothing(spoil, exc, match):
    params = fresh()
    opt = SGD(params, lr=10.0, momentum=0.9)
    opt.step(good_grads())  # a velocity exists: the refused step must leave it alone too
    before = {k: v.copy() for k, v in params.items()}
    velocity = {k: v.copy() for k, v in opt.velocity.items()}
    with pytest.raises(exc, match=match):
        opt.step(spoil(good_grads()))
    for k in KEYS:  # the last key is spoiled in most cases: W1, b1 and W2 were first in line
        assert np.array_equal(params[k], before[k]) and np.array_equal(opt.velocity[k], velocity[k]), k


BAD_OPTIMISERS = [
    (
        "lr-huge",
        lambda: SGD(fresh(), lr=1e308).step({k: v * 8 for k, v in good_grads().items()}),
        NumericalOverflowError,
        r"lr = 1e\+308",
    ),
    (
        "float32-range",
        lambda: SGD({"w": np.ones(2, np.float32)}, lr=1.0).step({"w": np.full(2, 1e39)}),
        NumericalOverflowError,
        r"\(float32\)",
    ),
    (
        "params-nan",
        lambda: SGD({"w": np.array([np.nan])}, lr=0.1).step({"w": np.ones(1)}),
        NonFiniteError,
        r"params\['w'\] has a non-finite entry",
    ),
    (
        "params-same-array",
        lambda: SGD({"a": (w := np.ones(2)), "b": w}, lr=0.1),
        ValueError,
        r"params \['a', 'b'\] are one and the same array",
    ),
    ("lr-bool", lambda: SGD(fresh(), lr=True), ValueError, "lr is True"),
    ("lr-str", lambda: SGD(fresh(), lr="0.1"), ValueError, "lr is '0.1'"),
    ("lr-inf", lambda: SGD(fresh(), lr=np.inf), ValueError, "lr is inf"),
    ("momentum-nan", lambda: SGD(fresh(), lr=0.1, momentum=np.nan), ValueError, "momentum is nan"),
    ("params-empty", lambda: SGD({}, lr=0.1), TypeError, "params is dict; expected a non-empty dict"),
    (
        "params-int",
        lambda: SGD({"w": np.arange(3)}, lr=0.1),
        TypeError,
        r"params\['w'\] is ndarray; expected a floating",
    ),
]


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in BAD_OPTIMISERS], ids=[c[0] for c in BAD_OPTIMISERS])
def test_bad_optimisers_are_refused(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_a_read_only_parameter_is_refused_before_any_update():
    w = np.ones(2)
    w.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\['w'\] is read-only"):
        SGD({"v": np.ones(2), "w": w}, lr=0.1)
