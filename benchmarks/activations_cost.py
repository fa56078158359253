"""What one forward and backward pass of each activation costs, relative to ReLU.

    python benchmarks/activations_cost.py [--rounds 7] [--save]

A fresh process (OpenBLAS overrides unset, as ``python -m fcnet bench`` runs its workers) times
``act.backward(ones, act.forward(Z)[1])`` for every activation of `fcnet.ACTIVATIONS` on one
(256, 256) array: the best of 20 repeats of 5 calls, per activation, in ``--rounds`` rounds that
take the activations in turn, forwards and backwards alternately.  It prints each activation's
median over the rounds with its spread; ``--save`` writes ``fcnet/bench/results/activations-results.json``,
which the *Deeper nets* page shows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import timeit

SHAPE = (256, 256)
NUMBER, REPEAT = 5, 20


def worker(rounds: int) -> dict[str, list[float]]:
    """Seconds per forward + backward pass, ``rounds`` values per activation (best of `REPEAT`)."""
    import numpy as np

    from fcnet.core.activations import ACTIVATIONS

    Z = np.random.default_rng(4).standard_normal(SHAPE)
    ones = np.ones_like(Z)
    names = list(ACTIVATIONS)
    seconds = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            act = ACTIVATIONS[name]
            best = min(timeit.repeat(lambda: act.backward(ones, act.forward(Z)[1]), number=NUMBER, repeat=REPEAT))
            seconds[name].append(best / NUMBER)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds over every activation (default 7)")
    parser.add_argument("--save", action="store_true", help="write fcnet/bench/results/activations-results.json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.rounds)))
        return 0

    from fcnet.bench import archive
    from fcnet.bench.processes import worker_env
    from fcnet.bench.race import machine_info

    cmd = [sys.executable, __file__, "--worker", "--rounds", str(args.rounds)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=worker_env()[0], check=True)
    seconds = json.loads(done.stdout)
    relu = statistics.median(seconds["relu"])
    rows = []
    for name, values in seconds.items():
        med = statistics.median(values)
        rows.append({"activation": name, "seconds": med, "min": min(values), "max": max(values), "x_relu": med / relu})
        spread = f"{min(values) * 1e6:.0f}–{max(values) * 1e6:.0f}"
        print(f"{name:<8} {med * 1e6:8.0f} µs  ({spread})  {med / relu:5.1f}× ReLU")
    out = {
        "machine": machine_info(),
        "settings": {"shape": list(SHAPE), "number": NUMBER, "repeat": REPEAT, "rounds": args.rounds},
        "rows": rows,
    }
    if args.save:
        print(f"saved {archive.save('activations', out)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
