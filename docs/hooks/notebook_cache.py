"""MkDocs hook (mkdocs.yml ``hooks:``): execute the notebook pages once, in parallel, and reuse them until they change.

mkdocs-jupyter's own ``cache`` keys a page by its file alone, so an edit to the ``fcnet`` code a page
imports would leave the page showing the old outputs.  This hook takes over the execution that
mkdocs.yml asks of mkdocs-jupyter (``execute: true``, ``allow_errors``, ``kernel_name``):

* before the pages are rendered, every notebook page is looked up in the cache
  (``.cache/notebooks/``, or ``$FCNET_NOTEBOOK_CACHE``; the answer-free build keeps its own beside it
  and looks in both, `lookup_dirs`) under a key made of

  - the page's code cells (what runs: an edit to a Markdown cell changes no output),
  - every file of the ``fcnet`` package the kernel imports (its source and its package data,
    such as ``fcnet/bench/results/*.json`` and ``fcnet/site/guards.json``),
  - the versions of Python and of the packages that execute and render the pages, and of this hook;

* the pages not found are executed with nbclient, each in an empty folder of its own (as a reader
  runs the page's download: it reads nothing from the checkout), as many kernels at once as there are cores,
  the longest first (as long as each took last time, in ``seconds.json``, or as long as its code), on a
  thread of their own (`Execution`): the build renders the other pages meanwhile, and waits for a notebook
  page only when it comes to render it;
  a cell that raises fails the build, naming the page and showing the traceback
  (``allow_errors: false``, whether ``--strict`` or not); only a clean run is stored;
* each page is rendered by mkdocs-jupyter's own converter, with execution off, from the
  current notebook (its Markdown and tags as they are now) filled with the cached outputs; the
  HTML is kept too (``html/``), so a page that did not change is not converted again.  A page just
  executed is converted at once, while the other kernels run;
* when there are more pages to execute than kernels run at once, the kernels are forked from one process
  that imported ipykernel, NumPy, SymPy, matplotlib and fcnet and built the derivations first (`PRELOAD`,
  ``kernel_zygote.py``), so that a dozen pages pay for those once;
* a page that renders exercises is also executed as the answer-free site has it (`answer_free_twin`): the
  default build runs the twin's rewritten cells in the page's kernel after the page's own and stores the
  twin where the answer-free build looks for it, so that building both sites executes each page once.

The kernels talk to the build over IPC sockets (files in Jupyter's runtime folder) instead of
TCP on localhost, so they have nothing to warn about.  ``mkdocs serve`` also watches the
``fcnet`` package: a save there rebuilds the site and re-executes the pages.

>>> key = code_key({"cells": [{"cell_type": "markdown", "source": "Prose"}, {"cell_type": "code", "source": "1"}]})
>>> key == code_key({"cells": [{"cell_type": "markdown", "source": "New prose"}, {"cell_type": "code", "source": "1"}]})
True
>>> key == code_key({"cells": [{"cell_type": "code", "source": "2"}]})
False
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import pathlib
import select
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

__all__ = [
    "code_key",
    "package_digest",
    "versions",
    "Execution",
    "execute_all",
    "zygote",
    "answer_free_twin",
    "twin_cells",
    "split_twin",
    "merge_outputs",
    "cache_dir",
    "lookup_dirs",
]

log = logging.getLogger("mkdocs.hooks.notebook_cache")

#: The packages whose versions are part of every key: those that run the pages and those that render them.
RENDERING = (
    "ipykernel",
    "jupyter_client",
    "nbclient",
    "nbformat",
    "nbconvert",
    "jupytext",
    "mkdocs-jupyter",
    "numpy",
    "sympy",
    "matplotlib",
    "matplotlib-inline",
    "torch",
    "scikit-learn",
)
#: The package the pages import; its every file is part of every key.
PACKAGE = "fcnet"
#: Part of every key: raise it when the way this hook executes a page changes.
EXECUTION = 3
#: Seconds a single cell may run before the build fails.
CELL_TIMEOUT = 600
#: What the kernels' zygote imports (``module``) or calls (``module:function``) before it forks them: what most
#: pages import, the derivations they render included, and the figures' matplotlib.  Not torch (two pages).
PRELOAD = (
    "ipykernel.kernelapp",
    "numpy",
    "sympy",
    "matplotlib.figure",
    "fcnet",
    "fcnet.site",
    "fcnet.derivations:all_derivations",
)
#: ipykernel's default backend, which it puts in the environment before any cell runs: matplotlib reads it
#: when imported, so the zygote imports it under the same setting
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Seconds the zygote may take to import `PRELOAD` before the pages run in kernels started the usual way.
ZYGOTE_START = 120
ZYGOTE = Path(__file__).with_name("kernel_zygote.py")

_state: dict = {"pages": {}}
#: mkdocs-jupyter's converter numbers the cells of a page in a global: one conversion at a time
_CONVERTING = threading.Lock()


def cache_dir(config) -> Path:
    """Where executed notebooks are kept: ``$FCNET_NOTEBOOK_CACHE``, else ``.cache/notebooks`` beside mkdocs.yml;
    the answer-free build (``FCNET_ANSWERS=0``) keeps its own, ``…-answer-free`` (each build forgets what it did not
    use, and two builds may run at once)."""
    env = os.environ.get("FCNET_NOTEBOOK_CACHE")
    folder = Path(env) if env else Path(config["config_file_path"]).resolve().parent / ".cache" / "notebooks"
    return folder.with_name(folder.name + "-answer-free") if _answer_free() else folder


def _answer_free() -> bool:
    return os.environ.get("FCNET_ANSWERS", "1").strip() == "0"


def lookup_dirs(config) -> list[Path]:
    """Where a page's executed notebook is looked for, in order: the build's own cache, and for the answer-free
    build the default build's too (a page that renders no exercise runs the same code in both, under one key);
    a page executed by this build is stored in its own."""
    own = cache_dir(config)
    return [own, own.with_name(own.name.removesuffix("-answer-free"))] if _answer_free() else [own]


def code_key(nb) -> str:
    """SHA-256 of the notebook's code cells, in order: the part of a notebook that decides its outputs."""
    h = hashlib.sha256()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            h.update(b"\0cell\0" + source.encode())
    return h.hexdigest()


