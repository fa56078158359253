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
# # Debugging your backprop
#
# A gradient check tells you *that* your backward pass is wrong: "relative error 3e-2", and
# you are left to guess. `fcnet.diagnose` tells you *what* is wrong, *where*, and *which
# derivation to reread*. Give it your `loss_and_grads(params, X, y, reg) -> (loss, grads)` for
# the notes' two-layer net ($X$ is $D_{\mathrm{in}} \times N$, one example per column; `grads` has the keys of
# `params`). It runs your function on a few small nets chosen so that each classic mistake
# leaves its own trace, compares the loss and every gradient with fcnet's, and names a cause
# only when that cause explains the error on *every* net: "N times too large on every batch
# size" is a missing batch mean, and nothing else is.
#
# Everything on this page is computed when the site is built, from the files in
# `fcnet/diagnose/examples/`, which ship with fcnet: download the notebook and it runs as is.

# %%
import json

import fcnet
from fcnet.diagnose import diagnose_file
from fcnet.diagnose.examples import CASES, path

# %% tags=["hide-input"]
from fcnet.site import show, snippet_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.diagnose_page import case_html, causes_table_html, derivation_link, probes_table_html

# %% [markdown]
# ## One call
#
# A file of yours, `my_net.py`, is diagnosed from the command line with
# `python -m fcnet diagnose my_net.py` (add `--function NAME` if your function has another
# name, `--json` for a machine). In Python, `fcnet.diagnose(my_loss_and_grads)` takes the
# function itself, and `diagnose_file` a path. Here, a student's net that averages the loss
# but forgets to average the gradient:

# %% tags=["hide-input"]
show(snippet_html(CASES["forgot_mean"].snippet))

# %%
report = diagnose_file(path("forgot_mean"))
print(report)

# %% [markdown]
# One line per entry: `ok`, or the cause, the size of the error on a smallest net that shows
# it, and the derivation to reread, here (D6), whose $\frac1N$ is the one missing. Under it,
# the details: the largest wrong entry, with your value and the right one.
#
# The report is about the code, not about one lucky input: fcnet's own `loss_and_grads`
# passes, and so do implementations written in other styles (the tests run them: fcnet's
# layer pairs, a loop over the examples, one-hot labels, `np.logaddexp`, float32, and CS231n's
# row layout, graded with `--layout rows`).

# %%
assert fcnet.diagnose(fcnet.loss_and_grads).passed

# %% [markdown]
# ## The probes
#
# Your function is called on nine nets. Six ordinary ones decide whether it is right: the
# notes' two worked examples and four seeded random ones. A batch of one cannot tell a sum from
# a mean, so there is N = 1 and N > 1; a penalty of zero cannot show its factor, so there is
# λ = 0 and λ > 0; a transposed gradient of a square matrix keeps its shape, so some nets are
# square. Three extreme ones decide whether it is stable: a softmax without the max shift is
# fine until the logits reach the hundreds, the log of a probability until they reach the
# thousands, and a sigmoid written as $e^z / (1 + e^z)$ until it saturates.

# %% tags=["hide-input"]
show(probes_table_html())

# %% [markdown]
# ## The planted bugs
#
# The [gradient checks](../beyond/gradient-checks/) page plants three bugs in a correct
# gradient and asks which check catches them. The checks say *that* something is wrong; the
# diagnoser says what. Each bug, then its diagnosis:


# %%
planted = {
    name: diagnose_file(path(name), CASES[name].function)
    for name in ("planted_sign", "planted_half", "planted_transpose")
}

# %% tags=["hide-input"]
show(*(case_html(name, d) for name, d in planted.items()))

# %% [markdown]
# The single wrong entry is named with its index; the missing ½ is the penalty's factor,
# 2λW instead of λW, whatever the data term does; the transposed dW1 is recognised on the
# square nets, where its shape is right, as on the others, where it is not.
#
# ## Right, and stable?
#
# Whether the loss and the gradients are right is decided on the six ordinary nets. The two
# nets with extreme logits decide something else, reported on its own line: whether the code is
# **stable**. The textbook softmax, shifted by the largest logit and then `-np.log(p[y])`, is
# right; but where a probability is $e^{-3000}$ it is 0 in float64, and its log is $-\infty$.
# That is the finding `log-underflow`, a warning (`--strict` fails it), and the report names
# the line to change: take the log-softmax instead of the log of the softmax. A softmax with no
# shift at all overflows (`softmax-overflow`); a log clipped as `log(p + 1e-12)` is finite but
# wrong there (`unstable`).
#
# ## Classic mistakes
#
# Five mistakes students make, each in a complete implementation that is otherwise right.

