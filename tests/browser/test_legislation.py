"""Legislation pages in Chromium: axe on the table and map pages, sorting, focusable tiles."""

import pytest

from browser.conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

PAGES = [
    "/legislacion/",
    "/en/legislation/",
    "/legislacion/metodologia/",
    "/en/legislation/proteja-era/",
    "/en/legislation/federal/",
    "/legislacion/ciudad-de-mexico/",
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(visit, site_url, path, viewport):
    v = visit(viewport=viewport)
    v.page.goto(site_url + path)
    assert axe_violations(v.page) == []
    assert v.external == []


def test_table_reads_the_same_without_javascript(visit, site_url):
    v = visit(javascript=False)
    v.page.goto(site_url + "/en/legislation/")
    assert v.page.locator("table.app-leg-table tbody tr").count() == 33
    assert v.page.locator("thead button").count() == 0


def test_sorting_is_an_enhancement(visit, site_url):
    v = visit(viewport=DESKTOP)
    v.page.goto(site_url + "/en/legislation/")
    heading = v.page.locator("thead th").first
    button = heading.locator("button")
    first = v.page.locator("tbody[data-sort-body] tr").first
    assert first.get_attribute("data-code") == "AGU"
    button.click()
    assert heading.get_attribute("aria-sort") == "ascending"
    button.click()
    assert heading.get_attribute("aria-sort") == "descending"
    assert v.page.locator("tbody[data-sort-body] tr").first.get_attribute("data-code") == "ZAC"
    assert "sorted descending" in v.page.text_content("[data-sort-status]")
    # The federal row stays on top, outside the sorted body.
    assert v.page.locator("tbody").first.locator("tr").get_attribute("data-code") == "FED"


def test_map_tiles_are_focusable_links(visit, site_url):
    v = visit(viewport=PHONE)
    v.page.goto(site_url + "/legislacion/")
    tile = v.page.locator('svg a[data-code="YUC"]')
    tile.focus()
    assert v.page.evaluate("document.activeElement.getAttribute('data-code')") == "YUC"
    box = tile.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.2 target size
    v.page.keyboard.press("Enter")
    v.page.wait_for_url("**/legislacion/yucatan/")
    assert "Yucatán" in v.page.text_content("h1")