def package_root(name: str = PACKAGE) -> Path:
    """The folder the kernels import ``name`` from, asked of a Python started as they are: this environment, an
    empty working folder (this process may see another copy: ``python -m mkdocs`` puts its working folder,
    the checkout, first on its own path)."""
    find = (
        f"import importlib.util as u; s = u.find_spec({name!r}); print(s and next(iter(s.submodule_search_locations)))"
    )
    with tempfile.TemporaryDirectory(prefix="fcnet-page-") as empty:
        found = subprocess.run([sys.executable, "-c", find], cwd=empty, capture_output=True, text=True).stdout.strip()
    if found in ("", "None"):
        raise PluginError(f"the pages import {name!r}, but it is not installed: run `make install`")
    return Path(found)


def package_digest(root: Path) -> str:
    """SHA-256 of every file under ``root`` (path and bytes), bytecode caches left out."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def versions() -> str:
    """Python's version and those of the packages in ``RENDERING`` (``absent`` for one not installed)."""

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "absent"

    return ";".join([sys.version, *(f"{name}={version(name)}" for name in RENDERING)])


def merge_outputs(nb, executed):
    """``nb`` (its Markdown and tags as they are now) with the outputs of ``executed``, code cell by code cell.

    The two have the same code cells (that is what the key says), so the n-th code cell of one is the
    n-th of the other.
    """
    out = copy.deepcopy(nb)
    done = [c for c in executed.cells if c.cell_type == "code"]
    mine = [c for c in out.cells if c.cell_type == "code"]
    assert len(done) == len(mine), "the cached notebook does not have the page's code cells"
    for cell, ran in zip(mine, done):
        cell.outputs = ran.get("outputs", [])
        cell.execution_count = ran.get("execution_count")
    return out


def _content(nb) -> str:
    """The notebook as JSON without its cell ids (jupytext makes new ones on every read)."""
    cells = [{k: v for k, v in cell.items() if k != "id"} for cell in nb["cells"]]
    return json.dumps({"metadata": nb["metadata"], "cells": cells}, sort_keys=True)


@contextlib.contextmanager
def zygote(preload=PRELOAD):
    """A kernel zygote (``kernel_zygote.py``) for the pages of one build, once it has imported ``preload``: the path
    of its socket, for `kernel_manager`; None if it did not start, and the pages' kernels start the usual way."""
    with tempfile.TemporaryDirectory(prefix="fcnet-zygote-") as folder:
        path = os.path.join(folder, "socket")
        # the kernels' environment as jupyter_client gives it (ipykernel reads JPY_PARENT_PID when imported),
        # with matplotlib's backend as ipykernel sets it
        env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))
        env.setdefault("MPLBACKEND", INLINE_BACKEND)
        command = [sys.executable, str(ZYGOTE), "serve", path, *preload]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=folder, env=env)
        try:
            started = select.select([proc.stdout], [], [], ZYGOTE_START)[0] and proc.stdout.readline() == b"ready\n"
            if not started:  # not a warning: the pages run all the same, and --strict would fail the build
                log.info("the kernels' zygote did not start: each page's kernel imports what it needs itself")
            yield path if started else None
        finally:
            proc.stdin.close()  # the zygote ends, and kills any kernel of its still running
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()


