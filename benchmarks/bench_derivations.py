"""Time every derivation: build (SymPy constructs its steps) and verify (the proof).

    .venv/bin/python benchmarks/bench_derivations.py [--exact]

Target: all derivations built and verified in under 20 s on the project's
2-core machine; the last line prints the total and its ratio to the target.
``--exact`` also times the exact worked examples (the ``sympy`` witness).
"""

from __future__ import annotations

import argparse
import importlib
import time

TARGET_S = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exact", action="store_true", help="also time the exact worked examples")
    args = parser.parse_args()

    start = time.perf_counter()
    import fcnet.derivations as registry
    from fcnet.derivations import base  # noqa: F401  (SymPy's import, timed on its own)

    print(f"{'import sympy + fcnet.derivations':<34} {time.perf_counter() - start:7.2f} s")
    total = 0.0
    print(f"{'id':<20} {'number':>6} {'build s':>8} {'verify s':>9} {'total s':>8}")
    for family in registry.FAMILIES:
        t0 = time.perf_counter()
        derivations = importlib.import_module(f"fcnet.derivations.{family}").derivations()
        build = (time.perf_counter() - t0) / len(derivations)  # the family's build time, shared out
        for d in derivations:
            t0 = time.perf_counter()
            d.verify()
            verify = time.perf_counter() - t0
            total += build + verify
            print(f"{d.id:<20} {d.number:>6} {build:8.2f} {verify:9.2f} {build + verify:8.2f}")
    print(
        f"total {total:.2f} s for build + verify; target {TARGET_S:.0f} s; ratio {total / TARGET_S:.2f} (< 1 meets it)"
    )

    if args.exact:
        import fcnet
        from fcnet.witnesses.sympy_exact import sympy_witness

        for name, example in (("seed", fcnet.seed_example), ("second", fcnet.second_example)):
            t0 = time.perf_counter()
            _, _, exact = sympy_witness(*example())
            print(f"exact {name:<7} {time.perf_counter() - t0:6.2f} s   loss = {exact['loss']}")


if __name__ == "__main__":
    main()
