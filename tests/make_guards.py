"""Write fcnet/site/guards.json: every test a page under docs/ cites, with its source from tests/.

A page cites a test by writing its id, or through a registry it renders: `REGISTRIES` are the
modules of fcnet/site whose records name tests (the corrections on *What changed*).

Run ``python tests/make_guards.py`` after citing a test on a page or changing a cited test;
``tests/test_site_guards.py`` fails until the shipped file equals what this makes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fcnet.site.guards import DATA  # noqa: E402
from fcnet.site.render import def_source  # noqa: E402

#: A test id as pages write it: tests/test_x.py::test_name or tests/test_x.py::test_name[param]
NODEID = re.compile(r"tests/test_\w+\.py::test_\w+(?:\[[^\]\"']+\])?")


#: Registries in fcnet/site whose records cite tests, rendered by the pages.
REGISTRIES = ("fcnet/site/corrections.py",)


def cited(root: Path = ROOT) -> list[str]:
    """The test ids written anywhere in the pages (notebooks and markdown) under docs/, or in `REGISTRIES`."""
    found = set()
    for page in sorted((root / "docs").rglob("*")):
        if page.suffix in (".py", ".md") and "hooks" not in page.relative_to(root / "docs").parts:
            found.update(NODEID.findall(page.read_text(encoding="utf-8")))
    for registry in REGISTRIES:
        found.update(NODEID.findall((root / registry).read_text(encoding="utf-8")))
    return sorted(found)


def guards_json(root: Path = ROOT) -> str:
    """The file's text: ``{"tests": {nodeid: source of the test function}}``, sorted, one newline at the end."""
    tests = {n: def_source(n.partition("::")[0], n.partition("::")[2].split("[")[0]) for n in cited(root)}
    data = {"made_by": "python tests/make_guards.py", "tests": tests}
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    DATA.write_text(guards_json(), encoding="utf-8")
    print(f"wrote {len(cited())} cited tests to {DATA.relative_to(ROOT)}")
