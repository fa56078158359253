# ---
# jupyter:
#   fcnet:
#     extras:
#     - notebooks
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Grading a class
#
# The [Debugging page](../debugging/) diagnoses one student's `loss_and_grads`. A teacher has a
# folder of them. `python -m fcnet diagnose` takes files and folders, grades them side by side
# (each in its own child process, with a time and a memory limit), and writes a gradebook: a
# CSV with a row per student, and the `results.json` that Gradescope's autograder reads.
#
# This page grades a small class that ships with fcnet, in
# `fcnet/diagnose/examples/submissions/`: correct files in six styles (vectorised, CS231n's row
# layout, a loop over the examples, one-hot labels, float32, one that prints as it goes), files
# that are right but unstable at extreme logits, and files with a real bug. Every command on
# this page runs when the site is built, and the test suite runs the same commands.

# %%
import csv
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fcnet.diagnose.examples import GRADES, GRADING_COMMANDS, SUBMISSIONS

# %% tags=["hide-input"]
from fcnet.site import show
from fcnet.site.diagnose_page import grades_table_html, scores_table_html, script_html

# %% [markdown]
# ## The class
#
# Eleven submissions, each a file that defines `loss_and_grads(params, X, y, reg)`:

# %% tags=["hide-input"]
show(grades_table_html())

# %% [markdown]
# ## One command
#
# A folder means its `*.py` files; a Jupyter notebook (`.ipynb`) is read as its code cells in
# order. `--jobs N` grades N files at once (by default, as many as the machine has cores),
# `--csv` writes the gradebook and `--gradescope` one Gradescope file per submission:

# %%
workdir = Path(tempfile.mkdtemp(prefix="grading-"))
shutil.copytree(SUBMISSIONS, workdir / "submissions")  # the class, in a folder of its own


def run(command):
    """Run one of this page's shell commands in ``workdir``, on its copy of the class."""
    argv = shlex.split(command.replace("SUBMISSIONS", "submissions"))
    argv[0] = sys.executable  # "python": the Python that runs this page
    done = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=600)
    print(done.stdout + done.stderr)
    return done.returncode


print(GRADING_COMMANDS["class"])
status = run(GRADING_COMMANDS["class"])
print("exit status", status)

# %% [markdown]
# One line per file: passed or FAILED, the score out of 5, the seconds it took, and the cause
# of every entry that is not right. The exit status is 0 when every file passed, 1 when any
# failed (or could not be graded: a file that does not import scores 0 with its error), and 2
# for a mistake in the command itself (a bad flag, no such file or folder).
#
# `rows_cs231n.py` is correct, but written in CS231n's layout ($X$ is $N \times D_{\mathrm{in}}$,
# $W^{(1)}$ is $D_{\mathrm{in}} \times H$):
# in the notes' layout its first matrix product fails, and the grader, which tried the other
# layout too, says so. Graded with `--layout rows`, the probes are transposed for it and its
# gradients transposed back:

# %%
print(GRADING_COMMANDS["rows"])
status = run(GRADING_COMMANDS["rows"])

# %% [markdown]
# ## The gradebook
#
# `grades.csv` has a row per file and a column per entry: `ok`, or the causes that apply, most
# specific first (the vocabulary is on the [Debugging page](../debugging/#what-each-cause-means)).

