"""The HTML pages in a real browser (headless Chromium): the entity map draws readable labels
that never overlap, search finds and keeps a node in view, every repository is reachable, the
report renders its tables and charts, both pages stay offline and run none of the scripts
hidden in hostile titles and names.

The demo and seed pages are built by the real pipeline; the checks are properties (counts,
boxes, positions), never the names the extraction happens to find today.
"""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from browser import load_page, open_browser, requested_urls, require_chromium
from graph_fixtures import hostile_graph, small_graph
from kg.export.html import write_html
from kg.export.report import write_report
from kg.graph import schema
from kg.build import build
from kg.sample import SAMPLE_PATH
from seeds import SEED_REPOSITORIES, SEEDS
from test_html import synthetic_graph


@pytest.fixture(scope="module")
def session():
    with open_browser(require_chromium()) as driver:
        yield driver


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """name -> output directory of the demo sample and the seeds, built with the defaults."""
    outputs = {}
    for name, inputs in (("demo", [SAMPLE_PATH]), ("seeds", sorted(SEEDS.glob("*.txt")))):
        if not inputs:
            continue
        out = tmp_path_factory.mktemp(name)
        build(inputs, out, formats=("html", "report"), rdf_store=False)
        outputs[name] = out
    return outputs


def built_page(built, name: str, page: str) -> Path:
    if name not in built:
        pytest.skip(f"{name} inputs are not beside the checkout")
    return built[name] / page


def open_page(session, path: Path, fragment: str = "") -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    if fragment:
        session.get_log("performance")
        session.get(path.resolve().as_uri() + fragment)
        WebDriverWait(session, 60).until(lambda s: s.execute_script("return !!window.kg"))
    else:
        load_page(session, path)
    session.execute_async_script("window.kg.ready.then(arguments[arguments.length - 1])")


def search(session, text: str) -> str:
    from selenium.webdriver.common.by import By

    box = session.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text)
    session.find_element(By.CSS_SELECTOR, "#search-form button").click()
    return session.find_element(By.ID, "search-status").text


def offsite(urls: list[str]) -> list[str]:
    """URLs that left the machine (chrome: is the browser's own start page, not ours)."""
    return [url for url in urls if not url.startswith(("file:", "data:", "chrome:", "about:"))]


def label_boxes(session) -> list[dict]:
    session.execute_script("kg.network.redraw()")
    return session.execute_script("return kg.labelBoxes()")


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]]


def node_on_screen(session, node: str) -> bool:
    """Whether the node's centre lies inside the drawing area of the page."""
    return session.execute_script(
        """const at = kg.network.canvasToDOM(kg.network.getPosition(arguments[0]));
           const frame = document.getElementById('network').getBoundingClientRect();
           return at.x >= 0 && at.y >= 0 && at.x <= frame.width && at.y <= frame.height;""", node)


def test_sample_page_draws_searches_filters_and_stays_offline(session, tmp_path):
    from selenium.webdriver.common.by import By

    graph = small_graph()
    path = tmp_path / "graph.html"
    summary = write_html(graph, path)
    open_page(session, path)
    assert session.execute_script("return kg.drawnNodeCount()") == summary.nodes

    assert search(session, "imagenet") == "Found: ImageNet"
    panel = session.find_element(By.ID, "details")
    assert panel.is_displayed()
    assert session.find_element(By.CSS_SELECTOR, "#details h2").text == "ImageNet"
    marks = [m.text for m in session.find_elements(By.CSS_SELECTOR, "#details mark")]
    assert "ImageNet" in marks
    assert session.execute_script("return kg.network.getSelectedNodes()") == ["dataset/imagenet"]
    assert search(session, "no such thing") == 'No node matches "no such thing"'

    drawn = session.execute_script("return kg.drawnNodeCount()")
    papers = sum(1 for _, t in graph.nodes(data="type") if t == schema.PAPER)
    box = session.find_element(By.CSS_SELECTOR, 'input[data-group="Paper"]')
    assert not box.is_selected()
    box.click()
    assert session.execute_script("return kg.drawnNodeCount()") == drawn + papers
    counts = session.find_element(By.ID, "groups").text
    assert f"Paper {papers}/{papers}" in counts
    box.click()
    assert session.execute_script("return kg.drawnNodeCount()") == drawn
    assert offsite(requested_urls(session)) == []


