"""`fcnet.diagnose` on student code: one buggy implementation per cause, correct ones in four styles, hostile files.

Every file under tests/students/ is written as a student would write it (none perturbs fcnet's
output).  They are all diagnosed once, in parallel child processes, by the module fixture.
``python tests/test_diagnose_students.py`` prints the table of cause ids, the file that triggers
each and the diagnoser's verdict on it.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
from pathlib import Path

import pytest

from fcnet.diagnose import CAUSES, UsageError, diagnose_file
from fcnet.diagnose.examples import CASES, path

STUDENTS = Path(__file__).parent / "students"
GRADS = ("W1", "b1", "W2", "b2")
ENTRIES = ("loss", *GRADS)
ALL = (*ENTRIES, "stability")
TIMEOUT = 3.0  # seconds for the hostile files' calls: the right ones take ~0.1 s in all

#: (file, function) -> {entry: cause}; every entry not named must be ok.
EXPECTED = {
    ("missing_batch_mean", "loss_and_grads"): dict.fromkeys(GRADS, "missing-batch-mean"),
    ("extra_batch_mean", "loss_and_grads"): dict.fromkeys(GRADS, "extra-batch-mean"),
    ("missing_reg", "loss_and_grads"): {"W1": "missing-reg", "W2": "missing-reg"},
    ("reg_factor", "loss_and_grads"): {"W1": "reg-factor", "W2": "reg-factor"},
    ("reg_on_bias", "loss_and_grads"): {"b1": "reg-on-bias", "b2": "reg-on-bias"},
    ("sigmoid_derivative", "loss_and_grads"): {"W1": "sigmoid-derivative", "b1": "sigmoid-derivative"},
    ("sigmoid_derivative_preact", "loss_and_grads"): {"W1": "sigmoid-derivative", "b1": "sigmoid-derivative"},
    ("transposed", "loss_and_grads"): {"W1": "transposed"},
    ("sign", "loss_and_grads"): dict.fromkeys(GRADS, "sign"),
    ("bias_not_summed", "loss_and_grads"): {"b1": "extra-batch-mean", "b2": "bias-not-summed"},
    ("wrong_shape", "loss_and_grads"): {"b1": "wrong-shape", "b2": "wrong-shape"},
    ("softmax_overflow", "loss_and_grads"): {"stability": "softmax-overflow"},
    ("log_underflow", "loss_and_grads"): {"stability": "log-underflow"},
    ("clipped_log", "loss_and_grads"): {"stability": "unstable"},
    ("sigmoid_overflow", "loss_and_grads"): {"stability": "sigmoid-overflow"},
    ("missing_reg_naive", "loss_and_grads"): {"loss": "loss-missing-reg", "stability": "softmax-overflow"},
    ("loss_not_mean", "loss_and_grads"): {"loss": "loss-not-mean"},
    ("loss_missing_reg", "loss_and_grads"): {"loss": "loss-missing-reg"},
    ("loss_reg_factor", "loss_and_grads"): {"loss": "loss-reg-factor"},
    ("raised", "loss_and_grads"): dict.fromkeys(ALL, "raised"),
    ("mutates_input", "loss_and_grads"): dict.fromkeys(ALL, "mutates-input"),
    ("not_finite", "loss_and_grads"): dict.fromkeys(GRADS, "not-finite"),
    ("unknown", "loss_and_grads"): dict.fromkeys(GRADS, "unknown"),
    ("hostile_loop", "loss_and_grads"): dict.fromkeys(ALL, "timeout"),
    ("hostile_os_exit", "loss_and_grads"): dict.fromkeys(ALL, "crashed"),
    ("hostile_exit", "loss_and_grads"): dict.fromkeys(ALL, "raised"),
    ("hostile_memory", "loss_and_grads"): dict.fromkeys(ALL, "raised"),
    ("hostile_types", "returns_none"): dict.fromkeys(ALL, "bad-return"),
    ("hostile_types", "swapped"): dict.fromkeys(ALL, "bad-return"),
    ("hostile_types", "three_values"): dict.fromkeys(ALL, "bad-return"),
    ("hostile_types", "notes_keys"): dict.fromkeys(GRADS, "bad-return"),
    ("hostile_types", "loss_as_array"): {"loss": "bad-return"},
    ("hostile_types", "strings"): {"b2": "bad-return"},
}
CORRECT = [("correct_notes", "loss_and_grads"), ("correct_layers", "loss_and_grads"),
           ("correct_cs231n", "loss_and_grads"), ("correct_logaddexp", "loss_and_grads"),
           ("hostile_print", "loss_and_grads")]  # fmt: skip


#: (file, function, what the UsageError says): files that cannot be diagnosed at all
UNUSABLE = [
    ("hostile_syntax", "loss_and_grads", "SyntaxError: expected ':' (at hostile_syntax.py, line 4"),
    ("hostile_import_error", "loss_and_grads", "ModuleNotFoundError: No module named 'my_helpers'"),
    ("hostile_import_loop", "loss_and_grads", f"did not finish within the time limit of {TIMEOUT:g} s"),
    ("hostile_types", "no_such_function", "has no function 'no_such_function'; its functions: _right, loss_as"),
    ("no_such_file", "loss_and_grads", "no such file"),
]


def _diagnose(case):
    """``(Diagnosis or UsageError, seconds)`` for ``(file, function)``; a file under tests/students/ or a site case."""
    file, function = case
    start = time.perf_counter()
    try:
        where = path(file) if file in CASES else STUDENTS / f"{file}.py"
        result = diagnose_file(where, function, timeout=TIMEOUT)
    except UsageError as err:
        result = err
    return result, time.perf_counter() - start


@pytest.fixture(scope="module")
def diagnosed():
    """(file, function) -> (Diagnosis or UsageError, seconds), all run at once in child processes."""
    cases = [*EXPECTED, *CORRECT, *(case[:2] for case in UNUSABLE), *((n, c.function) for n, c in CASES.items())]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(cases, pool.map(_diagnose, cases)))


def diagnose_again(case, **options):
    file, function = case
    return diagnose_file(STUDENTS / f"{file}.py", function, timeout=TIMEOUT, **options)


def causes_of(d) -> dict:
    return {k: v.cause for k, v in d.verdicts.items() if not v.ok}


@pytest.mark.parametrize("case", list(EXPECTED), ids=[f"{f}:{fn}" for f, fn in EXPECTED])
def test_each_mistake_gets_its_cause_on_its_entries_and_nothing_else(diagnosed, case):
    d, _ = diagnosed[case]
    assert causes_of(d) == EXPECTED[case], str(d)
    assert d.passed == (set(EXPECTED[case]) == {"stability"})  # instability alone is a warning
    if d.passed:  # --strict fails it
        strict = diagnose_again(case, strict=True)
        assert not strict.passed and causes_of(strict) == EXPECTED[case] and "stability" in repr(strict)
    for v in d.verdicts.values():
        if not v.ok:  # every named cause carries its derivation (or none, for a failure of the run)
            assert v.see in (CAUSES[v.cause].see, "linear-grad", "hidden-layer-grad", "batch-mean-l2"), v
            assert v.message and (v.see is None or f"#{v.see}" in v.message)
    assert len(repr(d)) < 240  # pytest shows reprs up to 240 characters in an assertion message


@pytest.mark.parametrize("case", CORRECT, ids=[f for f, _ in CORRECT])
def test_correct_implementations_in_every_style_pass(diagnosed, case):
    d, _ = diagnosed[case]
    assert d.passed, str(d)
    assert "FAILED" not in str(d) and all(v.cause is None and v.see is None for v in d.verdicts.values())


def test_every_cause_of_the_vocabulary_is_triggered_by_some_student_file():
    triggered = {cause for expected in EXPECTED.values() for cause in expected.values()}
    assert triggered | {"uses-reference"} == set(CAUSES)  # uses-reference: tests/test_diagnose_hostile.py


def test_a_sign_error_in_one_entry_is_named_with_the_entry(diagnosed):
    d, _ = diagnosed[("planted_sign", "sign_error")]
    assert causes_of(d) == {"W2": "sign"} and "W2[1, 2]" in d.verdicts["W2"].message


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_site_s_cases_get_the_verdicts_the_page_asserts(diagnosed, name):
    d, _ = diagnosed[(name, CASES[name].function)]
    assert causes_of(d) == CASES[name].expected, str(d)


def test_the_smallest_probe_that_shows_it_is_named(diagnosed):
    # a missing batch mean is invisible at N = 1 ('single'); 'square' (N = 5) is the next probe
    d, _ = diagnosed[("missing_batch_mean", "loss_and_grads")]
    assert {v.probe for v in d.verdicts.values() if not v.ok} == {"square"}
    # a naive softmax is right at ordinary logits: its stability fails first on the probe in the hundreds
    d, _ = diagnosed[("softmax_overflow", "loss_and_grads")]
    assert {v.probe for v in d.verdicts.values()} == {None, "logits-hundreds"}
    # the textbook recipe (shift, then log p) only fails where a probability underflows
    d, _ = diagnosed[("log_underflow", "loss_and_grads")]
    assert d.passed and d.verdicts["stability"].probe == "logits-thousands"


def test_stability_messages_tell_the_naive_softmax_from_the_shifted_one(diagnosed):
    naive = diagnosed[("softmax_overflow", "loss_and_grads")][0].verdicts["stability"].message
    shifted = diagnosed[("log_underflow", "loss_and_grads")][0].verdicts["stability"].message
    assert "subtract each column's max" in naive and "line 15: probs = np.exp(z2) / np.sum(np.exp(z2), axis=0)" in naive
    assert "log-softmax" in shifted and "max shift alone does not prevent it" in shifted
    assert "line 14: loss = -np.log(p[y, np.arange(N)]).mean() + penalty" in shifted
    assert "#softmax-ce-grad" in naive and "#softmax-ce-grad" in shifted


def test_instability_never_hides_a_real_bug(diagnosed):
    # before: one cause per entry, and the loss of a file that leaves out the penalty was 'softmax-overflow'
    d, _ = diagnosed[("missing_reg_naive", "loss_and_grads")]
    assert d.verdicts["loss"].causes == ("loss-missing-reg",) and not d.passed


def test_printing_is_ignored_but_reported(diagnosed):
    d, _ = diagnosed[("hostile_print", "loss_and_grads")]
    assert '{"passed": true}' in d.output and "debugging to stderr" in d.output
    assert "printed" in str(d) and d.to_json()["passed"] is True


def test_hostile_runs_name_what_happened(diagnosed):
    hang, _ = diagnosed[("hostile_loop", "loss_and_grads")]
    assert f"did not return within {TIMEOUT:g} s on probe 'single'" in hang.verdicts["W1"].message
    died, _ = diagnosed[("hostile_os_exit", "loss_and_grads")]
    assert "exited with status 7" in died.verdicts["loss"].message
    exited, _ = diagnosed[("hostile_exit", "loss_and_grads")]
    assert "sys.exit(3)" in exited.verdicts["b2"].message and "hostile_exit.py, line 8" in exited.verdicts["b2"].message
    memory, _ = diagnosed[("hostile_memory", "loss_and_grads")]
    assert "MemoryError" in memory.verdicts["W1"].message
    keys, _ = diagnosed[("hostile_types", "notes_keys")]
    assert "grads has no key 'W1'" in keys.verdicts["W1"].message and "'dW1'" in keys.verdicts["W1"].message
    raised, _ = diagnosed[("raised", "loss_and_grads")]
    assert "ValueError" in raised.verdicts["loss"].message and "da1 = W2.dot(dz2)" in raised.verdicts["loss"].message


def test_the_memory_limit_is_what_refuses_the_allocation():
    # 2 GiB of address space, never touched: refused under a 512 MiB limit, granted under 4 GiB
    small = diagnose_file(STUDENTS / "hostile_memory.py", "reserve_2gib", memory_mb=512)
    assert small.verdicts["loss"].cause == "raised" and "MemoryError" in small.verdicts["loss"].message
    large = diagnose_file(STUDENTS / "hostile_memory.py", "reserve_2gib", memory_mb=4096)
    assert large.verdicts["loss"].cause == "unknown" and large.verdicts["W1"].cause == "bad-return"  # it returned


@pytest.mark.parametrize("file, function, message", UNUSABLE, ids=[f for f, _, _ in UNUSABLE])
def test_files_that_cannot_be_diagnosed_are_usage_errors(diagnosed, file, function, message):
    err, _ = diagnosed[(file, function)]
    assert isinstance(err, UsageError) and message in str(err) and "Traceback" not in str(err)


def test_json_is_valid_json_even_with_nan(diagnosed):
    d, _ = diagnosed[("softmax_overflow", "loss_and_grads")]
    obj = json.loads(json.dumps(d.to_json(), allow_nan=False))
    hundreds = next(p for p in obj["probes"] if p["name"] == "logits-hundreds")
    assert obj["stability"]["cause"] == "softmax-overflow" and hundreds["errors"]["W1"] is None


def cause_table() -> str:
    """Markdown: each cause id, the student file that triggers it, and the diagnoser's verdict."""
    rows = ["| cause | student file (function) | verdict (→ derivation to reread) |", "|---|---|---|"]
    for cause in CAUSES:
        case = next(c for c, expected in EXPECTED.items() if cause in expected.values())
        d = _diagnose(case)[0]
        groups: dict = {}
        for k, v in d.verdicts.items():
            if not v.ok:
                groups.setdefault((v.cause, v.see), []).append(k)
        got = "; ".join(f"{', '.join(ks)}: `{c}`" + (f" → {see}" if see else "") for (c, see), ks in groups.items())
        rows.append(f"| `{cause}` | `tests/students/{case[0]}.py` ({case[1]}) | {got or 'passed'} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(cause_table())
