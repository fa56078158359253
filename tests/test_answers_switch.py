"""``FCNET_ANSWERS``: the build switch that leaves the exercises' answers out (docs/hooks/site_hooks.py).

The site itself, built both ways, is checked in tests/test_site_answers.py; here the switch and the
rewrite of a notebook's text, which is what the build (and any cache keyed on that text) sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from notebooks import hook

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("mkdocs", reason="the hooks need the docs extra")
    return hook("site_hooks")


@pytest.mark.parametrize(("value", "on"), [(None, True), ("1", True), ("0", False), (" 0 ", False)])
def test_the_switch(hooks, monkeypatch, value, on):
    if value is None:
        monkeypatch.delenv("FCNET_ANSWERS", raising=False)
    else:
        monkeypatch.setenv("FCNET_ANSWERS", value)
    assert hooks.answers_on() is on


@pytest.mark.parametrize("value", ["no", "false", "2", ""])
def test_a_value_that_is_not_0_or_1_stops_the_build(hooks, monkeypatch, value):
    from mkdocs.exceptions import PluginError

    monkeypatch.setenv("FCNET_ANSWERS", value)
    with pytest.raises(PluginError, match="FCNET_ANSWERS is .*; expected 0 .*or 1"):
        hooks.answers_on()


@pytest.mark.parametrize(
    "page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.py") if "hooks" not in p.parts)
)
def test_every_page_that_renders_exercises_is_rewritten_whole(hooks, page):
    text = (DOCS / page).read_text(encoding="utf-8")
    out = hooks.without_answers(text)
    calls = text.count("exercises_html(")
    assert out.count("answers=False)") == calls
    assert out.replace(", answers=False)", ")") == text  # nothing else changes
    compile(out, page, "exec")


def test_a_call_it_cannot_read_stops_the_build(hooks):
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="could not be rewritten"):
        hooks.without_answers('show(exercises_html(pages("backprop")))')
    assert hooks.without_answers("exercises_html()") == "exercises_html(answers=False)"
