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
# # The loss
#
# Softmax turns a column of logits into probabilities, cross-entropy scores them against the
# label, and an L2 penalty keeps the weights small:
#
# $$
# \begin{aligned}
# \hat{y}_k &= \frac{e^{z_k}}{\sum_{j=0}^{C-1} e^{z_j}}, \\
# \mathrm{CE}(y, \hat{y}) &= -\sum_{k=0}^{C-1} y_k \log \hat{y}_k = -\log \hat{y}_{c}
# \quad\text{for a one-hot } y \text{ of class } c,
# \end{aligned}
# $$
#
# $$
# J = \frac{1}{N} \sum_{n=0}^{N-1} \mathrm{CE}\big(y^{(n)}, \hat{y}^{(n)}\big)
#   + \tfrac{1}{2}\lambda\left(\lVert W^{(1)}\rVert_F^2 + \lVert W^{(2)}\rVert_F^2\right),
# $$
#
# with indices from 0, as in the code (column $n$ of $X$ is `X[:, n]`), and $y^{(n)}$, $\hat{y}^{(n)}$
# the label and the probabilities of example $n$.

# %%
import numpy as np

import fcnet
from fcnet.core.losses import log_softmax, softmax_ce_forward

# %% tags=["hide-input"]
from fcnet.site import show, snippet_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.exercises import exercises_html

# %% [markdown]
# ## The notes' softmax fails at large logits
#
# The notes compute the softmax as it is written, `np.exp(z2) / sum(np.exp(z2))`. In float64,
# $e^{t}$ overflows to `inf` for $t > 709.78$, and then the division is $\infty/\infty$ = `nan`.
# Logits of a few hundred are not exotic: a confident net, a large learning rate or unscaled
# inputs produce them. Here is the notes' expression (with `repmat` replaced by broadcasting,
# which changes nothing numerically) on one column of logits:


# %%
def notes_softmax(z):
    """The notes' formula, exp and divide; shown to fail, not used anywhere in fcnet."""
    return np.exp(z) / np.sum(np.exp(z), axis=0)


z = np.array([[1000.0], [10.0], [-5.0]])  # one example, C = 3 classes
with np.errstate(over="ignore", invalid="ignore"):  # let NumPy produce inf/nan instead of raising
    naive = notes_softmax(z)
print("notes' softmax:  ", naive.ravel())
print("loss of class 0: ", -np.log(naive[0, 0]))
assert np.isnan(naive).any()

# %% [markdown]
# The probabilities are `nan`, and so are the loss and every gradient computed from them: one
# bad batch poisons the weights for good. (Very negative logits fail the other way: every
# $e^{z_j}$ underflows to 0 and the division is $0/0$.)
#
# ## Log-sum-exp fixes it
#
# Softmax does not change when the same constant is subtracted from every logit, because the
# factor $e^{-z_{\max}}$ cancels between numerator and denominator. With $z_{\max} = \max_j z_j$ the
# largest exponent is $e^0 = 1$, so nothing overflows, and the sum is at least 1, so its log is finite:
#
# $$
# \log \hat{y}_k = (z_k - z_{\max}) - \log \sum_{j} e^{z_j - z_{\max}}.
# $$
#
# fcnet computes $\log\hat{y}$ this way and takes the cross-entropy from it directly, never the
# log of a probability that might have rounded to 0:

# %% tags=["hide-input"]
show(snippet_html("fcnet/core/losses.py:log-softmax"), snippet_html("fcnet/core/losses.py:softmax-ce-forward"))

# %%
logp = log_softmax(z)
print("log-softmax:     ", logp.ravel())
print("softmax:         ", np.exp(logp).ravel())
loss, _ = softmax_ce_forward(z, np.array([1]))
print("CE for class 1:  ", loss, " (= 1000 - 10 + log(1 + e^-990 + ...) = 990)")
assert np.isfinite(logp).all() and loss == 990.0

# %% [markdown]
# <div class="admonition warning"><p class="admonition-title">Pitfall: <code>np.log(softmax(z))</code></p>
# <p>Even a stable softmax followed by <code>np.log</code> fails: a probability of $e^{-990}$ rounds to 0
# and its log is <code>-inf</code>. Take the log inside, as <code>log_softmax</code> does; PyTorch's
# <code>F.cross_entropy</code> does the same (it is <code>log_softmax</code> followed by <code>nll_loss</code>).</p></div>
#
# The sigmoid needs care too: the notes' `1/(1 + np.exp(-z1))` overflows for $z < -709$ and
# NumPy warns. Its answer there, $1/(1 + \infty) = 0$, is almost right, since $\sigma(z) = e^{z}$ is
# tiny; fcnet keeps the same formula, silences that expected overflow and takes the far tail
# as $e^{z}$ (where $1 + e^{z}$ rounds to 1), so no warning is raised and no digit is lost:

# %% tags=["hide-input"]
show(snippet_html("fcnet/core/layers.py:sigmoid-forward"))

# %% [markdown]
# ## The L2 penalty
#
# Only the weights are penalised, never the biases, and the $\frac12$ makes the gradient
# $\lambda W$:

# %% tags=["hide-input"]
show(snippet_html("fcnet/core/losses.py:l2-forward"), snippet_html("fcnet/core/losses.py:l2-backward"))

# %% [markdown]
# ## The worked examples' losses
#
# In the notes' example $\hat{Y}$ is uniform over 5 classes, so the data term is $\log 5$; the
# penalty is $\frac12 \cdot \frac12 \cdot (4 \cdot (1 + 4 + 9) + 20 \cdot 4) = 34$.

# %%
for name, example in (("seed", fcnet.seed_example), ("second", fcnet.second_example)):
    params, X, y, reg = example()
    loss, _ = fcnet.loss_and_grads(params, X, y, reg)
    data, _ = fcnet.loss_and_grads(params, X, y, 0.0)
    print(f"{name:>6}: J = {loss!r}  (data term {data!r}, penalty {loss - data!r})")

params, X, y, reg = fcnet.seed_example()
assert abs(fcnet.loss_and_grads(params, X, y, reg)[0] - (np.log(5) + 34)) < 1e-12

# %% tags=["hide-input"]
show(takeaways_html("loss"))

# %% [markdown]
# ## Exercises
#
# Each answer is computed by fcnet while this page is built, and checked by a test
# (`tests/test_exercises.py`) by another route; unfold it once you have yours.

# %% tags=["hide-input"]
show(exercises_html("loss", heading=None))
