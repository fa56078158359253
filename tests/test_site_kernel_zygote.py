"""The notebook pages' kernels, forked by docs/hooks/kernel_zygote.py: each is what a new kernel would be.

A forked kernel must see what ``python -m ipykernel_launcher`` started by Jupyter sees (its folder, path,
environment, signal handlers, a random state of its own), die with its page, and take Jupyter's
interrupts; the build must still run its pages if the zygote does not start.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import time

import pytest
from notebooks import hook

pytestmark = pytest.mark.processes

PROBE = """
import json, os, random, signal, sys, threading
import numpy as np
import matplotlib
cwd = os.getcwd()
print(json.dumps({
    "folder": [os.path.basename(cwd).startswith("fcnet-page-"), os.listdir(".")],
    "path": [p.replace(cwd, "<cwd>") for p in sys.path],
    "argv": [os.path.basename(sys.argv[0]), len(sys.argv)],
    "environment": sorted(os.environ),
    "parent": os.environ["JPY_PARENT_PID"],
    "signals": {s.name: str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)},
    "threads": sorted(type(t).__name__ for t in threading.enumerate()),
    "main": __name__,
    "flags": repr(sys.flags),
    "session": os.getsid(0) == os.getpid(),
    "matplotlib": str(dict.__getitem__(matplotlib.rcParams, "backend")),  # as set, without resolving it
    "random": [random.random(), float(np.random.rand())],
    "forked by": os.getppid(),
}))
"""


@pytest.fixture(scope="module")
def cache():
    pytest.importorskip("mkdocs", reason="the hooks need the docs extra")
    return hook("notebook_cache")


def _notebook(*sources):
    import nbformat

    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in sources])


def _probe(cache, pages: int) -> list[dict]:
    """What ``pages`` kernels see, run one at a time: forked by the zygote if there are two or more."""
    results = cache.execute_all({f"p{i}.py": _notebook(PROBE) for i in range(pages)}, "python3", workers=1)
    return [json.loads(nb.cells[0].outputs[0]["text"]) for nb in results.values()]


def _parents(cache, pages: int, workers: int) -> set[int]:
    """The parent process of each page's kernel, ``pages`` pages run ``workers`` at a time."""
    jobs = {f"p{i}.py": _notebook("import os; print(os.getppid())") for i in range(pages)}
    return {int(nb.cells[0].outputs[0]["text"]) for nb in cache.execute_all(jobs, "python3", workers).values()}


def _same(seen: dict) -> dict:
    return {k: v for k, v in seen.items() if k not in ("random", "forked by")}


def test_a_forked_kernel_sees_what_a_kernel_started_by_jupyter_sees(cache):
    forked = _probe(cache, 2)
    # no more pages than kernels at once: the kernel is started the usual way (imports in parallel pay nothing)
    started = _probe(cache, 1)[0]
    assert started["forked by"] == os.getpid() and started["parent"] == str(os.getpid())
    assert started["folder"] == [True, []]
    # more pages: one zygote forks them all (the build is not their parent), and each sees what a new kernel sees
    assert forked[0]["forked by"] == forked[1]["forked by"] != os.getpid()
    assert _same(forked[0]) == _same(forked[1]) == _same(started)
    # seeded afresh in each kernel, as in a new process: no two pages draw the same numbers
    assert forked[0]["random"][0] != forked[1]["random"][0] and forked[0]["random"][1] != forked[1]["random"][1]


def test_a_kernel_that_dies_fails_its_page_and_the_build_goes_on(cache):
    from mkdocs.exceptions import PluginError

    jobs = {"dies.py": _notebook("import os; os._exit(3)"), "lives.py": _notebook("print(6 * 7)")}
    execution = cache.Execution(jobs, "python3", workers=1)  # two pages, one at a time: forked
    execution.thread.join(timeout=300)
    assert not execution.thread.is_alive(), "a dead kernel left its page waiting"
    assert execution.futures["lives.py"].result().cells[0].outputs[0]["text"] == "42\n"
    with pytest.raises(PluginError, match="dies.py"):
        execution.results()


def _gone(pid: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


async def _run(kc, code: str, timeout: float = 60) -> dict:
    """Execute ``code`` on the kernel of client ``kc``: its reply's content and the text it printed."""
    msg_id = kc.execute(code)
    text = ""
    while True:
        msg = await kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = await kc.get_shell_msg(timeout=timeout)
    return reply["content"] | {"printed": text}


def test_a_forked_kernel_takes_jupyters_interrupt_and_dies_with_its_process(cache, tmp_path):
    async def scenario(path):
        km = cache.kernel_manager(path, kernel_name="python3", transport="ipc", ip=str(tmp_path / "ipc"))
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            pid = int((await _run(kc, "import os; print(os.getpid())"))["printed"])
            assert pid != km.provisioner.process.pid  # the process Jupyter started is the zygote's client
            msg_id = kc.execute("import time; time.sleep(60)")
            await asyncio.sleep(1.0)
            started = time.monotonic()
            await km.interrupt_kernel()  # SIGINT to the client, which hands it on
            while True:
                reply = await kc.get_shell_msg(timeout=30)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            assert reply["content"]["ename"] == "KeyboardInterrupt" and time.monotonic() - started < 20
            os.kill(km.provisioner.process.pid, signal.SIGKILL)  # as Jupyter kills a kernel that will not stop
            assert _gone(pid), "the kernel outlived the process Jupyter started for it"
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    with cache.zygote() as path:
        assert path is not None
        asyncio.run(scenario(path))


def test_without_the_zygote_the_pages_run_in_kernels_started_the_usual_way(cache, monkeypatch, tmp_path, caplog):
    broken = tmp_path / "kernel_zygote.py"
    broken.write_text("raise SystemExit(1)\n", encoding="utf-8")
    monkeypatch.setattr(cache, "ZYGOTE", broken)
    caplog.set_level(logging.INFO, logger=cache.log.name)
    with cache.zygote() as path:
        assert path is None
    assert "did not start" in caplog.text
    assert _parents(cache, pages=2, workers=1) == {os.getpid()}  # started by the build itself