@pytest.mark.parametrize("name", ["demo", "seeds"])
def test_default_zoom_shows_many_labels_and_none_overlap(session, built, name):
    open_page(session, built_page(built, name, "graph.html"))
    boxes = label_boxes(session)
    assert len(boxes) >= 30
    assert overlapping(boxes) == []
    frame = session.execute_script("return document.getElementById('network').getBoundingClientRect().toJSON()")
    assert all(frame["left"] <= b["left"] and b["right"] <= frame["right"]
               and frame["top"] <= b["top"] and b["bottom"] <= frame["bottom"] for b in boxes)
    heights = {round(b["bottom"] - b["top"]) for b in boxes}
    session.execute_script("kg.network.moveTo({scale: kg.network.getScale() * 4, animation: false})")
    zoomed = label_boxes(session)
    assert overlapping(zoomed) == []
    # the on-screen font size is bounded: zooming in does not grow the labels
    assert {round(b["bottom"] - b["top"]) for b in zoomed} <= heights | {max(heights)}
    assert offsite(requested_urls(session)) == []


@pytest.mark.parametrize("name", ["demo", "seeds"])
def test_a_found_node_stays_in_view(session, built, name):
    open_page(session, built_page(built, name, "graph.html"))
    # an entity drawn on demand (not on the map), so that finding it also has to draw it
    node, text = session.execute_script(
        """const shown = new Set(kg.visibleNodes.getIds());
           const hidden = JSON.parse(document.getElementById('kg-data').textContent).nodes
             .filter((n) => !shown.has(n.id));
           const n = hidden.find((x) => x.group === 'Other entities') || hidden[0];
           return [n.id, n.name];""")
    assert search(session, text).startswith("Found: ")
    assert session.execute_script("return kg.network.getSelectedNodes()") == [node]
    time.sleep(10)
    assert node_on_screen(session, node)
    labels = [b["id"] for b in label_boxes(session)]
    assert node in labels


def test_every_seed_repository_is_reachable_and_findable(session, built):
    from selenium.webdriver.common.by import By

    path = built_page(built, "seeds", "graph.html")
    open_page(session, path)
    for url in sorted(SEED_REPOSITORIES):
        node = "repo/" + url.split("://", 1)[1]
        # from the panel: the paper that links to the code has a button that opens it
        paper = session.execute_script(
            """const data = JSON.parse(document.getElementById('kg-data').textContent);
               return Object.keys(data.details).find((id) => data.details[id].type === 'Paper'
                 && data.details[id].links.some((l) => l.id === arguments[0]));""", node)
        assert paper, url
        session.execute_script("kg.focusNode(arguments[0])", paper)
        buttons = [b for b in session.find_elements(By.CSS_SELECTOR, "#details .link-button")
                   if b.text == url.split("://", 1)[1]]
        assert buttons, url
        buttons[0].click()
        assert session.execute_script("return kg.network.getSelectedNodes()") == [node]
        assert node_on_screen(session, node)
        # by search
        assert search(session, url.split("://", 1)[1]) == f"Found: {url.split('://', 1)[1]}"
        assert session.execute_script("return kg.network.getSelectedNodes()") == [node]
    assert offsite(requested_urls(session)) == []


def test_report_renders_tables_and_charts_offline_and_links_to_the_graph(session, built):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    path = built_page(built, "demo", "report.html")
    session.get_log("performance")
    session.get(path.resolve().as_uri())
    assert session.find_element(By.TAG_NAME, "h1").text == "kg report"
    assert len(session.find_elements(By.CSS_SELECTOR, "table.top tr")) > 20
    assert len(session.find_elements(By.CSS_SELECTOR, "table.results tr")) > 5
    assert len(session.find_elements(By.CSS_SELECTOR, "table.code tr")) > 5
    for chart in ("years-chart", "datasets-chart"):
        svg = session.find_element(By.ID, chart)
        assert svg.size["width"] > 100 and svg.size["height"] > 50
        assert len(svg.find_elements(By.TAG_NAME, "rect")) >= 2
    assert offsite(requested_urls(session)) == []
    link = session.find_element(By.CSS_SELECTOR, 'table.top[data-type="Dataset"] a')
    target = link.get_attribute("href").split("#focus=", 1)[1]
    link.click()
    WebDriverWait(session, 60).until(lambda s: s.execute_script("return !!window.kg"))
    assert session.execute_script("return kg.network.getSelectedNodes()") == [unquote(target)]
    assert node_on_screen(session, unquote(target))
    assert offsite(requested_urls(session)) == []


