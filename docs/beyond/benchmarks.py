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
# # Benchmarks: one training step, NumPy against PyTorch
#
# How long does one forward + backward step of the notes' net take, loss and every gradient
# included, in fcnet's NumPy code and in PyTorch's CPU autograd, in the loop a student
# actually writes? How close does it come to the machine's matrix-multiply throughput, and
# how much memory does it need?
#
# Nothing is timed while this page is built. It shows the last saved run of
# `python -m fcnet bench`, stored with fcnet itself (`fcnet/bench/results/`, so this page
# also runs as a downloaded notebook), and says on which machine and when it was measured.
# To measure your own machine:
#
# ```bash
# python -m fcnet bench                   # a table, 2-3 minutes
# python -m fcnet bench --save            # ... stored for this page
# python -m fcnet bench --memory --save   # memory at N = 200,000
# ```
#
# ## How the race is run
#
# * **Ours, as a plain call**: `fcnet.loss_and_grads(params, X, y, reg)`, input validation
#   included, X in the notes' $D_{\mathrm{in}} \times N$ layout; every call allocates its arrays and returns
#   gradients of its own.
# * **Ours, with a workspace**: the same call with `workspace=ws`, one `fcnet.Workspace` for
#   the whole loop, as `fcnet.train` runs it.
# * **PyTorch**: `fcnet.witnesses.torch_net.TwoLayerNet`, its parameters held as tensors, X a
#   contiguous $N \times D_{\mathrm{in}}$ tensor; a step clears the gradients, computes the same J and calls
#   `loss.backward()`.
# * **The five products alone**: the step's matrix products (W1 X, W2 a1, δ2 a1ᵀ, W2ᵀ δ2,
#   δ1 Xᵀ) and nothing else, into arrays made once: the floor no NumPy step can go below.
# * Every side of every configuration runs in **a fresh process of its own**, a plain loop of
#   steps with nothing run before it in that process, and the sides **take turns**: a block
#   of steps (about 0.25 s) each, with a pause of 0.15 s between (OpenBLAS's idle threads spin
#   for about 0.1 s after a call and would slow whichever side ran next), the first side
#   alternating from round to round, 7 rounds. A time is the **median** of all the steps a
#   side ran; **page faults** are the minor faults (`ru_minflt`) per step after 3 untimed
#   steps.
# * The **GEMM rate** is the fastest of 7 NumPy products of 2048 × 2048 matrices, measured in a
#   process of its own. The **GEMM fraction** divides the flops of the step's five matrix
#   products by the step's median time and by that rate:

# %% tags=["hide-input"]
from fcnet.bench import archive
from fcnet.site import bench_page as page
from fcnet.site import show, snippet_html

res, mem, threads, prof = (archive.load(name) for name in ("bench", "memory", "threads", "profile"))
show(snippet_html("fcnet/bench/race.py:step-flops"))

# %% [markdown]
# Some machines set `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` to work around old OpenBLAS
# bugs; they pin an old kernel, so the benchmark starts its workers without them, for both
# sides, and reports the kernel it got:

# %% tags=["hide-input"]
show(page.machine_table(res), page.busy_note(res))

# %% [markdown]
# ## One step, ours against PyTorch

# %% tags=["hide-input"]
show(page.race_table(res), page.race_figure(res))

# %% [markdown]
# ## Why a NumPy loop can be slower than it should be
#
# Every step of a training loop makes the same arrays: the (H, N) hidden activations and their
# gradient (fcnet's step keeps both in one array, see below), the $C \times N$ logits, the $H \times D_{\mathrm{in}}$ gradient of $W^{(1)}$. Where does their memory come from?
# NumPy asks the C library's `malloc`, and glibc's `malloc` treats large blocks differently
# from small ones:
#
# * a block of at least 128 KiB (the *mmap threshold*) is mapped from the kernel on its own and
#   handed back (`munmap`) the moment it is freed;
# * smaller blocks come from the heap, and when more than 128 KiB (the *trim threshold*) lies
#   free at its top, that memory goes back to the kernel too;
# * memory fresh from the kernel is zero-filled page by page when first touched: one **minor
#   page fault** per 4 KiB page, from a few hundred nanoseconds to a couple of microseconds
#   each (more on a virtual machine).
#
# So in a fresh process each step's arrays are new pages, faulted in and zeroed, and at the
# middle shape that can cost more than the arithmetic. glibc adapts, though: when a mapped
# block is freed, the mmap threshold rises to its size (up to 32 MiB) and the trim threshold
# to twice that. What a loop pays therefore depends on what the process freed before, and a
# benchmark that runs anything large before the race hides the cost (a 2048² GEMM timed in the
# same process first is enough), which is why the race runs each configuration in a fresh process.
# In float64 the race also runs the plain step, the layers composed with a new array for every
# result, in both states:

# %% tags=["hide-input"]
show(page.allocator_table(res))

