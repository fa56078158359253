"""A pytest plugin: a test that fails shows the report of each diagnosis that failed in it.

With it, ``assert fcnet.diagnose(my_loss_and_grads).passed`` fails with the
whole human report under the test, in a section headed "fcnet diagnose"
(pytest's own assertion message shows only the one-line ``repr``).  It is
registered by fcnet's ``pytest11`` entry point, so an installed fcnet enables
it in every pytest run; otherwise enable it with ``-p
fcnet.diagnose.pytest_plugin`` or ``pytest_plugins =
["fcnet.diagnose.pytest_plugin"]`` in a top-level conftest.py.
"""

from __future__ import annotations

import pytest

from .report import RECENT_FAILURES

__all__ = ["pytest_runtest_setup", "pytest_runtest_makereport"]


def pytest_runtest_setup(item) -> None:
    RECENT_FAILURES.clear()  # only the diagnoses made by this test


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for diagnosis in RECENT_FAILURES:
            report.sections.append(("fcnet diagnose", str(diagnosis)))
    if report.when == "call":
        RECENT_FAILURES.clear()
