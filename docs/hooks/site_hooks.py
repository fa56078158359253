"""MkDocs hooks (mkdocs.yml ``hooks:``): notebook pages, downloads, the search index, the PDF.

mkdocs-jupyter turns each jupytext ``.py`` notebook under ``docs/`` into a page.
Its nbconvert template would load MathJax 2 and Mermaid from a CDN; these hooks

* put fcnet's version (`fcnet.release`) in the footer, and take ``site_url`` from ``FCNET_SITE_URL``;
* strip those ``<script>`` elements (the site serves its own MathJax 3), and serve the notebook
  stylesheet the template writes into every notebook page as one file the pages link to,
* give each notebook cell's id the page's name (``cell-3`` would repeat on every page, and so
  on the all-on-one-page view),
* rebuild the page's table of contents from every heading with an id, so the
  derivation headings that the notebooks emit from code cells are listed too,
* put a download link at the top of the page, saying exactly what to install and how to run it,
  and write the notebook beside the page as ``<name>.ipynb`` (unexecuted, ready to run in Jupyter;
  its rendering cells folded, `downloadable`);
* write the search index without TeX: display math dropped, inline math as unicode text;
* with ``FCNET_ANSWERS=0`` in the environment (``FCNET_ANSWERS=0 make site``, ``make docs`` or
  ``mkdocs build``), build the answer-free site: before any notebook is read, each one that
  renders exercises is rewritten into a folder of its own with ``answers=False`` in every
  ``exercises_html(...)`` call (`fcnet.site.exercises.without_answers`), and the page is built from that
  text.  No answer is then asked for, so none is in the HTML, the downloaded ``.ipynb`` and ``.py``
  (written from the same text, so a student who runs one sees no answer either), the search index and the
  all-on-one-page view; and a cache keyed on a notebook's code keys on the switch too;
* build every derivation into one PDF (``python -m fcnet derive --latex --all``, then
  pdflatex; kept until fcnet or a version changes; made on a thread of its own while the pages are written)
  when pdflatex is installed, and link it where ``<!-- fcnet:derivations-pdf -->``
  stands and from the Backprop page; without pdflatex the link says how to make the PDF.

>>> html = '<script src=""> </script><h2 id="a-b">A &amp; B<a class="anchor-link" href="#a-b">¶</a></h2>'
>>> strip_cdn_scripts(html)
'<h2 id="a-b">A &amp; B<a class="anchor-link" href="#a-b">¶</a></h2>'
>>> toc_tokens(html)
[{'level': 2, 'id': 'a-b', 'name': 'A &amp; B', 'children': []}]
>>> own_cell_ids('<div id="cell-3"><clipboard-copy for="cell-3">', "beyond/deeper-nets.py")
'<div id="beyond-deeper-nets-cell-3"><clipboard-copy for="beyond-deeper-nets-cell-3">'
>>> without_answers('show(exercises_html("backprop", heading=None))')
'show(exercises_html("backprop", heading=None, answers=False))'
>>> searchable(r"<p>The sum \\(\\sum_i y_i = 1\\) and $\\hat{y}_k$</p><div>\\[x^2\\]</div><code>$ ls</code>")
'<p>The sum Σᵢ yᵢ = 1 and ŷₖ</p><div></div><code>$ ls</code>'
"""

from __future__ import annotations

import atexit
import copy
import functools
import hashlib
import html as _html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from fcnet.derivations.prose import tex_to_text
from fcnet.site import exercises

__all__ = [
    "strip_cdn_scripts",
    "own_cell_ids",
    "own_code_ids",
    "toc_tokens",
    "extras",
    "download_html",
    "downloadable",
    "searchable",
    "answers_on",
    "without_answers",
    "fence_doctests",
    "on_config",
    "on_files",
    "on_page_content",
    "on_post_page",
    "on_post_build",
]

#: The PDF of every derivation, at the root of the built site.
PDF = "fcnet-derivations.pdf"
PDF_MARK = "<!-- fcnet:derivations-pdf -->"

