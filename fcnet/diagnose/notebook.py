"""A Jupyter notebook as a script: its code cells, in order, in a temporary ``.py`` file.

The notebook's JSON is read with the standard library (nbformat 4: ``cells``,
each with ``cell_type`` and ``source``).  IPython's magics and shell escapes
(lines that start with ``%`` or ``!``) are commented out, since plain Python
cannot run them.  A file that is not such a notebook, or holds no code, is
refused with a `UsageError` that says what was found.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

from .sandbox import UsageError

__all__ = ["notebook_code", "notebook_as_script"]


def notebook_code(path) -> str:
    """The code cells of the notebook ``path``, in order, as one script.

    >>> import json, tempfile, pathlib
    >>> nb = {"cells": [{"cell_type": "markdown", "source": "# hi"},
    ...                 {"cell_type": "code", "source": ["%matplotlib inline\\n", "x = 1"]}], "nbformat": 4}
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.ipynb"
    >>> _ = f.write_text(json.dumps(nb))
    >>> print(notebook_code(f))
    # %matplotlib inline  (an IPython magic: not run)
    x = 1
    <BLANKLINE>
    """
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        cells = nb["cells"]
        sources = [c.get("source", "") for c in cells if c.get("cell_type") == "code"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(
            f"{path} is not a Jupyter notebook that can be read (nbformat 4, with 'cells'): "
            f"{type(exc).__name__}: {exc}; export it as a .py file (File > Download as > Python)"
        ) from None
    blocks = []
    for source in sources:
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = [
            f"# {line}  (an IPython magic: not run)" if line.lstrip().startswith(("%", "!")) else line
            for line in text.splitlines()
        ]
        blocks.append("\n".join(lines))
    if not any(b.strip() for b in blocks):
        raise UsageError(f"{path} is a notebook without code cells: nothing to run")
    return "\n\n".join(blocks) + "\n"


@contextlib.contextmanager
def notebook_as_script(path):
    """The notebook's code in a temporary ``.py`` file beside nothing else (removed afterwards); yields its path."""
    code = notebook_code(path)
    with tempfile.TemporaryDirectory(prefix="fcnet-notebook-") as tmp:
        script = Path(tmp) / (Path(path).stem.replace(" ", "_").replace("-", "_") + ".py")
        script.write_text(code, encoding="utf-8")
        yield script
