"""The figures: well-formed, accessible SVG whose numbers are fcnet's, checked against PyTorch autograd.

Every number a graph shows is also in a ``data-value`` / ``data-grad`` attribute as an exact
float64 (JSON), so the tests read the SVG itself, not the objects that made it.
"""

import json
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fcnet
from fcnet.site import diagrams, gates, trace
from fcnet.site.svg import fmt

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    nodes = {g.get("data-node"): g for g in root.iter(f"{SVG}g") if g.get("data-node")}
    edges = {g.get("data-edge"): g for g in root.iter(f"{SVG}g") if g.get("data-edge")}
    return root, nodes, edges


def shown_texts(g):
    return [t.text for t in g.iter(f"{SVG}text")]


def torch_intermediates(params, X, y, reg):
    """z1, a1, z2, per-example CE, J and their gradients by autograd, plus ∂J/∂X and example shares of ∂J/∂W1."""
    import torch
    import torch.nn.functional as F

    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    x = torch.tensor(X, requires_grad=True)
    z1 = t["W1"] @ x + t["b1"][:, None]
    a1 = torch.sigmoid(z1)
    z2 = t["W2"] @ a1 + t["b2"][:, None]
    for v in (z1, a1, z2):
        v.retain_grad()
    ce = F.cross_entropy(z2.T, torch.from_numpy(y), reduction="none")
    J = ce.mean() + 0.5 * reg * (t["W1"].square().sum() + t["W2"].square().sum())
    J.backward(retain_graph=True)
    out = {k: v.detach().numpy().copy() for k, v in (("z1", z1), ("a1", a1), ("z2", z2), ("ce", ce))}
    # copies now: the retained .grad of an intermediate also accumulates in the autograd.grad calls below
    out.update(J=J.item(), dz1=z1.grad.numpy().copy(), da1=a1.grad.numpy().copy(), dz2=z2.grad.numpy().copy())
    out["dX"] = x.grad.numpy().copy()
    N = X.shape[1]
    shares = []  # ∂(CE⁽ⁿ⁾/N)/∂W1: example n's share of the data gradient
    for n in range(N):
        (g,) = torch.autograd.grad(ce[n] / N, t["W1"], retain_graph=True)
        shares.append(g.numpy().copy())
    out["dW1_share"] = shares
    return out


# Same float64 operations in another order: agreement to a few ulps (rtol 1e-12 leaves ~4 orders of margin).
# In the notes' example the signal into layer 1 is 0 in exact arithmetic and float64 leaves round-off
# residues (≈2e-24 at z⁽¹⁾, ≈6e-17 at a⁽¹⁾) that differ between the two codes: hence the absolute 1e-15.
RTOL, ATOL = 1e-12, 1e-15

CASES = [("seed", n, h) for n in range(2) for h in range(4)] + [("second", n, h) for n in range(3) for h in range(4)]


@pytest.fixture(scope="module")
def reference():
    return {w: torch_intermediates(*fcnet.EXAMPLES[w]()) for w in fcnet.EXAMPLES}


