"""fcnet.training.checkpoint: save/load round trip, and every kind of bad file refused before anything is returned."""

import json
import os
import re
import stat
import zipfile

import numpy as np
import pytest

from fcnet import KEYS
from fcnet.training.checkpoint import META, ParamsFileError, digest, load_params, save_params


@pytest.fixture
def params(rng):
    return {
        "W1": rng.standard_normal((6, 4)),
        "b1": rng.standard_normal(6),
        "W2": rng.standard_normal((3, 6)),
        "b2": np.zeros(3),
    }


@pytest.fixture
def saved(tmp_path, params):
    path = tmp_path / "net.npz"
    save_params(path, params)
    return path


def _write_raw(path, arrays, params_for_meta=None, **meta_overrides):
    """An .npz written around save_params: arbitrary arrays, and a meta that is self-consistent unless overridden."""
    src = params_for_meta if params_for_meta is not None else arrays
    meta = {
        "format": "fcnet-params/1",
        "shapes": {k: list(np.shape(src[k])) for k in KEYS if k in src},
        "dtypes": {k: np.asarray(src[k]).dtype.str for k in KEYS if k in src},
        "sha256": digest(src) if all(k in src for k in KEYS) else "0" * 64,
    } | meta_overrides
    np.savez(path, **arrays, **{META: np.array(json.dumps(meta))})


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_is_exact(tmp_path, params, dtype):
    params = {k: v.astype(dtype) for k, v in params.items()}
    save_params(tmp_path / "p.npz", params)
    back = load_params(tmp_path / "p.npz")
    assert sorted(back) == ["W1", "W2", "b1", "b2"]
    for k in params:
        assert back[k].dtype == dtype and back[k].tobytes() == params[k].tobytes()


def test_loaded_arrays_are_fresh(saved, params):
    a, b = load_params(saved), load_params(saved)
    a["W1"][0, 0] += 1.0
    assert b["W1"][0, 0] == params["W1"][0, 0]


@pytest.mark.parametrize("keep", [0.3, 0.9, 0.999])
def test_truncated_file(saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ParamsFileError, match="not a readable .npz file"):
        load_params(saved)


def test_flipped_byte_in_the_data_is_caught_by_the_zip_crc(saved, params):
    data = bytearray(saved.read_bytes())
    # the raw float64 bytes of W1 are stored uncompressed: find them and change one
    at = bytes(data).index(params["W1"].tobytes()[:16])
    data[at + 3] ^= 0x01
    saved.write_bytes(bytes(data))
    with pytest.raises(ParamsFileError, match="CRC"):
        load_params(saved)


def test_tampered_but_well_formed_file_is_caught_by_the_digest(saved, params, tmp_path):
    # rewritten with valid zip CRCs but one weight changed and the old metadata kept
    with np.load(saved) as f:
        arrays = {k: f[k] for k in f.files}
    arrays["W2"] = arrays["W2"].copy()
    arrays["W2"][1, 2] += 1e-9
    np.savez(saved, **arrays)
    with pytest.raises(ParamsFileError, match="changed after it was saved"):
        load_params(saved)


def test_wrong_shape_is_refused(tmp_path, params):
    bad = dict(params, b1=np.zeros(5))  # W1 has 6 rows
    _write_raw(tmp_path / "p.npz", bad)
    with pytest.raises(ParamsFileError, match=r"params\['b1'\] has shape \(5,\) but params\['W1'\] has 6 rows"):
        load_params(tmp_path / "p.npz")


def test_shape_not_the_recorded_one(tmp_path, params):
    _write_raw(tmp_path / "p.npz", params, shapes={"W1": [4, 6], "b1": [6], "W2": [3, 6], "b2": [3]})
    with pytest.raises(ParamsFileError, match=r"W1.npy has shape \(6, 4\); expected \(4, 6\)"):
        load_params(tmp_path / "p.npz")


@pytest.mark.parametrize("drop, add", [("b2", None), (None, "W3")])
def test_missing_or_unexpected_key(tmp_path, params, drop, add):
    arrays = {k: v for k, v in params.items() if k != drop}
    if add:
        arrays[add] = np.zeros((2, 2))
    _write_raw(tmp_path / "p.npz", arrays)
    what = f"missing ['{drop}']" if drop else f"unexpected ['{add}']"
    with pytest.raises(ParamsFileError, match=r"expected exactly .*" + re.escape(f"({what})")):
        load_params(tmp_path / "p.npz")


def test_pickled_object_array_is_never_unpickled(tmp_path, params):
    # the metadata declares b2 as 3 float64; the member holds a pickled object array: refused from its header
    arrays = dict(params, b2=np.array([object(), 1.0, 2.0], dtype=object))
    _write_raw(tmp_path / "p.npz", arrays, params_for_meta=params)
    with pytest.raises(ParamsFileError, match=r"b2.npy stores dtype object \(\|O\); expected float64 \(<f8\)"):
        load_params(tmp_path / "p.npz")


def test_plain_npz_without_fcnet_metadata(tmp_path, params):
    np.savez(tmp_path / "p.npz", **params)
    with pytest.raises(ParamsFileError, match=r"missing \['fcnet_meta'\]"):
        load_params(tmp_path / "p.npz")


def test_foreign_format(tmp_path, params):
    _write_raw(tmp_path / "p.npz", params, format="someone-else/3")
    with pytest.raises(ParamsFileError, match="has format 'someone-else/3'; expected 'fcnet-params/1'"):
        load_params(tmp_path / "p.npz")


def test_single_npy_file_and_missing_file(tmp_path):
    np.save(tmp_path / "a.npy", np.zeros(3))
    with pytest.raises(ParamsFileError, match="single array"):
        load_params(tmp_path / "a.npy")
    with pytest.raises(FileNotFoundError):
        load_params(tmp_path / "nothing.npz")


def test_non_finite_weights_are_refused(tmp_path, params):
    bad = dict(params, W2=params["W2"].copy())
    bad["W2"][0, 0] = np.nan
    _write_raw(tmp_path / "p.npz", bad)
    with pytest.raises(ParamsFileError, match=r"params\['W2'\] has a non-finite entry"):
        load_params(tmp_path / "p.npz")


def test_save_refuses_bad_params_and_paths(tmp_path, params):
    with pytest.raises(ValueError, match="ending in '.npz'"):
        save_params(tmp_path / "p.bin", params)
    with pytest.raises(ValueError, match="missing \\['b2'\\]"):
        save_params(tmp_path / "p.npz", {k: v for k, v in params.items() if k != "b2"})
    assert not (tmp_path / "p.npz").exists()


def test_the_file_is_a_plain_zip_of_npy_members(saved):
    with zipfile.ZipFile(saved) as z:
        assert sorted(z.namelist()) == sorted(f"{k}.npy" for k in (*KEYS, META))


def test_saved_file_mode_follows_the_umask(tmp_path, params):
    # the atomic save writes a temporary file first: its mode must still be the usual one, not mkstemp's 0600
    mask = os.umask(0)
    os.umask(mask)
    save_params(tmp_path / "p.npz", params)
    assert stat.S_IMODE((tmp_path / "p.npz").stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["p.npz"]
