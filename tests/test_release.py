"""One version, said in one place (`fcnet.release`), and everything that shows it agrees; the changelog.

``fcnet.__version__``, the installed metadata, ``python -m fcnet --version``, the site's footer,
CITATION.cff and CHANGELOG.md must name the same version; the student pages speak of the subject
only (their history is in CHANGELOG.md); the site's address is one build setting.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from notebooks import hook

import fcnet
from fcnet import release
from fcnet.site.corrections import CORRECTIONS

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
STUDENT_PAGES = sorted(p for p in (ROOT / "docs").rglob("*") if p.suffix in (".py", ".md") and "hooks" not in p.parts)


def test_every_place_reads_the_one_version():
    assert fcnet.__version__ is release.__version__
    assert importlib.metadata.version("fcnet") == release.__version__
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["version"], str(cff["date-released"])) == (release.__version__, release.DATE)


def test_the_version_is_written_in_one_module_only():
    literal = re.compile(rf"""["']{re.escape(release.__version__)}["']""")
    written = [p.relative_to(ROOT).as_posix() for p in (ROOT / "fcnet").rglob("*.py") if literal.search(p.read_text())]
    assert written == ["fcnet/release.py"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]  # read from fcnet/release.py


def test_the_command_line_says_its_version():
    run = subprocess.run([sys.executable, "-m", "fcnet", "--version"], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout.strip()) == (0, f"fcnet {release.__version__}")


def _hooks():
    return hook("site_hooks")


@pytest.mark.parametrize("url", ["", "https://example.org/fcnet/"])
def test_the_site_footer_names_the_version_and_site_url_is_the_one_setting(url, monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.setenv("FCNET_SITE_URL", url)
    config = _hooks().on_config(load_config(str(ROOT / "mkdocs.yml")))
    assert config.copyright.startswith(f"fcnet {release.__version__}. MIT licence")
    assert (config.site_url or "") == url and release.site_url() == url


def test_the_changelog_keeps_a_changelog():
    headings = re.findall(r"^## \[([^]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", CHANGELOG, re.M)
    assert CHANGELOG.startswith("# Changelog") and headings[0] == ("Unreleased", "")
    assert (release.__version__, release.DATE) in headings
    for section in re.findall(r"^### (.+)$", CHANGELOG, re.M):
        assert section in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"), section


@pytest.mark.parametrize("correction", [c for c in CORRECTIONS if c.kind == "site"], ids=lambda c: c.id)
def test_what_the_site_used_to_say_is_in_the_changelog(correction):
    assert f"**{correction.title}.**" in CHANGELOG


@pytest.mark.parametrize("page", STUDENT_PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_student_pages_speak_of_the_subject_not_of_earlier_builds(page):
    text = page.read_text(encoding="utf-8")
    for history in ("Errata", "used to say", "previous benchmark", "earlier version", "this site said"):
        assert history.lower() not in text.lower(), (page.name, history)
    assert 'corrections_html("site"' not in text
