"""Does the step's element-wise work pay for a thread pool on this machine?

    python benchmarks/threads_elementwise.py [--save]

NumPy's ufuncs run on one core; the matrix products already use every BLAS
thread.  Here the workspace step runs twice, each variant in a fresh process
of its own, taking turns block by block as in ``python -m fcnet bench``:

* ``serial``: `fcnet.loss_and_grads` with a `fcnet.Workspace`, as it is;
* ``threads``: the same, with the sigmoid's forward and backward passes (the
  bulk of the element-wise work: seven passes over (H, N); the step calls the
  backward one a block of rows at a time) split into row blocks, one per BLAS
  thread, on a `concurrent.futures.ThreadPoolExecutor`.
  The blocks run the very same functions on views (NumPy releases the GIL in
  its ufunc loops).

``--save`` writes ``fcnet/bench/results/threads-results.json`` for the benchmarks page.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

VARIANTS = ("serial", "threads")


def _threaded(n_threads: int):
    """Patch the engine's in-place sigmoid pair so that row blocks run on a pool of ``n_threads``."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from fcnet.engine import inplace

    serial_forward, serial_backward = inplace.sigmoid, inplace.sigmoid_backward
    pool = ThreadPoolExecutor(n_threads)

    def blocks(rows):
        edges = np.linspace(0, rows, n_threads + 1).astype(int)
        return [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]

    def forward(z, out):
        list(pool.map(lambda r: serial_forward(z[r], out=out[r]), blocks(z.shape[0])))
        return out

    def backward(dout, a, out, scratch):
        list(pool.map(lambda r: serial_backward(dout[r], a[r], out=out[r], scratch=scratch[r]), blocks(len(dout))))
        return out

    inplace.sigmoid, inplace.sigmoid_backward = forward, backward


def worker(variant: str) -> int:
    """Serve ``setup`` and ``time`` requests, as fcnet.bench.worker does."""
    import resource

    from threadpoolctl import threadpool_info

    import fcnet
    from fcnet.bench.worker import make_problem

    threads = max(d["num_threads"] for d in threadpool_info() if d.get("user_api") == "blas")
    if variant == "threads":
        _threaded(threads)
    step = None
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["op"] == "setup":
            params, X, y, reg = make_problem(*msg["shape"], "float64")
            ws = fcnet.Workspace()
            step = lambda: fcnet.loss_and_grads(params, X, y, reg, workspace=ws)  # noqa: E731
            reply = {"threads": threads}
        else:
            times, faults = [], resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            for _ in range(msg["repeats"]):
                t = time.perf_counter()
                step()
                times.append(time.perf_counter() - t)
            reply = {"times": times, "faults": resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults}
        print(json.dumps(reply), flush=True)
    return 0


def main() -> int:
    from fcnet.bench import archive
    from fcnet.bench.processes import worker_env
    from fcnet.bench.race import SHAPES, machine_info

    rows, threads = [], None
    for shape in SHAPES:
        procs = {
            v: subprocess.Popen(
                [sys.executable, __file__, "--worker", v],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=worker_env()[0],
            )
            for v in VARIANTS
        }

        def call(v, **msg):
            procs[v].stdin.write(json.dumps(msg) + "\n")
            procs[v].stdin.flush()
            return json.loads(procs[v].stdout.readline())

        for v in VARIANTS:
            threads = call(v, op="setup", shape=shape)["threads"]
        warm = {v: statistics.median(call(v, op="time", repeats=3)["times"]) for v in VARIANTS}
        times = {v: [] for v in VARIANTS}
        for r in range(7):
            for v in VARIANTS if r % 2 == 0 else VARIANTS[::-1]:
                times[v] += call(v, op="time", repeats=max(2, int(0.25 / warm[v])))["times"]
                time.sleep(0.15)
        for p in procs.values():
            p.stdin.close()
            p.wait()
            p.stdout.close()
        serial, threaded = (1e3 * statistics.median(times[v]) for v in VARIANTS)
        rows.append({"shape": str(shape), "serial_ms": serial, "threads_ms": threaded, "ratio": threaded / serial})
        print(f"{shape}: one thread {serial:.3f} ms, {threads} threads {threaded:.3f} ms", file=sys.stderr)
    out = {"machine": machine_info(), "threads": threads, "rows": rows}
    if "--save" in sys.argv:
        print(f"saved {archive.save('threads', out)}", file=sys.stderr)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(worker(sys.argv[2]) if sys.argv[1:2] == ["--worker"] else main())
