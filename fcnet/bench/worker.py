"""One side of the race, in a process of its own: ``python -m fcnet.bench.worker numpy|torch``.

`fcnet.bench.race` starts one worker per side and talks to each over a pipe, one
JSON object per line each way.  A worker builds the net for a shape and
dtype (``setup``) and times blocks of steps (``time``); the numpy worker also
times the 2048² GEMM, the validation alone, and the gradient-check modes.
Only the torch worker imports torch.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time

import numpy as np

DTYPES = {"float64": np.float64, "float32": np.float32}


def make_problem(N: int, D_in: int, H: int, C: int, dtype: str, seed: int = 0):
    """The same seeded ``(params, X, y, reg)`` in both workers: small weights, standard-normal X."""
    rng = np.random.default_rng(seed)
    dt = DTYPES[dtype]
    params = {
        "W1": (rng.standard_normal((H, D_in)) / np.sqrt(D_in)).astype(dt),
        "b1": (0.1 * rng.standard_normal(H)).astype(dt),
        "W2": (rng.standard_normal((C, H)) / np.sqrt(H)).astype(dt),
        "b2": (0.1 * rng.standard_normal(C)).astype(dt),
    }
    X = rng.standard_normal((D_in, N)).astype(dt)
    y = rng.integers(0, C, size=N)
    return params, X, y, 1e-3


def _times(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


class NumpySide:
    """Our step: the public, validated `fcnet.loss_and_grads`."""

    def setup(self, N, D_in, H, C, dtype):
        from ..core.net import loss_and_grads
        from ..core.validate import check_batch

        params, X, y, reg = make_problem(N, D_in, H, C, dtype)
        self.step = lambda: loss_and_grads(params, X, y, reg)
        self.validation = lambda: check_batch(params, X, y, reg)

    def gemm(self, n, dtype, repeats):
        rng = np.random.default_rng(1)
        A = rng.standard_normal((n, n)).astype(DTYPES[dtype])
        B = rng.standard_normal((n, n)).astype(DTYPES[dtype])
        A @ B  # warm-up: threads started, pages touched
        return _times(lambda: A @ B, repeats)

    def checks(self, D_in, H, C, N):
        """Seconds of each gradient-check mode on one net, and how many evaluations of J it made."""
        from ..core.net import loss_and_grads
        from ..gradcheck import checks

        params, X, y, reg = make_problem(N, D_in, H, C, "float64")
        _, grads = loss_and_grads(params, X, y, reg)
        f = lambda p: loss_and_grads(p, X, y, reg)[0]  # noqa: E731
        out = {}
        for mode, run in (
            ("full", lambda: checks.full_check(f, params, grads)),
            ("sparse", lambda: checks.sparse_check(f, params, grads, k=10)),
            ("directional", lambda: checks.directional_check(f, params, grads, n_directions=2)),
        ):
            t = time.perf_counter()
            report = run()
            out[mode] = {"seconds": time.perf_counter() - t, "n_evals": report.n_evals, "passed": report.passed}
        return out

    def info(self):
        info = {"numpy": np.__version__, "blas": []}
        try:
            from threadpoolctl import threadpool_info

            info["blas"] = [
                {k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
                for d in threadpool_info()
                if d.get("user_api") == "blas"
            ]
        except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
            pass
        return info


class TorchSide:
    """PyTorch autograd: parameters held as tensors, X a contiguous (N, D_in) tensor."""

    def __init__(self):
        import torch

        self.torch = torch

    def setup(self, N, D_in, H, C, dtype):
        from ..witnesses.torch_net import TwoLayerNet

        torch = self.torch
        params, X, y, reg = make_problem(N, D_in, H, C, dtype)
        net = TwoLayerNet(D_in, H, C, dtype=getattr(torch, dtype))
        with torch.no_grad():
            for layer, i in ((net.fc1, 1), (net.fc2, 2)):
                layer.weight.copy_(torch.from_numpy(params[f"W{i}"]))
                layer.bias.copy_(torch.from_numpy(params[f"b{i}"]))
        x = torch.from_numpy(np.ascontiguousarray(X.T))
        yt = torch.from_numpy(y.astype(np.int64))
        weights = list(net.parameters())

        def step():
            for w in weights:
                w.grad = None
            loss = net.loss(x, yt, reg)
            loss.backward()
            return loss.item()

        self.step = step

    def info(self):
        torch = self.torch
        config = torch.__config__.show()
        blas = next(
            (line.split("=", 1)[1] for line in config.replace(",", "\n").splitlines() if "BLAS_INFO" in line), ""
        )
        return {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas.strip()}


def main(kind: str) -> int:
    proto = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not corrupt the protocol
    side = NumpySide() if kind == "numpy" else TorchSide()
    for line in sys.stdin:
        msg = json.loads(line)
        op = msg.pop("op")
        if op == "quit":
            break
        try:
            reply = _handle(side, op, msg)
        except Exception as exc:  # reported to the parent, which raises it with the worker's name
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        proto.write(json.dumps(reply) + "\n")
        proto.flush()
    return 0


def _handle(side, op: str, msg: dict) -> dict:
    if op == "setup":
        side.setup(**msg)
        reply = {"ok": True}
    elif op == "time":
        reply = {"times": _times(side.step, msg["repeats"])}
    elif op == "validation":
        reply = {"times": _times(side.validation, msg["repeats"])}
    elif op == "gemm":
        reply = {"times": side.gemm(**msg)}
    elif op == "checks":
        reply = side.checks(**msg)
    elif op == "info":
        reply = side.info() | {"pid": os.getpid(), "python": platform.python_version()}
        reply["env"] = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))}
    else:
        reply = {"error": f"unknown op {op!r}"}
    return reply


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
