"""Deterministic drawing geometry shared by the HTML and Gephi views: positions, sizes, colours.

The layout is a Fruchterman-Reingold force simulation with gravity, written with numpy so
that it stays fast on graphs of thousands of nodes: attraction runs over every edge, while
repulsion runs against a seeded random sample of at most ``REPULSION_SAMPLE`` nodes per
step (exact below that size).  The same graph and seed always give the same positions.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

import networkx as nx
import numpy as np

from kg.graph import schema

__all__ = [
    "NODE_COLORS",
    "RELATION_COLORS",
    "RELATION_FAMILIES",
    "RELATION_FAMILY",
    "REPULSION_SAMPLE",
    "layout_positions",
    "node_sizes",
    "packed_positions",
    "place_around",
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

# Relation families: one colour (and one legend entry) each; the three links of a result to
# its method, dataset and metric, and the paper's link to the result, are one family.
RELATION_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "evaluated on": ("#1B9E77", ("evaluatedOn",)),
    "applied to": ("#7570B3", ("appliedTo",)),
    "scored with": ("#D95F02", ("scoredWith",)),
    "co-occurs with": ("#999999", ("coOccursWith",)),
    "proposes / uses": ("#E7298A", (schema.PROPOSES, schema.USES)),
    "introduces / evaluates on": ("#66A61E", (schema.INTRODUCES, schema.EVALUATES_ON)),
    "reports metric": ("#E6AB02", (schema.REPORTS_METRIC,)),
    "addresses task": ("#A6761D", (schema.ADDRESSES_TASK,)),
    "has code": ("#000000", (schema.HAS_CODE,)),
    "results": ("#1F78B4", (schema.REPORTS_RESULT, schema.RESULT_METHOD, schema.RESULT_DATASET,
                            schema.RESULT_METRIC)),
}
RELATION_FAMILY: dict[str, str] = {
    relation: family for family, (_, relations) in RELATION_FAMILIES.items() for relation in relations
}
RELATION_COLORS: dict[str, str] = {
    relation: RELATION_FAMILIES[family][0] for relation, family in RELATION_FAMILY.items()
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


def packed_positions(graph: nx.Graph, *, seed: int = 0, gap: float = _SPACING) -> dict[str, tuple[float, float]]:
    """``layout_positions`` of each connected component on its own, the components packed
    in rows, largest first, into a roughly square block centred on the origin.

    Laid out together, small components are pushed far from the big one and the view that
    fits them all shows the big one as a blot; packed, every component keeps its scale.

    >>> positions = packed_positions(nx.Graph([("a", "b"), ("c", "d")]))
    >>> sorted(positions) == ["a", "b", "c", "d"]
    True
    """
    parts = []
    for component in nx.connected_components(graph.to_undirected(as_view=True)):
        local = layout_positions(graph.subgraph(component), seed=seed)
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        parts.append((local, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    parts.sort(key=lambda part: (-len(part[0]), min(map(str, part[0]))))
    area = sum((w + gap) * (h + gap) for _, _, _, w, h in parts)
    row_width = max(max((w for *_, w, _ in parts), default=0.0), math.sqrt(area) * 1.2)
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for local, left, top, width, height in parts:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node, (px, py) in local.items():
            placed[node] = (px - left + x, py - top + y)
        x += width + gap
        row_height = max(row_height, height)
    if not placed:
        return {}
    middle_x = (min(p[0] for p in placed.values()) + max(p[0] for p in placed.values())) / 2
    middle_y = (min(p[1] for p in placed.values()) + max(p[1] for p in placed.values())) / 2
    return {node: (round(px - middle_x, 2), round(py - middle_y, 2)) for node, (px, py) in placed.items()}


def node_sizes(
    graph: nx.Graph, *, smallest: float = 10.0, largest: float = 50.0,
    values: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Node -> size growing with the square root of its degree (or of ``values[node]``, such as
    its number of papers), in [smallest, largest]."""
    measure = {node: float(values.get(node, 0)) for node in graph} if values is not None else dict(graph.degree())
    top = max(measure.values(), default=0)
    if top <= 0:
        return {node: smallest for node in graph}
    return {
        node: round(smallest + (largest - smallest) * math.sqrt(max(value, 0) / top), 2)
        for node, value in measure.items()
    }


def place_around(
    graph: nx.Graph, fixed: dict[str, tuple[float, float]], *, distance: float = 40.0
) -> dict[str, tuple[float, float]]:
    """Positions for the nodes of ``graph`` not in ``fixed``, each near the placed nodes it
    links to (breadth first from ``fixed``), at a direction set by its id; nodes linked to
    nothing placed go on a ring outside everything.  Deterministic.

    >>> placed = place_around(nx.path_graph(["a", "b"]), {"a": (0.0, 0.0)})
    >>> round(math.dist(placed["b"], (0.0, 0.0)))
    40
    """
    positions = dict(fixed)
    frontier = sorted((node for node in fixed if node in graph), key=str)
    while frontier:
        following = []
        for node in sorted({n for f in frontier for n in nx.all_neighbors(graph, f)} - positions.keys(), key=str):
            anchors = [positions[n] for n in nx.all_neighbors(graph, node) if n in positions]
            x = sum(p[0] for p in anchors) / len(anchors)
            y = sum(p[1] for p in anchors) / len(anchors)
            angle = _angle(node)
            positions[node] = (round(x + distance * math.cos(angle), 2), round(y + distance * math.sin(angle), 2))
            following.append(node)
        frontier = following
    rest = sorted((node for node in graph if node not in positions), key=str)
    radius = max((math.hypot(*p) for p in positions.values()), default=0.0) + 2 * distance
    for index, node in enumerate(rest):
        angle = 2 * math.pi * index / len(rest)
        positions[node] = (round(radius * math.cos(angle), 2), round(radius * math.sin(angle), 2))
    return {node: positions[node] for node in graph if node not in fixed}


def _angle(node: str) -> float:
    """A direction in [0, 2 pi) fixed by the node's id (stable across runs, unlike hash())."""
    digest = hashlib.blake2b(str(node).encode("utf-8"), digest_size=4).digest()
    return 2 * math.pi * int.from_bytes(digest, "big") / 2**32


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
