"""The release: fcnet's version, its date and the site's address, each said in one place.

Everything that shows a version reads `__version__` from here: ``fcnet.__version__``, the wheel's
metadata (``pyproject.toml`` reads this file), ``python -m fcnet --version``, the site's footer, the
BibTeX entries and the title page of the derivations' PDF; ``CITATION.cff`` and ``CHANGELOG.md``
repeat it and a test keeps them equal (``tests/test_release.py``).

The site's public address is a build setting, the environment variable ``FCNET_SITE_URL``
(``mkdocs.yml`` reads it for ``site_url``); unset or empty, nothing anywhere names an address.

>>> __version__.count("."), len(DATE)
(2, 10)
>>> site_url({"FCNET_SITE_URL": "https://example.org/fcnet"}), site_url({})
('https://example.org/fcnet/', '')
"""

from __future__ import annotations

import os

__all__ = ["__version__", "DATE", "SITE_URL_VARIABLE", "site_url"]

__version__ = "0.1.0"

#: The day this version was released (ISO 8601), as in CITATION.cff and CHANGELOG.md.
DATE = "2026-11-27"

#: The environment variable that holds the site's public address.
SITE_URL_VARIABLE = "FCNET_SITE_URL"


def site_url(environ=None) -> str:
    """The site's public address from ``FCNET_SITE_URL``, ending in ``/``; ``""`` when it is not set."""
    url = (os.environ if environ is None else environ).get(SITE_URL_VARIABLE, "").strip()
    return url.rstrip("/") + "/" if url else ""
