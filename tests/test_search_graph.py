"""The reusable search graph (travel._search_graph) equals the per-search copy it replaces."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from geoaccess.engine import travel


class _Net(SimpleNamespace):
    """Only what _augmented_reverse and _search_graph read (weak-referenceable, hashable)."""

    __hash__ = object.__hash__


def _net(n: int, nnz: int, seed: int) -> _Net:
    rng = np.random.default_rng(seed)
    g = sp.random(n, n, density=nnz / n**2, format="csr", random_state=rng)
    g.data = g.data + 1e-3
    return _Net(graph=g, graph_reversed=g.transpose().tocsr())


def _fac(n: int, n_fac: int, m: int, seed: int) -> SimpleNamespace:
    rng = np.random.default_rng(seed)
    return SimpleNamespace(
        point=rng.integers(0, n_fac, m), node=rng.integers(0, n, m), leg_min=rng.random(m) * 5
    )


def _same(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@pytest.mark.parametrize("seed", range(5))
def test_equals_the_copy_and_reuses_the_buffer(seed: int) -> None:
    net = _net(3000, 30000, seed)
    n = net.graph.shape[0]
    # more facilities and legs than the first buffer holds: it grows once
    for k, (n_fac, m) in enumerate([(7, 20), (3, 3), (5000, 12000), (40, 90)]):
        fac = _fac(n, n_fac, m, seed * 10 + k)
        old = travel._augmented_reverse(net, fac, n_fac)
        with travel._search_graph(net, fac, n_fac) as g:
            _same(g, old)
            buf = travel._BUFFERS[net]
            if len(buf.data) < 2 * g.nnz:  # scipy copies a view of under half its base
                assert np.shares_memory(g.data, buf.data)
            src = n + np.arange(min(n_fac, 50))
            d1, _, s1 = dijkstra(g, indices=src, min_only=True, return_predecessors=True)
            d2, _, s2 = dijkstra(old, indices=src, min_only=True, return_predecessors=True)
            assert np.array_equal(d1, d2) and np.array_equal(s1, s2)


def test_busy_buffer_gives_a_private_copy() -> None:
    net = _net(200, 800, 1)
    fac = _fac(200, 4, 10, 2)
    with travel._search_graph(net, fac, 4) as g1:
        seen = []

        def other() -> None:
            with travel._search_graph(net, _fac(200, 6, 12, 3), 6) as g2:
                seen.append(np.shares_memory(g2.data, travel._BUFFERS[net].data))
                _same(g2, travel._augmented_reverse(net, _fac(200, 6, 12, 3), 6))

        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert seen == [False]
        _same(g1, travel._augmented_reverse(net, fac, 4))


@pytest.mark.parametrize("private_routine", [True, False])
def test_graph_reversed_into_the_buffer_equals_the_transpose(monkeypatch, private_routine: bool) -> None:
    """Without a reversed graph kept, the buffer reverses the graph itself: with scipy's
    private csr_tocsc, or (a scipy without it) by transpose().tocsr() and a copy."""
    if not private_routine:
        monkeypatch.setattr(travel, "csr_tocsc", None)
    elif travel.csr_tocsc is None:
        pytest.skip("this scipy has no scipy.sparse._sparsetools.csr_tocsc")
    net = _net(3000, 30000, 7)
    del net.graph_reversed  # as a freshly built network: nothing reversed yet
    fac = _fac(3000, 5, 12, 1)
    old = travel._augmented_reverse(_net(3000, 30000, 7), fac, 5)
    with travel._search_graph(net, fac, 5) as g:
        _same(g, old)