def test_focus_in_the_address_opens_the_page_on_that_node(session, built):
    path = built_page(built, "demo", "graph.html")
    open_page(session, path)
    node = session.execute_script("return kg.visibleNodes.getIds().slice(-1)[0]")
    open_page(session, path, "#focus=" + quote(node, safe=""))
    assert session.execute_script("return kg.network.getSelectedNodes()") == [node]
    centre = session.execute_script(
        """const at = kg.network.canvasToDOM(kg.network.getPosition(arguments[0]));
           const frame = document.getElementById('network');
           return [at.x / frame.clientWidth, at.y / frame.clientHeight];""", node)
    # centred in the canvas left beside the open panel, not under it
    assert all(abs(c - 0.5) < 0.05 for c in centre)


@pytest.mark.parametrize("view", ["entity-map", "full"])
def test_hostile_graph_page_runs_no_injected_script(session, tmp_path, view):
    from selenium.webdriver.common.by import By

    graph = hostile_graph()
    path = tmp_path / "hostile.html"
    write_html(graph, path, view=view)
    open_page(session, path)
    shown = []
    for node in sorted(graph):
        session.execute_script("kg.focusNode(arguments[0])", node)
        shown.append(session.find_element(By.CSS_SELECTOR, "#details h2").text)
    assert any("</script><script>window.__pwned=1</script>" in text for text in shown)
    assert any('<img src=x onerror="window.__pwned=1">' in text for text in shown)
    assert session.find_elements(By.CSS_SELECTOR, "#details img, #details script") == []
    assert search(session, "</script><script>window.__pwned=1</script>").startswith("Found: ")
    assert session.execute_script("return typeof window.__pwned") == "undefined"
    assert offsite(requested_urls(session)) == []


def test_hostile_report_runs_no_injected_script(session, tmp_path):
    from selenium.webdriver.common.by import By

    path = write_report(hostile_graph(), tmp_path / "report.html")
    session.get_log("performance")
    session.get(path.resolve().as_uri())
    text = session.find_element(By.TAG_NAME, "body").text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert session.find_elements(By.CSS_SELECTOR, "img, script, iframe") == []
    assert session.execute_script("return typeof window.__pwned") == "undefined"
    assert offsite(requested_urls(session)) == []


def test_five_thousand_node_graph_opens_and_is_usable(session, tmp_path):
    graph = synthetic_graph(papers=4000, entities=1000, links=2)
    path = tmp_path / "large.html"
    summary = write_html(graph, path, view="full", max_nodes=5000)
    assert summary.nodes == 5000
    open_page(session, path)
    assert session.execute_script("return kg.drawnNodeCount()") == 5000
    assert search(session, "Paper 3999") == "Found: Paper 3999"
    assert session.execute_script("return kg.network.getSelectedNodes()") == ["paper/p3999"]
    assert overlapping(label_boxes(session)) == []
    assert offsite(requested_urls(session)) == []


def test_trimmed_page_says_what_was_left_out(session, tmp_path):
    from selenium.webdriver.common.by import By

    graph = synthetic_graph(papers=1200, entities=300, links=2)
    path = tmp_path / "trimmed.html"
    summary = write_html(graph, path, view="full", max_nodes=1000)
    open_page(session, path)
    assert session.execute_script("return kg.drawnNodeCount()") == summary.nodes
    assert summary.nodes + sum(summary.on_demand.values()) == 1000
    assert "left out the 500 least-connected nodes" in session.find_element(By.ID, "note").text
    assert sum(summary.left_out.values()) == 500
