"""fcnet.training.data: the digits in the notes' layout, a seeded split, standardised features."""

import numpy as np
import pytest

from fcnet.training.data import load_digits_split, standardise


@pytest.fixture(scope="module")
def digits():
    return load_digits_split(seed=0)


def test_layout_and_sizes(digits):
    assert digits.X_train.shape == (64, 1347) and digits.X_test.shape == (64, 450)
    assert digits.y_train.shape == (1347,) and digits.y_test.shape == (450,)
    assert digits.X_train.dtype == np.float64 and digits.X_train.flags.c_contiguous
    assert set(np.unique(digits.y_train)) == set(range(10)) and digits.C == 10


def test_the_split_is_stratified(digits):
    # 1797 images, 174..183 per class; a 25% stratified split holds 43..46 of each
    counts = np.bincount(digits.y_test, minlength=10)
    assert counts.min() >= 43 and counts.max() <= 46


def test_test_columns_are_the_raw_images_standardised(digits):
    raw = digits.images_test.reshape(450, 64).T
    np.testing.assert_allclose(digits.X_test, (raw - digits.mean[:, None]) / digits.scale[:, None], rtol=0, atol=1e-12)


def test_train_features_have_mean_0_and_std_1_or_are_constant(digits):
    np.testing.assert_allclose(digits.X_train.mean(axis=1), 0.0, atol=1e-12)
    std = digits.X_train.std(axis=1)
    constant = digits.scale == 1.0
    np.testing.assert_allclose(std[~constant], 1.0, rtol=1e-12)
    assert constant.any()  # some corner pixels are always 0: scale 1, no division by zero
    assert np.all(np.isfinite(digits.X_test))


def test_same_seed_same_split_other_seed_other_split(digits):
    again = load_digits_split(seed=0)
    np.testing.assert_array_equal(again.X_train, digits.X_train)
    np.testing.assert_array_equal(again.y_test, digits.y_test)
    other = load_digits_split(seed=1)
    assert not np.array_equal(other.y_test, digits.y_test)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"test_size": 1.0}, "test_size is 1.0"), ({"test_size": 0}, "test_size is 0"), ({"seed": -1}, "seed is -1")],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_digits_split(**kwargs)


def test_standardise_rejects_mismatched_features():
    with pytest.raises(ValueError, match=r"X_train has shape \(3, 2\) and X_test \(4, 1\)"):
        standardise(np.zeros((3, 2)), np.zeros((4, 1)))
