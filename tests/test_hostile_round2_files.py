"""Hostile files, round two: devices, FIFOs, sockets, archives of many members, and saving over odd targets.

Loading reads regular files only: a device, a FIFO or a socket (or an ``.npz`` symlink to one) is
refused before it is opened, so nothing blocks and nothing is read without end; an archive that
declares more members than a checkpoint has, or a larger directory, is refused before `zipfile`
parses it.  Every error names the path.  Saving keeps the old file's permission bits, leaves no
temporary file on any exit Python sees, removes the temporaries of killed saves, and takes any
name the file system takes.
"""

import errno
import os
import socket
import stat
import struct
import subprocess
import sys
import threading
import zipfile

import numpy as np
import pytest

import fcnet.training.checkpoint as checkpoint
from fcnet import ParamsFileError, load_params, save_params
from fcnet.training.checkpoint import MAX_MEMBERS

PARAMS = {"W1": np.ones((4, 3)), "b1": np.zeros(4), "W2": np.full((5, 4), 0.5), "b2": np.zeros(5)}
NAME_MAX = 255


def load_in_thread(path, timeout=60):
    """load_params(path) in a daemon thread: the exception it raised, or a failure if it blocks."""
    out = {}

    def run():
        try:
            load_params(path)
            out["error"] = None
        except Exception as exc:  # handed back to the test
            out["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert "error" in out, f"load_params({path!r}) blocked"
    return out["error"]


def good_file(tmp_path, name="p.npz"):
    path = tmp_path / name
    save_params(path, PARAMS)
    return path


# ---------------------------------------------------------------- not a regular file


DEVICES = ["/dev/zero", "/dev/urandom", "/dev/null", "/dev/random"]


@pytest.mark.parametrize("device", [d for d in DEVICES if os.path.exists(d)])
def test_a_device_is_refused_before_it_is_read(device):
    err = load_in_thread(device)
    assert isinstance(err, ParamsFileError)
    assert str(err) == f"{device} is a character device; expected a regular file written by save_params"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("name", ["p.npz", "net.npz"])
def test_an_npz_symlink_to_a_device_is_refused_by_its_own_name(tmp_path, device, name):
    link = tmp_path / name
    link.symlink_to(device)
    err = load_in_thread(str(link))
    assert isinstance(err, ParamsFileError) and str(err).startswith(f"{link} is a character device")


def test_a_symlink_chain_to_a_device_is_refused(tmp_path):
    (tmp_path / "a.npz").symlink_to("/dev/zero")
    (tmp_path / "b.npz").symlink_to(tmp_path / "a.npz")
    err = load_in_thread(str(tmp_path / "b.npz"))
    assert isinstance(err, ParamsFileError) and "b.npz is a character device" in str(err)


@pytest.mark.parametrize("name", ["fifo.npz", "fifo"])
def test_a_fifo_is_refused_without_blocking(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    err = load_in_thread(str(fifo))
    assert isinstance(err, ParamsFileError) and str(
        err
    ) == f"{fifo} is a FIFO (named pipe); expected a regular file " + ("written by save_params")


def test_a_symlink_to_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "p.npz").symlink_to(tmp_path / "fifo")
    err = load_in_thread(str(tmp_path / "p.npz"))
    assert isinstance(err, ParamsFileError) and "p.npz is a FIFO" in str(err)


def test_a_socket_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a socket's path must be short: bind a relative name
    with socket.socket(socket.AF_UNIX) as s:
        s.bind("s.npz")
        err = load_in_thread("s.npz")
    assert isinstance(err, ParamsFileError) and str(err).startswith("s.npz is a socket")


@pytest.mark.parametrize("path", ["/proc/self/status", "/proc/self/cmdline", "/proc/self/maps"])
def test_a_proc_file_that_reports_no_size_is_refused_naming_it(path):
    if not os.path.exists(path):
        pytest.skip("no /proc")
    err = load_in_thread(path)
    assert isinstance(err, ParamsFileError)
    assert str(err).startswith(f"{path}: not a readable .npz file"), str(err)


def test_a_symlink_to_a_folder_is_a_folder(tmp_path):
    (tmp_path / "d.npz").symlink_to(tmp_path)
    err = load_in_thread(str(tmp_path / "d.npz"))
    assert isinstance(err, IsADirectoryError) and err.filename == str(tmp_path / "d.npz")


@pytest.mark.parametrize("make", ["missing", "dangling-link"])
def test_a_missing_file_names_its_path(tmp_path, make):
    path = tmp_path / "p.npz"
    if make == "dangling-link":
        path.symlink_to(tmp_path / "nowhere.npz")
    err = load_in_thread(str(path))
    assert isinstance(err, FileNotFoundError) and err.filename == str(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_names_its_path(tmp_path):
    path = good_file(tmp_path)
    path.chmod(0)
    err = load_in_thread(str(path))
    assert isinstance(err, PermissionError) and err.filename == str(path)


# ---------------------------------------------------------------- archives of many members


def archive_of(path, n_members, name="m{}.npy"):
    with zipfile.ZipFile(path, "w") as z:
        for i in range(n_members):
            z.writestr(name.format(i), b"")
    return path


@pytest.mark.parametrize("n", [MAX_MEMBERS + 1, 100, 5000])
def test_an_archive_of_many_members_is_refused_before_it_is_parsed(tmp_path, n):
    path = archive_of(tmp_path / "many.npz", n)
    with pytest.raises(ParamsFileError, match=rf"many.npz: the archive declares {n:,} members in a [\d,]+-byte "):
        load_params(path)


def _with_end_record(data: bytes, members: int, size: int) -> bytes:
    """``data`` (a zip without a comment) with its end record declaring ``members`` and a ``size``-byte directory."""
    record = bytearray(data[-22:])
    struct.pack_into("<HHL", record, 8, min(members, 0xFFFF), min(members, 0xFFFF), min(size, 0xFFFFFFFF))
    return data[:-22] + bytes(record)


def _with_zip64(data: bytes, members: int, size: int) -> bytes:
    """``data`` with a zip64 end record and locator declaring ``members`` and ``size``; the classic record says 5."""
    body, end = data[:-22], bytearray(data[-22:])
    offset = struct.unpack_from("<L", end, 16)[0]
    record64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, members, members, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(body), 1)
    return body + record64 + locator + bytes(end)


# (id, rewrite of a good file's bytes, message fragment)
DECLARED = [
    ("65535-members", lambda d: _with_end_record(d, 0xFFFF, 600), "declares 65,535 members"),
    ("17-members", lambda d: _with_end_record(d, MAX_MEMBERS + 1, 600), f"declares {MAX_MEMBERS + 1} members"),
    ("huge-directory", lambda d: _with_end_record(d, 5, 100_000_000), "5 members in a 100,000,000-byte directory"),
    ("4-GiB-directory", lambda d: _with_end_record(d, 5, 2**32 - 1), "in a 4,294,967,295-byte directory"),
    ("zip64-two-million", lambda d: _with_zip64(d, 2_000_000, 92_000_000), "declares 2,000,000 members"),
    ("zip64-huge-directory", lambda d: _with_zip64(d, 5, 2**40), "in a 1,099,511,627,776-byte directory"),
    ("zip64-count-2**63", lambda d: _with_zip64(d, 2**63, 600), "declares 9,223,372,036,854,775,808 members"),
]


@pytest.mark.parametrize("rewrite, fragment", [c[1:] for c in DECLARED], ids=[c[0] for c in DECLARED])
def test_an_end_record_declaring_a_large_directory_is_refused_before_parsing(tmp_path, rewrite, fragment):
    path = good_file(tmp_path)
    path.write_bytes(rewrite(path.read_bytes()))
    with pytest.raises(ParamsFileError) as e:
        load_params(path)
    assert str(e.value).startswith(f"{path}: the archive declares") and fragment in str(e.value), str(e.value)


def test_a_zip64_record_that_agrees_with_the_file_still_loads(tmp_path):
    # the zip64 records themselves are fine: 5 members and the true directory size pass
    path = good_file(tmp_path)
    data = path.read_bytes()
    size = struct.unpack_from("<L", data, len(data) - 22 + 12)[0]
    path.write_bytes(_with_zip64(data, 5, size))
    assert all(np.array_equal(load_params(path)[k], PARAMS[k]) for k in PARAMS)


# ---------------------------------------------------------------- saving


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o444, 0o660, 0o755])
def test_saving_over_a_file_keeps_its_permission_bits(tmp_path, mode):
    path = good_file(tmp_path)
    path.chmod(mode)
    save_params(path, {k: v + 1 for k, v in PARAMS.items()})
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert load_params(path)["b1"][0] == 1


