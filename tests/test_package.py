"""The package boundary: the public API, and a core that imports only NumPy."""

import subprocess
import sys

import fcnet


def test_all_names_exist_and_are_documented():
    for name in fcnet.__all__:
        obj = getattr(fcnet, name)
        assert obj.__doc__ and obj.__doc__.strip(), name


def test_import_fcnet_pulls_in_neither_torch_nor_sympy():
    code = "import sys, fcnet; print(sorted(m for m in ('torch', 'sympy', 'scipy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
