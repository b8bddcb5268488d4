"""Playwright with Debian's Chromium; every request to another host is recorded and stubbed."""

import mimetypes
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PUBLISHED = "https://example.test"  # the published_site fixture's SITEURL
STUB = "<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"


def routed(folder, origin=PUBLISHED):
    """A route handler answering `origin`'s URLs from a built site's files, for a build whose
    links and assets are absolute (`context.route(origin + "/**", routed(folder, origin))`)."""

    def answer(route):
        path = urlparse(route.request.url).path
        target = Path(folder) / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            return route.fulfill(status=404, body="not found")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, body=target.read_bytes(), content_type=kind)

    return answer


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser context whose requests to other hosts are recorded, then answered locally."""

    def __init__(self, browser, viewport=PHONE, javascript=True):
        self.context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        self.external = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body=STUB)

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    """visit(viewport=..., javascript=...) -> Visit; all are closed after the test."""
    opened = []

    def open_visit(**kwargs):
        opened.append(Visit(browser, **kwargs))
        return opened[-1]

    yield open_visit
    for item in opened:
        item.close()


def axe_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