@pytest.mark.parametrize("umask, mode", [(0o077, 0o600), (0o022, 0o644), (0o027, 0o640)])
def test_a_new_file_follows_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        save_params(tmp_path / "p.npz", PARAMS)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "p.npz").stat().st_mode) == mode


def _temporaries(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
        OSError(errno.EIO, os.strerror(errno.EIO)),
        KeyboardInterrupt(),
        SystemExit(143),
        MemoryError(),
    ],
    ids=["ENOSPC", "EIO", "KeyboardInterrupt", "SystemExit", "MemoryError"],
)
def test_any_exit_during_a_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, exc):
    path = good_file(tmp_path)
    before = path.read_bytes()

    def fail(fh, **arrays):
        fh.write(b"half a file")
        raise exc

    monkeypatch.setattr(checkpoint.np, "savez", fail)
    with pytest.raises(type(exc)) as e:
        save_params(path, PARAMS)
    assert path.read_bytes() == before and _temporaries(tmp_path) == []
    if isinstance(exc, OSError):  # named by the path asked for, not by the temporary file
        assert e.value.filename == str(path) and e.value.errno == exc.errno


def test_a_failed_rename_names_the_path_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "p.npz"

    def refuse(src, dst):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), src, dst)

    monkeypatch.setattr(checkpoint.os, "replace", refuse)
    with pytest.raises(OSError, match="Invalid cross-device link") as e:
        save_params(path, PARAMS)
    assert e.value.filename == str(path) and _temporaries(tmp_path) == [] and not path.exists()


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_a_temporary_left_by_a_killed_save_is_removed_by_the_next_save(tmp_path):
    stale = tmp_path / f".p.npz.{_dead_pid()}.0123456789ab.tmp"
    stale.write_bytes(b"x" * 1000)
    save_params(tmp_path / "p.npz", PARAMS)
    assert _temporaries(tmp_path) == []


