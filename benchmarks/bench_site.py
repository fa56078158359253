"""What a reader and an author wait for: the site's build, rebuild and `make docs`, and the warnings they print.

    .venv/bin/python benchmarks/bench_site.py [--repeat 3] [--skip-make-docs]

Each figure is measured ``--repeat`` times and printed as its median and its spread (min–max):

* **cold build**: ``mkdocs build --strict`` with an empty notebook cache (every page executed);
* **warm build**: the same again, nothing changed (every page from the cache);
* **prose edit, build**: after a sentence is added to a Markdown cell of a notebook page and to a
  Markdown page (no page executed again);
* **prose edit, serve**: ``mkdocs serve`` running, the time from the same kind of edit to the
  served page showing it;
* **make docs**: ``make docs`` after ``make install`` (which is run first, untimed), with an empty
  notebook cache, to the moment the server answers with the home page;
* **warning lines**: the lines of the cold build's output (and of the server's) that say "warning".

Beside each run it prints a speed probe, the seconds a fixed loop of pure Python takes before and after
the run: on a shared machine the speed varies from run to run, and every figure of the run with it.

The builds run in a copy of the checkout's tracked files (fcnet imported from the copy), so
the edits never touch the checkout; ``make docs`` runs in the checkout itself, on a free port,
with the notebook cache in a temporary folder.  The targets (issue 23) are printed beside each
figure; run it on a quiet machine: other work on the cores shows up in every figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: (figure, target in seconds or lines) as issue 23 sets them
TARGETS = {
    "cold build": 30.0,
    "warm build": None,
    "prose edit, build": 5.0,
    "prose edit, serve": 5.0,
    "make docs": 40.0,
    "warning lines": 0,
}
NOTEBOOK_PAGE = "docs/forward.py"
MARKDOWN_PAGE = "docs/index.md"


def env(cache: Path, root: Path) -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", FCNET_NOTEBOOK_CACHE=str(cache), PYTHONPATH=str(root))


def copy_checkout(to: Path) -> Path:
    """The checkout's tracked files (as they are in the working tree) copied under ``to``."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)
    return to


def warning_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "warning" in line.lower()]


def build(root: Path, cache: Path, site: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=root,
        env=env(cache, root),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"the build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return seconds, proc.stdout + proc.stderr


def prose_edit(root: Path, n: int) -> str:
    """Add a sentence to the first Markdown cell of a notebook page and to a Markdown page; returns it."""
    sentence = f"Benchmark edit number {n}."
    page = root / NOTEBOOK_PAGE
    text = page.read_text(encoding="utf-8")
    cell = text.index("# %% [markdown]\n") + len("# %% [markdown]\n")
    page.write_text(text[:cell] + f"# {sentence}\n#\n" + text[cell:], encoding="utf-8")
    md = root / MARKDOWN_PAGE
    md.write_text(md.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    return sentence


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def wait_for(url: str, text: str, proc: subprocess.Popen, limit: float = 900) -> float:
    """Seconds until ``url`` answers with a page containing ``text``."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if proc.poll() is not None:
            sys.exit(f"the server stopped:\n{proc.stdout.read()[-3000:]}")
        body = get(url)
        if body is not None and text in body:
            return time.perf_counter() - start
        time.sleep(0.1)
    sys.exit(f"{url} did not show {text!r} within {limit} s")


def stop(proc: subprocess.Popen) -> str:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
    return out


def serve_rebuild(root: Path, cache: Path, n: int) -> tuple[float, str]:
    """``mkdocs serve`` on a warm cache: seconds from a prose edit to the served page showing it."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env(cache, root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", "</html>", proc)
        time.sleep(1)  # the watcher is armed once the first build is served
        start = time.perf_counter()
        sentence = prose_edit(root, n)
        wait_for(f"http://127.0.0.1:{port}/forward/", sentence, proc)
        return time.perf_counter() - start, stop(proc)
    finally:
        if proc.poll() is None:
            stop(proc)


def make_docs(cache: Path) -> tuple[float, str]:
    """``make docs`` in the checkout (after ``make install``), an empty notebook cache: seconds to serving."""
    subprocess.run(["make", "-s", "install"], cwd=ROOT, check=True)
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "-s", "docs", f"ADDR=127.0.0.1:{port}"],
        cwd=ROOT,
        env=dict(os.environ, FCNET_NOTEBOOK_CACHE=str(cache)),  # make docs sets NO_MKDOCS_2_WARNING itself
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", "</html>", proc)
        return time.perf_counter() - start, stop(proc)
    finally:
        if proc.poll() is None:
            stop(proc)


#: The machine's speed at the moment, beside each run: seconds for a fixed loop of pure Python in a fresh process.
#: On a shared machine it varies from run to run, and every figure of the run with it.
SPEED_PROBE = "import time; t = time.perf_counter(); sum(i * i for i in range(10**7)); print(time.perf_counter() - t)"


def speed_probe() -> float:
    return float(subprocess.run([sys.executable, "-c", SPEED_PROBE], capture_output=True, text=True, check=True).stdout)


def report(figures: dict[str, list[float]]) -> None:
    print(f"{'figure':<20} {'median':>9} {'min':>9} {'max':>9}  target   (n)")
    for name, values in figures.items():
        if not values:
            continue
        target = TARGETS[name]
        unit = "" if name == "warning lines" else " s"
        med = statistics.median(values)
        met = "" if target is None else ("  ok" if med <= target else "  MISSED")
        shown = "-" if target is None else f"<= {target:g}{unit}"
        print(
            f"{name:<20} {med:>7.1f}{unit:2} {min(values):>7.1f}{unit:2} {max(values):>7.1f}{unit:2}  "
            f"{shown}{met}   ({len(values)})"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each figure (default 3)")
    parser.add_argument("--skip-make-docs", action="store_true", help="leave out `make docs` (it uses the checkout)")
    args = parser.parse_args(argv)
    figures: dict[str, list[float]] = {name: [] for name in TARGETS}
    speed = []
    for n in range(args.repeat):
        speed.append(speed_probe())
        with tempfile.TemporaryDirectory(prefix="fcnet-bench-site-") as tmp:
            tmp = Path(tmp)
            root, cache = copy_checkout(tmp / "checkout"), tmp / "cache"
            seconds, log = build(root, cache, tmp / "site")
            figures["cold build"].append(seconds)
            noise = warning_lines(log)
            figures["warm build"].append(build(root, cache, tmp / "site")[0])
            prose_edit(root, n)
            figures["prose edit, build"].append(build(root, cache, tmp / "site")[0])
            seconds, log = serve_rebuild(root, cache, n + 1000)
            figures["prose edit, serve"].append(seconds)
            noise += warning_lines(log)
            if not args.skip_make_docs:
                seconds, log = make_docs(tmp / "make-docs-cache")
                figures["make docs"].append(seconds)
                noise += warning_lines(log)
            figures["warning lines"].append(len(noise))
            for line in noise:
                print("warning line:", line)
        speed[-1] = (speed[-1] + speed_probe()) / 2  # before and after the run
        print(
            f"run {n + 1}/{args.repeat} (speed probe {speed[-1]:.2f} s): "
            + ", ".join(f"{k} {v[-1]:.1f}" for k, v in figures.items() if v)
        )
    print()
    report(figures)
    print(
        f"\nspeed probe (a fixed loop of pure Python; lower is a faster machine): "
        f"median {statistics.median(speed):.2f} s, {min(speed):.2f}-{max(speed):.2f} s over the runs"
    )


if __name__ == "__main__":
    main()
