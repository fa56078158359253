"""fcnet.site.bench_page: the benchmarks page's tables and figure, from the committed results and made-up ones."""

import copy
import re

import pytest

from fcnet.bench import archive
from fcnet.bench.race import SHAPES
from fcnet.site import bench_page as page


@pytest.fixture(scope="module")
def committed():
    return {name: archive.load(name) for name in archive.FILES}


def test_the_committed_results_are_full_runs_of_every_configuration(committed):
    res = committed["bench"]
    assert res["settings"]["quick"] is False and res["gemm"]["float64"]["n"] == 2048
    assert [(s["N"], s["D_in"], s["H"], s["C"], s["dtype"]) for s in res["steps"]] == [
        (*shape, dtype) for shape in SHAPES for dtype in ("float64", "float32")
    ]
    assert committed["memory"]["shape"] == {"N": 200_000, "D_in": 784, "H": 512, "C": 10}
    assert [r["shape"] for r in committed["threads"]["rows"]] == [str(s) for s in SHAPES]
    assert {tuple(r["shape"]) for r in committed["profile"]["rows"]} == set(SHAPES)


def _cells(html):
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html)]


def test_the_race_table_shows_each_sides_time_ratio_and_faults(committed):
    res = copy.deepcopy(committed["bench"])
    s = res["steps"][0]
    s["sides"]["plain"]["ms"], s["sides"]["torch"]["ms"], s["ratios"]["plain"] = 1.5, 2.0, 0.75
    s["sides"]["plain"]["faults_per_step"], s["sides"]["workspace"]["faults_per_step"] = 512.4, 0.0
    s["ratios"]["products"] = 0.7349
    row = _cells(page.race_table(res))[:10]
    assert row[:3] == ["(64, 784, 128, 10)", "float64", "1.500"] and row[4] == "2.000" and row[5] == "0.75"
    assert row[7] == "0.73" and row[8].startswith("512 / 0 / ")


def test_the_allocator_table_prices_a_page_fault(committed):
    res = copy.deepcopy(committed["bench"])
    s = res["steps"][0]
    s["sides"]["naive"].update(ms=2.0, faults_per_step=500.0)
    s["sides"]["primed"].update(ms=1.0, faults_per_step=0.0)
    cells = _cells(page.allocator_table(res))
    assert cells[0] == "(64, 784, 128, 10)" and cells[1] == "2.000 ms, 500 faults" and cells[5] == "2.0 µs"
    assert len(cells) == 6 * 3  # float64 rows only


def test_the_targets_table_shows_misses_and_the_memory_ratio(committed):
    res, mem = copy.deepcopy(committed["bench"]), copy.deepcopy(committed["memory"])
    res["targets"]["workspace_ratio_met"] = False
    mem["variants"]["plain"]["ratio"] = 1.39
    mem["variants"]["workspace"]["ratio"] = 1.41
    res["targets"]["workspace_ratio_reachable"] = False
    cells = _cells(page.targets_table(res, mem))
    assert cells[1] == "missed" and cells[3] == "missed" and cells[-1] == "missed (1.410)"


def test_the_threads_verdict_says_where_the_pool_pays(committed):
    th = copy.deepcopy(committed["threads"])
    for r, ratio in zip(th["rows"], (1.25, 1.02, 0.9)):
        r["ratio"] = ratio
    text = page.threads_verdict(th)
    assert text.startswith("<p>It pays at (1024, 784, 1024, 10) (0.90); it neither costs nor gains at (256, 784")
    assert "(1.02); it makes the step slower at (64, 784, 128, 10) (1.25)." in text
    assert "stays one-threaded" in text
    # a ratio above 1 is a cost, never "nothing": the committed run's (all slower) says so
    committed_text = page.threads_verdict(committed["threads"])
    assert "nothing" not in committed_text and "neither" not in committed_text
    rows = committed["threads"]["rows"]
    assert all(f"{r['shape']} ({r['ratio']:.2f})" in committed_text for r in rows)
    assert ("it makes the step slower at" in committed_text) == any(r["ratio"] > 1.05 for r in rows)
    for r in th["rows"]:
        r["ratio"] = 0.8
    assert page.threads_verdict(th).startswith("<p>The pool pays at every shape")


def test_a_busy_machine_is_flagged(committed):
    res = copy.deepcopy(committed["bench"])
    res["machine"]["loadavg_start"] = [0.2, 0, 0]
    res["machine"]["loadavg_end"] = [1.1, 0, 0]
    assert "busy" not in page.busy_note(res)
    res["machine"]["loadavg_end"] = [2.5, 0, 0]
    assert "A busy machine" in page.busy_note(res)


def test_every_builder_renders_the_committed_results(committed):
    res, mem, th, prof = (committed[k] for k in ("bench", "memory", "threads", "profile"))
    html = [
        page.machine_table(res),
        page.memory_table(mem),
        page.threads_table(th),
        page.sixteen_cores_table(committed["sixteen-cores"]),
        page.checks_table(res),
        page.profile_table(prof),
    ]
    assert all(h.startswith('<div class="fcnet-table"><table>') for h in html)
    assert "2.32" in html[3] and res["machine"]["cpu"] in html[0]
    figure = page.race_figure(res)
    # an inline SVG in the site's colours (its ink follows light and dark), with an accessible name
    assert figure.startswith('<svg class="fcnet-figure" role="img" aria-label="Time per step') and len(figure) > 10_000
    assert "currentColor" in figure


def test_an_unknown_results_name_is_refused():
    with pytest.raises(ValueError, match="results 'nope' are unknown; expected one of"):
        archive.load("nope")


def test_the_floor_note_names_the_shapes_out_of_reach_and_the_gemm_budget(committed):
    res = copy.deepcopy(committed["bench"])
    f64 = [s for s in res["steps"] if s["dtype"] == "float64"]
    for s, floor in zip(f64, (0.3, 0.75, 0.9)):
        s["ratios"]["products"] = floor
    large = f64[2]["sides"]
    large["products"].update(ms=30.0, gemm_fraction=0.77)
    large["workspace"]["ms"] = 40.0
    html = page.floor_note(res)
    assert "0.30 at (64, 784, 128, 10), 0.75 at (256, 784, 512, 10), 0.90 at (1024, 784, 1024, 10)" in html
    assert "out of reach at (256, 784, 512, 10) and (1024, 784, 1024, 10)" in html
    # 70% of the GEMM rate leaves 30 ms · (0.77 / 0.7 − 1) = 3.0 ms beyond the products; the step spends 10.0
    assert "would have to fit in 3.0 ms; it takes 10.0 ms" in html and "77%" in html
    for s in f64:
        s["ratios"]["products"] = 0.5
    assert "out of reach" not in page.floor_note(res)