# %%
with open(workdir / "grades.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
print(*(f"{Path(r['file']).name}: {r['score']}/{r['max_score']}, b1 {r['b1']}" for r in rows), sep="\n")

# every grade is the one the file deserves (the row-layout file needs --layout rows, above)
for r in rows:
    grade = GRADES[Path(r["file"]).stem]
    assert r["passed"] == str(grade.passed) or grade.layout == "rows", r

# %% tags=["hide-input"]
show(scores_table_html(rows))

# %% [markdown]
# ## What a score means
#
# Each of the loss and the four gradients is worth one point, earned when it matches fcnet's on
# all six ordinary probes (the [probes](../debugging/#the-probes) are small nets chosen so that
# each classic mistake leaves its own trace). The verdicts are separate, and every cause that
# applies to an entry is listed: a file that leaves out the penalty *and* does not shift its
# softmax loses the loss's point for the penalty, and is warned about the softmax.
#
# **Stability** is judged apart, on three extreme probes: logits in the hundreds, logits in
# the thousands, and sigmoids saturated by pre-activations in the thousands. It is a warning,
# worth no point; with `--strict` it is a sixth point and fails the file. Four findings, most
# specific first:
#
# * `sigmoid-overflow`: nan where the sigmoid saturates, from $e^z / (1 + e^z)$ or a σ' written
#   with `np.exp`; `math.exp` raises there instead (the loop over the examples does). Fix:
#   σ(z) = 1 / (1 + `np.exp(-z)`), and σ' from the activation, a(1 − a).
# * `softmax-overflow`: `np.exp(806)` is inf and inf/inf is nan, a softmax without the max
#   shift. Fix: subtract each column's max from the logits before `np.exp`.
# * `log-underflow`: the softmax is shifted (the textbook recipe), but a probability 3000 below
#   the largest logit is 0 in float64, and `-np.log(0)` is inf. Fix: take the log-softmax,
#   $z - \max z - \log \sum e^{z - \max z}$, instead of the log of p. The report names the line.
# * `unstable`: finite but wrong at extreme logits only, as a clipped `np.log(p + 1e-12)` is.
#
# **float32.** A file whose loss or gradients are float32 is judged with float32 tolerances,
# and its report says so. A correct float64 evaluation agrees with fcnet's to a few units of
# roundoff (about 1e-16) of each entry's roundoff scale (the same sums over absolute values),
# so float64 results must agree to 1e-8 of it. float32's unit roundoff is 2⁻²⁴ ≈ 6e-8, and the
# probes' values pass through fewer than 50 rounded operations each, so a correct float32
# evaluation is within about 3e-6; it is judged to 1e-4. That is still 5000 times below the
# smallest mistake the grader names (a factor (N − 1)/N ≥ ½ of some term), so a float32 file
# with a real bug, or a result rounded through float16, still fails. `--rtol R` sets the
# tolerance by hand.
#
# **Time.** A file has 10 seconds (`--timeout`) for its import and the nine calls. One that
# runs out keeps the probes it finished: an entry right on all of them earns that fraction of
# its point (5 of 6 probes: 0.83), and the report names the probe it was on.

# %% tags=["hide-input"]
show(
    "<p>Exit statuses and points, in one table:</p>",
    "<table><thead><tr><th>outcome</th><th>points</th><th>exit status</th></tr></thead><tbody>"
    "<tr><td>every entry right</td><td>5 of 5</td><td>0</td></tr>"
    "<tr><td>right, unstable at extreme logits</td><td>5 of 5 (5 of 6 with <code>--strict</code>, failed)</td>"
    "<td>0 (1 with <code>--strict</code>)</td></tr>"
    "<tr><td>an entry wrong</td><td>one fewer per wrong entry</td><td>1</td></tr>"
    "<tr><td>out of time after k of the 6 ordinary probes</td><td>k/6 for each entry right so far</td><td>1</td></tr>"
    "<tr><td>does not import, no such function</td><td>0</td><td>1 in a batch, 2 alone</td></tr>"
    "</tbody></table>",
)

# %% [markdown]
# The same naive softmax, graded with `--strict`:

# %%
status = run(GRADING_COMMANDS["strict"])
print("exit status", status)

# %% [markdown]
# ## On Gradescope
#
# Gradescope runs `/autograder/run_autograder` for each submission and reads
# `/autograder/results/results.json`. With fcnet installed by the autograder's `setup.sh`
# (`pip install` it, or the wheel you built), and students asked to submit `net.py`, the whole
# `run_autograder` is:

# %% tags=["hide-input"]
show(script_html(GRADING_COMMANDS["autograder"]))

# %% [markdown]
# For a single file, `--gradescope PATH` writes PATH itself; for several, one
# `PATH/<file stem>.json` each. The file has Gradescope's fields: the `score`, the
# `execution_time`, an `output` (the whole report), and one test per entry, each with its
# `score`, `max_score`, `status`, a student-readable `output` that ends with the derivation to
# reread, and a `visibility` (`--visibility`: `visible`, the default, `hidden`,
# `after_due_date` or `after_published`). fcnet's own fields (the file, fcnet's version, the
# seconds) are under `extra_data`. The one for `mean_bias.py`, whose bias gradients are the batch
# mean of δ (its 1/N applied twice):

# %%
result = json.loads((workdir / "gradescope" / "mean_bias.json").read_text(encoding="utf-8"))
print(json.dumps({k: v for k, v in result.items() if k not in ("output", "tests")}, indent=2))
print(json.dumps(result["tests"][2], indent=2, ensure_ascii=False))

# %% [markdown]
# ## In a script
#
# Under `--json` every outcome prints one JSON object, even a file that does not import or a
# bad flag (then it has an `"error"`), so a loop never writes an empty file. Each names the
# file, fcnet's version, the seconds and the score. In Python, `fcnet.diagnose.batch.grade`
# returns the same grades.

# %%
status = run("python -m fcnet diagnose submissions/no_such_file.py --json")
print("exit status", status)

# %% [markdown]
# ## Security
#
# **What the grader guarantees.** A submission cannot forge its verdict. The process you start
# draws the probes, computes fcnet's answers and compares; the student's code runs in a child
# process that receives only the probes' arrays and sends back raw arrays (an uncompressed
# `.npz` per probe, read without pickle, each array at most 1 MiB). Every probe sent must get exactly one
# readable answer: a file that changes the grader's modules in its own process, writes forged
# answer files, returns something that cannot be read (a `10**400` loss, a huge array, an
# `__array__` that raises) or leaves early with `os._exit(0)` fails, as `bad-return` or
# `crashed`, and never crashes the grader. A change to its arguments is found by the judge, which
# compares a digest of each argument after the call with its own of what it sent: replacing
# `np.array_equal` in the child hides nothing. A file whose answer comes from fcnet itself (`fcnet.loss_and_grads`,
# `forward`, the torch twin, torch's autograd) is reported as `uses-reference`, found in its
# source and counted while it runs: a warning, which `--strict` turns into a failure. A file
# that ends with `print(fcnet.diagnose(loss_and_grads))` is graded once, and the report shows
# the `if __name__ == "__main__":` guard that fixes it.
#
# **Limits, and nothing left running.** `--timeout` seconds for the import and all the calls;
# `--memory` MiB for every process the file starts together (the grader sums them); at most 16
# processes at once; files of at most 64 MiB, written in a private working folder that is
# removed, as are files made in `/dev/shm` during the run that no process still holds open. The
# memory is measured every few milliseconds, so a burst can pass the limit for that long. The child is a Linux *child subreaper*: a
# process the file starts, even in a new session or after a double fork, comes back to it and
# is killed when the grading ends. SIGINT, SIGTERM or SIGHUP to `fcnet diagnose` ends every
# child tree, removes the temporary folders and exits 130, 143 or 129. fcnet's own failures are
# reported as fcnet's ("internal error", exit status 3), and every report prints in any
# terminal encoding (`lambda` where the terminal has no λ).
#
# **What it does not guarantee.** It is not a sandbox. The student's code runs as you: it can
# read and write your files outside its working folder, use the network, or ask another
# service to start a process the grader never sees; and a file another program makes in `/dev/shm`
# and closes while a file is being graded is removed with the student's. `uses-reference` catches the honest
# shortcut, not a determined cheat who hides the import. `fcnet.diagnose(fn)` in your own
# Python session runs `fn` in a forked child, but the session is yours: it is a tool for
# learning; grade with the command. For a class you do not trust, run the grader where the
# code can do no harm. With Linux namespaces (no root needed): no network, and a process tree
# of its own that ends with the grader. It runs here:

# %%
print(GRADING_COMMANDS["unshare"])
probe = subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"], capture_output=True)
if shutil.which("unshare") and probe.returncode == 0:
    argv = shlex.split(GRADING_COMMANDS["unshare"].replace("SUBMISSIONS", "submissions"))
    argv[argv.index("python")] = sys.executable
    done = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=600)
    print(done.stdout.splitlines()[-1], "; exit status", done.returncode)
else:
    print("(this machine does not allow user namespaces)")

# %% [markdown]
# Or in a container, built `FROM python:3.11-slim` with `RUN pip install fcnet` and tagged
# `fcnet-grader`: no network, 2 GB of memory for everything it runs, 256 processes, a
# read-only system, the submissions mounted read-only and only the gradebook's folder writable:

# %% tags=["hide-input"]
from fcnet.site.render import code_html

options, image = GRADING_COMMANDS["docker"].split(" fcnet-grader ")
options = options.replace(" --", " \\\n  --").replace(" -v ", " \\\n  -v ")
show(code_html(f"{options} \\\n  fcnet-grader {image}", "bash"))

# %% tags=["hide-input"]
shutil.rmtree(workdir)  # the grades were written to a temporary folder
