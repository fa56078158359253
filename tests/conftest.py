"""Shared fixtures: the worked examples and seeded generators."""

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import fcnet

# One profile for the whole suite: enough cases to find shape bugs, quick on 2 cores.
settings.register_profile(
    "fcnet", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
settings.load_profile("fcnet")

EXAMPLES = fcnet.EXAMPLES


@pytest.fixture(params=sorted(EXAMPLES))
def example(request):
    """``(name, (params, X, y, reg))`` for each worked example."""
    return request.param, EXAMPLES[request.param]()


@pytest.fixture
def rng():
    return np.random.default_rng(20261126)