# nbconvert's MathJax 2 loader (its URL is blanked by mkdocs-jupyter's default), MathJax 2 config,
# Mermaid's CDN module and RequireJS: none is needed, and each would reach outside the machine.
_CDN_SCRIPTS = re.compile(
    r'<script\s+src="[^"]*"\s*>\s*</script>'
    r'|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?mermaid.*?</script>'
    r"|<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration) -->",
    re.S,
)
_HEADING = re.compile(r'<h([1-6])\s[^>]*?id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


#: The environment variable that leaves the answers out: 0 (absent), or 1 (the default: folded).
ANSWERS = "FCNET_ANSWERS"


def answers_on() -> bool:
    """Whether this build keeps the exercises' answers (``FCNET_ANSWERS`` unset or 1) or leaves them out (0)."""
    value = os.environ.get(ANSWERS, "1").strip()
    if value not in ("0", "1"):
        raise PluginError(f"{ANSWERS} is {value!r}; expected 0 (answers left out) or 1 (the default: answers folded)")
    return value == "1"


def without_answers(text: str) -> str:
    """A notebook's text with every ``exercises_html(...)`` call asking for no answers
    (`fcnet.site.exercises.without_answers`, which the notebook cache uses too).

    Raises PluginError when a call is left that the rewrite cannot read (a nested parenthesis): better no
    site than one with the answers in it.
    """
    try:
        return exercises.without_answers(text)
    except ValueError as error:
        raise PluginError(str(error)) from None


#: mkdocs-jupyter's notebook stylesheet, which its template writes into every notebook page (574 kB a page),
#: served instead as one file of the site that every notebook page links to
NOTEBOOK_CSS = "assets/stylesheets/jupyter-notebook.css"


@functools.cache
def notebook_css() -> str:
    """The stylesheet mkdocs-jupyter's template inlines (``resources.include_css("mkdocs_html/assets/index.css")``)."""
    import mkdocs_jupyter

    path = Path(mkdocs_jupyter.__file__).parent / "templates" / "mkdocs_html" / "assets" / "index.css"
    return path.read_text(encoding="utf-8")


def link_notebook_css(html: str, page_url: str) -> str:
    """Notebook HTML with the inlined notebook stylesheet (as nbconvert's ``include_css`` writes it) replaced
    by a link to `NOTEBOOK_CSS`, relative to the page at ``page_url``."""
    inline = f'<style type="text/css">\n{notebook_css()}</style>'
    href = get_relative_url(NOTEBOOK_CSS, page_url)
    return html.replace(inline, f'<link rel="stylesheet" href="{href}">')


def one_notebook_css_link(html: str, page_url: str) -> str:
    """A page that holds several notebook pages (print-site's all-on-one-page view copies each with its links as
    they were) with one link to `NOTEBOOK_CSS`, relative to ``page_url``, where the first one stood.

    >>> one_notebook_css_link('<link rel="stylesheet" href="../../assets/stylesheets/jupyter-notebook.css">' * 2, "print_page/")
    '<link rel="stylesheet" href="../assets/stylesheets/jupyter-notebook.css">'
    """
    link = f'<link rel="stylesheet" href="{get_relative_url(NOTEBOOK_CSS, page_url)}">'
    pattern = re.compile(rf'<link rel="stylesheet" href="[^"]*{re.escape(NOTEBOOK_CSS)}">')
    first = pattern.search(html)
    if first is None:
        return html
    return html[: first.start()] + link + pattern.sub("", html[first.end() :])


@event_priority(90)  # before mkdocs-jupyter (and any notebook cache) reads a notebook's text
def on_files(files, config):
    files.append(File.generated(config, NOTEBOOK_CSS, content=notebook_css()))
    if answers_on():
        return files
    folder = Path(tempfile.mkdtemp(prefix="fcnet-answer-free-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # after the build (or the server) ends
    for file in files:
        if file.abs_src_path is None or not file.src_uri.endswith(".py") or file.inclusion.is_excluded():
            continue  # not a notebook page (these hooks, under exclude_docs, are files too)
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        if "exercises_" not in text:
            continue
        target = folder / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(without_answers(text), encoding="utf-8")
        # the page, its .py and its .ipynb are built from the rewritten text: src_dir too, because
        # mkdocs-jupyter's wrapper of a File computes abs_src_path from src_dir and src_uri again
        file.src_dir, file.abs_src_path = str(folder), str(target)
    return files


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".py")


def strip_cdn_scripts(html: str) -> str:
    """Remove nbconvert's MathJax 2, Mermaid and RequireJS loaders from notebook HTML."""
    return _CDN_SCRIPTS.sub("", html)


def own_cell_ids(html: str, src_uri: str) -> str:
    """``cell-N`` ids (and the copy buttons' ``for=``) prefixed with the page's name, unique site-wide."""
    slug = re.sub(r"[^a-z0-9]+", "-", src_uri.removesuffix(".py").lower()).strip("-")
    return re.sub(r'\b(id|for)="cell-(\d+)"', rf'\1="{slug}-cell-\2"', html)


def toc_tokens(html: str) -> list[dict]:
    """Table-of-contents tokens (as Python-Markdown's toc makes them) for the headings in ``html``."""
    root: list[dict] = []
    stack: list[dict] = []
    for level, ident, inner in _HEADING.findall(html):
        text = re.sub(r"<a class=\"(?:anchor-link|headerlink)\".*?</a>|<[^>]+>", "", inner, flags=re.S).strip()
        token = {
            "level": int(level),
            "id": ident,
            "name": _html.escape(_html.unescape(text), quote=False),
            "children": [],
        }
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def read_page(path: str):
    """The notebook page at ``path`` as jupytext reads it, read once per version of the file: its header
    (`extras`) and its download (`on_post_page`) both need it.  The caller must not change it."""
    stat = os.stat(path)
    return _read_version(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read_version(path: str, mtime_ns: int, size: int):
    import jupytext

    return jupytext.read(path)


def extras(path: str) -> list[str]:
    """The extras a notebook page names in its jupytext header (``fcnet: extras: [...]``)."""
    return list(read_page(path).metadata.get("fcnet", {}).get("extras", []))


def download_html(name: str, needs: list[str]) -> str:
    """The line at the top of a notebook page: the download, exactly what to install to run it, and how."""
    spec = f"fcnet[{','.join(needs)}]" if needs else "fcnet"
    return (
        f'<p class="fcnet-download">Download this page as a Jupyter notebook: <a href="{name}" download="{name}">'
        f'<code>{name}</code></a>. <code>pip install "{spec}"</code> installs fcnet with all it needs, Jupyter '
        f'included (from a clone: <code>pip install ".{spec[5:]}"</code>); then open it with '
        f"<code>jupyter notebook {name}</code>, or run it whole with "
        f"<code>jupyter nbconvert --to notebook --execute {name}</code>, from any folder. In it, the cells "
        "that only draw this page's figures and tables are folded.</p>"
    )


#: The first cell of a downloaded notebook: what its folded cells are.
RENDERING_NOTE = (
    "*This notebook is a page of the fcnet site. Cells whose code is folded (click to unfold) only draw the "
    "page's figures and tables, as on the site: run them, and skip their code.*"
)


def downloadable(nb):
    """The notebook as the site offers it: rendering (``hide-input``) cells folded, and a first cell saying so.

    Jupyter (Notebook 7, JupyterLab) folds a cell whose ``metadata.jupyter.source_hidden`` is true.
    """
    import nbformat

    hidden = 0
    for cell in nb.cells:
        if "hide-input" in cell.metadata.get("tags", []):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            hidden += 1
    if hidden:
        note = nbformat.v4.new_markdown_cell(RENDERING_NOTE)
        note["id"] = "fcnet-rendering-note"  # not a random one: the download is the same on every build
        nb.cells.insert(0, note)
    return nb


def _pdf_html(page, config) -> str:
    href = get_relative_url(PDF, page.url)
    if shutil.which("pdflatex"):
        return f'<a href="{href}" download="{PDF}">{PDF}</a>'
    return f"<code>{PDF}</code> (not built here: pdflatex is not installed; Debian's texlive-latex-base has it)"


def own_code_ids(html: str, src_uri: str) -> str:
    """An id of the page's own for each ``<pre>``: Material names a code block ``__code_`` + the nearest id,
    which would repeat for every block in one notebook cell, and on the all-on-one-page view.

    >>> own_code_ids('<pre><code>a</code></pre><pre id="x">', "cite.md")
    '<pre id="cite-code-1"><code>a</code></pre><pre id="x">'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", src_uri.rsplit(".", 1)[0].lower()).strip("-")
    n = iter(range(1, 1_000_000))
    return re.sub(r"<pre(?![^>]*\bid=)(?=[\s>])", lambda m: f'<pre id="{slug}-code-{next(n)}"', html)


def on_config(config):
    # the footer names the version, read from fcnet.release like every other place that shows it;
    # site_url is FCNET_SITE_URL, the one setting that also gives the BibTeX url and the PDF's links
    from fcnet.release import __version__, site_url

    config.copyright = f"fcnet {__version__}. {config.copyright or ''}".strip()
    config.site_url = site_url() or None
    return config


@event_priority(100)  # before print-site copies the page into the all-on-one-page view
def on_page_content(html, page, config, files):
    if PDF_MARK in html:
        html = html.replace(PDF_MARK, _pdf_html(page, config))
    html = own_code_ids(html, page.file.src_uri)
    if not _is_notebook(page):
        return html
    html = own_cell_ids(strip_cdn_scripts(link_notebook_css(html, page.url)), page.file.src_uri)
    page.toc = get_toc(toc_tokens(html))
    top = download_html(Path(page.file.src_uri).stem + ".ipynb", extras(page.file.abs_src_path))
    if page.file.src_uri == "backprop.py":
        top += (
            f'<p class="fcnet-download">Every derivation of the site in one document: {_pdf_html(page, config)}'
            " (the LaTeX: <code>python -m fcnet derive --latex --all</code>).</p>"
        )
    # under the page's title, where a reader looks for it
    end = html.find("</h1>")
    return top + html if end < 0 else html[: end + 5] + top + html[end + 5 :]


def on_post_page(output, page, config):
    if _is_notebook(page):
        import jupytext

        nb = downloadable(copy.deepcopy(read_page(page.file.abs_src_path)))
        jupytext.write(
            nb, Path(page.file.abs_dest_path).with_name(Path(page.file.src_uri).stem + ".ipynb"), fmt="ipynb"
        )
    return output


_CODE = re.compile(r"(<pre\b.*?(?:</pre>|$)|<code\b.*?(?:</code>|$))", re.S)  # a section may end inside one
_DISPLAY = re.compile(r"\\\[.*?\\\]|\$\$.*?\$\$|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)
_INLINE = re.compile(r"\\\((.*?)\\\)|(?<![\w$])\$([^$\n]+?)\$(?![\w$])", re.S)


def searchable(text: str) -> str:
    """Search-index text without TeX: display math dropped, inline math in unicode; code left alone."""

    def prose(part: str) -> str:
        part = _DISPLAY.sub("", part)
        return _INLINE.sub(lambda m: tex_to_text(_html.unescape(m.group(1) or m.group(2))), part)

    return "".join(part if n % 2 else prose(part) for n, part in enumerate(_CODE.split(text)))


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        for doc in data["docs"]:
            doc["title"], doc["text"] = searchable(doc["title"]), searchable(doc["text"])
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    printed = Path(config["site_dir"]) / "print_page" / "index.html"  # print-site's view, written in its post_build
    if printed.is_file():
        printed.write_text(one_notebook_css_link(printed.read_text(encoding="utf-8"), "print_page/"), encoding="utf-8")
    job = _pdf.pop("job", None)
    if job is not None:
        job.result()  # the PDF's error, if it failed, fails the build


#: The PDF being made (a future), from on_env to on_post_build.
_pdf: dict = {}


def on_env(env, config, files):
    """Every page is rendered: the PDF is made on a thread of its own, on the core that the build leaves free while
    it writes the pages, the search index and the all-on-one-page view."""
    if shutil.which("pdflatex"):
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(1, thread_name_prefix="fcnet-pdf")
        _pdf["job"] = pool.submit(_cached_pdf, Path(config["site_dir"]) / PDF, config)
        pool.shutdown(wait=False)  # the job runs on; on_post_build waits for it
    return env


def on_build_error(error):
    """A build that fails leaves no PDF being made behind it."""
    job = _pdf.pop("job", None)
    if job is not None:
        job.exception()


def _cached_pdf(target: Path, config) -> None:
    """The PDF, kept beside the executed notebooks (docs/hooks/notebook_cache.py) under a key of what it is made
    from: fcnet's files, the versions of Python, SymPy and the rest, and pdflatex's."""
    spec = importlib.util.spec_from_file_location("fcnet_notebook_cache", Path(__file__).with_name("notebook_cache.py"))
    cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cache)
    pdflatex = subprocess.run(["pdflatex", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    made_from = [cache.package_digest(cache.package_root()), cache.versions(), *pdflatex]
    kept = cache.cache_dir(config) / "pdf" / (hashlib.sha256("\0".join(made_from).encode()).hexdigest() + ".pdf")
    if not kept.is_file():
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob("*.pdf"):
            old.unlink(missing_ok=True)
        tmp = kept.with_suffix(f".{os.getpid()}.tmp")
        _build_pdf(tmp)
        tmp.replace(kept)  # atomic: another build reading the cache sees all or nothing
    shutil.copyfile(kept, target)


def _build_pdf(target: Path) -> None:
    """``python -m fcnet derive --latex --all``, compiled twice by pdflatex (the second run settles the bookmarks)."""
    with tempfile.TemporaryDirectory(prefix="fcnet-pdf-") as folder:
        tex = subprocess.run(
            [sys.executable, "-m", "fcnet", "derive", "--latex", "--all"], capture_output=True, text=True, check=True
        ).stdout
        (Path(folder) / "derivations.tex").write_text(tex, encoding="ascii")
        for _ in range(2):
            run = subprocess.run(
                ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "derivations.tex"],
                cwd=folder,
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise PluginError(f"pdflatex failed on the derivations:\n{run.stdout[-2000:]}")
        shutil.copyfile(Path(folder) / "derivations.pdf", target)


def fence_doctests(text: str) -> str:
    r"""Wrap each bare run of doctest lines (``>>>`` up to the next blank line) in a ```` ```pycon ```` fence.

    >>> fence_doctests("Text.\n\n>>> 1 + 1\n2\n\nMore.").splitlines()
    ['Text.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    """
    out: list[str] = []
    block: list[str] = []
    indent, fenced = "", False

    def flush():
        if block:
            out.extend([indent + "```pycon", *block, indent + "```"])
            block.clear()

    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("```"):
            fenced = not fenced
        if not fenced and (stripped.startswith(">>>") or (block and stripped)):
            if not block:
                indent = line[: len(line) - len(stripped)]
            block.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


try:
    import griffe

    class DoctestFences(griffe.Extension):
        """Griffe extension (mkdocs.yml, mkdocstrings ``extensions``): doctests render as code on the API page.

        fcnet's docstrings carry doctests outside an Examples section; as markdown their ``>>>``
        would become nested block quotes and ``r["x"][0]`` a broken reference link.
        """

        def on_instance(self, *, obj, **kwargs):
            if obj.docstring is not None:
                obj.docstring.value = fence_doctests(obj.docstring.value)

except ImportError:  # pragma: no cover - griffe comes with the docs extra
    pass