def kernel_manager(zygote_path: str | None = None, **kwargs):
    """An AsyncKernelManager(**kwargs) whose ipykernel kernel is forked by the zygote at ``zygote_path`` (`zygote`),
    if given."""
    from jupyter_client.manager import AsyncKernelManager

    if zygote_path is None:
        return AsyncKernelManager(**kwargs)
    launcher_argv = _zygote_module().launcher_argv

    class ForkedKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return launcher_argv(super().format_kernel_cmd(extra_arguments), zygote_path)

    return ForkedKernelManager(**kwargs)


def _zygote_module():
    spec = importlib.util.spec_from_file_location("fcnet_kernel_zygote", ZYGOTE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _execute(nb, name: str, kernel_name: str, slots: asyncio.Semaphore, seconds: dict, zygote_path=None):
    from nbclient import NotebookClient

    # the kernel works in an empty folder; its sockets are in a folder of their own (IPC's default
    # names them kernel-ipc-N in the working folder)
    with (
        tempfile.TemporaryDirectory(prefix="fcnet-page-") as cwd,
        tempfile.TemporaryDirectory(prefix="fcnet-kernel-") as sockets,
    ):
        km = kernel_manager(zygote_path, kernel_name=kernel_name, transport="ipc", ip=os.path.join(sockets, "ipc"))
        client = NotebookClient(
            nb, km=km, timeout=CELL_TIMEOUT, allow_errors=False, resources={"metadata": {"path": cwd}}
        )
        try:
            async with slots:  # a core per running page; the kernel's shutdown below waits on no core
                log.info("Executing %s", name)
                start = time.perf_counter()
                await client.async_execute()
                seconds[name] = time.perf_counter() - start
        finally:  # nbclient leaves a kernel it was handed running, and its client's sockets open
            if client.kc is not None:
                client.kc.stop_channels()
            if km.has_kernel:  # a kernel that died is shut down too: that closes the manager's sockets
                await km.shutdown_kernel(now=not await km.is_alive())
    return nb


class Execution:
    """The notebook pages of ``{name: nb}`` executed with nbclient on a thread of their own, each in an empty folder,
    ``workers`` kernels at once (default: one per core), in the order given: the build goes on meanwhile, and a
    page's ``result(name)`` waits for that page alone.

    ``done(name, nb)``, if given, runs on a second thread as each page ends well (the build stores and converts the
    page there, while the kernels run on); its error is the page's.
    """

    def __init__(self, jobs: dict, kernel_name: str, workers: int | None = None, done=None):
        from concurrent.futures import Future, ThreadPoolExecutor

        self.names = list(jobs)
        self.futures = {name: Future() for name in self.names}
        self.seconds: dict[str, float] = {}
        workers = workers or len(os.sched_getaffinity(0))
        after = ThreadPoolExecutor(1, thread_name_prefix="fcnet-page-done")

        async def page(name, slots, zygote_path):
            try:
                nb = await _execute(jobs[name], name, kernel_name, slots, self.seconds, zygote_path)
                if done is not None:
                    await asyncio.get_running_loop().run_in_executor(after, done, name, nb)
            except BaseException as error:  # the page's failure: result() reports it
                self.futures[name].set_exception(error)
            else:
                self.futures[name].set_result(nb)

        async def run():
            slots = asyncio.Semaphore(workers)
            # the zygote pays for its imports once: worth it when there are more pages than kernels at once
            with zygote() if len(self.names) > workers else contextlib.nullcontext() as zygote_path:
                await asyncio.gather(*(page(name, slots, zygote_path) for name in self.names))

        def thread():
            try:
                asyncio.run(run())
            finally:
                after.shutdown()

        self.thread = threading.Thread(target=thread, name="fcnet-notebook-pages", daemon=True)
        self.thread.start()

    def result(self, name: str):
        """The executed notebook ``name``, once it is; if it or any page failed, PluginError naming every page that
        failed (after waiting for them all)."""
        if self.futures[name].exception() is not None:
            self.results()  # raises, naming every page that failed
        return self.futures[name].result()

    def results(self) -> dict:
        """``{name: executed nb}`` once every page ran; PluginError naming every page that failed (allow_errors: false)."""
        self.thread.join()
        failed = {n: f.exception() for n, f in self.futures.items() if f.exception() is not None}
        if failed:
            report = "\n\n".join(f"{n}: {type(e).__name__}: {e}" for n, e in sorted(failed.items()))
            raise PluginError(f"executing the notebook pages failed (allow_errors: false):\n\n{report}")
        return {n: f.result() for n, f in self.futures.items()}


def execute_all(jobs: dict[str, object], kernel_name: str, workers: int | None = None) -> dict:
    """Execute each notebook of ``{name: nb}`` with nbclient, each in an empty folder of its own, ``workers``
    kernels at once (default: one per core), and wait for them all.

    Returns ``{name: executed nb}``; a failing cell raises PluginError naming every page that failed.
    """
    return Execution(jobs, kernel_name, workers).results()


def longest_first(todo: dict, seconds: Path) -> list[str]:
    """The pages of ``todo`` by how long each took when last executed (``seconds``), longest first;
    a page never timed by the length of its code, longest first, after them.

    >>> longest_first({"a.py": {"cells": []}, "b.py": {"cells": [{"cell_type": "code", "source": "x = 1"}]}}, Path("-"))
    ['b.py', 'a.py']
    """
    known = json.loads(seconds.read_text(encoding="utf-8")) if seconds.is_file() else {}
    code = {n: sum(len(c["source"]) for c in nb["cells"] if c["cell_type"] == "code") for n, nb in todo.items()}
    return sorted(todo, key=lambda n: (n not in known, -known.get(n, 0.0), -code[n]))


def _jupyter(config):
    """mkdocs-jupyter's plugin, when mkdocs.yml asks it to execute the pages."""
    plugin = config.plugins.get("mkdocs-jupyter")
    return plugin if plugin is not None and plugin.config.get("execute") else None


def _executes(plugin, file) -> bool:
    if not plugin.should_include(file):
        return False
    path = pathlib.PurePath(file.abs_src_path)
    return not any(path.match(p) for p in plugin.config["execute_ignore"])


@event_priority(-50)  # after mkdocs-jupyter has wrapped the notebook files
def on_files(files, config):
    plugin = _jupyter(config)
    _state["pages"] = {}
    if plugin is None:
        return files
    import jupytext

    if plugin.config["allow_errors"]:
        raise PluginError("docs/hooks/notebook_cache.py executes with allow_errors: false; mkdocs.yml says true")
    folder = cache_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    package = package_root()
    parts = [package_digest(package), versions(), f"execution={EXECUTION}", plugin.config["kernel_name"]]
    shared = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    pages, todo, twins = {}, {}, {}
    for file in files:
        if not _executes(plugin, file):
            continue
        nb = jupytext.read(file.abs_src_path)
        key = hashlib.sha256(f"{shared}\0{code_key(nb)}".encode()).hexdigest()
        found = [d / f"{key}.ipynb" for d in lookup_dirs(config) if (d / f"{key}.ipynb").is_file()]
        cached = found[0] if found else folder / f"{key}.ipynb"
        pages[file.src_uri] = (nb, cached)
        twin = None if _answer_free() else answer_free_twin(file.abs_src_path)
        if twin is not None:
            twin_key = hashlib.sha256(f"{shared}\0{code_key(twin)}".encode()).hexdigest()
            twins[file.src_uri] = (twin, _answer_free_dir(folder) / f"{twin_key}.ipynb")
        if not cached.is_file():
            todo[file.src_uri] = copy.deepcopy(nb)
            if twin is not None:  # its answer-free cells run after the page's own, in the same kernel
                todo[file.src_uri].cells += twin_cells(nb, twin)
    _state.update(
        pages=pages,
        folder=folder,
        twins=twins,
        rendered=set(),
        counts=(len(todo), len(pages) - len(todo)),
        package=package,
    )
    if todo:
        opts = plugin.config

        def done(name, executed):  # on the execution's thread: stored, then converted while the kernels run on
            nb, cached = pages[name]
            if name in twins:
                executed, twin_executed = split_twin(executed, nb, twins[name][0])
                _store(twin_executed, twins[name][1])
            _store(executed, cached)
            _html(nb, cached, name, opts)

        order = longest_first(todo, folder / "seconds.json")
        _state["execution"] = Execution(
            {name: todo[name] for name in order}, plugin.config["kernel_name"] or "python3", done=done
        )
    else:
        _finish()
    return files


def _store(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)  # atomic: a build that reads the cache at the same time sees all or nothing


def _answer_free_dir(folder: Path) -> Path:
    return folder.with_name(folder.name + "-answer-free")


def answer_free_twin(path: str):
    """The page at ``path`` as the answer-free site builds it (`fcnet.site.exercises.without_answers`), or None if
    it renders no exercises: read as mkdocs-jupyter reads a page."""
    import jupytext

    from fcnet.site.exercises import without_answers

    text = Path(path).read_text(encoding="utf-8")
    if "exercises_html(" not in text:
        return None
    return jupytext.reads(without_answers(text), fmt=Path(path).suffix.lstrip("."))


def _twin_code(nb, twin) -> list[int]:
    """The code cells (their index among the code cells) where the twin's code differs from the page's."""
    mine = [c for c in nb.cells if c.cell_type == "code"]
    theirs = [c for c in twin.cells if c.cell_type == "code"]
    assert len(mine) == len(theirs), "the answer-free rewrite changed the page's code cells"
    return [i for i, (a, b) in enumerate(zip(mine, theirs)) if a.source != b.source]


def twin_cells(nb, twin) -> list:
    """The answer-free twin's own code cells (those that ask for no answer), to run after the page's cells.

    The default build executes them in the page's kernel, after the page, and stores the twin's executed
    notebook where the answer-free build looks for it (`split_twin`): a build of each kind then executes
    the page once between them.  Their outputs depend on no answer: with ``answers=False`` none is computed.
    """
    theirs = [c for c in twin.cells if c.cell_type == "code"]
    return [copy.deepcopy(theirs[i]) for i in _twin_code(nb, twin)]


def split_twin(executed, nb, twin):
    """``executed`` (the page with `twin_cells` after it) split into the page's executed notebook and the twin's.

    >>> import nbformat.v4 as v4
    >>> page = v4.new_notebook(cells=[v4.new_code_cell("x = 1"), v4.new_code_cell("show(exercises_html('p'))")])
    >>> twin = v4.new_notebook(cells=[v4.new_code_cell("x = 1"), v4.new_code_cell("show(exercises_html('p', answers=False))")])
    >>> ran = copy.deepcopy(page)
    >>> ran.cells += twin_cells(page, twin)
    >>> for n, cell in enumerate(ran.cells):
    ...     cell.outputs = [v4.new_output("stream", text=f"out {n}")]
    >>> mine, theirs = split_twin(ran, page, twin)
    >>> [c.outputs[0].text for c in mine.cells], [c.outputs[0].text for c in theirs.cells]
    (['out 0', 'out 1'], ['out 0', 'out 2'])
    >>> theirs.cells[1].source
    "show(exercises_html('p', answers=False))"
    """
    differ = _twin_code(nb, twin)
    n = len(nb.cells)
    mine = copy.deepcopy(executed)
    extra, mine.cells = mine.cells[n:], mine.cells[:n]
    assert len(extra) == len(differ), "the executed page does not end with its twin's cells"
    theirs = merge_outputs(twin, mine)
    code = [c for c in theirs.cells if c.cell_type == "code"]
    for i, ran in zip(differ, extra):
        code[i].outputs = ran.get("outputs", [])
        code[i].execution_count = ran.get("execution_count")
    return mine, theirs


def _finish() -> None:
    """Wait for the pages being executed, if any (PluginError if one failed), keep their times, say what ran."""
    execution = _state.pop("execution", None)
    if execution is not None:
        execution.results()
        seconds = _state["folder"] / "seconds.json"
        known = json.loads(seconds.read_text(encoding="utf-8")) if seconds.is_file() else {}
        seconds.write_text(json.dumps(known | execution.seconds, indent=1, sort_keys=True), encoding="utf-8")
    executed, cached = _state["counts"]
    log.info(
        "Notebook pages: %d executed, %d from the cache (%s), fcnet from %s",
        executed,
        cached,
        _state["folder"],
        _state["package"],
    )


def _render(merged, src_uri: str, opts) -> tuple[str, list, str | None]:
    """mkdocs-jupyter's HTML, table of contents and title for the executed notebook, with execution off."""
    from mkdocs_jupyter.nbconvert2 import nb2html
    from mkdocs_jupyter.plugin import _get_nb_toc_tokens

    # the converter reads a file; its name is the page's own
    path = _state["folder"] / "pages" / src_uri.replace("/", "--").replace(".py", ".ipynb")
    path.parent.mkdir(exist_ok=True)
    nbformat.write(merged, path)
    with _CONVERTING:
        body = nb2html(
            str(path),
            execute=False,
            kernel_name=opts["kernel_name"],
            theme=opts["theme"],
            allow_errors=False,
            show_input=opts["show_input"],
            no_input=opts["no_input"],
            no_prompt=opts["no_prompt"],
            remove_tag_config=opts["remove_tag_config"],
            highlight_extra_classes=opts["highlight_extra_classes"],
            include_requirejs=opts["include_requirejs"],
            custom_mathjax_url=opts["custom_mathjax_url"],
        )
    # from an .ipynb file nb2html appends the notebook theme's CSS, which it leaves out for a .py page
    # (the site styles notebooks through mkdocs-jupyter's own stylesheet): render as the .py page would
    head, sep, tail = body.rpartition("<style>")
    body = head.rstrip() + "\n" if sep and tail.rstrip().endswith("</style>") else body
    tokens, title = _get_nb_toc_tokens(str(path), opts["toc_depth"])
    return body, tokens, title


@event_priority(-50)  # after mkdocs-jupyter's on_pre_page, whose render this replaces
def on_pre_page(page, config, files):
    entry = _state["pages"].get(page.file.src_uri)
    if entry is None:
        return page
    from mkdocs.structure.toc import get_toc

    nb, cached = entry
    opts = config.plugins["mkdocs-jupyter"].config
    execution = _state.get("execution")

    def render(self, config, files):
        if execution is not None and page.file.src_uri in execution.futures:
            execution.result(page.file.src_uri)  # this page executed (PluginError if any page failed)
        body, tokens, title = _html(nb, cached, page.file.src_uri, opts)
        self.content = body
        self.toc = get_toc(tokens)
        if title is not None and not opts["ignore_h1_titles"]:
            self.title = title

    page.render = types.MethodType(render, page)
    return page


def _html(nb, cached: Path, src_uri: str, opts) -> tuple[str, list, str | None]:
    """The page's HTML, table of contents and title: ``nb`` (as it is now) with the outputs of ``cached``, converted
    once and kept (``html/``) under a key of what it is made from, so that a build after an edit elsewhere converts
    nothing."""
    merged = merge_outputs(nb, nbformat.read(cached, as_version=4))
    options = {k: opts[k] for k in sorted(opts) if k not in ("include", "ignore", "data_files")}
    key = hashlib.sha256(
        "\0".join([_content(merged), json.dumps(options, sort_keys=True, default=str), versions()]).encode()
    ).hexdigest()
    rendered = _state["folder"] / "html" / f"{key}.json"
    _state["rendered"].add(rendered.name)
    if rendered.is_file():
        return tuple(json.loads(rendered.read_text(encoding="utf-8")))
    body, tokens, title = _render(merged, src_uri, opts)
    rendered.parent.mkdir(exist_ok=True)
    tmp = rendered.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps([body, tokens, title]), encoding="utf-8")
    os.replace(tmp, rendered)
    return body, tokens, title


