"""The witnesses: one worked example computed several independent ways.

``python -m fcnet example`` prints this report.  Each witness maps
``(params, X, y, reg)`` to ``(loss, grads)``; the report gives every
witness's numbers and, for every pair, how far apart they are.

>>> r = example_report("second", witnesses=("numpy", "finite_differences"))
>>> sorted(r["witnesses"])
['finite_differences', 'numpy']
>>> r["agreement"][0]["norm_rel_error"] < 1e-8
True
"""

from __future__ import annotations

import importlib.util
from itertools import combinations

import numpy as np

from ..core.examples import EXAMPLES
from ..core.net import loss_and_grads
from ..core.params import KEYS
from ..gradcheck.numerical import norm_rel_error, numerical_gradients, rel_error

__all__ = ["EXAMPLES", "WITNESSES", "example_report", "format_report"]


def _numpy(params, X, y, reg):
    return loss_and_grads(params, X, y, reg)


def _finite_differences(params, X, y, reg):
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    loss = lambda p: loss_and_grads(p, X, y, reg)[0]  # noqa: E731
    return loss(params), numerical_gradients(loss, params)


def _torch(params, X, y, reg):
    from .torch_net import torch_loss_and_grads

    return torch_loss_and_grads(params, X, y, reg)


def _sympy(params, X, y, reg):
    from .sympy_exact import sympy_witness

    return sympy_witness(params, X, y, reg)  # (loss, grads, exact decimal strings)


#: name -> (callable, the module it needs or None); the order is the report's.
#: A witness returns (loss, grads) or (loss, grads, exact), exact a JSON-ready dict.
WITNESSES = {
    "numpy": (_numpy, None),
    "torch": (_torch, "torch"),
    "finite_differences": (_finite_differences, None),
    "sympy": (_sympy, "sympy"),
}


def _flat(grads):
    return np.concatenate([np.ravel(grads[k]) for k in KEYS])


def example_report(which: str = "seed", witnesses=None) -> dict:
    """Compute one worked example with every available witness.

    Parameters
    ----------
    which : {"seed", "second"}
        The notes' example or the non-degenerate one.
    witnesses : sequence of str, optional
        Names from `WITNESSES`; default all whose module is installed.

    Returns
    -------
    report : dict
        ``"example"``, ``"witnesses"`` (name -> ``{"loss", "grads"}``),
        ``"skipped"`` (name -> reason) and ``"agreement"``: for each pair,
        the norm-relative error of the whole gradient, per parameter, and
        CS231n's entry-wise `rel_error`.
    """
    if not isinstance(which, str) or which not in EXAMPLES:
        raise ValueError(f"which is {which!r}; expected one of {sorted(EXAMPLES)}")
    if isinstance(witnesses, str):
        raise TypeError(f"witnesses is a str ({witnesses!r}); expected a list of names, e.g. [{witnesses!r}]")
    names = list(WITNESSES) if witnesses is None else list(witnesses)
    unknown = [n for n in names if n not in WITNESSES]
    if unknown:
        raise ValueError(f"witnesses has unknown names {unknown}; expected names from {list(WITNESSES)}")
    params, X, y, reg = EXAMPLES[which]()
    results, skipped = {}, {}
    for name in names:
        fn, needs = WITNESSES[name]
        if needs and importlib.util.find_spec(needs) is None:
            skipped[name] = f"{needs} is not installed"
            continue
        loss, grads, *exact = fn(params, X, y, reg)
        results[name] = {"loss": float(loss), "grads": {k: np.asarray(g, dtype=np.float64) for k, g in grads.items()}}
        if exact:
            results[name]["exact"] = exact[0]
    agreement = []
    for a, b in combinations(results, 2):
        ga, gb = results[a]["grads"], results[b]["grads"]
        agreement.append(
            {
                "a": a,
                "b": b,
                "loss_abs_error": abs(results[a]["loss"] - results[b]["loss"]),
                "norm_rel_error": norm_rel_error(_flat(ga), _flat(gb)),
                "per_parameter": {k: norm_rel_error(ga[k], gb[k]) for k in ga},
                "rel_error": rel_error(_flat(ga), _flat(gb)),
            }
        )
    shapes = {"N": X.shape[1], "D_in": X.shape[0], "H": params["W1"].shape[0], "C": params["W2"].shape[0]}
    return {
        "example": which,
        "shapes": shapes,
        "reg": reg,
        "witnesses": results,
        "skipped": skipped,
        "agreement": agreement,
    }


def to_json(report: dict) -> dict:
    """The report with arrays as nested lists, ready for ``json.dumps``."""
    out = dict(report)
    out["witnesses"] = {
        n: {"loss": w["loss"], "grads": {k: g.tolist() for k, g in w["grads"].items()}}
        | ({"exact": w["exact"]} if "exact" in w else {})
        for n, w in report["witnesses"].items()
    }
    return out


def format_report(report: dict) -> str:
    """The report as text: each witness's loss and gradients, then the errors."""
    s = report["shapes"]
    lines = [
        f"Worked example {report['example']!r}: N={s['N']}, D_in={s['D_in']}, H={s['H']}, C={s['C']}, "
        f"reg={report['reg']}"
    ]
    with np.printoptions(precision=10, suppress=False, linewidth=100):
        for name, w in report["witnesses"].items():
            lines += ["", f"== {name} ==", f"loss = {w['loss']!r}"]
            if "exact" in w:
                lines.append(f"loss (exact, {w['exact']['digits']} digits) = {w['exact']['loss']}")
            for k, g in w["grads"].items():
                lines += [f"d{k} =", str(g)]
    for name, why in report["skipped"].items():
        lines += ["", f"== {name} == skipped: {why}"]
    lines += ["", "Agreement (norm-relative ‖a−b‖/max(‖a‖,‖b‖) of the whole gradient; CS231n rel_error beside):"]
    for p in report["agreement"]:
        lines.append(
            f"  {p['a']:>18} vs {p['b']:<18} norm-rel {p['norm_rel_error']:.3e}   rel_error {p['rel_error']:.3e}"
            f"   |Δloss| {p['loss_abs_error']:.3e}"
        )
    return "\n".join(lines)
