"""Exercises for the Benchmarks page: flops, the GEMM fraction, what a faster sigmoid could buy, memory.

The questions; each answer is computed by `fcnet.site.exercises.answers.bench`, imported only when asked.
"""

from __future__ import annotations

from .base import Exercise

PAGE = "beyond/benchmarks"

EXERCISES = [
    Exercise(
        "benchmarks-flops",
        PAGE,
        "by hand",
        r"Count the flops of the five matrix products in one training step at \((N, D_{\mathrm{in}}, H, C) = "
        r"(64, 784, 128, 10)\).",
        "bench:_flops",
    ),
    Exercise(
        "benchmarks-gemm-fraction",
        PAGE,
        "compute",
        r"The results table gives the GEMM fraction of the step with a workspace. What fraction of the machine's "
        r"GEMM rate does the *plain* float64 step, without a workspace, reach at \((1024, 784, 1024, 10)\)?",
        "bench:_gemm_fraction",
    ),
    Exercise(
        "benchmarks-amdahl",
        PAGE,
        "compute",
        r"The profile times \(\sigma(z^{(1)})\) inside the float64 step at \((1024, 784, 1024, 10)\). If the "
        "sigmoid cost nothing, how much faster could the step be at most?",
        "bench:_amdahl",
    ),
    Exercise(
        "benchmarks-memory",
        PAGE,
        "by hand",
        r"How many bytes does one \((H, N)\) temporary take at \((1024, 784, 1024, 10)\), in float64 and in float32?",
        "bench:_memory",
    ),
]
