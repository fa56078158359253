"""Activations: each derivative checked four ways, plus the registry.

The four ways, for every activation in the registry `ACTIVATIONS` (each test
is parametrised by it, so a new record is checked with no edit here): SymPy
proves the derivative its record names (``verify``); the proved result,
lambdified to NumPy, matches our ``*_backward``; PyTorch autograd matches it;
centred differences of our ``*_forward`` match it.  The sigmoid (D3,
``sigmoid-grad``) is fcnet.core.layers' own.
"""

import math
import re

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import fcnet.core.layers
from fcnet import norm_rel_error, numerical_gradient
from fcnet.core.activations import ACTIVATIONS, _erf, get_activation
from fcnet.derivations import get
from fcnet.witnesses.torch_mlp import TORCH_ACTIVATIONS

NAMES = list(ACTIVATIONS)

# pre-activations of moderate size: the range where the activations are not flat
z_arrays = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.floats(-6.0, 6.0))


def backward(name, z, dout):
    act = ACTIVATIONS[name]
    return act.backward(dout, act.forward(z)[1])


def torch_grad(name, z, dout):
    t = torch.tensor(z, requires_grad=True)
    (TORCH_ACTIVATIONS[name](t) * torch.from_numpy(dout)).sum().backward()
    return t.grad.numpy()


def test_registry_reuses_the_sigmoid_of_fcnet_layers():
    assert NAMES[0] == "sigmoid"  # the notes' activation comes first
    sigmoid = ACTIVATIONS["sigmoid"]
    assert (sigmoid.forward, sigmoid.backward) == (
        fcnet.core.layers.sigmoid_forward,
        fcnet.core.layers.sigmoid_backward,
    )


def test_the_activations_family_derives_exactly_the_registered_activations():
    # one registry: no derivation in fcnet.derivations.activations without a record, no record without a derivation
    from fcnet.derivations.activations import derivations

    assert sorted(d.id for d in derivations()) == sorted(
        a.derivation for a in ACTIVATIONS.values() if a.name != "sigmoid"
    )
    assert len({a.derivation for a in ACTIVATIONS.values()}) == len(ACTIVATIONS)


@pytest.mark.parametrize("name", NAMES)
def test_every_activation_has_a_torch_twin(name):
    fn = TORCH_ACTIVATIONS[name]
    z = torch.linspace(-3.0, 3.0, 7, dtype=torch.float64)
    a = ACTIVATIONS[name].forward(z.numpy().reshape(1, 7))[0]
    assert np.max(np.abs(fn(z).numpy() - a.ravel())) <= 1e-15


@pytest.mark.parametrize("bad", ["swish", "ReLU", 3, None])
def test_unknown_activation_names_the_known_ones(bad):
    with pytest.raises(ValueError, match=r"activation .* is unknown; expected one of " + re.escape(str(NAMES))):
        get_activation(bad)


@pytest.mark.parametrize("name", NAMES)
def test_way_1_sympy_proves_the_derivative(name):
    act = ACTIVATIONS[name]
    d = get(act.derivation)  # KeyError: no derivation registered under that id
    assert d.verify() is True
    # the derivation shows the lines of the registered backward
    source = act.backward.__module__.replace(".", "/") + ".py"
    assert f"{source}:{name}-backward" in d.snippets, d.snippets


@pytest.mark.parametrize("name", NAMES)
def test_way_2_the_proved_result_lambdified_matches_our_backward(name):
    d = get(ACTIVATIONS[name].derivation)
    assert d.numeric is not None, f"{d.id} has no numeric comparison with {name}'s backward"
    from_result, from_code = d.numeric(np.random.default_rng(7))
    # the same formula evaluated twice in float64 (GELU: the same math.erf): ≤ a few ulps, measured ≤ 1.1e-16
    assert norm_rel_error(from_result, from_code) <= 1e-14


@given(z=z_arrays, data=st.data())
@pytest.mark.parametrize("name", NAMES)
def test_way_3_torch_autograd_matches_our_backward(name, z, data):
    dout = data.draw(arrays(np.float64, z.shape, elements=st.floats(-2.0, 2.0)))
    # independent float64 implementations of the same derivative.  tanh' = 1 − a² and σ' = a(1 − a)
    # are computed from the cached, rounded a: its error ≤ eps/2 becomes an absolute error
    # ≤ 2·eps·|dout| ≈ 1e-15 that is large relative to a tiny 1 − a² (measured 7e-13 at z = 6),
    # hence an absolute part; elsewhere they agree to a few ulps
    np.testing.assert_allclose(backward(name, z, dout), torch_grad(name, z, dout), rtol=1e-13, atol=2e-15)


@given(z=z_arrays, data=st.data())
@pytest.mark.parametrize("name", NAMES)
def test_way_4_finite_differences_match_our_backward(name, z, data):
    assume(np.abs(z).min() > 1e-3)  # ReLU's kink: a step of 1e-5 must not cross 0
    dout = data.draw(arrays(np.float64, z.shape, elements=st.floats(-2.0, 2.0)))
    forward_fn = ACTIVATIONS[name].forward
    # ∂/∂z of Σ dout ⊙ f(z) is dout ⊙ f'(z): the backward pass, by centred differences
    num = numerical_gradient(lambda z: float(np.sum(dout * forward_fn(z)[0])), z.copy())
    exact = backward(name, z, dout)
    # truncation h²|f'''|/6 ≈ 1e-11 and round-off ≈ eps·|Σ|/h ≈ 1e-10 per entry, against entries of order 0.1..1
    assert np.max(np.abs(num - exact)) <= 1e-8


@pytest.mark.parametrize("name", NAMES)
def test_float32_in_float32_out_and_extreme_inputs_stay_finite(name):
    forward_fn, backward_fn = ACTIVATIONS[name].forward, ACTIVATIONS[name].backward
    z = np.array([[-1e300, -50.0, -1.0, 0.0, 1.0, 50.0, 1e300]])
    a, cache = forward_fn(z)  # filterwarnings=error: any overflow warning fails this test
    dz = backward_fn(np.ones_like(z), cache)
    assert np.all(np.isfinite(dz)) and np.all(np.isfinite(a[:, 1:-1]))
    a32, cache32 = forward_fn(z[:, 1:-1].astype(np.float32))
    assert a32.dtype == np.float32 and backward_fn(np.ones_like(a32), cache32).dtype == np.float32


def test_erf_is_math_erf_and_relu_takes_zero_at_the_kink():
    x = np.linspace(-4, 4, 17).reshape(1, 17)
    assert np.array_equal(_erf(x).ravel(), [math.erf(v) for v in x.ravel()])
    assert (
        backward("relu", np.zeros((1, 1)), np.ones((1, 1)))[0, 0]
        == 0.0
        == torch_grad("relu", np.zeros((1, 1)), np.ones((1, 1)))[0, 0]
    )


def test_gelu_is_exact_not_the_tanh_approximation():
    z = np.array([[1.0]])
    # z Φ(z) at 1 is 0.8413447460685429; the tanh approximation gives 0.8411919906082768
    assert ACTIVATIONS["gelu"].forward(z)[0][0, 0] == pytest.approx(0.8413447460685429, rel=1e-15)
