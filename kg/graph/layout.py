"""Deterministic drawing geometry shared by the HTML and Gephi views: positions, sizes, colours.

The layout is a Fruchterman-Reingold force simulation with gravity, written with numpy so
that it stays fast on graphs of thousands of nodes: attraction runs over every edge, while
repulsion runs against a seeded random sample of at most ``REPULSION_SAMPLE`` nodes per
step (exact below that size).  The same graph and seed always give the same positions.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

from kg.graph import schema

__all__ = [
    "NODE_COLORS",
    "RELATION_COLORS",
    "REPULSION_SAMPLE",
    "layout_positions",
    "node_sizes",
]

# Colour-blind-safe palette (Okabe-Ito), one colour per node type.
NODE_COLORS: dict[str, str] = {
    schema.PAPER: "#0072B2",
    schema.METHOD: "#D55E00",
    schema.DATASET: "#009E73",
    schema.METRIC: "#E69F00",
    schema.TASK: "#CC79A7",
    schema.REPOSITORY: "#000000",
    schema.RESULT: "#56B4E9",
}

RELATION_COLORS: dict[str, str] = {
    schema.PROPOSES: "#D55E00",
    schema.USES: "#F0A27A",
    schema.INTRODUCES: "#009E73",
    schema.EVALUATES_ON: "#7FCEB9",
    schema.REPORTS_METRIC: "#E69F00",
    schema.ADDRESSES_TASK: "#CC79A7",
    schema.HAS_CODE: "#555555",
    schema.REPORTS_RESULT: "#56B4E9",
    schema.RESULT_METHOD: "#9ACFEF",
    schema.RESULT_DATASET: "#9ACFEF",
    schema.RESULT_METRIC: "#9ACFEF",
}

REPULSION_SAMPLE = 250
# Pixels per unit of the simulation's ideal edge length: the spacing of the drawn graph.
_SPACING = 110.0


def layout_positions(
    graph: nx.Graph, *, seed: int = 0, iterations: int = 120
) -> dict[str, tuple[float, float]]:
    """Node -> (x, y) in pixels, centred on the origin; deterministic for a given seed.

    >>> positions = layout_positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(positions) == ["a", "b", "c"]
    True
    """
    nodes = sorted(graph.nodes, key=str)
    count = len(nodes)
    if count == 0:
        return {}
    if count == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v})
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    spread = math.sqrt(count)
    positions = rng.uniform(-spread, spread, size=(count, 2))
    temperature = spread / 4
    cooling = (0.01 / 4) ** (1 / iterations)
    for _ in range(iterations):
        displacement = _repulsion(positions, rng) + _attraction(positions, edges)
        displacement -= 0.5 * positions / spread  # gravity keeps components together
        length = np.linalg.norm(displacement, axis=1, keepdims=True)
        step = np.minimum(length, temperature) / np.maximum(length, 1e-9)
        positions += displacement * step
        temperature *= cooling
    positions -= positions.mean(axis=0)
    return {
        node: (round(float(x) * _SPACING, 2), round(float(y) * _SPACING, 2))
        for node, (x, y) in zip(nodes, positions)
    }


def node_sizes(graph: nx.Graph, *, smallest: float = 10.0, largest: float = 50.0) -> dict[str, float]:
    """Node -> size growing with the square root of its degree, in [smallest, largest]."""
    degrees = dict(graph.degree())
    top = max(degrees.values(), default=0)
    if top == 0:
        return {node: smallest for node in graph}
    return {
        node: round(smallest + (largest - smallest) * math.sqrt(degree / top), 2)
        for node, degree in degrees.items()
    }


def _repulsion(positions: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fruchterman-Reingold repulsion k²/d from every node (or a scaled random sample)."""
    count = len(positions)
    if count <= REPULSION_SAMPLE:
        others, scale = positions, 1.0
    else:
        others = positions[rng.choice(count, REPULSION_SAMPLE, replace=False)]
        scale = count / REPULSION_SAMPLE
    dx = positions[:, 0, None] - others[None, :, 0]
    dy = positions[:, 1, None] - others[None, :, 1]
    inverse = 1.0 / np.maximum(dx * dx + dy * dy, 1e-4)
    return scale * np.stack(((dx * inverse).sum(axis=1), (dy * inverse).sum(axis=1)), axis=1)


def _attraction(positions: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Fruchterman-Reingold attraction d²/k pulling the two ends of every edge together."""
    force = np.zeros_like(positions)
    if len(edges) == 0:
        return force
    delta = positions[edges[:, 0]] - positions[edges[:, 1]]
    pull = delta * np.linalg.norm(delta, axis=1, keepdims=True)
    np.add.at(force, edges[:, 0], -pull)
    np.add.at(force, edges[:, 1], pull)
    return force
