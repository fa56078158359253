"""The package boundary: the public API, the layout, and a core that imports only NumPy.

The import graph is read from the source with `ast`, every import included (those inside
functions too), so a lazy import cannot hide a cycle or a heavy dependency.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import fcnet

FCNET = Path(fcnet.__file__).parent
MODULES = {
    ".".join(p.relative_to(FCNET.parent).with_suffix("").parts).removesuffix(".__init__"): p
    for p in sorted(FCNET.rglob("*.py"))
}
HEAVY = ("torch", "sympy", "scipy", "sklearn", "mkdocs", "matplotlib", "IPython", "mpmath")


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def imports_of(module: str) -> set[str]:
    """Every module that ``module`` imports anywhere in its source, as absolute names."""
    out = set()
    package = module if _is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            out.add(target)
            # `from pkg import submodule` imports the submodule
            out.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES)
    return out


def test_all_names_exist_and_are_documented():
    for name in fcnet.__all__:
        obj = getattr(fcnet, name)
        assert obj.__doc__ and obj.__doc__.strip(), name


@pytest.mark.parametrize(
    "name", ["save_params", "load_params", "ParamsFileError", "SGD", "train", "predict", "accuracy", "init_params"]
)
def test_the_public_api_includes_training(name):
    assert name in fcnet.__all__ and callable(getattr(fcnet, name))


def test_import_fcnet_loads_no_heavy_dependency():
    code = f"import sys, fcnet; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _subpackage(name: str) -> list[str]:
    return [m for m in MODULES if m == name or m.startswith(f"{name}.")]


def _outside(module: str, allowed: list[str]) -> set[str]:
    """What ``module`` imports beyond the standard library, NumPy and the modules ``allowed``."""
    return {
        t
        for t in imports_of(module)
        if not (t.split(".")[0] in sys.stdlib_module_names or t.split(".")[0] == "numpy" or t in allowed)
    }


def test_the_core_and_the_engine_import_only_numpy_the_standard_library_and_each_other():
    core, engine = _subpackage("fcnet.core"), _subpackage("fcnet.engine")
    assert "fcnet.core.net" in core and "fcnet.engine.net" in engine
    found = {m: sorted(bad) for m in core + engine if (bad := _outside(m, core + engine))}
    assert not found, f"the NumPy core and engine import beyond NumPy and the standard library: {found}"


def test_only_the_nets_doors_call_the_engine_and_the_engine_never_calls_a_door():
    # the chapter (layers, losses, activations, checks) reads without the engine; the public doors
    # fcnet.core.net and fcnet.core.mlp check their arguments, then run the engine, which runs on checked input
    core, engine = _subpackage("fcnet.core"), _subpackage("fcnet.engine")
    callers = sorted(m for m in core if imports_of(m) & set(engine))
    assert callers == ["fcnet.core.mlp", "fcnet.core.net"]
    assert not {t for m in engine for t in imports_of(m)} & {"fcnet.core.net", "fcnet.core.mlp", "fcnet.core.overflow"}


def _cycles() -> list[list[str]]:
    graph = {m: sorted(t for t in imports_of(m) if t in MODULES and t != m) for m in MODULES}
    cycles, state = [], {}

    def visit(m, path):
        state[m] = "open"
        for t in graph[m]:
            if state.get(t) == "open":
                cycles.append(path[path.index(t) :] + [t])
            elif t not in state:
                visit(t, path + [t])
        state[m] = "done"

    for m in graph:
        if m not in state:
            visit(m, [m])
    return cycles


def test_no_import_cycle_function_level_imports_included():
    # a package's __init__ re-exporting its submodules is not a cycle unless a submodule imports the
    # package back; every other edge counts
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    # the finder can fail: a planted edge back from the bench targets to the race is a cycle
    real = imports_of

    def planted(module):
        return real(module) | ({"fcnet.bench.race"} if module == "fcnet.bench.targets" else set())

    monkeypatch.setitem(globals(), "imports_of", planted)
    assert any("fcnet.bench.targets" in c for c in _cycles())


def test_at_most_six_loose_modules_at_the_top_level():
    loose = sorted(p.name for p in FCNET.glob("*.py"))
    assert len(loose) <= 6, loose


def test_build_tooling_is_not_in_the_wheel():
    assert not any("mkdocs" in imports_of(m) or any(t.startswith("mkdocs") for t in imports_of(m)) for m in MODULES)
