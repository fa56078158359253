"""Guards for the "What changed from the notes" page: the notes' removed habits stay removed.

Each rule scans fcnet's source with `ast` (so comments and docstrings that *mention* the old
API do not count) for one thing the notes did and fcnet must not.
"""

import ast
from pathlib import Path

import numpy as np
import pytest

import fcnet

FCNET = Path(fcnet.__file__).parent
SOURCES = sorted(FCNET.rglob("*.py"))
# modules that compute: they return values and never print (the CLI and the site render do print)
NUMERIC_CORE = sorted(p.relative_to(FCNET).with_suffix("").as_posix() for p in (FCNET / "core").glob("*.py")) + [
    "gradcheck/numerical",
    "site/snippets",
]


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)


def _calls(tree):
    """Dotted names of every call, e.g. 'F.sigmoid', 'pdb.set_trace', 'print'."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield ast.unparse(node.func)


def _keywords(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from (k.arg for k in node.keywords if k.arg)


RULES = {
    # rule id: (what the notes did, predicate on a parsed module -> list of offending names)
    "np.matlib": lambda t: (
        [n for n in _imports(t) if n.startswith("numpy.matlib")] + [c for c in _calls(t) if "matlib" in c]
    ),
    "scipy": lambda t: [n for n in _imports(t) if n.split(".")[0] == "scipy"],
    "pdb": lambda t: (
        [n for n in _imports(t) if n == "pdb"] + [c for c in _calls(t) if c in ("breakpoint", "pdb.set_trace")]
    ),
    "torch-Variable": lambda t: (
        [n for n in _imports(t) if n.endswith("autograd.Variable")]
        + [c for c in _calls(t) if c.split(".")[-1] == "Variable"]
    ),
    "size_average": lambda t: [k for k in _keywords(t) if k in ("size_average", "reduce")],
    "F.sigmoid": lambda t: [c for c in _calls(t) if c in ("F.sigmoid", "F.tanh", "torch.nn.functional.sigmoid")],
    "init.constant": lambda t: [
        c for c in _calls(t) if c.split(".")[-1] in ("constant", "normal", "uniform", "xavier_uniform") and "init" in c
    ],
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_fcnet_source_avoids(rule):
    found = {}
    for path in SOURCES:
        hits = RULES[rule](ast.parse(path.read_text(encoding="utf-8")))
        if hits:
            found[path.relative_to(FCNET.parent).as_posix()] = hits
    assert not found, f"{rule}: {found}"


@pytest.mark.parametrize("module", NUMERIC_CORE)
def test_numeric_core_never_prints(module):
    tree = ast.parse((FCNET / f"{module}.py").read_text(encoding="utf-8"))
    assert "print" not in set(_calls(tree)), f"fcnet/{module}.py calls print; return values instead"


def test_the_rules_catch_the_notes_own_code():
    # the rules can fail: the notes' lines trip each of them
    notes = ast.parse(
        "import pdb\nimport numpy.matlib\nimport scipy.linalg\nfrom torch.autograd import Variable\n"
        "x = Variable(X)\nloss = F.nll_loss(p, y, size_average=True)\nx = F.sigmoid(x)\n"
        "torch.nn.init.constant(m.bias, 1)\npdb.set_trace()\nz = np.matlib.repmat(b, N, 1)\n"
    )
    assert all(RULES[rule](notes) for rule in RULES), [r for r in RULES if not RULES[r](notes)]


def test_broadcast_bias_equals_the_notes_repmat(rng):
    # the notes: W1.dot(X) + np.matlib.repmat(b1, N, 1).T; fcnet: W @ X + b[:, None] (np.tile is repmat)
    W, X, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=4)
    z, _ = fcnet.affine_forward(W, X, b)
    np.testing.assert_array_equal(z, W.dot(X) + np.tile(b, (X.shape[1], 1)).T)
