"""MkDocs hook (mkdocs.yml ``hooks:``): ``mkdocs build`` exits without the interpreter's last garbage collections.

When a build has written the site, the objects it leaves behind (compiled templates, parsed pages, notebooks,
the API page's object tree) are freed by the collections the interpreter runs as it exits: half a second of
a five-second rebuild.  At the end of ``mkdocs build`` (`on_shutdown`), `gc.freeze` moves them out of the
collector's sight and the process exits without walking them; the site's files are written and closed by
then, and ``atexit`` handlers still run.  ``mkdocs serve`` goes on building, so it is left as it is.
"""

from __future__ import annotations

import gc

__all__ = ["on_startup", "on_shutdown"]

_command: list[str] = []


def on_startup(command, dirty):
    _command[:] = [command]


def on_shutdown():
    if _command == ["build"]:
        gc.freeze()
