"""The entity-table reduction: per-chunk tables merged in any order and grouping give one table."""
from __future__ import annotations

from functools import reduce
from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build.engines import InProcess, WorkerPool
from kg.build.stages import merge_tables
from kg.graph import schema
from kg.graph.build import EntityTable
from kg.records import EntityRef


def ref(local_id: str, kind: str, name: str, *aliases: str) -> EntityRef:
    return EntityRef(id=local_id, type=kind, name=name, aliases=aliases, keys=(), role=None,
                     confidence=1.0, mentions=())


# Chunks of papers, each paper a list of entities: shared ids, acronyms defined in one chunk
# and used bare in another, names counted differently per chunk.
CHUNKS = [
    [[ref("method/bert", schema.METHOD, "BERT")], [ref("dataset/squad", schema.DATASET, "SQuAD")]],
    [[ref("method/vision-transformer", schema.METHOD, "Vision Transformer", "ViT")],
     [ref("method/bert", schema.METHOD, "Bert"), ref("metric/f1", schema.METRIC, "F1")]],
    [[ref("method/vit", schema.METHOD, "ViT")], [ref("dataset/squad", schema.DATASET, "SQuAD v1.1", "SQuAD")]],
    [[ref("method/bert", schema.METHOD, "BERT"), ref("dataset/imagenet", schema.DATASET, "ImageNet")]],
    [[ref("method/resnet-50", schema.METHOD, "ResNet-50", "ResNet50")]],
]


def chunk_table(papers: list[list[EntityRef]]) -> dict[str, dict]:
    """What ``extract_chunk`` returns as a chunk's table."""
    table = EntityTable()
    for paper in papers:
        for entity in paper:
            table.add(entity)
    return table.to_dict()


TABLES = [chunk_table(chunk) for chunk in CHUNKS]


def one_table() -> EntityTable:
    """The table of every paper, counted one by one in input order (no merge)."""
    table = EntityTable()
    for chunk in CHUNKS:
        for paper in chunk:
            for entity in paper:
                table.add(entity)
    return table


def test_the_sequential_merge_is_the_table_of_every_paper():
    merged = EntityTable.from_dict(reduce(merge_tables, TABLES, {}))
    expected = one_table()
    assert merged.to_dict() == expected.to_dict()
    assert merged.node_of() == expected.node_of()
    assert merged.nodes() == expected.nodes()
    # The acronym ViT defined in one chunk joins its bare use in another.
    assert merged.node_of()["method/vit"] == merged.node_of()["method/vision-transformer"]


@pytest.mark.parametrize("order", list(permutations(range(len(TABLES)))))
def test_tables_merged_in_any_order_give_the_same_table(order):
    tables = [TABLES[i] for i in order]
    assert reduce(merge_tables, tables, {}) == one_table().to_dict()
    assert InProcess().reduce(merge_tables, tables, {}) == one_table().to_dict()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(TABLES) - 1), min_size=1, max_size=12), st.randoms())
def test_any_tree_of_merges_gives_the_table_of_a_fold(picks, random):
    tables = [TABLES[i] for i in picks]
    expected = reduce(merge_tables, tables, {})
    # An arbitrary binary tree: merge two random neighbours until one table is left.
    pending = list(tables)
    while len(pending) > 1:
        at = random.randrange(len(pending) - 1)
        pending[at:at + 2] = [merge_tables(pending[at + 1], pending[at])]
    assert pending[0] == expected
    assert InProcess().reduce(merge_tables, tables, {}) == expected


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 8, 9])
def test_the_engine_reduction_merges_every_item_once(count):
    assert sorted(InProcess().reduce(lambda a, b: a + b, ([i] for i in range(count)), [])) == list(range(count))


def test_a_worker_pool_reduces_to_the_same_table():
    with WorkerPool(2) as pool:
        assert pool.reduce(merge_tables, iter(TABLES[::-1]), {}) == one_table().to_dict()