def test_a_temporary_of_a_running_save_is_left_alone(tmp_path):
    live = tmp_path / f".p.npz.{os.getppid()}.0123456789ab.tmp"
    live.write_bytes(b"in progress")
    save_params(tmp_path / "p.npz", PARAMS)
    assert _temporaries(tmp_path) == [live.name]


@pytest.mark.parametrize(
    "name",
    [".q.npz.{pid}.0123456789ab.tmp", ".p.npz.{pid}.nothex000000.tmp", "p.npz.{pid}.0123456789ab.tmp", ".p.npz.tmp"],
    ids=["another-target", "not-our-suffix", "not-hidden", "no-pid"],
)
def test_files_not_of_its_own_naming_are_never_removed(tmp_path, name):
    other = tmp_path / name.format(pid=_dead_pid())
    other.write_bytes(b"keep")
    save_params(tmp_path / "p.npz", PARAMS)
    assert other.read_bytes() == b"keep"


def test_a_killed_save_in_a_real_process_is_cleaned_up(tmp_path):
    # SIGKILL while np.savez writes: the temporary stays; the next save removes it
    code = (
        "import os, signal, numpy as np, fcnet.training.checkpoint as c\n"
        "def die(fh, **a):\n    fh.write(b'x' * 4096); fh.flush(); os.kill(os.getpid(), signal.SIGKILL)\n"
        "c.np.savez = die\n"
        f"c.save_params({str(tmp_path / 'p.npz')!r}, {{'W1': np.ones((2, 2)), 'b1': np.zeros(2), "
        "'W2': np.ones((2, 2)), 'b2': np.zeros(2)})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], timeout=120)
    assert done.returncode == -9 and len(_temporaries(tmp_path)) == 1
    save_params(tmp_path / "p.npz", PARAMS)
    assert _temporaries(tmp_path) == [] and np.array_equal(load_params(tmp_path / "p.npz")["W2"], PARAMS["W2"])


@pytest.mark.parametrize("length", [251, 252, 253, 254, 255])
def test_a_name_up_to_the_file_system_limit_is_saved_and_loaded(tmp_path, length):
    path = tmp_path / ("n" * (length - 4) + ".npz")
    save_params(path, PARAMS)
    assert np.array_equal(load_params(path)["W1"], PARAMS["W1"]) and _temporaries(tmp_path) == []


@pytest.mark.parametrize("stem", ["é" * 125, "λ" * 125, "日" * 83 + "x"], ids=["2-byte", "greek", "3-byte"])
def test_a_long_multibyte_name_is_saved(tmp_path, stem):
    path = tmp_path / f"{stem}.npz"
    assert len(os.fsencode(path.name)) <= NAME_MAX
    save_params(path, PARAMS)
    assert path.exists() and _temporaries(tmp_path) == []


@pytest.mark.parametrize("length", [256, 300])
def test_a_name_beyond_the_limit_is_refused_naming_it(tmp_path, length):
    path = tmp_path / ("n" * (length - 4) + ".npz")
    with pytest.raises(OSError, match=rf"File name too long: {length} bytes, where the file system takes at most") as e:
        save_params(path, PARAMS)
    assert e.value.errno == errno.ENAMETOOLONG and e.value.filename == str(path)


def test_saving_over_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "p.npz")
    with pytest.raises(ValueError, match=r"p.npz' is a FIFO \(named pipe\); expected a regular file to replace"):
        save_params(tmp_path / "p.npz", PARAMS)
    assert stat.S_ISFIFO((tmp_path / "p.npz").stat().st_mode) and _temporaries(tmp_path) == []


def test_saving_over_a_symlink_to_a_device_is_refused(tmp_path):
    (tmp_path / "p.npz").symlink_to("/dev/null")
    with pytest.raises(ValueError, match=r"p.npz' is a character device; expected a regular file to replace"):
        save_params(tmp_path / "p.npz", PARAMS)
    assert os.path.islink(tmp_path / "p.npz")
