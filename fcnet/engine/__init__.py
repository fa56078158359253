"""The engine: the core's formulas composed into reused arrays, for speed and memory.

`fcnet.core` is the chapter: each block and each net a new array per result,
as a student writes them.  The engine runs the same formulas with the
arrays laid out once in a `Workspace` (`workspace`), the hidden layer's
gradient a block of rows at a time (`rows`), and every operation written into
an array that is free (`inplace`); `net` and `mlp` are the two nets composed
that way.  The public ``fcnet.loss_and_grads`` and ``fcnet.mlp_loss_and_grads``
check their arguments and then run these; ``tests/test_engine.py`` proves that
the engine and the plain nets agree.  NumPy and `fcnet.core` only.
"""

from .workspace import Workspace, as_workspace

__all__ = ["Workspace", "as_workspace"]
