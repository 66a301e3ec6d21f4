"""Tests of report.html as text: counts, top entities, charts, results tables, links, escaping,
and the same report from an in-memory and a streamed build."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from graph_fixtures import hostile_graph, small_graph
from kg.export.report import generate_report, report_data, results_table, write_report
from kg.graph import schema
from kg.sample import SAMPLE_PATH
from scale_support import build_rules


def test_counts_match_the_graph():
    graph = small_graph()
    data = report_data(graph)
    kinds = [kind for _, kind in graph.nodes(data="type")]
    assert data.counts["Papers"] == kinds.count(schema.PAPER)
    assert data.counts["Methods"] == kinds.count(schema.METHOD)
    assert data.counts["Results"] == kinds.count(schema.RESULT)
    assert data.counts["Repositories"] == kinds.count(schema.REPOSITORY)
    with_code = {u for u, _, r in graph.edges(data="relation") if r == schema.HAS_CODE}
    assert data.counts["Papers with code"] == len(with_code) == len(data.code)


def test_top_entities_are_ranked_by_papers():
    graph = small_graph()
    data = report_data(graph)
    for kind in schema.ENTITY_NODE_TYPES:
        papers = [e.papers for e in data.top[kind]]
        assert papers == sorted(papers, reverse=True)
        assert papers == sorted((d["papers"] for _, d in graph.nodes(data=True) if d["type"] == kind), reverse=True)


def test_results_are_grouped_by_dataset_and_metric_best_first():
    graph = small_graph()
    table = results_table(report_data(graph))
    with_dataset = [d for _, d in graph.nodes(data=True) if d["type"] == schema.RESULT and d["dataset"]
                    and d.get("kind") != "relative"]
    assert sum(len(rows) for _, metrics in table for _, rows in metrics) == len(with_dataset)
    for dataset, metrics in table:
        for metric, rows in metrics:
            assert {(r.dataset, r.metric) for r in rows} == {(dataset.id, metric)}
            lower = metric is not None and graph.nodes[metric].get("direction") == "lower"
            assert [r.value for r in rows] == sorted((r.value for r in rows), reverse=not lower)
    papers = [dataset.papers for dataset, _ in table]
    assert papers == sorted(papers, reverse=True)


def test_a_lower_is_better_metric_ranks_ascending_and_relative_claims_are_left_out():
    graph = small_graph()
    results = [(n, d) for n, d in graph.nodes(data=True) if d["type"] == schema.RESULT and d["dataset"]]
    metric = next(d["metric"] for _, d in results if d["metric"])
    same = [n for n, d in results if d["metric"] == metric]
    for number, node in enumerate(same):
        graph.nodes[node]["value"] = float(10 + number)
    graph.nodes[metric]["direction"] = "lower"
    relative = results[-1][0]
    graph.nodes[relative]["kind"] = "relative"
    rows = [r for _, metrics in results_table(report_data(graph)) for m, rs in metrics if m == metric
            for r in rs]
    assert [r.value for r in rows] == sorted(r.value for r in rows)
    assert all(r.text != graph.nodes[relative]["text"] or relative not in same for r in rows)
    kept = {r.value for _, metrics in results_table(report_data(graph)) for _, rs in metrics for r in rs}
    assert len([n for n, d in results if n != relative]) >= len(kept)


def test_page_is_offline_and_scriptless():
    page = generate_report(small_graph())
    assert "<script" not in page.lower()
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    assert not re.search(r"<(link|img|iframe)[^>]+(src|href)=\"?(https?:)?//", page, re.I)
    assert not re.search(r"\bsrc=", page)
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert '"Segoe UI"' in style and "&#34;" not in style


def test_every_entity_links_to_the_graph_page_focused_on_it():
    graph = small_graph()
    page = generate_report(graph)
    focused = {unquote(m) for m in re.findall(r'href="graph\.html#focus=([^"]+)"', page)}
    entities = {n for n, kind in graph.nodes(data="type") if kind in schema.ENTITY_NODE_TYPES}
    assert entities <= focused and focused <= set(graph)


def test_charts_are_inline_svg_with_one_bar_per_item():
    graph = small_graph()
    page = generate_report(graph)
    years = {d["year"] for _, d in graph.nodes(data=True) if d["type"] == schema.PAPER and d.get("year")}
    years_chart = page.split('id="years-chart"', 1)[1].split("</svg>", 1)[0]
    assert years_chart.count("<rect") == len(years)
    datasets = sum(1 for _, kind in graph.nodes(data="type") if kind == schema.DATASET)
    datasets_chart = page.split('id="datasets-chart"', 1)[1].split("</svg>", 1)[0]
    assert datasets_chart.count("<rect") == min(datasets, 10)


@pytest.mark.parametrize("payload", ["<img src=x", "</script><script>", "<brackets>"])
def test_hostile_names_are_escaped(payload):
    page = generate_report(hostile_graph())
    assert payload not in page
    assert "&lt;img src=x onerror=" in page


def test_write_report(tmp_path):
    path = write_report(small_graph(), tmp_path / "report.html")
    assert path.read_text(encoding="utf-8") == generate_report(small_graph())


def test_a_streamed_build_writes_the_same_report(tmp_path):
    memory = build_rules([SAMPLE_PATH], tmp_path / "memory", stream=False, formats=("report",))
    streamed = build_rules([SAMPLE_PATH], tmp_path / "streamed", stream=True, formats=("report",))
    assert tmp_path / "memory" / "report.html" in memory.files
    assert tmp_path / "streamed" / "report.html" in streamed.files
    memory_page = (tmp_path / "memory" / "report.html").read_text(encoding="utf-8")
    streamed_page = (tmp_path / "streamed" / "report.html").read_text(encoding="utf-8")
    # Papers are not in a streamed build's graph page: their titles are not links there.
    assert re.sub(r'<a href="graph\.html#focus=paper%2F[^"]*" (title="[^"]*")>(.*?)</a>', r"<span \1>\2</span>",
                  memory_page) == streamed_page
    assert memory_page.count("<tr>") > 40


def test_readme_describes_the_views_with_their_real_limits():
    from kg.export.html import MAP_NODES
    from kg.export.report import TABLE_DATASETS, TOP_ENTITIES

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    app = (Path(__file__).resolve().parents[1] / "kg" / "export" / "html_assets" / "app.js").read_text(encoding="utf-8")
    smallest = re.search(r"LABEL_MIN_PX = (\d+)", app).group(1)
    largest = re.search(r"LABEL_MAX_PX = (\d+)", app).group(1)
    assert f"It opens on the **entity map**: the {MAP_NODES} methods" in readme
    assert f"bounded screen size ({smallest}-{largest} px at every zoom)" in readme
    assert f"the top {TOP_ENTITIES} methods, datasets, metrics and tasks by papers" in readme
    assert f"for each dataset (the {TABLE_DATASETS} in most\npapers)" in readme
    for image in ("outputs/graph.png", "outputs/report.png"):
        assert f"]({image})" in readme and (Path(__file__).resolve().parents[1] / image).is_file()

