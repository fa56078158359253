"""fcnet/site/guards.json, the tests the pages cite, is current: equal to what tests/ holds now."""

import json

import pytest
from make_guards import NODEID, cited, guards_json

from fcnet.site.guards import DATA, test_html, test_source


def test_the_shipped_file_is_current():
    assert DATA.read_text(encoding="utf-8") == guards_json(), "run `python tests/make_guards.py`"


def test_every_cited_test_is_shipped_and_nothing_else():
    shipped = json.loads(DATA.read_text(encoding="utf-8"))["tests"]
    assert sorted(shipped) == cited() and len(shipped) >= 20


def test_pytest_collects_every_cited_id(collected_ids):
    # a parametrised id such as test_fcnet_source_avoids[np.matlib] exists only if pytest makes it
    ids = cited()
    collected = collected_ids({n.partition("::")[0] for n in ids})
    # an id without [...] names every parametrisation of the function, as `pytest ID` runs them all
    collected |= {n.partition("[")[0] for n in collected}
    assert not [n for n in ids if n not in collected]


def test_a_test_that_is_not_cited_is_a_clear_error():
    with pytest.raises(ValueError, match=r"is not among the tests the pages cite .*make_guards"):
        test_source("tests/test_net.py::test_nothing_by_this_name")


def test_the_html_names_each_test_once_with_its_source():
    nodeid = "tests/test_net.py::test_second_example_is_not_degenerate"
    html = test_html(nodeid)
    assert html.count(nodeid) == 2  # the data-test attribute and the summary; the source names only the function
    assert html.startswith('<details class="fcnet-test"') and "second_example" in html


def test_node_ids_are_found_as_pages_write_them():
    text = 'show(test_html("tests/test_x.py::test_a[b.c]", "tests/test_y.py::test_d"))'
    assert NODEID.findall(text) == ["tests/test_x.py::test_a[b.c]", "tests/test_y.py::test_d"]
