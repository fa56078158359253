"""Finite differences and the error measures."""

import numpy as np
import pytest

from fcnet import norm_rel_error, numerical_gradient, numerical_gradients, rel_error


def test_numerical_gradient_restores_x_exactly_and_prints_nothing(rng, capsys):
    x = rng.standard_normal((3, 4))
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert np.array_equal(x, before)  # bit for bit: the old value is put back, not recomputed
    assert capsys.readouterr() == ("", "")


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    assert x.tolist() == [1.0, 2.0]


def test_notes_toy_f2_at_1_2():
    # f2 = log(w1 + w2) + w1²·w2; ∂/∂w1 = 1/(w1+w2) + 2 w1 w2 = 1/3 + 4, ∂/∂w2 = 1/(w1+w2) + w1² = 1/3 + 1
    w = np.array([[1.0], [2.0]])  # the notes' x = np.array([1., 2.]).reshape(2, 1)
    g = numerical_gradient(lambda v: float(np.log(v[0, 0] + v[1, 0]) + v[0, 0] ** 2 * v[1, 0]), w)
    # truncation h²|f'''|/6 ≈ 1e-10·(2/27 + 2)/6 ≈ 4e-11; round-off ≈ 1e-16·4/1e-5 ≈ 4e-11
    np.testing.assert_allclose(g, [[1 / 3 + 4], [1 / 3 + 1]], rtol=1e-9)


@pytest.mark.parametrize("h", [1e-2, 1e-3, 1e-4])
def test_centred_difference_is_exact_for_quadratics(rng, h):
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    # f''' = 0 for a quadratic: no truncation error at any h, only round-off
    g = numerical_gradient(lambda v: float(v @ A @ v), x, h=h)
    assert norm_rel_error(g, (A + A.T) @ x) < 1e-10


def test_centred_difference_error_shrinks_as_h_squared():
    x = np.array([0.3])
    errs = [abs(numerical_gradient(lambda v: float(np.exp(v[0])), x, h=h)[0] - np.exp(0.3)) for h in (1e-2, 1e-3)]
    # error ≈ f'''h²/6: a tenth of h gives a hundredth of the error
    assert errs[1] / errs[0] == pytest.approx(1e-2, rel=0.01)


def test_numerical_gradients_covers_every_parameter():
    p = {"a": np.array([1.0, 2.0]), "B": np.array([[3.0]])}
    g = numerical_gradients(lambda q: float(np.sum(q["a"] ** 2) * q["B"][0, 0]), p)
    np.testing.assert_allclose(g["a"], [6.0, 12.0], rtol=1e-9)
    np.testing.assert_allclose(g["B"], [[5.0]], rtol=1e-9)


def test_rel_error_is_cs231ns_formula():
    assert rel_error([1.0, -2.0], [1.0, -2.0]) == 0.0
    assert rel_error([1.0], [3.0]) == pytest.approx(0.5)
    # entries zero in both sides: the 1e-8 floor keeps it finite, and tiny noise looks huge
    assert rel_error([0.0], [1e-10]) == pytest.approx(1e-2)


def test_norm_rel_error_is_scale_free():
    a, b = np.array([3.0, 4.0]), np.array([3.0, 4.5])
    assert norm_rel_error(a, b) == pytest.approx(0.5 / np.linalg.norm(b))
    assert norm_rel_error(1e-20 * a, 1e-20 * b) == pytest.approx(norm_rel_error(a, b))