@pytest.mark.parametrize("which, n, h", CASES)
def test_graph_numbers_are_fcnets_and_agree_with_autograd(which, n, h, reference):
    params, X, y, reg = fcnet.EXAMPLES[which]()
    ref, C, D_in = reference[which], params["W2"].shape[0], X.shape[0]
    _, nodes, edges = parse(diagrams.example_graph_svg(which, n, h))

    def value(node):
        return json.loads(nodes[node].get("data-value"))

    def grad(src, dst):
        return json.loads(edges[f"{src}→{dst}"].get("data-grad"))

    expected_values = {"z1": ref["z1"][h, n], "a1": ref["a1"][h, n], "ce": ref["ce"][n], "J": ref["J"]}
    expected_values.update({f"z2_{k}": ref["z2"][k, n] for k in range(C)})
    expected_values.update({f"x{d}": X[d, n] for d in range(D_in)} | {f"w{d}": params["W1"][h, d] for d in range(D_in)})
    for node, want in expected_values.items():
        np.testing.assert_allclose(value(node), want, rtol=RTOL, atol=ATOL, err_msg=node)
    assert value("J") == fcnet.loss_and_grads(params, X, y, reg)[0]  # the very float fcnet returns

    np.testing.assert_allclose(grad("z1", "a1"), ref["dz1"][h, n], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(grad("ce", "J"), 1 / X.shape[1], rtol=0)
    for k in range(C):
        np.testing.assert_allclose(grad(f"z2_{k}", "ce"), ref["dz2"][k, n], rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(grad("a1", f"z2_{k}"), ref["dz2"][k, n] * params["W2"][k, h], rtol=RTOL, atol=ATOL)
    # a value that feeds several nodes: the gradients on its edges add up to its gradient
    fork = sum(grad("a1", f"z2_{k}") for k in range(C))
    np.testing.assert_allclose(fork, ref["da1"][h, n], rtol=1e-11, atol=ATOL)
    for d in range(D_in):
        np.testing.assert_allclose(grad(f"w{d}", f"p{d}"), ref["dW1_share"][n][h, d], rtol=RTOL, atol=ATOL)
        for src in (f"p{d}", "b"):  # add distributes: the same gradient to every input
            np.testing.assert_allclose(grad(src, "z1"), ref["dz1"][h, n], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("which", sorted(fcnet.EXAMPLES))
def test_gradients_into_x_summed_over_hidden_units_are_autograds_dJ_dX(which, reference):
    params, X, y, reg = fcnet.EXAMPLES[which]()
    H, (D_in, N) = params["W1"].shape[0], X.shape
    for n in range(N):
        graphs = [diagrams.example_graph(which, n, h) for h in range(H)]
        for d in range(D_in):
            total = sum(next(e.grad for e in g.edges if e.src == f"x{d}") for g in graphs)
            np.testing.assert_allclose(total, reference[which]["dX"][d, n], rtol=1e-11, atol=ATOL)


@pytest.mark.parametrize("which, n, h", CASES[:3] + CASES[-3:])
def test_every_shown_number_is_its_exact_value_formatted(which, n, h):
    svg = diagrams.example_graph_svg(which, n, h)
    _, nodes, edges = parse(svg)
    for g in nodes.values():
        assert fmt(json.loads(g.get("data-value"))) in shown_texts(g)
    for g in edges.values():
        assert shown_texts(g) == [fmt(json.loads(g.get("data-grad")))]
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    assert all(f"{json.loads(g.get('data-value')):.6g}" in desc for g in nodes.values())


def test_trace_gradients_are_bitwise_those_of_loss_and_grads(example):
    _, (params, X, y, reg) = example
    t = trace.net_trace(params, X, y, reg)
    loss, grads = fcnet.loss_and_grads(params, X, y, reg)
    assert t.loss == loss and all(np.array_equal(t.grads[k], grads[k]) for k in fcnet.KEYS)
    assert np.array_equal(t.probs, fcnet.forward(params, X))


def test_a_change_in_the_code_changes_the_figure(monkeypatch):
    before = parse(diagrams.example_graph_svg("second"))[1]["a1"].get("data-value")
    import fcnet.core.net

    # a planted wrong activation in the layers the figures are computed with
    monkeypatch.setattr(fcnet.core.net, "sigmoid_forward", lambda z: (np.tanh(z), np.tanh(z)))
    after = parse(diagrams.example_graph_svg("second"))[1]["a1"].get("data-value")
    assert before != after and json.loads(after) == pytest.approx(math.tanh(0.75))


def test_the_seed_graph_shows_the_signal_dying_at_the_hidden_layer():
    g = diagrams.example_graph("seed")
    assert abs(g.node("a1").value - 1) < 1e-7  # σ(17): saturated
    into_layer1 = next(e.grad for e in g.edges if (e.src, e.dst) == ("z1", "a1"))
    assert abs(into_layer1) < 1e-20 and all(abs(e.grad) >= 0.1 for e in g.edges if e.src == "a1")


@pytest.mark.parametrize(
    "svg",
    [diagrams.network_svg(), diagrams.network_svg(64, 128, 10), diagrams.example_graph_svg(), gates.gates_svg()],
    ids=["network", "network-wide", "graph", "gates"],
)
def test_figures_are_accessible_themeable_and_offline(svg):
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == root.get("aria-label") and len(desc.text) > 100
    assert root.get("aria-describedby") == desc.get("id")
    # colours come from the stylesheet (Material's variables), never from an element's own attribute
    assert not any(
        el.get("fill") or el.get("stroke") or el.get("style") for el in root.iter() if el.tag != f"{SVG}path"
    )
    assert "var(--md-default-fg-color" in root.find(f"{SVG}style").text
    assert set(re.findall(r"https?://[^\s\"']+", svg)) == {"http://www.w3.org/2000/svg"}
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) and svg == svg.replace("ARROW", "")  # every marker reference resolved


def test_two_figures_never_share_an_id_and_each_is_reproducible():
    a, b = diagrams.example_graph_svg("seed"), diagrams.example_graph_svg("second")
    ids = lambda s: {el.get("id") for el in ET.fromstring(s).iter() if el.get("id")}  # noqa: E731
    assert not ids(a) & ids(b) and a == diagrams.example_graph_svg("seed")


# a layer wider than 8 is drawn as 6 units, an ellipsis and its last unit: 7 circles
@pytest.mark.parametrize("sizes, units", [((3, 4, 5), (3, 4, 5)), ((64, 128, 10), (7, 7, 7)), ((1, 1, 1), (1, 1, 1))])
def test_network_draws_every_unit_and_connection_it_shows(sizes, units):
    D_in, H, C = sizes
    root, _, _ = parse(diagrams.network_svg(D_in, H, C))
    texts = " ".join(t.text for t in root.iter(f"{SVG}text"))
    circles = len(list(root.iter(f"{SVG}circle")))
    lines = len(list(root.iter(f"{SVG}line")))
    assert circles == sum(units) and lines == units[0] * units[1] + units[1] * units[2]
    P = sum(p.size for p in fcnet.init_params([D_in, H, C]).values())
    assert f"{P} parameters" in texts and f"{H} × {D_in}" in texts and f"{C} × {H}" in texts


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: diagrams.network_svg(0, 4, 5), "D_in is 0"),
        (lambda: diagrams.network_svg(3, 4.0, 5), "H is 4.0"),
        (lambda: diagrams.example_graph("third"), "which is 'third'"),
        (lambda: diagrams.example_graph("seed", n=2), r"n is 2; expected an example \(column\) index in \[0, 2\)"),
        (lambda: diagrams.example_graph("second", h=-1), "h is -1"),
        (lambda: diagrams.unit_graph(*fcnet.random_example(2, 8, 3, 3)), "D_in=8 and C=3; expected D_in <= 4"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@given(st.sampled_from(sorted(gates.GATES)), st.floats(-10, 10), st.floats(-10, 10), st.floats(-3, 3))
def test_gate_backward_is_the_derivative(name, x, y, g):
    gate = gates.GATES[name]
    if name == "max" and abs(x - y) < 1e-3:  # max has no derivative at a tie
        y = x + 1.0
    num = fcnet.numerical_gradient(lambda v: g * gate.forward(v[0], v[1]), np.array([x, y]), h=1e-6)
    np.testing.assert_allclose(gate.backward(g, x, y), num, rtol=1e-6, atol=1e-6)


def test_gate_figure_shows_the_three_patterns():
    _, nodes, edges = parse(gates.gates_svg())
    grads = {k: json.loads(v.get("data-grad")) for k, v in edges.items()}
    u = gates.UPSTREAM
    assert grads["add.x→add.out"] == grads["add.y→add.out"] == u  # add distributes
    (mx, my), (ax, ay) = gates.EXAMPLE_INPUTS["mul"], gates.EXAMPLE_INPUTS["max"]
    assert (grads["mul.x→mul.out"], grads["mul.y→mul.out"]) == (u * my, u * mx)  # multiply swaps
    assert sorted([grads["max.x→max.out"], grads["max.y→max.out"]]) == [0.0, u] and ax != ay  # max routes
    assert all(
        json.loads(nodes[f"{g}.J"].get("data-value")) == u * json.loads(nodes[f"{g}.out"].get("data-value"))
        for g in gates.GATES
    )