# %% [markdown]
# fcnet does not change the process to avoid this: no `mallopt`, no `MALLOC_*` variables,
# nothing global (a library must not change its caller's process). Instead the step keeps its
# memory in one block, and a `Workspace` keeps it from one call to the next. With a
# workspace, every array of the step, **the gradients it returns included**, lives in the
# workspace and is overwritten by the next call: use the gradients (or copy them) before the
# next step, as an optimiser does.

# %%
import fcnet

params, X, y, reg = fcnet.random_example(N=64, D_in=20, H=16, C=4, seed=0)
ws = fcnet.Workspace()
loss, grads = fcnet.loss_and_grads(params, X, y, reg, workspace=ws)
dW1 = grads["W1"]
loss, grads = fcnet.loss_and_grads(params, X, y, reg, workspace=ws)
assert grads["W1"] is dW1  # the same array, overwritten by the second call
print(ws, "- arrays allocated so far:", ws.allocations)

# %% [markdown]
# The step asks for its arrays by role. One (H, N) array, two (C, N) arrays, a block of rows
# for W2ᵀδ2 and the gradients are all it needs; an array takes its next role once its last is
# done (σ(z1) is written over z1, δ1 over σ(z1), and λW1 over δ1 once dW1 is computed), and
# the temporaries are laid out one after another in a single block. A plain call runs the
# same lines with a workspace of its own (`fcnet.Workspace.for_one_call`), which puts the
# gradients in that block too when the temporaries are at most four times their size: one
# allocation per call, which glibc's adaptive thresholds then keep in the heap from one call
# to the next, so the plain call, too, stops faulting once warm. With larger temporaries (a
# large batch) the gradients get arrays of their own, so that they never keep the (H, N)
# array alive.

# %% tags=["hide-input"]
show(snippet_html("fcnet/engine/net.py:net-arrays"))

# %% [markdown]
# ## The memory a step needs
#
# The least a step can hold is its inputs, one (H, N) array (no backward pass works without
# the hidden layer) and its gradients. W2ᵀδ2 is as large as the hidden layer, and it is needed
# while σ(z1) is: computed whole, it would be a second (H, N) array, 0.4 times the minimum at
# N = 200,000 on its own. So the backward pass computes it a block of hidden units (rows) at a
# time, turns each block into δ1 at once and writes it over σ(z1)'s rows, whose last use was
# dW2 (the engine's backward pass, folded under `net-backward` on [Backprop](../../backprop/)).
# The block is sized to stay in a core's cache (64 rows at N = 1024, one row at N = 200,000); what remains above the minimum is
# the (C, N) logits, a block and a few (N,) vectors.
# PyTorch's twin (`fcnet.torch_loss_and_grads`) first copies X into PyTorch's row layout.

# %% tags=["hide-input"]
show(page.memory_table(mem))

# %% [markdown]
# ## Threads: why the gap grows with the cores
#
# A step is five matrix products and a few passes of element-wise work over (H, N) arrays (the
# sigmoid, its derivative, the bias, the column sums). OpenBLAS spreads the products over every
# core; NumPy's element-wise functions run on one. PyTorch runs both on every core. With p
# cores, a step that spends G seconds in products and E in element-wise work takes about
# G/p + E with NumPy and G/p + E/p with PyTorch, so the ratio grows towards (G + pE)/(G + E)
# as p grows. Measured once on a 16-core machine, the plain loop fell further behind PyTorch
# from 2 to 16 threads:

# %% tags=["hide-input"]
show(page.sixteen_cores_table(archive.load("sixteen-cores")))

# %% [markdown]
# NumPy releases the GIL inside its element-wise loops, so a thread pool can run blocks of
# the same array in parallel. `benchmarks/threads_elementwise.py` splits the sigmoid's forward
# and backward passes (seven of the step's passes over (H, N); the backward pass already runs a
# block of rows at a time, and each block is split again) into one block of rows per BLAS
# thread on a `ThreadPoolExecutor`, and races it against the one-thread step, each in fresh
# processes, turn by turn. On this 2-core machine:

# %% tags=["hide-input"]
show(page.threads_table(threads), page.threads_verdict(threads))

# %% [markdown]
# ## What a gradient check costs
#
# `fcnet.gradcheck.checks` has three modes (see the page on gradient checks). On a net with
# $(D_{\mathrm{in}}, H, C) = (64, 32, 10)$, i.e. $P = 2410$ parameters, each mode's time relative to the full
# check, which evaluates J twice per parameter:

# %% tags=["hide-input"]
show(page.checks_table(res))

# %% [markdown]
# ## Where the time goes
#
# `benchmarks/profile_step.py` times each phase of the workspace step, the same calls on the
# same arrays, and the matrix products alone, each as a share of the step it timed (the
# step's time is the race's above: the profile runs in one process, at another moment):

# %% tags=["hide-input"]
show(page.profile_table(prof))

# %% [markdown]
# ## The targets

# %% tags=["hide-input"]
show(page.targets_table(res, mem), page.floor_note(res))

# %% tags=["hide-input"]
from fcnet.site.blocks import takeaways_html

show(takeaways_html("beyond/benchmarks"))

# %% tags=["hide-input"]
from fcnet.site.exercises import exercises_html

show(exercises_html("beyond/benchmarks"))
