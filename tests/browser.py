"""Drive Debian's headless Chromium with selenium for the HTML tests and the README's screenshots.

``open_browser()`` yields a WebDriver that records the DevTools network log; tests skip when
Chromium is missing, unless the ``CI`` environment variable is set (CI installs it).
``python tests/browser.py OUT`` (what ``scripts/screenshot`` runs) writes ``OUT/graph.png``
and ``OUT/report.png`` from a build's ``graph.html`` and ``report.html``.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def chromium_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver) executables, or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    return (browser, driver) if browser and driver else None


def require_chromium() -> tuple[str, str]:
    """The Chromium paths; skip the calling test when absent, fail instead under CI."""
    import pytest

    paths = chromium_paths()
    if paths is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are required under CI")
        pytest.skip("chromium/chromedriver not installed")
    pytest.importorskip("selenium")
    return paths


@contextmanager
def open_browser(paths: tuple[str, str], width: int = 1400, height: int = 900) -> Iterator[object]:
    """A headless Chromium WebDriver with a throwaway profile and the performance log on."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = paths
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        session = webdriver.Chrome(service=Service(driver), options=options)
        try:
            yield session
        finally:
            session.quit()


def load_page(session: object, path: Path, timeout: float = 60.0) -> None:
    """Open a local HTML file and wait until its ``window.kg`` object exists."""
    from selenium.webdriver.support.ui import WebDriverWait

    session.set_script_timeout(timeout)
    session.get_log("performance")  # drop what the start page loaded: only this page counts
    session.get(path.resolve().as_uri())
    WebDriverWait(session, timeout).until(lambda s: s.execute_script("return !!window.kg"))


def requested_urls(session: object) -> list[str]:
    """Every URL the page asked for: DevTools network log plus resource timing entries."""
    urls = []
    for entry in session.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += session.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return urls


# page -> (screenshot, window width, window height)
SCREENSHOTS = {
    "graph.html": ("graph.png", 1600, 1000),
    "report.html": ("report.png", 1300, 1500),
}


def screenshot_pages(out: Path) -> list[Path]:
    """Screenshot ``out``'s graph page (once its labels are drawn) and report (its top)."""
    paths = chromium_paths()
    if paths is None:
        raise SystemExit("screenshot: chromium and chromedriver are not installed")
    missing = [name for name in SCREENSHOTS if not (out / name).is_file()]
    if missing:
        raise SystemExit(f"screenshot: {out} has no {', '.join(missing)}: run kg build first")
    written = []
    for page, (png, width, height) in SCREENSHOTS.items():
        with open_browser(paths, width, height) as session:
            if page == "graph.html":
                load_page(session, out / page)
                session.execute_async_script("window.kg.ready.then(arguments[arguments.length - 1])")
            else:
                session.get((out / page).resolve().as_uri())
            session.save_screenshot(str(out / png))
        written.append(out / png)
    return written


if __name__ == "__main__":
    for written in screenshot_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "outputs")):
        print(f"wrote {written}")
