"""fcnet.bench.memory: the minimum a step needs, and the peaks measured in fresh processes (a small shape)."""

import pytest

from fcnet.bench.memory import QUICK_SHAPE, format_memory, measure, minimum_bytes, run_memory
from fcnet.engine.rows import block_rows


def test_the_minimum_is_inputs_one_hidden_array_and_the_gradients():
    N, D_in, H, C = 200_000, 784, 512, 10
    params = H * D_in + H + C * H + C
    assert minimum_bytes(N, D_in, H, C) == 8 * (D_in * N + N + params + H * N + params)


@pytest.fixture(scope="module")
def quick():
    return run_memory(quick=True)


def test_our_step_peaks_at_one_hidden_array_the_logits_a_block_and_small_vectors(quick):
    N, D_in, H, C = QUICK_SHAPE
    for variant in ("plain", "workspace"):
        r = quick["variants"][variant]
        assert r["measured_by"] == "tracemalloc" and r["minimum_bytes"] == minimum_bytes(*QUICK_SHAPE)
        # the memory plan: (H, N) + (C, N) + a block of W2ᵀδ2 (or e^{z2}, which shares it) + the gradients, and a
        # few (N,) vectors in the loss; a second (H, N) array would be 4 MiB more than the slack
        plan = 8 * (H * N + C * N + max(C, block_rows(H, N)) * N + H * D_in + H + C * H + C)
        assert plan <= r["peak_above_inputs_bytes"] <= plan + 8 * 8 * N, variant
        assert r["ratio"] == pytest.approx((r["inputs_bytes"] + r["peak_above_inputs_bytes"]) / r["minimum_bytes"])


def test_the_torch_twin_is_measured_by_its_resident_size(quick):
    r = quick["variants"]["torch"]
    assert r["measured_by"] == "ru_maxrss" and r["peak_above_inputs_bytes"] == r["rss_peak_above_before_bytes"]
    # the twin hands PyTorch a row-major copy of X: its peak is at least the inputs' size above them
    assert r["peak_above_inputs_bytes"] >= r["inputs_bytes"] * 0.9


def test_the_report_names_each_variant_and_its_ratio(quick):
    text = format_memory(quick)
    for name, r in quick["variants"].items():
        assert name in text and f"{r['ratio']:.3f}" in text


def test_measure_in_this_process_counts_a_workspace_step_like_a_plain_one():
    small = (500, 20, 32, 4)
    plain, ws = measure("plain", *small), measure("workspace", *small)
    # a workspace keeps the same arrays a plain call makes: the same peak within a few small vectors
    assert abs(plain["traced_bytes"] - ws["traced_bytes"]) <= 8 * 8 * small[0]
