"""The knowledge graph: build it from records; its node and edge kinds are in ``schema``."""
from __future__ import annotations

from kg.graph.build import GraphBuilder, build_graph

__all__ = ["GraphBuilder", "build_graph"]
