"""Planted gradient bugs, and the table of which check catches which.

The test cases of `fcnet.gradcheck.checks`, defined once for the tests and the site.
Each bug takes the correct ``grads`` of the notes' two-layer net and returns
what a plausible slip in the backward pass would have produced:

* a sign error in one entry, dW2[1, 2];
* a missing ½: ∂(½λ‖W‖²)/∂W taken as 2λW instead of λW, for W1 and W2;
* a transposed dW1 (in the planted problem W1 is square, H = D_in, so dW1ᵀ has the right shape;
  on any other net its shape is (D_in, H), not W1's (H, D_in)).

>>> params, X, y, reg = planted_problem()
>>> params["W1"].shape, sorted(PLANTED_BUGS)[0]
((4, 4), 'missing ½ in the L2 gradient')
>>> rows = bug_table(k=10, n_directions=2)
>>> [(r["bug"], r["full"].passed) for r in rows][:2]
[('none (correct gradient)', True), ('sign error in dW2[1, 2]', False)]
"""

from __future__ import annotations

from ..core.examples import random_example
from ..core.net import loss_and_grads
from .checks import directional_check, full_check, sparse_check

__all__ = ["planted_problem", "PLANTED_BUGS", "bug_table"]


def planted_problem(seed: int = 0):
    """A random two-layer problem with a square W1: N=5, D_in=H=4, C=3, λ=0.5.

    Returns ``(params, X, y, reg)`` as `fcnet.random_example` does.
    """
    return random_example(N=5, D_in=4, H=4, C=3, seed=seed, reg=0.5)


def _sign_error(params, grads, reg):
    W2 = grads["W2"].copy()
    # --8<-- [start:bug-sign]
    # the slip: one entry of dW2 with the wrong sign
    W2[1, 2] = -W2[1, 2]
    # --8<-- [end:bug-sign]
    return {**grads, "W2": W2}


def _missing_half(params, grads, reg):
    # --8<-- [start:bug-half]
    # the slip: ∂(½λ‖W‖²_F)/∂W taken without the ½, 2λW instead of λW: λW too much on each W
    bad = {k: g + reg * params[k] if k.startswith("W") else g for k, g in grads.items()}
    # --8<-- [end:bug-half]
    return bad


def _transposed_dW1(params, grads, reg):
    # --8<-- [start:bug-transpose]
    # the slip: dW1 = X δ1ᵀ instead of δ1 Xᵀ, i.e. (δ1 Xᵀ)ᵀ: W1's shape only when W1 is square (H = D_in)
    dW1 = grads["W1"].T.copy()
    # --8<-- [end:bug-transpose]
    return {**grads, "W1": dW1}


#: bug name -> ``bug(params, grads, reg) -> wrong grads`` (new dict, inputs untouched).
PLANTED_BUGS = {
    "sign error in dW2[1, 2]": _sign_error,
    "missing ½ in the L2 gradient": _missing_half,
    "transposed dW1": _transposed_dW1,
}


def bug_table(k: int = 10, n_directions: int = 2, seed: int = 0, problem_seed: int = 0) -> list[dict]:
    """Run the three checks on the correct gradient and on each planted bug.

    Parameters
    ----------
    k : int
        Entries drawn by `fcnet.gradcheck.checks.sparse_check`.
    n_directions : int
        Directions used by `fcnet.gradcheck.checks.directional_check`.
    seed : int
        Seed of the sparse draw and of the directions.
    problem_seed : int
        Seed of `planted_problem`.

    Returns
    -------
    rows : list of dict
        ``{"bug": name, "full": CheckReport, "sparse": ..., "directional": ...}``,
        the correct gradient first.
    """
    params, X, y, reg = planted_problem(problem_seed)
    _, grads = loss_and_grads(params, X, y, reg)
    f = lambda p: loss_and_grads(p, X, y, reg)[0]  # noqa: E731
    cases = {"none (correct gradient)": grads}
    cases.update({name: bug(params, grads, reg) for name, bug in PLANTED_BUGS.items()})
    return [
        {
            "bug": name,
            "full": full_check(f, params, g),
            "sparse": sparse_check(f, params, g, k=k, seed=seed),
            "directional": directional_check(f, params, g, n_directions=n_directions, seed=seed),
        }
        for name, g in cases.items()
    ]
