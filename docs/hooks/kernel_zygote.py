"""The notebook pages' kernels forked from one process that has already imported what every page imports.

A page's kernel spends about a second of CPU importing ipykernel, NumPy, SymPy and fcnet and building the
derivations before its first cell: a dozen pages pay it a dozen times, on a build that is CPU-bound.
Jupyter's kernel managers only start kernels as new processes, and no well-kept library forks them, hence
this module.  It is build code run as a script, not a MkDocs hook (mkdocs.yml does not list it):

* ``python kernel_zygote.py serve SOCKET MODULE...`` (`serve`) imports the modules (``module:function``
  also calls the function; one that fails is left for the page to fail on), prints ``ready``, and forks a kernel for each request
  on the Unix socket ``SOCKET`` until its standard input closes.
* ``python -I -S kernel_zygote.py client SOCKET -f CONNECTION_FILE`` (`client`) is the command the kernel
  manager starts instead of ``python -m ipykernel_launcher -f CONNECTION_FILE`` (`ForkedKernelManager`).
  It hands the zygote its working folder, environment and standard streams, forwards the signals it gets to
  the kernel and exits with the kernel's status, so the kernel manager sees one process as usual.  If it is
  killed, the zygote kills its kernel.

The forked kernel is what ``python -m ipykernel_launcher`` would be, in the client's folder, with its
environment and streams, and with its own random state: `random` and NumPy's global generator are seeded
afresh, as they are in a new process.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys

__all__ = ["serve", "client", "launcher_argv"]

#: The signals the client forwards to its kernel (SIGINT is how a kernel manager interrupts a kernel).
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)
#: The longest request a client sends: its arguments, folder and environment, as JSON.
REQUEST_BYTES = 1 << 20


def launcher_argv(cmd: list[str], path: str) -> list[str]:
    """``cmd`` (a kernel manager's ``python -m ipykernel_launcher ...``) as the client of the zygote at ``path``;
    any other command as it is.

    >>> launcher_argv(["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "k.json"], "/tmp/z")[-4:]
    ['client', '/tmp/z', '-f', 'k.json']
    >>> launcher_argv(["julia", "-i", "k.json"], "/tmp/z")
    ['julia', '-i', 'k.json']
    """
    if cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return cmd
    return [cmd[0], "-I", "-S", os.path.abspath(__file__), "client", path, *cmd[3:]]


def client(path: str, args: list[str]) -> int:
    """Ask the zygote at ``path`` for a kernel with ``args``; forward signals to it; its exit status."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    conn.connect(path)
    request = json.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    socket.send_fds(conn, [request], [0, 1, 2])
    pid = int(conn.recv(64))

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:  # it has just ended: its status is on its way
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    status = conn.recv(64)  # the kernel's exit status, once it has exited
    return int(status) if status else 1


def _kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: become ``python -m ipykernel_launcher`` as the client would have started it."""
    for signum in (*FORWARDED, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as Python sets it at startup
    os.setsid()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import ipykernel_launcher

    sys.argv = [ipykernel_launcher.__file__, *request["args"]]
    import random

    random.seed()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def serve(path: str, modules: list[str]) -> None:
    """Import ``modules``, then fork a kernel for each client of ``path`` until standard input closes."""
    import importlib
    import selectors
    import traceback

    # a Ctrl-C in the terminal reaches the build too, which then closes this process's standard input
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in modules:  # "module" or "module:function", a function to call once imported
        module, _, function = name.partition(":")
        try:
            loaded = importlib.import_module(module)
            if function:
                getattr(loaded, function)()
        except Exception:  # the page that needs it gets the error
            pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(16)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop below through the pipe
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "listener")
    sel.register(wake_r, selectors.EVENT_READ, "wake")
    sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    kernels: dict[int, socket.socket | None] = {}  # pid -> its client's connection, None once the client hung up
    print("ready", flush=True)
    running = True
    while running:
        for key, _ in sel.select():
            if key.data == "listener":
                conn, _ = listener.accept()
                try:
                    message, fds, _, _ = socket.recv_fds(conn, REQUEST_BYTES, 3)
                except OSError:  # a client killed before it asked: its kernel manager sees it gone
                    conn.close()
                    continue
                if len(fds) != 3:
                    for fd in fds:
                        os.close(fd)
                    conn.close()
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    code = 1
                    try:
                        signal.set_wakeup_fd(-1)
                        sel.close()
                        for fd in (listener, conn, *(c for c in kernels.values() if c is not None)):
                            fd.close()
                        os.close(wake_r)
                        os.close(wake_w)
                        _kernel(json.loads(message), fds)
                        code = 0
                    except SystemExit as exit:
                        code = exit.code if isinstance(exit.code, int) else 1
                    except BaseException:  # printed where a kernel that fails to start prints it
                        traceback.print_exc()
                    finally:
                        sys.stdout.flush()
                        sys.stderr.flush()
                        os._exit(code)
                for fd in fds:
                    os.close(fd)
                conn.send(str(pid).encode())
                kernels[pid] = conn
                sel.register(conn, selectors.EVENT_READ, pid)
            elif key.data == "wake":
                os.read(wake_r, 512)
            elif key.data == "stdin":
                running = False  # the build is over
            else:  # a client hung up before its kernel ended: it was killed, so its kernel goes too
                try:
                    alive = key.fileobj.recv(64)
                except OSError:
                    alive = b""
                if not alive:
                    sel.unregister(key.fileobj)
                    key.fileobj.close()
                    kernels[key.data] = None
                    _kill(key.data)
        while kernels:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            conn = kernels.pop(pid)
            if conn is not None:
                code = os.waitstatus_to_exitcode(status)
                try:
                    conn.send(str(code if code >= 0 else 128 - code).encode())  # killed by signal n: 128 + n
                except OSError:
                    pass
                sel.unregister(conn)
                conn.close()
    for pid in kernels:
        _kill(pid)


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)  # the kernel leads a session of its own (os.setsid)
    except OSError:
        pass


if __name__ == "__main__":
    del sys.path[0]  # this script's folder: not on a kernel's path
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(client(sys.argv[2], sys.argv[3:]))
