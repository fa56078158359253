"""The arrays a training step writes into, kept from one call to the next.

A step needs a few large arrays: the (H, N) hidden activations and their
gradient, the (C, N) logits, the gradients it returns.  A plain call
``loss_and_grads(params, X, y, reg)`` allocates them and lets them go.  In a
loop that is not free: glibc hands a freed block over 128 KiB back to the
kernel once enough of them pile up, so the next step's arrays are new
mappings, page-faulted and zeroed page by page, and at (N, D_in, H, C) =
(256, 784, 512, 10) the faults can cost more than the arithmetic (see the
benchmarks page).

``loss_and_grads(params, X, y, reg, workspace=ws)`` writes every array of the
step, *the gradients it returns included*, into storage that ``ws`` keeps:

* the returned gradients **are** the workspace's arrays: the next call with
  the same workspace overwrites them (copy what you want to keep);
* the first call plans: it allocates.  A later call with another dtype, or a
  larger batch, re-plans (allocates what must grow); a smaller batch uses the
  front of the storage it has, so a short last minibatch costs nothing.

The plain call runs the very same lines with a new workspace of its own
(`Workspace.for_one_call`), so its gradients are fresh arrays.  A workspace lays a step's temporaries out
in one block, where two arrays that are never needed at the same time share
storage, which keeps the step's memory near the minimum its arrays need.  A
workspace's returned arrays are arrays of their own; a plain call's share the
block when it is small (see `Workspace.for_one_call`).

>>> import numpy as np
>>> from fcnet import loss_and_grads, random_example
>>> params, X, y, reg = random_example(N=8, D_in=5, H=4, C=3, seed=0)
>>> ws = Workspace()
>>> loss, grads = loss_and_grads(params, X, y, reg, workspace=ws)
>>> plain_loss, plain = loss_and_grads(params, X, y, reg)
>>> loss == plain_loss and all(np.array_equal(grads[k], plain[k]) for k in plain)
True
>>> dW1 = grads["W1"]
>>> _, again = loss_and_grads(params, 2 * X, y, reg, workspace=ws)
>>> again["W1"] is dW1, ws.allocations   # the same array, overwritten; nothing allocated by the second call
(True, 5)
"""

from __future__ import annotations

import math
import threading

import numpy as np

__all__ = ["Workspace", "as_workspace"]

_CLAIMING = threading.Lock()  # taken only when a thread steps with a workspace it does not own yet


