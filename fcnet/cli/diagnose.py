"""``python -m fcnet diagnose PATH... [--json] [--strict] [--layout rows] [--csv FILE] [--gradescope PATH] ...``.

Runs each student's ``loss_and_grads(params, X, y, reg) -> (loss, grads)``
in a child process on every probe.  PATH is a file (``.py``, or a
``.ipynb`` read as its code cells) or a folder (its ``*.py`` files); several
are graded ``--jobs`` at a time.  One file: the report (or, with ``--json``,
one JSON object).  Several: one line per file (or one JSON object holding
each file's).  ``--csv`` writes a gradebook, ``--gradescope`` Gradescope's
``results.json``.  Under ``--json`` every outcome prints a JSON object, a
usage error one with ``"error"``.  Exit status 0 when every file passed, 1
when any failed (or, among several, could not be graded), 2 for a usage
error: a bad flag, no such file or folder, or a single file that cannot be
diagnosed (no such function, it does not import), 3 for an internal error of
fcnet's own, and 130, 143 or 129 after SIGINT, SIGTERM or SIGHUP (every child
process tree ended, every temporary folder removed).  Every line prints in the
terminal's encoding (ASCII names such as ``lambda`` where it has no λ).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

__all__ = ["add_arguments", "run"]


def _error_json(message: str, file=None, seconds: float = 0.0) -> str:
    """The JSON object of an outcome without a diagnosis (a usage error, a file that does not import)."""
    from ..diagnose.batch import Graded

    return json.dumps(Graded(file, None, message, seconds).to_json(), indent=2, ensure_ascii=False)


def _json_errors(parser) -> None:
    """Make ``parser`` print a JSON object with "error" (as well as its usage line) when ``--json`` is given,
    and treat an unrecognised argument as its own error (not the main parser's)."""
    parse_known_args, error = parser.parse_known_args, parser.error

    def parse(args=None, namespace=None):
        parser._fcnet_json = args is not None and "--json" in args
        ns, extras = parse_known_args(args, namespace)
        if extras:
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        return ns, extras

    def fail(message):
        if getattr(parser, "_fcnet_json", False):
            print(_error_json(f"usage error: {message}"))
        error(message)

    parser.parse_known_args, parser.error = parse, fail


def add_arguments(parser) -> None:
    from ..diagnose.batch import VISIBILITIES
    from ..diagnose.calls import LAYOUTS
    from ..diagnose.limits import LIMITS
    from .args import int_in, real_in

    _json_errors(parser)
    parser.add_argument(
        "path",
        nargs="+",
        help="Python files defining loss_and_grads(params, X, y, reg) -> (loss, grads), notebooks, or folders of them",
    )
    parser.add_argument("--function", default="loss_and_grads", metavar="NAME", help="the function to diagnose")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the report")
    (t_low, t_high), (m_low, m_high) = LIMITS["timeout"], LIMITS["memory_mb"]
    seconds, mib = real_in(t_low, t_high, low_open=True), real_in(m_low, m_high)
    parser.add_argument("--timeout", type=seconds, default=10.0, metavar="S", help="seconds for all the calls")
    parser.add_argument("--memory", type=mib, default=1024.0, metavar="MIB", help="memory limit, MiB")
    parser.add_argument("--strict", action="store_true", help="fail a file that is unstable at extreme logits")
    parser.add_argument(
        "--rtol",
        type=real_in(0, 1, low_open=True, high_open=True),
        default=None,
        metavar="R",
        help="tolerance, relative to each entry's roundoff scale (default: 1e-8, or 1e-4 for float32 results)",
    )
    parser.add_argument(
        "--layout", choices=LAYOUTS, default="columns", help="columns: the notes' (X is (D_in, N)); rows: CS231n's"
    )
    parser.add_argument("--jobs", type=int_in(1, 1024), default=None, metavar="N", help="files at once (default: CPUs)")
    parser.add_argument("--csv", metavar="FILE", help="write one row per file: score, and each entry's causes")
    parser.add_argument(
        "--gradescope",
        metavar="PATH",
        help="write Gradescope's results.json: PATH itself for one file, PATH/<stem>.json for several",
    )
    parser.add_argument(
        "--visibility", choices=VISIBILITIES, default="visible", help="the Gradescope tests' visibility"
    )


def _gradescope_paths(graded, target: str, several: bool) -> list[Path]:
    if not several:
        return [Path(target)]
    out, seen = [], set()
    for g in graded:
        stem = Path(g.file).stem
        name, n = stem, 1
        while name in seen:  # two files with one stem, from two folders
            n += 1
            name = f"{stem}-{n}"
        seen.add(name)
        out.append(Path(target) / f"{name}.json")
    return out


def run(args) -> int:
    """Grade; SIGINT, SIGTERM or SIGHUP ends every child tree, removes its folder and exits 130, 143 or 129."""
    import signal

    from ..diagnose import sandbox

    def stop(signum, frame):
        sandbox.interrupt(signum)
        raise sandbox.Interrupted(signum)

    sandbox.reset()
    caught = (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None))
    previous = {}
    try:
        for sig in filter(None, caught):
            with contextlib.suppress(ValueError):  # not the main thread: the caller handles signals
                previous[sig] = signal.signal(sig, stop)
        return _run(args)
    except sandbox.Interrupted as exc:
        sandbox.interrupt(exc.signum)
        print(f"fcnet diagnose: {exc}; every process it started was ended", file=sys.stderr)
        return 128 + exc.signum
    except sandbox.InternalError as exc:
        print(f"fcnet diagnose: {exc}", file=sys.stderr)
        return 3
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(args) -> int:
    from ..diagnose.batch import expand, grade, gradescope_json, write_csv
    from ..diagnose.sandbox import UsageError

    options = {"timeout": args.timeout, "memory_mb": args.memory, "strict": args.strict, "rtol": args.rtol}
    options["layout"] = args.layout
    try:
        files = expand(args.path)
    except UsageError as err:
        print(
            _error_json(str(err)) if args.json else f"fcnet diagnose: {err}",
            file=sys.stdout if args.json else sys.stderr,
        )
        return 2
    several = len(files) > 1 or any(Path(p).is_dir() for p in args.path)
    graded = grade(files, args.function, jobs=args.jobs, **options)
    try:
        if args.csv:
            Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
            write_csv(graded, args.csv)
        if args.gradescope:
            for g, path in zip(graded, _gradescope_paths(graded, args.gradescope, several)):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(gradescope_json(g, args.visibility), indent=2, ensure_ascii=False), "utf-8")
    except OSError as err:  # a folder where a file was meant, no permission: the teacher's path, not a student's
        message = f"cannot write {err.filename!r}: {err.strerror or err}"
        print(
            _error_json(message) if args.json else f"fcnet diagnose: {message}",
            file=sys.stdout if args.json else sys.stderr,
        )
        return 2
    if not several:
        (g,) = graded
        if g.diagnosis is None:
            print(_error_json(g.error, g.file, g.seconds) if args.json else f"fcnet diagnose: {g.error}",
                  file=sys.stdout if args.json else sys.stderr)  # fmt: skip
            return 2
        print(json.dumps(g.to_json(), indent=2, ensure_ascii=False) if args.json else g.diagnosis)
        return 0 if g.passed else 1
    if args.json:
        from ..diagnose.report import fcnet_version

        summary = {
            "fcnet": fcnet_version(),
            "files": [g.to_json() for g in graded],
            "passed": sum(g.passed for g in graded),
            "graded": len(graded),
            "seconds": round(sum(g.seconds for g in graded), 3),
        }
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        width = max(len(g.file) for g in graded)
        for g in graded:
            d = g.diagnosis
            if d is None:
                what = f"not graded: {g.error}"
            else:
                wrong = [f"{k}: {' '.join(v.causes)}" for k, v in d.verdicts.items() if not v.ok]
                what = "; ".join(wrong) or "all right"
                for layout in ("rows", "columns"):
                    what += f" (try --layout {layout})" * any(f"try --layout {layout}" in n for n in d.notes)
            status = "passed" if g.passed else "FAILED"
            print(f"{g.file:<{width}}  {status:<6}  {g.score:g}/{g.max_score}  {g.seconds:5.1f} s  {what}")
        print(f"\n{sum(g.passed for g in graded)} of {len(graded)} passed")
    return 0 if all(g.passed for g in graded) else 1
