"""Real data: scikit-learn's bundled handwritten digits, in the notes' layout.

`load_digits` ships with scikit-learn (1,797 images of 8×8 pixels, values
0..16, ten classes), so nothing is downloaded.  This is the only module of
fcnet that imports scikit-learn, and it does so when `load_digits_split` runs.

>>> data = load_digits_split(seed=0)
>>> data.X_train.shape, data.X_test.shape, data.y_test.shape
((64, 1347), (64, 450), (450,))
>>> bool(abs(data.X_train.mean(axis=1)).max() < 1e-12)   # each feature has mean 0 over the training set
True
>>> data.images_test.shape, int(data.images_test.max())
((450, 8, 8), 16)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Digits", "load_digits_split", "standardise"]


@dataclass(frozen=True)
class Digits:
    """A seeded train/test split of the digits, features standardised.

    Attributes
    ----------
    X_train : ndarray, shape (D_in, N_train)
        One image per column, D_in = 64 pixels, standardised.
    y_train : ndarray of int, shape (N_train,)
    X_test : ndarray, shape (D_in, N_test)
        Standardised with the training set's mean and scale.
    y_test : ndarray of int, shape (N_test,)
    images_test : ndarray, shape (N_test, 8, 8)
        The raw test images (0..16), for plotting.
    mean, scale : ndarray, shape (D_in,)
        What `standardise` subtracted and divided by.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    images_test: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    @property
    def C(self) -> int:
        """The number of classes (10)."""
        return 10


def standardise(X_train: np.ndarray, X_test: np.ndarray):
    """Scale each feature (row) to mean 0 and standard deviation 1 on the training set.

    The test set is scaled with the training set's statistics, so nothing
    about it leaks into training.  A constant feature (some corner pixels of
    the digits are always 0) keeps scale 1 instead of dividing by zero.

    Parameters
    ----------
    X_train : ndarray, shape (D_in, N_train)
    X_test : ndarray, shape (D_in, N_test)

    Returns
    -------
    X_train, X_test : ndarray, same shapes
    mean, scale : ndarray, shape (D_in,)

    Examples
    --------
    >>> Xtr, Xte, mean, scale = standardise(np.array([[1.0, 3.0], [5.0, 5.0]]), np.array([[2.0], [6.0]]))
    >>> Xtr, Xte.ravel(), scale
    (array([[-1.,  1.],
           [ 0.,  0.]]), array([0., 1.]), array([1., 1.]))
    """
    if X_train.ndim != 2 or X_test.ndim != 2 or X_train.shape[0] != X_test.shape[0]:
        raise ValueError(
            f"X_train has shape {X_train.shape} and X_test {X_test.shape}; expected (D_in, N_train) and (D_in, N_test)"
        )
    # --8<-- [start:standardise]
    # x̃ = (x − x̄) / s,  x̄ and s the mean and standard deviation of each feature over the training columns
    mean = X_train.mean(axis=1)
    scale = X_train.std(axis=1)
    scale[scale == 0] = 1.0
    X_train = (X_train - mean[:, None]) / scale[:, None]
    X_test = (X_test - mean[:, None]) / scale[:, None]
    # --8<-- [end:standardise]
    return X_train, X_test, mean, scale


def load_digits_split(test_size: float = 0.25, seed: int = 0) -> Digits:
    """The digits, split into train and test sets by a seeded, stratified shuffle.

    Parameters
    ----------
    test_size : float, default 0.25
        Fraction of the 1,797 images held out, in (0, 1).
    seed : int, default 0
        The split's seed; the same seed gives the same split.

    Returns
    -------
    data : Digits
        X in the notes' layout (D_in, N) with D_in = 64, float64, C-contiguous.
    """
    if not (isinstance(test_size, float) and 0.0 < test_size < 1.0):
        raise ValueError(f"test_size is {test_size!r}; expected a float in (0, 1)")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**32:
        raise ValueError(f"seed is {seed!r}; expected an integer in [0, 2**32 - 1] (scikit-learn's random_state)")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = digits.images.astype(np.float64)  # (1797, 8, 8), values 0..16
    labels = digits.target.astype(np.intp)
    idx_train, idx_test = train_test_split(
        np.arange(labels.size), test_size=test_size, stratify=labels, random_state=int(seed)
    )
    # one image per column: (N, 8, 8) -> (64, N)
    X_train = np.ascontiguousarray(images[idx_train].reshape(idx_train.size, -1).T)
    X_test = np.ascontiguousarray(images[idx_test].reshape(idx_test.size, -1).T)
    X_train, X_test, mean, scale = standardise(X_train, X_test)
    return Digits(
        X_train=X_train,
        y_train=labels[idx_train],
        X_test=X_test,
        y_test=labels[idx_test],
        images_test=images[idx_test],
        mean=mean,
        scale=scale,
    )
