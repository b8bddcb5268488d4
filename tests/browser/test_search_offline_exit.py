"""Issue 18 in Chromium: search finds the directory and the pamphlets, search without
JavaScript has no form, offline storage only by choice, and the quick exit on touch screens.

One small site (preview build, so editors' notes exist and must stay out of search) with a
verified public directory entry, a confidential one, the real hotline and safety pages and
one pamphlet in each language."""

import shutil

import pytest
from conftest import CONTENT, FIXTURE_FILES, make_content, pelican, serve
from test_shelters import RECENT, entry, shelters_yaml

from browser.conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

DIRECTORY = shelters_yaml(
    entry(
        "centro-frontera",
        name="Centro Frontera Sur",
        state="Chiapas",
        municipality="Tapachula",
        services=["legal", "migrants"],
        public=True,
        phones=["55 0000 3333"],
        address="Avenida Publica Visible 2025, Col. Centro",
        verified_on=RECENT.isoformat(),
    ),
    entry(
        "casa-reservada",
        municipality="Coyoacán",
        address="Calle Secreta Oculta 321, Col. Reservada",
        geo={"lat": 19.351234, "lon": -99.161234},
        verified_on=RECENT.isoformat(),
        # An editors' note (preview only) with a word found nowhere else: never indexed.
        verify=True,
        verify_note={"es": "Revisar el tamarindo.", "en": "Check the tamarind."},
    ),
)
PAGES = ["linea.es.md", "hotline.en.md", "seguridad.es.md", "safety.en.md"]
PAMPHLETS = ["llame.es.md", "call.en.md"]
SEARCH = {"es": "/buscar/", "en": "/en/search/"}
DIRECTORY_PAGE = {"es": "/refugios/", "en": "/en/shelters/"}
PAMPHLET = {
    "es": ("Llame a la Línea Nacional", "/folletos/llame-a-la-linea/"),
    "en": ("Call the National Anti-Trafficking Hotline", "/en/pamphlets/call-the-hotline/"),
}
HOTLINE = {"es": "/linea-contra-la-trata/", "en": "/en/hotline/"}
SAFETY = {"es": "/navegar-con-seguridad/", "en": "/en/browsing-safely/"}
SAVE = {"es": "Guardar esta página para usarla sin conexión", "en": "Save this page to use offline"}
REMOVE = {"es": "Borrar lo que guardó este sitio", "en": "Remove what this site stored"}
STORED = """async () => ({
    workers: (await navigator.serviceWorker.getRegistrations()).map(r => r.scope),
    caches: await caches.keys()})"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    base = tmp_path_factory.mktemp("issue18")
    content = make_content(base / "content", {**FIXTURE_FILES, "data/shelters.yml": DIRECTORY})
    for name in PAGES:
        shutil.copy(CONTENT / "pages" / name, content / "pages" / name)
    (content / "pamphlets").mkdir()
    for name in PAMPHLETS:
        shutil.copy(CONTENT / "pamphlets" / name, content / "pamphlets" / name)
    result = pelican(content, base / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    server = serve(base / "output")
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def search(page, url, lang, words):
    """Every result link (pages and their sections) for `words` on the search page."""
    page.goto(url + SEARCH[lang])
    page.fill("#search-q", words)  # the first focus fetches the Pagefind UI
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__loading')")
    links = page.locator(".pagefind-ui__result-link")
    return [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("words", ["Frontera Sur", "Tapachula"])
def test_search_finds_a_directory_entry_by_name_and_municipality(visit, site_url, lang, words):
    found = search(visit().page, site_url, lang, words)
    hrefs = [href for _text, href in found]
    assert hrefs[0] == DIRECTORY_PAGE[lang], found
    # The entry itself is a sub-result that leads to its card.
    anchor = DIRECTORY_PAGE[lang] + "#shelter-centro-frontera-name"
    assert ("Centro Frontera Sur", anchor) in found, found


@pytest.mark.parametrize("lang", ["es", "en"])
def test_search_finds_a_pamphlet_by_its_title(visit, site_url, lang):
    title, path = PAMPHLET[lang]
    page = visit().page
    found = search(page, site_url, lang, title)
    assert found[0][1] == path, found
    assert found[0][0].startswith(title)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_editors_note_and_no_confidential_address_in_search(visit, site_url, lang):
    page = visit().page
    note = {"es": "tamarindo", "en": "tamarind"}[lang]
    for words, secret in ((note, note), ("Secreta Oculta", "oculta")):
        page.goto(site_url + SEARCH[lang])
        page.fill("#search-q", words)
        # Pagefind also matches prefixes of other words, so look at what it shows.
        page.wait_for_function(
            "words => document.querySelector('.pagefind-ui__message')?.textContent.includes(words)",
            arg=words,
        )
        page.wait_for_function("() => !document.querySelector('.pagefind-ui__loading')")
        shown = page.inner_text(".pagefind-ui__results").lower()
        assert secret not in shown, shown
        assert "centro frontera" not in shown and "organización casa-reservada" not in shown


@pytest.mark.parametrize("lang", ["es", "en"])
def test_search_page_without_javascript_has_no_form_and_links_to_topics(visit, site_url, lang):
    page = visit(javascript=False).page
    page.goto(site_url + SEARCH[lang])
    assert page.locator("form").count() == 0
    assert page.locator("input").count() == 0
    notice = {"es": "La búsqueda necesita JavaScript", "en": "Search needs JavaScript"}[lang]
    assert notice in page.inner_text(".app-search__notice")
    browse = page.locator(".app-search__browse")
    hrefs = browse.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for wanted in (DIRECTORY_PAGE[lang], PAMPHLET[lang][1].rsplit("/", 2)[0] + "/", HOTLINE[lang]):
        assert wanted in hrefs, (wanted, hrefs)
    assert any("/categor" in href for href in hrefs)


def test_search_box_appears_with_javascript(visit, site_url):
    page = visit().page
    page.goto(site_url + "/en/search/")
    assert page.locator(".app-search__notice").is_hidden()
    assert page.locator("form[role=search] #search-q").is_visible()
    page.fill("#search-q", "gooseberry")
    page.keyboard.press("Enter")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert page.url == site_url + "/en/search/"  # the query stays out of the address


def test_nothing_is_stored_until_the_visitor_asks(visit, site_url):
    v = visit()
    for path in ("/", "/en/articles/signs/", HOTLINE["es"], SAFETY["en"]):
        v.page.goto(site_url + path)
        v.page.wait_for_load_state("networkidle")
    assert v.page.evaluate(STORED) == {"workers": [], "caches": []}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_save_then_offline_then_remove(visit, site_url, lang):
    v = visit()
    page = v.page
    page.goto(site_url + HOTLINE[lang])
    page.get_by_role("button", name=SAVE[lang]).click()
    saved = {"es": "Guardada", "en": "Saved"}[lang]
    page.wait_for_function(
        "text => document.querySelector('[data-offline-status]').textContent.startsWith(text)",
        arg=saved,
    )
    stored = page.evaluate(STORED)
    assert stored == {"workers": [site_url + "/"], "caches": ["alerta-offline"]}

    v.context.set_offline(True)
    page.reload()
    assert "800 5533 000" in page.inner_text("main")
    # Its stylesheet was saved too: the exit button is still red.
    color = page.locator("#quick-exit").evaluate("a => getComputedStyle(a).backgroundColor")
    assert color == "rgb(176, 0, 32)"
    v.context.set_offline(False)

    page.goto(site_url + SAFETY[lang])
    page.get_by_role("button", name=REMOVE[lang]).click()
    removed = {"es": "Borrado", "en": "Removed"}[lang]
    page.wait_for_function(
        "text => document.querySelector('[data-offline-status]').textContent.startsWith(text)",
        arg=removed,
    )
    assert page.evaluate(STORED) == {"workers": [], "caches": []}


def test_a_save_that_fails_leaves_nothing(visit, site_url):
    v = visit()
    v.page.goto(site_url + HOTLINE["en"])
    v.context.set_offline(True)  # the page's files cannot be fetched: saving fails half-way
    v.page.get_by_role("button", name=SAVE["en"]).click()
    v.page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent"
        ".startsWith('This browser could not save')"
    )
    assert v.page.evaluate(STORED) == {"workers": [], "caches": []}


def test_offline_buttons_need_javascript(visit, site_url):
    page = visit(javascript=False).page
    for path in (HOTLINE["es"], SAFETY["en"]):
        page.goto(site_url + path)
        assert page.locator("[data-module=app-offline] button").count() >= 1
        assert page.locator("button:visible").count() == 0


def open_touch_phone(browser, width=320):
    context = browser.new_context(
        viewport={"width": width, "height": 640}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "hover", "value": "none"}, {"name": "pointer", "value": "coarse"}]},
    )
    return context, page


@pytest.mark.parametrize("lang", ["es", "en"])
def test_touch_screen_shows_no_keyboard_hint_and_one_line_button(browser, site_url, lang):
    context, page = open_touch_phone(browser)
    try:
        page.goto(site_url + ("/articulos/senales/" if lang == "es" else "/en/articles/signs/"))
        assert page.evaluate("matchMedia('(hover: none) and (pointer: coarse)').matches")
        assert page.locator(".app-exit__hint").is_hidden()
        lines = page.locator("#quick-exit").evaluate(
            "a => { const r = document.createRange(); r.selectNodeContents(a.firstChild);"
            " return r.getClientRects().length; }"
        )
        assert lines == 1
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        # The exit is in a landmark of its own.
        in_landmark = "a => a.closest('nav[aria-label]') !== null"
        assert page.locator("#quick-exit").evaluate(in_landmark)
    finally:
        context.close()


def test_keyboard_hint_with_a_mouse_and_javascript_only(visit, site_url):
    with_js = visit().page
    with_js.goto(site_url + "/en/articles/signs/")
    assert with_js.locator(".app-exit__hint").is_visible()
    without = visit(javascript=False).page
    without.goto(site_url + "/en/articles/signs/")
    assert without.locator(".app-exit__hint").is_hidden()  # no script, no Shift×3


@pytest.mark.parametrize(
    "path", [SEARCH["es"], SEARCH["en"], HOTLINE["es"], HOTLINE["en"], SAFETY["es"]]
)
def test_axe_on_search_hotline_and_safety(visit, site_url, path):
    page = visit(viewport=PHONE).page
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
