"""The notebook cache (docs/hooks/notebook_cache.py): a page runs again when, and only when, what it runs changes.

The end-to-end tests build a one-page site of their own (mkdocs-jupyter and the hook, as
mkdocs.yml has them) against a copy of the ``fcnet`` package, with a cache folder of their own:
an edit to a Markdown cell is rendered without executing the page again; an edit to
``fcnet/core/net.py`` executes it again and the page shows the new output; a cell that raises
fails ``mkdocs build --strict``.  The page prints its kernel's process id, so "executed again"
is read from the page itself.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from notebooks import DOCS, ROOT, hook

HOOK = DOCS / "hooks" / "notebook_cache.py"


@pytest.fixture(scope="module")
def cache():
    pytest.importorskip("mkdocs", reason="the hooks need the docs extra")
    return hook("notebook_cache")


def test_the_hooks_doctests_pass(cache):
    # docs/hooks is outside pytest's testpaths (it is build code, not in the wheel): run its doctests here
    result = doctest.testmod(cache, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 3


@pytest.mark.parametrize(
    "edit",
    ["fcnet/core/net.py", "fcnet/bench/results/new.json", "fcnet/site/guards.json", "fcnet/new_module.py"],
)
def test_every_file_of_the_package_is_part_of_the_key(cache, tmp_path, edit):
    # the package's code and its data (the results and the guards the pages read) alike; bytecode is not
    package = tmp_path / "fcnet"
    shutil.copytree(ROOT / "fcnet", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.package_digest(package)
    (package / "core" / "__pycache__").mkdir(exist_ok=True)
    (package / "core" / "__pycache__" / "net.cpython-311.pyc").write_bytes(b"bytecode")
    assert cache.package_digest(package) == before
    path = tmp_path / edit
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + "\n# edited\n", encoding="utf-8")
    assert cache.package_digest(package) != before


def test_the_key_names_the_versions_of_the_packages_that_run_and_render_the_pages(cache):
    versions = cache.versions()
    assert sys.version in versions
    for name in ("ipykernel", "nbclient", "nbconvert", "jupytext", "mkdocs-jupyter", "numpy", "matplotlib"):
        assert re.search(rf"{re.escape(name)}=\d", versions), name


def test_the_outputs_go_back_into_the_page_as_it_is_now(cache):
    import nbformat

    v4 = nbformat.v4
    now = v4.new_notebook(cells=[v4.new_markdown_cell("New prose"), v4.new_code_cell("1 + 1"), v4.new_code_cell("2")])
    ran = v4.new_notebook(cells=[v4.new_markdown_cell("Old prose"), v4.new_code_cell("1 + 1"), v4.new_code_cell("2")])
    ran.cells[1].outputs = [v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    ran.cells[1].execution_count = 1
    merged = cache.merge_outputs(now, ran)
    assert merged.cells[0].source == "New prose"
    assert merged.cells[1].outputs[0]["data"]["text/plain"] == "2" and merged.cells[1].execution_count == 1
    assert merged.cells[2].outputs == [] and now.cells[1].outputs == []  # the page itself is left alone


# --- end to end: a one-page site, built again after each edit -------------------------------------------------


def _notebook(*sources):
    import nbformat

    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in sources])


@pytest.mark.processes
def test_pages_execute_beside_the_build_and_a_failure_names_every_page_that_failed(cache):
    from mkdocs.exceptions import PluginError

    finished = []
    jobs = {
        "good.py": _notebook("x = 6 * 7", "print(x)"),
        "bad.py": _notebook('raise RuntimeError("planted in bad")'),
        "worse.py": _notebook("1 / 0"),
    }
    execution = cache.Execution(jobs, "python3", workers=2, done=lambda name, nb: finished.append(name))
    # the page that ran cleanly is there on its own, its outputs in it, and `done` saw it (and only it)
    good = execution.result("good.py")
    assert good.cells[1].outputs[0]["text"] == "42\n"
    # a page that failed: its result, and every page's, is an error naming both failed pages and their errors
    for ask in (lambda: execution.result("bad.py"), execution.results):
        with pytest.raises(PluginError) as failed:
            ask()
        report = str(failed.value)
        assert "bad.py" in report and "planted in bad" in report, report
        assert "worse.py" in report and "ZeroDivisionError" in report, report
        assert "good.py" not in report and "allow_errors: false" in report
    assert finished == ["good.py"]
    assert not execution.thread.is_alive() and set(execution.seconds) == {"good.py"}


PAGE = """# %% [markdown]
# # The page
#
# {prose}