# %%
classic = {
    name: diagnose_file(path(name), CASES[name].function)
    for name in ("notes_softmax", "sigmoid_twice", "y_minus_yhat", "cs231n_penalty")
}

# %% tags=["hide-input"]
show(*(case_html(name, d) for name, d in classic.items()))

# %% [markdown]
# The notes' own softmax overflows: `np.exp(806)` is `inf`, and `inf / inf` is `nan`. On
# ordinary logits it is right, so the loss and the gradients are right and the stability line
# says `softmax-overflow`, not a wrong formula: shift by the largest logit, and compute the
# log-softmax directly (D2's second step).
# CS231n's convention is a consistent pair, λ‖W‖_F² with gradient 2λW, but it is not the notes'
# loss, so both the loss and the gradients are flagged; the biases are right.
#
# The fifth is the one above, the forgotten batch mean.
#
# ## What each cause means
#
# A cause is named only when it explains the error on every probe; otherwise the verdict is
# `unknown`, and the report still says where the error is largest and how large. Each cause
# that a derivation can fix links to it.

# %% tags=["hide-input"]
show(causes_table_html())

# %% [markdown]
# ## For teachers: an autograder
#
# `python -m fcnet diagnose submission.py --json` prints one JSON object and exits with
# status 0 when everything is right, 1 when something is wrong and 2 when the file cannot be
# diagnosed at all (no such file, no such function, a file that does not import). The object
# has `passed`, `score`, `loss`, `grads` (`W1`, `b1`, `W2`, `b2`), `stability` and `probes`,
# among others; each entry has `ok`, `cause` (the most specific), `causes` (every one that
# applies), `see` (the derivation's id: its anchor on the [Backprop page](../backprop/)),
# `message` and `score`. For the forgotten batch mean:

# %%
print(json.dumps(report.to_json()["grads"]["W2"], indent=2, ensure_ascii=False))

# %% [markdown]
# Every object also names the file, fcnet's version, the seconds it took and the score: one point
# per right entry, out of 5 (the stability line is a warning, worth a sixth point with
# `--strict`). A whole class is graded in one command, with a CSV gradebook and Gradescope's
# `results.json`: see [Grading a class](../grading/).

# %%
print({name: f"{d.score:g}/{d.max_score}" for name, d in planted.items()})

# %% [markdown]
# Students can run the same check in their own tests: `assert fcnet.diagnose(loss_and_grads).passed`
# fails with the whole report under the test (fcnet's pytest plugin adds it), and
# `fcnet.diagnose(loss_and_grads).assert_passed()` raises it as the AssertionError's message
# anywhere.
#
# **Limits.** A submission runs in a child process: 10 seconds for its import and all nine
# calls together (`--timeout`), 1 GiB of memory (`--memory`), one BLAS thread. A hang, a
# crash, `sys.exit`, a huge allocation, printing, or the wrong return type each becomes a
# verdict (`timeout`, `crashed`, `raised`, `bad-return`) or, for a file that does not import,
# exit status 2 with the error and its line. The child runs as you, with your files: this
# guards against mistakes, not against malice. Grade code you do not trust in a container.
#
# **What it does not do.** It checks the notes' net only (sigmoid hidden layer, softmax
# output, mean cross-entropy, ½λ‖W‖_F² on the weights). An implementation that returns float32
# is judged with float32's tolerance, and the report says so (the reasons are on
# [Grading a class](../grading/#what-a-score-means)). Every mistake in one entry is named when
# each is a known one (a transposed dW1 that also lacks λW1, say); a mistake outside the
# vocabulary is `unknown`, with where and how much.
#
# The derivations these verdicts point to:

# %% tags=["hide-input"]
show(
    "<p>"
    + ", ".join(derivation_link(see) for see in ("softmax-ce-grad", "sigmoid-grad", "linear-grad", "batch-mean-l2"))
    + ".</p>"
)

# %% tags=["hide-input"]
show(takeaways_html("debugging"))
