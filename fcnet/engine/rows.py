"""A tall array, a block of rows at a time: a small array in place of a second tall one.

The backward pass needs W2ᵀ δ2 only long enough to turn it into
δ1 = (W2ᵀ δ2) ⊙ σ'(z1), which it writes over σ(z1).  Computed for all H
hidden units at once, W2ᵀ δ2 is a second (H, N) array, as large as the
hidden layer itself: at N = 200,000 it alone is 0.4 times the least memory a
step needs.  Computed a block of hidden units (rows) at a time it needs one
(rows, N) buffer, which `block_rows` sizes to stay in a core's cache.

>>> import numpy as np
>>> block_rows(H=1024, N=1024), block_rows(H=128, N=64), block_rows(H=512, N=200_000)
(64, 128, 1)
>>> scratch = np.empty((2, 3))
>>> [(rows.start, rows.stop, part.shape) for rows, part in row_blocks(5, scratch)]
[(0, 2, (2, 3)), (2, 4, (2, 3)), (4, 5, (1, 3))]
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["BLOCK_ELEMENTS", "block_rows", "row_blocks"]

#: entries in a block: 512 KiB of float64, which with the rows of σ(z1) it meets stays in a core's L2 cache
BLOCK_ELEMENTS = 2**16


def block_rows(H: int, N: int) -> int:
    """Rows per block of an (H, N) array: about `BLOCK_ELEMENTS` entries, at least 1 row, at most H."""
    return max(1, min(H, BLOCK_ELEMENTS // max(N, 1)))


def row_blocks(H: int, scratch: np.ndarray) -> Iterator[tuple[slice, np.ndarray]]:
    """``(rows, part)`` down H rows, ``scratch.shape[0]`` at a time.

    Parameters
    ----------
    H : int
        Rows of the tall array.
    scratch : ndarray, shape (B, N)
        The buffer; ``part`` is its first ``rows.stop - rows.start`` rows (all B but in the last block).

    Yields
    ------
    rows : slice
        The rows of this block, ``start:stop``.
    part : ndarray, shape (stop - start, N)
        A view of ``scratch`` of the block's height.
    """
    B = scratch.shape[0]
    for start in range(0, H, B):
        stop = min(start + B, H)
        yield slice(start, stop), scratch[: stop - start]