# %%
import os

import fcnet.core.net as net

print("marker:", getattr(net, "MARKER", "unedited"), "kernel:", os.getpid())
print("folder:", os.listdir(), "copy:", net.__file__.startswith(os.environ["PYTHONPATH"]))
"""

MKDOCS_YML = f"""site_name: cache test
strict: true
theme: mkdocs
nav:
  - Page: page.py
hooks:
  - {HOOK}
plugins:
  - mkdocs-jupyter:
      include: ["*.py"]
      execute: true
      allow_errors: false
      cache: false
"""


class Project:
    """A one-page site whose page imports a copy of fcnet (first on the kernel's path), with a cache of its own."""

    def __init__(self, root: Path):
        self.root = root
        self.package = root / "src" / "fcnet"
        shutil.copytree(ROOT / "fcnet", self.package, ignore=shutil.ignore_patterns("__pycache__"))
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        self.write_page("Prose, first version.")

    def write_page(self, prose: str, extra: str = "") -> None:
        (self.root / "docs" / "page.py").write_text(PAGE.format(prose=prose) + extra, encoding="utf-8")

    def build(self, answers: bool = True) -> tuple[int, str, str]:
        """``mkdocs build --strict``: its exit code, its log and the page's HTML ("" when it failed);
        ``answers=False``: the answer-free build's cache (``FCNET_ANSWERS=0``)."""
        env = dict(
            os.environ,
            NO_MKDOCS_2_WARNING="1",
            FCNET_ANSWERS="1" if answers else "0",
            PYTHONPATH=str(self.root / "src"),  # the build and its kernels import the copy
            FCNET_NOTEBOOK_CACHE=str(self.root / "cache"),
        )
        site = self.root / "site"
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        page = site / "page" / "index.html"
        return proc.returncode, proc.stdout + proc.stderr, page.read_text(encoding="utf-8") if page.exists() else ""


def _output(html: str) -> tuple[str, str]:
    """The page's printed marker and kernel id."""
    found = re.search(r"marker: (\w+) kernel: (\d+)", html)
    assert found, html[-3000:]
    return found.group(1), found.group(2)


@pytest.mark.site
def test_a_page_is_executed_again_when_and_only_when_what_it_runs_changes(tmp_path):
    project = Project(tmp_path)
    code, log, html = project.build()
    assert code == 0, log[-5000:]
    assert "1 executed, 0 from the cache" in log
    marker, kernel = _output(html)
    assert marker == "unedited" and "Prose, first version." in html
    # as a reader's download runs: in an empty folder, fcnet from where the environment puts it first
    assert "folder: [] copy: True" in html, html[-3000:]
    assert f"fcnet from {project.package}" in log
    # no warning of any kind: the kernels talk over IPC, so none warns about TCP without encryption
    assert not [line for line in log.splitlines() if "warning" in line.lower()], log

    # an edit to a Markdown cell: the page shows it, from the cached outputs (the same kernel's id)
    project.write_page("Prose, second version.")
    code, log, html = project.build()
    assert code == 0, log[-5000:]
    assert "0 executed, 1 from the cache" in log
    assert "Prose, second version." in html and "Prose, first version." not in html
    assert _output(html) == ("unedited", kernel)

    # an edit to the package the page imports: executed again, by a new kernel, and the page shows the new output
    net = project.package / "core" / "net.py"
    net.write_text(net.read_text(encoding="utf-8") + '\nMARKER = "edited"\n', encoding="utf-8")
    code, log, html = project.build()
    assert code == 0, log[-5000:]
    assert "1 executed, 0 from the cache" in log
    marker, new_kernel = _output(html)
    assert marker == "edited" and new_kernel != kernel
    # what the cache holds: this state's executed notebook, the older one evicted
    assert len(list((tmp_path / "cache").glob("*.ipynb"))) == 1

    # the answer-free build runs the same code (the page renders no exercise): it finds the page in the default
    # build's cache and stores nothing in its own, and the default build keeps its entry
    code, log, html = project.build(answers=False)
    assert code == 0, log[-5000:]
    assert "0 executed, 1 from the cache" in log and _output(html) == ("edited", new_kernel)
    assert not list((tmp_path / "cache-answer-free").glob("*.ipynb"))
    assert len(list((tmp_path / "cache").glob("*.ipynb"))) == 1


@pytest.mark.site
def test_a_failing_cell_fails_the_strict_build_and_is_not_cached(tmp_path):
    project = Project(tmp_path)
    project.write_page("Prose.", extra='\n# %%\nraise RuntimeError("a planted failure")\n')
    code, log, _ = project.build()
    assert code != 0
    assert "page.py" in log and "a planted failure" in log and "allow_errors: false" in log
    assert not list((tmp_path / "cache").glob("*.ipynb"))
    # and again: a failure is never served from the cache
    code, log, _ = project.build()
    assert code != 0 and "a planted failure" in log


EXERCISES_PAGE = """# %% [markdown]
# # Exercises

# %%
from fcnet.site import show
from fcnet.site.exercises import exercises_html

print("before the exercises")

# %%
show(exercises_html("forward", heading=None))

# %%
print("after the exercises")
"""


def _parsed(html: str) -> list:
    """The tags (their attributes in any order), text and entities of ``html``: what a browser reads from it."""
    from html.parser import HTMLParser

    events = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            events.append((tag, sorted(attrs)))

        def handle_endtag(self, tag):
            events.append(("/" + tag,))

        def handle_data(self, data):
            events.append(data)

    Parser(convert_charrefs=True).feed(html)
    return events


def _exercises(html: str) -> str:
    found = re.search(r'<section class="fcnet-exercises".*?</section>', html, re.S)
    assert found, html[-3000:]
    return found.group(0)


@pytest.mark.site
def test_the_default_build_executes_the_answer_free_page_too_so_that_build_executes_nothing(tmp_path):
    from fcnet.site.exercises import exercises_html, without_answers

    project = Project(tmp_path)
    page = project.root / "docs" / "page.py"
    page.write_text(EXERCISES_PAGE, encoding="utf-8")
    code, log, html = project.build()
    assert code == 0, log[-5000:]
    assert "1 executed, 0 from the cache" in log and "summary>Answer" in _exercises(html)
    assert len(list((tmp_path / "cache-answer-free").glob("*.ipynb"))) == 1  # the twin, stored beside

    # the answer-free build reads the page as the site's hook rewrites it: it executes nothing, and shows no answer
    page.write_text(without_answers(EXERCISES_PAGE), encoding="utf-8")
    code, log, from_twin = project.build(answers=False)
    assert code == 0, log[-5000:]
    assert "0 executed, 1 from the cache" in log
    questions = _exercises(from_twin)
    assert "Answer" not in questions and questions.count("data-exercise=") == _exercises(html).count("data-exercise=")
    assert "before the exercises" in from_twin and "after the exercises" in from_twin

    # and they are the questions as a kernel of the answer-free build renders them
    assert _parsed(questions) == _parsed(exercises_html("forward", heading=None, answers=False))


def test_the_site_executes_through_the_hook_as_mkdocs_yml_says(cache):
    # the hook is listed before the other hooks, and takes mkdocs-jupyter's execute/allow_errors settings
    from notebooks import mkdocs_config

    config = mkdocs_config()
    assert list(config["hooks"])[0] == "docs/hooks/notebook_cache.py"
    jupyter = config["plugins"]["mkdocs-jupyter"].config
    assert jupyter["execute"] is True and jupyter["allow_errors"] is False
    assert jupyter["cache"] is False  # its own cache would not see an edit to fcnet
    assert json.dumps(jupyter["ignore"]) == '["hooks/*.py", "*.md"]'  # build code, and the plain Markdown pages
