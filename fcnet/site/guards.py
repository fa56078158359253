"""The tests the pages cite, shipped with the package: pages show them without reading ``tests/``.

"What changed from the notes" names, for each change, the test that guards it, and shows the
test's source.  A notebook downloaded from the site runs wherever fcnet is installed, where
there is no ``tests/`` folder; so the sources travel as package data, ``guards.json``, made
from the repository by ``python tests/make_guards.py`` (``tests/test_site_guards.py`` checks it
is current: a page cannot cite a test that is not there, nor show an old version of it).

>>> source = test_source("tests/test_net.py::test_second_example_is_not_degenerate")
>>> source.startswith("def test_second_example_is_not_degenerate(")
True
>>> test_source("tests/test_net.py::test_nothing")
Traceback (most recent call last):
...
ValueError: 'tests/test_net.py::test_nothing' is not among the tests the pages cite (fcnet/site/guards.json); ...
"""

from __future__ import annotations

import html as _html
import json
from functools import cache
from pathlib import Path

__all__ = ["DATA", "test_source", "test_html"]

#: The shipped sources: ``{"tests": {nodeid: source}}``.
DATA = Path(__file__).with_name("guards.json")


@cache
def _load() -> dict[str, str]:
    return json.loads(DATA.read_text(encoding="utf-8"))["tests"]


def test_source(nodeid: str) -> str:
    """The source of a cited test function (for a parametrised id, the whole function)."""
    tests = _load()
    if nodeid not in tests:
        raise ValueError(
            f"{nodeid!r} is not among the tests the pages cite (fcnet/site/guards.json); "
            "cite it on a page, then run `python tests/make_guards.py`"
        )
    return tests[nodeid]


def test_html(*nodeids: str) -> str:
    """Each cited test as a collapsible block: its id once, in the summary, its source inside."""
    from .render import code_html

    return "".join(
        f'<details class="fcnet-test" data-test="{_html.escape(n)}"><summary>Guarded by '
        f"<code>{_html.escape(n)}</code></summary>{code_html(test_source(n))}</details>"
        for n in nodeids
    )


test_source.__test__ = test_html.__test__ = False  # helpers for pages, not tests, whatever pytest makes of the names
