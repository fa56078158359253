# ---
# jupyter:
#   fcnet:
#     extras:
#     - notebooks
#     - train
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
# # Training on real digits
#
# The notes stop at one gradient.  Here the same two-layer sigmoid net, with the
# same `fcnet.loss_and_grads`, is trained on real data: scikit-learn's bundled
# handwritten digits (1,797 images of 8×8 pixels, ten classes, shipped with the
# package, so nothing is downloaded).  The run below happens while this page is
# built; its numbers, curves and mistakes are this build's.
#
# The same run from the command line, with a progress bar on stderr:
#
# ```bash
# python -m fcnet train --seed 0 --out digits.npz          # a one-line summary
# python -m fcnet train --seed 0 --json                    # ... or one JSON object on stdout
# ```

# %%
import os
import tempfile

import numpy as np
from threadpoolctl import threadpool_limits

from fcnet import forward
from fcnet.training.checkpoint import ParamsFileError, load_params, save_params
from fcnet.training.data import load_digits_split
from fcnet.training.loop import predict, train

# %% tags=["hide-input"]
from fcnet.site import show, snippet_html, table_html, test_html
from fcnet.site.blocks import takeaways_html
from fcnet.site.exercises import exercises_html
from fcnet.site.training_plots import confusion_html, misclassified_html, training_curves_html

# %% [markdown]
# ## The data, in the notes' layout
#
# `fcnet.training.data.load_digits_split` shuffles the images into a training set (75%)
# and a test set (25%) with a seeded, stratified split, so every class keeps
# its share.  Each image becomes one column of 64 pixel values: $X$ is
# $D_{\mathrm{in}} \times N = 64 \times N$, as in the notes.  Each pixel is then standardised with
# the training set's mean and standard deviation; the test set gets the same
# shift and scale, so nothing about it leaks into training.

# %% tags=["hide-input"]
show(snippet_html("fcnet/training/data.py:standardise"))

# %%
data = load_digits_split(seed=0)
for name, X_, y_ in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
    per_class = np.bincount(y_)
    print(f"{name:5s}: X is {X_.shape} (D_in, N), {per_class.min()} to {per_class.max()} images per class")

# %% [markdown]
# ## Minibatch SGD with momentum, written out
#
# Each step takes a minibatch of columns, asks `fcnet.loss_and_grads` for the
# gradient of $J$ on it, and moves every parameter.  The update is the one
# `torch.optim.SGD(momentum=μ)` makes, a velocity $v$ that accumulates past
# gradients:
#
# $$ v \leftarrow \mu v + g \quad (\text{first step: } v \leftarrow g), \qquad \theta \leftarrow \theta - \text{lr}\, v $$
#
# for every parameter $\theta$ (an entry of $W^{(1)}$, $b^{(1)}$, $W^{(2)}$ or $b^{(2)}$) and its gradient $g$.
#
# The lines of `fcnet/training/optim.py` that do it:

# %% tags=["hide-input"]
show(
    snippet_html("fcnet/training/optim.py:sgd-first-velocity"),
    snippet_html("fcnet/training/optim.py:sgd-velocity"),
    snippet_html("fcnet/training/optim.py:sgd-update"),
)

# %% [markdown]
# A test runs ours and `torch.optim.SGD` side by side on the same gradients.
# With a learning rate that is a power of two they agree bit for bit; with any
# other, torch rounds `p − lr·v` once (a fused multiply-add) where NumPy rounds
# twice, and the test bounds the difference by that rounding.

# %% tags=["hide-input"]
show(test_html("tests/test_optim.py::test_bitwise_equal_to_torch_when_lr_is_a_power_of_two"))

# %% [markdown]
# The weights start small and random, scaled so that the pre-activations z
# have about the variance of the inputs (Glorot's choice for sigmoid nets);
# the biases start at zero.  One seed drives both the initial weights and the
# order of the minibatches, so the same seed gives bit-identical parameters.

# %% tags=["hide-input"]
show(snippet_html("fcnet/core/params.py:init-weights"))

# %% [markdown]
# ## The run
#
# The command line's defaults: $H = 128$ hidden units, 40 epochs of minibatches
# of 32, $\text{lr} = 0.02$, $\mu = 0.9$, $\lambda = 10^{-3}$, seed 0.  After every epoch the whole
# training set's loss $J$ and both accuracies are recorded.  Matrices this small
# gain nothing from a second BLAS thread, so the run uses one, as
# `python -m fcnet train` does.

