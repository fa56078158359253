"""One-shot measurements, each in a fresh process of its own: ``python -m fcnet.bench.probes KIND 'JSON args'``.

``info`` names the versions, the BLAS kernel (by threadpoolctl) and the
threads; ``gemm`` measures the machine's matrix-multiply rate, apart from the
race so that its large freed blocks change nothing there; ``checks`` costs
the gradient-check modes.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time

import numpy as np

from .worker import DTYPES, make_problem, timed_block

__all__ = ["info", "gemm", "checks"]


def info() -> dict:
    """NumPy's BLAS (kernel and threads, by threadpoolctl), PyTorch's threads and BLAS, and the OpenBLAS/OMP/MKL
    variables this process saw."""
    out = {"numpy": np.__version__, "python": platform.python_version(), "blas": []}
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - threadpoolctl comes with the train extra
        threadpool_info = list
    keys = ("internal_api", "version", "architecture", "num_threads", "threading_layer")
    out["blas"] = [{k: d.get(k) for k in keys} for d in threadpool_info() if d.get("user_api") == "blas"]
    out["env"] = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))}
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is an optional extra
        return out | {"torch": None}
    config = torch.__config__.show().replace(",", "\n").splitlines()
    blas = next((line.split("=", 1)[1].strip() for line in config if "BLAS_INFO" in line), "")
    return out | {"torch": torch.__version__, "torch_threads": torch.get_num_threads(), "torch_blas": blas}


def gemm(n: int, repeats: int) -> dict:
    """The fastest of ``repeats`` n × n matrix products per dtype, after one untimed product."""
    out = {}
    rng = np.random.default_rng(1)
    for name, dt in DTYPES.items():
        A, B = rng.standard_normal((n, n), dtype=dt), rng.standard_normal((n, n), dtype=dt)
        A @ B  # warm-up: threads started, pages touched
        times = timed_block(lambda: A @ B, repeats)["times"]
        out[name] = {"n": n, "seconds": min(times), "median_seconds": sorted(times)[len(times) // 2]}
        out[name]["gflops"] = 2 * n**3 / out[name]["seconds"] / 1e9
    return out


def checks(D_in: int, H: int, C: int, N: int) -> dict:
    """Seconds of each gradient-check mode on one net, and how many evaluations of J it made."""
    from ..core.net import loss_and_grads
    from ..gradcheck import checks as modes

    params, X, y, reg = make_problem(N, D_in, H, C, "float64")
    _, grads = loss_and_grads(params, X, y, reg)
    f = lambda p: loss_and_grads(p, X, y, reg)[0]  # noqa: E731
    out = {}
    for mode, run in (
        ("full", lambda: modes.full_check(f, params, grads)),
        ("sparse", lambda: modes.sparse_check(f, params, grads, k=10)),
        ("directional", lambda: modes.directional_check(f, params, grads, n_directions=2)),
    ):
        t = time.perf_counter()
        report = run()
        out[mode] = {"seconds": time.perf_counter() - t, "n_evals": report.n_evals, "passed": report.passed}
    return out


if __name__ == "__main__":
    kinds = {"info": info, "gemm": gemm, "checks": checks}
    print(json.dumps(kinds[sys.argv[1]](**(json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}))))
