"""One side of the race, in a fresh process of its own: ``python -m fcnet.bench.worker SIDE``.

SIDE is one of `SIDES`: our step as a plain call (``plain``), with a
`fcnet.Workspace` (``workspace``), PyTorch autograd (``torch``), the step's
five matrix products alone (``products``: the floor no NumPy step can go
below, whatever it does with the rest), or, to show
what the allocator costs, the layers composed with a new array for every
result (``naive``, the plain composition `fcnet.core.net.net_steps`), in a fresh
process and after a 16 MiB block was freed (``primed``: the state a process
is in once a large array, a GEMM benchmark's say, has been freed).  `fcnet.bench.race` starts one worker per side
and configuration and talks to it over a pipe, one JSON object per line each
way: ``setup`` builds the problem, ``time`` runs a block of steps of a plain
loop and returns each step's seconds and the block's minor page faults.
Nothing else runs in the process before the race; only the torch worker
imports torch.

The one-shot measurements (versions and BLAS kernel, the GEMM rate, the
gradient checks' costs) run in `fcnet.bench.probes`, each in a process of its
own too.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

import numpy as np

SIDES = ("plain", "workspace", "naive", "primed", "products", "torch")
DTYPES = {"float64": np.float64, "float32": np.float32}


def make_problem(N: int, D_in: int, H: int, C: int, dtype: str, seed: int = 0):
    """The same seeded ``(params, X, y, reg)`` for every side: small weights, standard-normal X.

    Every array is drawn in its dtype and scaled in place, so that no large
    temporary is freed before the race (a freed block raises glibc's
    thresholds and would hide the cost a fresh process pays).
    """
    rng = np.random.default_rng(seed)
    dt = DTYPES[dtype]
    params = {
        "W1": rng.standard_normal((H, D_in), dtype=dt),
        "b1": rng.standard_normal(H, dtype=dt),
        "W2": rng.standard_normal((C, H), dtype=dt),
        "b2": rng.standard_normal(C, dtype=dt),
    }
    for k, scale in (("W1", 1 / np.sqrt(D_in)), ("b1", 0.1), ("W2", 1 / np.sqrt(H)), ("b2", 0.1)):
        params[k] *= dt(scale)
    X = rng.standard_normal((D_in, N), dtype=dt)
    y = rng.integers(0, C, size=N)
    return params, X, y, 1e-3


def _minflt() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed_block(step, repeats: int) -> dict:
    """``repeats`` steps of a plain loop: each step's seconds, and the minor page faults of the whole block."""
    times = []
    faults = _minflt()
    for _ in range(repeats):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return {"times": times, "faults": _minflt() - faults}


def setup(side: str, N: int, D_in: int, H: int, C: int, dtype: str):
    """The step of ``side`` (a function of no arguments) and, for our sides, the validation alone."""
    params, X, y, reg = make_problem(N, D_in, H, C, dtype)
    if side == "torch":
        return _torch_step(params, X, y, reg), None
    if side == "products":
        return _products_step(params, X), None
    from ..core.net import loss_and_grads
    from ..core.validate import check_batch
    from ..engine.workspace import Workspace

    if side == "primed":
        block = np.ones(2**21)  # 16 MiB, touched and freed: glibc raises its mmap threshold to 16 MiB
        del block
    if side in ("naive", "primed"):  # net_steps checks its input and its result as the net does
        return (lambda: _naive_step(params, X, y, reg)), None
    workspace = Workspace() if side == "workspace" else None
    return (lambda: loss_and_grads(params, X, y, reg, workspace=workspace)), (lambda: check_batch(params, X, y, reg))


def _naive_step(params, X, y, reg):
    """The plain composition (`fcnet.core.net.net_steps`): each result a new array, as in the notes."""
    from ..core.net import net_steps

    steps = net_steps(params, X, y, reg)
    return steps["loss"], steps["grads"]


def _products_step(params, X):
    """The step's five matrix products alone, into arrays made once, on the step's shapes and layouts."""
    W1, W2 = params["W1"], params["W2"]
    H, C, N = W1.shape[0], W2.shape[0], X.shape[1]
    z1, z2, da1 = (np.empty(shape, X.dtype) for shape in ((H, N), (C, N), (H, N)))
    dW1, dW2 = np.empty_like(W1), np.empty_like(W2)

    def step():
        np.matmul(W1, X, out=z1)  # W1 X
        np.matmul(W2, z1, out=z2)  # W2 a1
        np.matmul(z2, z1.T, out=dW2)  # δ2 a1ᵀ
        np.matmul(W2.T, z2, out=da1)  # W2ᵀ δ2
        np.matmul(da1, X.T, out=dW1)  # δ1 Xᵀ

    return step


def _torch_step(params, X, y, reg):
    """PyTorch autograd: parameters held as tensors, X a contiguous (N, D_in) tensor (X itself kept alive)."""
    import torch

    from ..witnesses.torch_net import TwoLayerNet

    dtype = getattr(torch, str(X.dtype))
    net = TwoLayerNet(X.shape[0], params["W1"].shape[0], params["W2"].shape[0], dtype=dtype)
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

    step.keep = X  # X stays alive, as in our workers: freeing it would raise glibc's thresholds in this process
    return step


def serve(side: str) -> int:
    """Answer ``setup``, ``time``, ``validation`` and ``quit`` requests on stdin, one JSON line each."""
    proto = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not corrupt the protocol
    step = validation = None
    for line in sys.stdin:
        msg = json.loads(line)
        op = msg.pop("op")
        if op == "quit":
            break
        try:
            if op == "setup":
                step, validation = setup(side, **msg)
                reply = {"ok": True, "pid": os.getpid()}
            elif op == "time":
                reply = timed_block(step, msg["repeats"])
            elif op == "validation":
                reply = timed_block(validation, msg["repeats"])
            else:
                reply = {"error": f"unknown op {op!r}"}
        except Exception as exc:  # reported to the parent, which raises it with the worker's name
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        proto.write(json.dumps(reply) + "\n")
        proto.flush()
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in SIDES:
        print(f"unknown side {argv[:1]}; expected one of {list(SIDES)}", file=sys.stderr)
        return 2
    return serve(argv[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
