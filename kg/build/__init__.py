"""A build, as one engine that runs its stages where the work is.

* ``plan``: ``build`` (what the CLI's ``kg build`` runs), ``load_store`` (``kg store``) and
  ``extract_lines``: the order of the stages, what runs on the engine and what the client
  does (plan, merge small things, rename finished files into place);
* ``stages``: the pure stage functions over parts of the corpus (reading and extraction,
  the entity-table merge that the engine runs as a tree reduction, the outputs of a
  partition of the records and of a piece of the shared nodes);
* ``engines``: where stage functions run: in-process, a local worker pool, Dask futures;
* ``writers``: the streamed and sharded writers of large builds (part files put in order);
* ``outdir``: the staging directory and switch of a transactional build, under
* ``store``: the build's state on disk (``OUT/store/``),
* ``lock``: the lock of an output directory, and
* ``clock``: wall and CPU time per stage.

Each module imports only those below it in this list (``tests/test_layout.py``).
"""
from kg.build.engines import ENGINES
from kg.build.plan import (
    CHUNK_SIZE,
    STREAM_THRESHOLD,
    BuildSummary,
    build,
    extract_lines,
    extract_records,
    extracted_chunks,
    graph_counts,
    load_store,
)
from kg.build.stages import ExtractedChunk, extract_chunk, merge_tables

__all__ = ["CHUNK_SIZE", "ENGINES", "STREAM_THRESHOLD", "BuildSummary", "ExtractedChunk", "build",
           "extract_chunk", "extract_lines", "extract_records", "extracted_chunks", "graph_counts",
           "load_store", "merge_tables"]