def on_env(env, config, files):
    """Every page is rendered by now: the pages being executed have all ended (PluginError if one failed)."""
    if "execution" in _state:
        _finish()
    return env


def on_build_error(error):
    """A build that fails elsewhere leaves no kernel running behind it."""
    execution = _state.pop("execution", None)
    if execution is not None:
        execution.thread.join()


def on_post_build(config):
    """Forget executed notebooks this build did not use (older versions of the pages or of fcnet)."""
    folder = _state.get("folder")
    if folder is None or not _state["pages"]:
        return
    used = {cached.name for _, cached in _state["pages"].values() if cached.parent == folder}
    for stale in folder.glob("*.ipynb"):
        if stale.name not in used:
            stale.unlink(missing_ok=True)
    # the twins this build stores for the answer-free build: those of older versions of the pages go
    twins = {path.name for _, path in _state.get("twins", {}).values()}
    if twins:
        for stale in _answer_free_dir(folder).glob("*.ipynb"):
            if stale.name not in twins:
                stale.unlink(missing_ok=True)
    for stale in (folder / "html").glob("*.json"):
        if stale.name not in _state["rendered"]:
            stale.unlink(missing_ok=True)


def on_serve(server, config, builder):
    """``mkdocs serve`` rebuilds on a save in the package too: its code decides what the pages show."""
    server.watch(str(package_root()))
    return server
