"""Shelter directory in Chromium: static filters with JS off, live filter with JS on, axe."""

import pytest
from playwright.sync_api import expect

from browser.conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

INDEX = {"es": "/refugios/", "en": "/en/shelters/"}
STATE = {"es": "/refugios/estado/ciudad-de-mexico/", "en": "/en/shelters/state/ciudad-de-mexico/"}


def visible_cards(page):
    return page.locator("[data-shelter]:visible").count()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_state_and_service_pages_work_without_javascript(visit, site_url, viewport):
    v = visit(viewport=viewport, javascript=False)
    v.page.goto(site_url + INDEX["es"])
    assert visible_cards(v.page) == 5
    assert not v.page.locator("form.app-filter").is_visible()
    v.page.get_by_role("link", name="Ciudad de México (3)").click()
    v.page.wait_for_url(site_url + STATE["es"])
    assert visible_cards(v.page) == 3
    assert v.page.locator("h1").inner_text() == "Refugios y apoyo en Ciudad de México"
    current = v.page.locator('.app-chips__link[aria-current="page"]')
    assert current.inner_text().startswith("Ciudad de México")
    v.page.get_by_role("link", name="Atención a personas migrantes (1)").click()
    v.page.wait_for_url(site_url + "/refugios/servicio/migrantes/")
    assert visible_cards(v.page) == 1
    assert "Tapachula, Chiapas" in v.page.locator("[data-shelter]").inner_text()
    v.page.get_by_role("link", name="Todos los refugios y organizaciones").click()
    v.page.wait_for_url(site_url + INDEX["es"])
    assert v.external == []


def test_english_state_page_without_javascript(visit, site_url):
    v = visit(javascript=False)
    v.page.goto(site_url + INDEX["en"])
    v.page.get_by_role("link", name="Tlaxcala (1)").click()
    v.page.wait_for_url(site_url + "/en/shelters/state/tlaxcala/")
    assert visible_cards(v.page) == 1
    # The preview shows the pending address as an editors' note.
    assert v.page.locator(".app-shelter__address .app-editor-note").count() == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_live_filter_with_javascript(visit, site_url, viewport):
    v = visit(viewport=viewport)
    v.page.goto(site_url + INDEX["en"])
    form = v.page.locator("form.app-filter")
    assert form.is_visible()
    status = v.page.locator("[data-filter-status]")
    v.page.select_option("#filter-state", label="Mexico City")
    assert visible_cards(v.page) == 3
    assert status.inner_text() == "Showing 3 of 5 organisations."
    v.page.select_option("#filter-service", label="Legal advice")
    assert visible_cards(v.page) == 2
    v.page.select_option("#filter-state", label="Chiapas")
    assert visible_cards(v.page) == 0
    assert v.page.locator("[data-filter-empty]").is_visible()
    v.page.select_option("#filter-state", value="")
    v.page.select_option("#filter-service", value="")
    v.page.fill("#filter-text", "tapachula")
    expect(v.page.locator("[data-shelter]:visible")).to_have_count(1)
    assert not v.page.locator("[data-filter-empty]").is_visible()
    v.page.fill("#filter-text", "MERCEDES")  # case and accents do not matter
    expect(v.page.locator("[data-shelter]:visible")).to_contain_text("Casa de las Mercedes")
    expect(status).to_have_text("Showing 1 of 5 organisations.")
    assert v.external == []


def test_live_filter_survives_going_back(visit, site_url):
    """Back from another page, Chromium puts the chosen state back in its field: the list shows
    that state only (it showed every card)."""
    v = visit(viewport=DESKTOP)
    v.page.goto(site_url + INDEX["en"])
    v.page.select_option("#filter-state", label="Mexico City")
    expect(v.page.locator("[data-shelter]:visible")).to_have_count(3)
    v.page.get_by_role("link", name="Alerta Trata").first.click()
    v.page.wait_for_url(site_url + "/en/")
    v.page.go_back()
    v.page.wait_for_url(site_url + INDEX["en"])
    assert v.page.input_value("#filter-state") != ""
    expect(v.page.locator("[data-shelter]:visible")).to_have_count(3)
    expect(v.page.locator("[data-filter-status]")).to_have_text("Showing 3 of 5 organisations.")


def test_live_filter_speaks_spanish(visit, site_url):
    v = visit()
    v.page.goto(site_url + INDEX["es"])
    v.page.select_option("#filter-state", label="Tlaxcala")
    assert v.page.locator("[data-filter-status]").inner_text() == (
        "Se muestran 1 de 5 organizaciones."
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "path",
    [INDEX["es"], STATE["es"], INDEX["en"], STATE["en"]],
    ids=["es", "es-state", "en", "en-state"],
)
def test_axe_finds_no_violations(visit, site_url, path, viewport):
    # axe-core needs JavaScript (it hangs with it off); the JS-off page is the same HTML
    # minus the live filter form, which stays hidden.
    v = visit(viewport=viewport)
    v.page.goto(site_url + path)
    assert axe_violations(v.page) == []
