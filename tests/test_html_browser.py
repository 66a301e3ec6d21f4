"""The HTML page in a real browser (headless Chromium): it draws, searches, filters, stays
offline and runs none of the scripts hidden in hostile titles and names."""
from __future__ import annotations

from pathlib import Path

import pytest

from browser import load_page, open_browser, requested_urls, require_chromium
from graph_fixtures import hostile_graph, small_graph
from kg.export.html import write_html
from kg.graph import schema
from test_html import synthetic_graph


@pytest.fixture(scope="module")
def session():
    with open_browser(require_chromium()) as driver:
        yield driver


def open_page(session, path: Path) -> None:
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


def test_sample_page_draws_searches_filters_and_stays_offline(session, tmp_path):
    from selenium.webdriver.common.by import By

    graph = small_graph()
    path = tmp_path / "graph.html"
    write_html(graph, path)
    open_page(session, path)
    assert session.execute_script("return kg.drawnNodeCount()") == graph.number_of_nodes()

    assert search(session, "imagenet") == "Found: ImageNet"
    panel = session.find_element(By.ID, "details")
    assert panel.is_displayed()
    assert session.find_element(By.CSS_SELECTOR, "#details h2").text == "ImageNet"
    marks = [m.text for m in session.find_elements(By.CSS_SELECTOR, "#details mark")]
    assert "ImageNet" in marks
    assert session.execute_script("return kg.network.getSelectedNodes()") == ["dataset/imagenet"]
    assert search(session, "no such thing") == 'No node matches "no such thing"'

    datasets = sum(1 for _, t in graph.nodes(data="type") if t == schema.DATASET)
    session.find_element(By.CSS_SELECTOR, 'input[data-type="Dataset"]').click()
    assert session.execute_script("return kg.drawnNodeCount()") == graph.number_of_nodes() - datasets
    session.find_element(By.CSS_SELECTOR, 'input[data-type="Dataset"]').click()
    assert session.execute_script("return kg.drawnNodeCount()") == graph.number_of_nodes()

    button = session.find_element(By.ID, "physics")
    assert button.text == "Physics: on"
    button.click()
    assert button.text == "Physics: off"
    assert session.execute_script("return kg.network.physics.physicsEnabled") is False

    assert offsite(requested_urls(session)) == []


def test_hostile_page_runs_no_injected_script(session, tmp_path):
    from selenium.webdriver.common.by import By

    graph = hostile_graph()
    path = tmp_path / "hostile.html"
    write_html(graph, path)
    open_page(session, path)
    assert session.execute_script("return kg.drawnNodeCount()") == graph.number_of_nodes()
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


def test_five_thousand_node_graph_opens_and_is_usable(session, tmp_path):
    graph = synthetic_graph(papers=4000, entities=1000, links=2)
    path = tmp_path / "large.html"
    summary = write_html(graph, path, max_nodes=5000)
    assert summary.nodes == 5000 and not summary.physics
    open_page(session, path)
    assert session.execute_script("return kg.drawnNodeCount()") == 5000
    assert search(session, "Paper 3999") == "Found: Paper 3999"
    assert session.execute_script("return kg.network.getSelectedNodes()") == ["paper/p3999"]
    assert offsite(requested_urls(session)) == []


def test_trimmed_page_says_what_was_left_out(session, tmp_path):
    from selenium.webdriver.common.by import By

    graph = synthetic_graph(papers=1200, entities=300, links=2)
    path = tmp_path / "trimmed.html"
    summary = write_html(graph, path, max_nodes=1000)
    open_page(session, path)
    assert session.execute_script("return kg.drawnNodeCount()") == 1000
    assert "left out the 500 least-connected nodes" in session.find_element(By.ID, "note").text
    assert sum(summary.left_out.values()) == 500