# %%
with threadpool_limits(1, user_api="blas"):
    run = train(data.X_train, data.y_train, seed=0, C=data.C, X_test=data.X_test, y_test=data.y_test)
hist = run.history
assert hist["test_accuracy"][-1] >= 0.97, "the page promises at least 97% test accuracy"

# %% tags=["hide-input"]
show(
    table_html(
        ["epochs", "seconds", "final loss J", "train accuracy", "test accuracy"],
        [
            [
                len(hist["loss"]),
                f"{run.seconds:.2f}",
                f"{hist['loss'][-1]:.4f}",
                f"{hist['train_accuracy'][-1]:.4f}",
                f"{hist['test_accuracy'][-1]:.4f}",
            ]
        ],
        caption="This build's run (seed 0).",
    )
)

# %% [markdown]
# ## Loss and accuracy, epoch by epoch
#
# The loss is $J$ on the whole training set, its L2 term included: it cannot go
# to zero, since $\frac12\lambda(\lVert W^{(1)} \rVert_F^2 + \lVert W^{(2)} \rVert_F^2)$ grows as the weights do.

# %% tags=["hide-input"]
show(training_curves_html(hist, target=0.97))

# %% [markdown]
# ## Confusion matrix on the test set
#
# Row: the true digit; column: the net's answer.  The diagonal holds the hits.

# %%
pred = predict(run.params, data.X_test)
confusion = np.zeros((data.C, data.C), dtype=int)
np.add.at(confusion, (data.y_test, pred), 1)  # count each (true, predicted) pair

# %% tags=["hide-input"]
show(confusion_html(confusion))

# %% [markdown]
# ## The digits it got wrong
#
# Every misclassified test image, as the net saw it (before standardising),
# titled "true → predicted" with the probability the net gave its answer.

# %%
wrong = np.flatnonzero(pred != data.y_test)
probs = forward(run.params, data.X_test)  # (C, N): each column the probabilities of one image
confidence = probs[pred, np.arange(pred.size)]  # the probability the net gave its answer

# %% tags=["hide-input"]
show(misclassified_html(data.images_test[wrong], data.y_test[wrong], pred[wrong], confidence[wrong]))

# %% [markdown]
# ## Saving and loading, safely
#
# `fcnet.training.checkpoint.save_params` writes the four arrays and a small JSON
# record (shapes, dtypes, a SHA-256 of the arrays) to an `.npz` file.
# `load_params` reads it with `allow_pickle=False` into a fresh dict and checks
# everything before returning it: a damaged or altered file raises
# `ParamsFileError` and nothing is half-loaded.

# %%
folder = tempfile.mkdtemp()
path = os.path.join(folder, "digits.npz")
save_params(path, run.params)
back = load_params(path)
same = all(np.array_equal(back[k], run.params[k]) for k in run.params)

# the same file cut short, and one weight changed behind the record's back
with open(path, "rb") as f:
    raw = f.read()
with open(os.path.join(folder, "truncated.npz"), "wb") as f:
    f.write(raw[: len(raw) // 2])
tampered = dict(np.load(path))
tampered["W2"] = tampered["W2"] + 1e-9
np.savez(os.path.join(folder, "tampered.npz"), **tampered)

loaded = {"digits.npz (as saved)": "loaded; identical arrays" if same else "DIFFERENT"}
for name in ("truncated.npz", "tampered.npz"):
    try:
        load_params(os.path.join(folder, name))
        loaded[name] = "loaded (should not happen)"
    except ParamsFileError as exc:
        loaded[name] = "ParamsFileError: " + str(exc).replace(folder + os.sep, "")
assert same and all(v.startswith("ParamsFileError") for k, v in loaded.items() if k != "digits.npz (as saved)")

# %% tags=["hide-input"]

show(table_html(["file", "load_params"], [[name, result] for name, result in loaded.items()]))

# %% tags=["hide-input"]
show(takeaways_html("beyond/training"))

# %% [markdown]
# ## Exercises
#
# Each answer is computed by fcnet while this page is built, and checked by a test
# (`tests/test_exercises.py`) by another route; unfold it once you have yours.

# %% tags=["hide-input"]
show(exercises_html("beyond/training", heading=None))
