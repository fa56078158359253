"""An assignment a teacher hands out: ``python -m fcnet assignment OUT/``.

`write_assignment` writes a folder in the manner of CS231n's assignments and
nbgrader's release version: ``my_net.py``, the starter (`generate.starter`:
the forward pass given, each backward step a TODO that names the derivation
to read and raises ``NotImplementedError``), ``test_my_net.py`` (the public
tests a student runs with pytest, the grader last), ``README.md`` for the
student, and for the teacher ``grade.sh`` (the batch grader, a CSV
gradebook) and ``run_autograder`` (Gradescope's ``results.json``).  The
reference solution is `generate.solution`, which a student's file never holds.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "hw"
>>> sorted(p.name for p in write_assignment(out))
['README.md', 'grade.sh', 'my_net.py', 'pytest.ini', 'run_autograder', 'test_my_net.py']
>>> write_assignment(out)
Traceback (most recent call last):
...
FileExistsError: ... is not empty; expected a new or empty folder (the assignment would overwrite what is there)
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .generate import LAYOUTS, TODOS, solution, starter

__all__ = ["LAYOUTS", "write_assignment", "starter", "solution"]

_LAYOUT_TEXT = {
    "columns": "the notes' layout: X is (D_in, N), one example per column; W1 is (H, D_in), W2 is (C, H)",
    "rows": "CS231n's layout: X is (N, D_in), one example per row; W1 is (D_in, H), W2 is (H, C)",
}

#: file written -> (template, executable)
_FILES = {
    "README.md": ("README.md.tmpl", False),
    "test_my_net.py": ("test_my_net.py.tmpl", False),
    "pytest.ini": ("pytest.ini.tmpl", False),
    "grade.sh": ("grade.sh.tmpl", True),
    "run_autograder": ("run_autograder.tmpl", True),
}


def _fill(template: str, layout: str) -> str:
    text = files(__package__).joinpath("templates", template).read_text(encoding="utf-8")
    for key, value in {"LAYOUT": layout, "LAYOUT_TEXT": _LAYOUT_TEXT[layout], "TODOS": str(len(TODOS))}.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def write_assignment(out, layout: str = "columns") -> list[Path]:
    """Write the assignment folder ``out`` (made if missing; it must be empty).

    Parameters
    ----------
    out : str or Path
        The folder to write.
    layout : {"columns", "rows"}
        "columns": the notes' (X is (D_in, N)); "rows": CS231n's (X is (N, D_in)).

    Returns
    -------
    written : list of Path
        The files, in the order written.

    Raises
    ------
    FileExistsError
        ``out`` exists and is not an empty folder: nothing is overwritten.
    ValueError
        An unknown layout.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout is {layout!r}; expected one of {LAYOUTS}")
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        what = "a file" if not out.is_dir() else "not empty"
        raise FileExistsError(
            f"{out} is {what}; expected a new or empty folder (the assignment would overwrite what is there)"
        )
    texts = {"my_net.py": starter(layout)} | {name: _fill(t, layout) for name, (t, _) in _FILES.items()}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        if _FILES.get(name, (None, False))[1]:
            path.chmod(0o755)
        written.append(path)
    return written
