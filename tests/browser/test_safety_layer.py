"""The visitor safety layer in Chromium: quick exit, hotline, no third-party requests, axe."""

import re

import pytest

from browser.conftest import DESKTOP, PHONE, STUB, axe_violations

pytestmark = pytest.mark.browser

EXIT_HOST = re.compile(r"^https://smn\.conagua\.gob\.mx/")
PAGES = {
    "es": ["/", "/articulos/senales/", "/linea-contra-la-trata/", "/navegar-con-seguridad/"],
    "en": ["/en/", "/en/articles/signs/", "/en/hotline/", "/en/browsing-safely/"],
}
ALL_PAGES = [(lang, path) for lang, paths in PAGES.items() for path in paths]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_exit_link_works_without_javascript(visit, site_url, lang):
    v = visit(javascript=False)
    v.page.goto(site_url + PAGES[lang][1])
    v.page.click("#quick-exit")
    v.page.wait_for_url(EXIT_HOST)
    assert v.page.title() == "Weather"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_shift_three_times_leaves_the_page(visit, site_url, lang):
    v = visit()
    v.page.goto(site_url + PAGES[lang][1])
    for _ in range(3):
        v.page.keyboard.press("Shift")
    v.page.wait_for_url(EXIT_HOST)


@pytest.mark.parametrize(
    "keys",
    [
        ["Shift", "Shift", "a", "Shift"],
        ["Shift+A", "Shift+B", "Shift+C"],
        ["Shift", "Shift+Tab", "Shift"],
        ["Control+Shift", "Control+Shift", "Control+Shift"],
    ],
    ids=["letter-between", "shift-letter", "shift-tab", "with-control"],
)
def test_other_keys_do_not_leave(visit, site_url, keys):
    v = visit()
    v.page.goto(site_url + "/articulos/senales/")
    for key in keys:
        v.page.keyboard.press(key)
    v.page.wait_for_timeout(300)
    assert v.page.url == site_url + "/articulos/senales/"
    assert v.external == []


def test_overlay_and_status_message_appear_before_leaving(visit, site_url):
    v = visit()
    seen, held = [], []
    v.context.route(EXIT_HOST, lambda route: held.append(route))  # hold it until we have looked
    v.page.expose_function("reportOverlay", lambda *box: seen.append(box))
    v.page.goto(site_url + "/en/articles/signs/")
    # The overlay lives only until the next page loads, so report it the moment it appears.
    v.page.evaluate("""() => new MutationObserver(() => {
        const o = document.querySelector('.app-exit__overlay');
        if (o) { const r = o.getBoundingClientRect();
                 window.reportOverlay(o.textContent, r.width, r.height); }
    }).observe(document.body, {childList: true})""")
    v.page.keyboard.press("Shift")
    assert "Press it 2 more times" in v.page.text_content("[data-exit-status]")
    v.page.keyboard.press("Shift")
    v.page.keyboard.press("Shift")
    for _ in range(50):
        if seen and held:
            break
        v.page.wait_for_timeout(100)
    assert seen[:1] == [("Leaving this page…", PHONE["width"], PHONE["height"])]
    held[0].fulfill(status=200, content_type="text/html", body=STUB)
    v.page.wait_for_url(EXIT_HOST)


def test_back_returns_to_a_working_page(visit, site_url):
    v = visit()
    v.page.goto(site_url + "/")
    v.page.goto(site_url + "/articulos/senales/")
    v.page.click("#quick-exit")
    v.page.wait_for_url(EXIT_HOST)
    v.page.go_back()
    # replace() took the page we left out of the history: Back goes to the one before it.
    assert v.page.url == site_url + "/"
    assert v.page.locator(".app-exit__overlay").count() == 0
    v.page.locator("#quick-exit").wait_for(state="visible")
    for _ in range(3):
        v.page.keyboard.press("Shift")
    v.page.wait_for_url(EXIT_HOST)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_hotline_is_within_the_first_tab_presses(visit, site_url, lang):
    v = visit()
    v.page.goto(site_url + PAGES[lang][1])
    reached = []
    for _ in range(5):
        v.page.keyboard.press("Tab")
        reached.append(v.page.evaluate("document.activeElement.getAttribute('href')"))
        if reached[-1] == "tel:+528005533000":
            break
    assert "tel:+528005533000" in reached, reached
    name = v.page.evaluate("document.activeElement.textContent")
    assert "800 5533 000" in name


def test_quick_exit_sticks_on_a_phone_and_is_hidden_in_print(visit, site_url):
    v = visit()
    v.page.goto(site_url + "/articulos/senales/")
    v.page.mouse.wheel(0, 3000)
    v.page.wait_for_timeout(200)
    box = v.page.locator("#quick-exit").bounding_box()
    assert 0 <= box["y"] < 60
    v.page.emulate_media(media="print")
    assert not v.page.locator("#quick-exit").is_visible()


@pytest.mark.parametrize("lang, path", ALL_PAGES)
def test_no_request_goes_to_another_host(visit, site_url, lang, path):
    v = visit()
    v.page.goto(site_url + path)
    v.page.wait_for_load_state("networkidle")
    assert v.external == []
    assert v.context.cookies() == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang, path", ALL_PAGES)
def test_axe_finds_no_violations(visit, site_url, lang, path, viewport):
    v = visit(viewport=viewport)
    v.page.goto(site_url + path)
    assert axe_violations(v.page) == []
