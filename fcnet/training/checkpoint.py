"""Saving and loading parameters as ``.npz``, safely.

A file holds the arrays ``W1, b1, W2, b2`` and ``fcnet_meta``, a JSON string
(a plain unicode array, no pickle) with the format version, each array's
shape and dtype, and a SHA-256 of their bytes.  `load_params` reads with
``allow_pickle=False`` into a fresh dict, checks everything - the zip's own
CRCs, the keys, the digest, the shapes (`fcnet.core.validate.check_params`) - and
returns only then, so a bad file raises `ParamsFileError` and nothing is
half-loaded.

>>> import numpy as np, tempfile, os
>>> params = {"W1": np.ones((3, 2)), "b1": np.zeros(3), "W2": np.full((4, 3), 0.5), "b2": np.zeros(4)}
>>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
>>> save_params(path, params)
>>> back = load_params(path)
>>> all(np.array_equal(back[k], params[k]) and back[k].dtype == params[k].dtype for k in params)
True
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile

import numpy as np

from ..core.params import KEYS
from ..core.validate import check_params

__all__ = ["ParamsFileError", "save_params", "load_params", "digest"]

META = "fcnet_meta"
FORMAT = "fcnet-params/1"


class ParamsFileError(ValueError):
    """A parameter file that cannot be trusted: unreadable, tampered with, or of the wrong layout."""


def digest(params: dict[str, np.ndarray]) -> str:
    """SHA-256 over each array's key, dtype, shape and C-order bytes, in the order W1, b1, W2, b2.

    >>> digest({"W1": np.zeros((1, 1)), "b1": np.zeros(1), "W2": np.zeros((1, 1)), "b2": np.zeros(1)})[:12]
    '774adfac895c'
    """
    h = hashlib.sha256()
    for k in KEYS:
        a = np.ascontiguousarray(params[k])
        h.update(f"{k}:{a.dtype.str}:{a.shape};".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def save_params(path: str | os.PathLike, params: dict[str, np.ndarray]) -> None:
    """Write checked parameters and their digest to ``path`` (an ``.npz`` file).

    Parameters
    ----------
    path : str or PathLike
        Must end in ``.npz`` (NumPy would otherwise append it silently).
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    """
    if not os.fspath(path).endswith(".npz"):
        raise ValueError(f"path is {os.fspath(path)!r}; expected a file name ending in '.npz'")
    params = check_params(params, KEYS)
    meta = {
        "format": FORMAT,
        "shapes": {k: list(params[k].shape) for k in KEYS},
        "dtypes": {k: params[k].dtype.str for k in KEYS},
        "sha256": digest(params),
    }
    np.savez(path, **{k: params[k] for k in KEYS}, **{META: np.array(json.dumps(meta, sort_keys=True))})


def _read(path) -> tuple[dict[str, np.ndarray], dict]:
    """Every array of the file into a fresh dict, and the parsed metadata."""
    arrays: dict[str, np.ndarray] = {}
    try:
        # our own handle, closed whatever happens (np.load(path) leaks it when the zip is unreadable)
        with open(path, "rb") as fh:
            f = np.load(fh, allow_pickle=False)
            if not isinstance(f, np.lib.npyio.NpzFile):
                raise ParamsFileError(
                    f"{path} holds a single array, not an .npz archive; expected keys {[*KEYS, META]}"
                )
            with f:
                names = sorted(f.files)
                if names != sorted([*KEYS, META]):
                    missing = sorted(set(KEYS + (META,)) - set(names))
                    extra = sorted(set(names) - set(KEYS + (META,)))
                    raise ParamsFileError(
                        f"{path} has arrays {names}; expected exactly {[*KEYS, META]}"
                        + (f" (missing {missing})" if missing else "")
                        + (f" (unexpected {extra})" if extra else "")
                    )
                for name in names:
                    arrays[name] = f[name]  # reads the member in full: zipfile checks its CRC-32 here
    except (ParamsFileError, FileNotFoundError):
        raise
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ParamsFileError(f"{path} is not a readable .npz file (truncated or corrupted: {exc})") from None
    except ValueError as exc:  # e.g. "Object arrays cannot be loaded when allow_pickle=False"
        raise ParamsFileError(f"{path} could not be read safely ({exc}); expected plain numeric arrays") from None
    meta_arr = arrays.pop(META)
    if meta_arr.shape != () or meta_arr.dtype.kind != "U":
        raise ParamsFileError(
            f"{path}: {META} has dtype {meta_arr.dtype} and shape {meta_arr.shape}; expected a unicode scalar"
        )
    try:
        meta = json.loads(str(meta_arr))
    except json.JSONDecodeError as exc:
        raise ParamsFileError(f"{path}: {META} is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        got = meta.get("format") if isinstance(meta, dict) else meta
        raise ParamsFileError(f"{path}: {META} has format {got!r}; expected {FORMAT!r}")
    return arrays, meta


def load_params(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read parameters written by `save_params`, checking everything before returning.

    Parameters
    ----------
    path : str or PathLike

    Returns
    -------
    params : dict of ndarray
        A fresh dict ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``.

    Raises
    ------
    FileNotFoundError
        No such file.
    ParamsFileError (a ValueError)
        Truncated or corrupted (bad zip or CRC), a pickled object array,
        missing or unexpected keys, a digest that does not match the arrays
        (tampered), or shapes that do not chain into a two-layer net.
    """
    path = os.fspath(path)
    arrays, meta = _read(path)
    found = digest(arrays)
    if found != meta.get("sha256"):
        raise ParamsFileError(
            f"{path}: the arrays' SHA-256 is {found[:16]}... but the file records "
            f"{str(meta.get('sha256'))[:16]}...; the file was changed after it was saved"
        )
    for k in KEYS:
        want = tuple(meta.get("shapes", {}).get(k, ()))
        if arrays[k].shape != want:
            raise ParamsFileError(f"{path}: {k} has shape {arrays[k].shape}; the file records {want}")
    try:
        params = check_params(arrays, KEYS)
    except (TypeError, ValueError) as exc:
        raise ParamsFileError(f"{path}: {exc}") from None
    return params