class Workspace:
    """Storage for the arrays of `fcnet.loss_and_grads` and `fcnet.mlp_loss_and_grads`, reused call after call.

    Create one per training loop (and per thread) and pass it to every step.
    The gradients a step returns with it are its arrays, overwritten by the
    next step; so do not pass them back in as a step's inputs.

    A workspace belongs to the first thread that steps with it: a step from
    another thread, while that one lives, raises `RuntimeError` (two threads
    writing into one set of arrays would return wrong results silently).
    `clear` lets it go, so that another thread may take it.

    Attributes
    ----------
    allocations : int
        How many arrays it has allocated so far: a steady loop leaves it unchanged.
    nbytes : int
        Bytes of storage it holds.
    """

    #: a plain call's block also holds its returned arrays when the temporaries are at most this many times
    #: their size: one allocation per call, and returned arrays that keep at most (1 + this) times their size alive
    PACK_RATIO = 4

    def __init__(self) -> None:
        self._arena = np.empty(0)  # every temporary of a step, one after another, in one block
        self._outputs: dict[str, np.ndarray] = {}  # the returned arrays, one each
        self._key = None  # the last request: the common case returns the same arrays again
        self._arrays: dict[str, np.ndarray] = {}
        self._one_call = False
        self._owner: threading.Thread | None = None  # the thread that steps with it (see `_claim`)
        self.allocations = 0

    @classmethod
    def for_one_call(cls) -> Workspace:
        """The workspace of a plain call, dropped when the call returns.

        Its block of temporaries also holds the returned arrays when the
        temporaries are at most `PACK_RATIO` times their size: a plain call
        then makes one allocation, which glibc can keep from one call to the
        next, instead of several (see the benchmarks page); with larger
        temporaries the returned arrays are arrays of their own, so that they
        never keep the (H, N) temporaries alive.
        """
        ws = cls()
        ws._one_call = True
        return ws

    def take(self, dtype, temporaries: dict, outputs: dict, shared: dict | None = None) -> dict:
        """One C-contiguous array per name, of its shape and ``dtype``.

        Parameters
        ----------
        dtype : dtype
        temporaries : dict of str to tuple of int
            Arrays used within a call.  They are laid out one after another in
            one block (a plain call's temporaries are one allocation, not many).
        outputs : dict of str to tuple of int
            Arrays the call returns: each an array of its own, except in a plain call's
            workspace, which may pack them into its block (`for_one_call`).
        shared : dict of str to str, optional
            ``{name: other}``: temporary ``name`` lives where ``other`` does (the
            caller promises they are never needed at the same time).

        Returns
        -------
        arrays : dict of str to ndarray
            The same arrays as the last call's when the request is the same.
        """
        if self._owner is not threading.current_thread():
            self._claim()
        shared = shared or {}
        key = (dtype, *temporaries.items(), *outputs.items(), *shared.items())
        if key == self._key:
            return self._arrays
        self._arrays, self._key = {}, None  # let go of the old views before any storage is replaced
        dtype = np.dtype(dtype)
        region_of = {name: shared.get(name, name) for name in temporaries}  # name -> the region it lives in
        region_size: dict[str, int] = {}  # region -> elements, the largest of the temporaries living there
        for name, shape in temporaries.items():
            region_size[region_of[name]] = max(region_size.get(region_of[name], 0), math.prod(shape))
        output_size = sum(math.prod(s) for s in outputs.values())
        if self._one_call and sum(region_size.values()) <= self.PACK_RATIO * output_size:
            region_of |= {name: name for name in outputs}
            region_size |= {name: math.prod(shape) for name, shape in outputs.items()}
            temporaries, outputs = {**temporaries, **outputs}, {}
        align = max(1, 64 // dtype.itemsize)  # every region starts on a 64-byte boundary of the block
        start, end = {}, 0
        for region, size in region_size.items():
            start[region], end = end, end + -(-size // align) * align
        if self._arena.dtype != dtype or self._arena.size < end:
            self._arena = np.empty(0)  # free the old block before the new one is made
            self._arena = np.empty(end, dtype)
            self.allocations += 1
        arrays = {
            name: self._arena[start[region_of[name]] :][: math.prod(shape)].reshape(shape)
            for name, shape in temporaries.items()
        }
        for name, shape in outputs.items():
            out = self._outputs.get(name)
            if out is None or out.shape != shape or out.dtype != dtype:
                out = self._outputs[name] = None
                out = self._outputs[name] = np.empty(shape, dtype)
                self.allocations += 1
            arrays[name] = out
        self._arrays, self._key = arrays, key
        return arrays

    def _claim(self) -> None:
        """Make the calling thread the owner, unless another thread that still runs owns the workspace."""
        with _CLAIMING:  # two threads claiming at once: one wins, the other is refused
            me, owner = threading.current_thread(), self._owner
            if owner is None or not owner.is_alive():
                self._owner = me
                return
        raise RuntimeError(
            f"this Workspace belongs to thread {owner.name!r}, but thread {me.name!r} stepped with it; expected one "
            "Workspace per thread (two threads writing into the same arrays get wrong results), or ws.release() in "
            "the owner first to hand it over"
        )

    @property
    def nbytes(self) -> int:
        return self._arena.nbytes + sum(a.nbytes for a in self._outputs.values())

    def release(self) -> None:
        """Give the workspace up: the next thread that steps with it becomes its owner."""
        self._owner = None

    def __repr__(self) -> str:
        return f"Workspace({len(self._outputs)} outputs, {self.nbytes / 2**20:.1f} MiB)"


def as_workspace(workspace) -> Workspace:
    """``workspace`` itself, or a new `Workspace` for a plain call (None).

    >>> as_workspace(None)
    Workspace(0 outputs, 0.0 MiB)
    >>> as_workspace({})
    Traceback (most recent call last):
    ...
    TypeError: workspace is a dict; expected a fcnet.Workspace, or None for a plain call that allocates
    """
    if workspace is None:
        return Workspace.for_one_call()
    if not isinstance(workspace, Workspace):
        raise TypeError(
            f"workspace is a {type(workspace).__name__}; expected a fcnet.Workspace, or None for a plain call "
            "that allocates"
        )
    return workspace
