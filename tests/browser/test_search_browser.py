"""The search page in Chromium: each language finds only its own content, in its own words."""

import pytest
from conftest import serve

from browser.conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

# fixture_site has a word that exists only in Spanish and one only in English.
CASES = {
    "es": ("/buscar/", "zarzamora", "Señales de alerta", "1 resultado para zarzamora"),
    "en": ("/en/search/", "gooseberry", "Warning signs", "1 result for gooseberry"),
}
OTHER_WORD = {"es": "gooseberry", "en": "zarzamora"}
NO_RESULTS = {"es": "No hay resultados para", "en": "No results for"}


@pytest.fixture(scope="module")
def fixture_url(fixture_site):
    server = serve(fixture_site)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def watch(page):
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def results(page):
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


@pytest.mark.parametrize("lang", CASES)
def test_search_finds_the_word_of_its_own_language(lang, visit, fixture_url):
    path, word, title, message = CASES[lang]
    browser = visit(viewport=PHONE)
    page = browser.page
    problems = watch(page)
    page.goto(fixture_url + path)
    assert page.locator(".app-search__notice").is_hidden()  # JavaScript is on
    page.fill("#search-q", word)  # the first focus fetches the Pagefind UI
    assert results(page) == [title]
    page.wait_for_function(
        "text => document.querySelector('.pagefind-ui__message')?.textContent.includes(text)",
        arg=message,
    )
    page.locator(".pagefind-ui__result-link").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert browser.external == []
    assert problems == []  # no CSP violation, no script error


@pytest.mark.parametrize("lang", CASES)
def test_the_other_language_is_not_in_this_index(lang, visit, fixture_url):
    path = CASES[lang][0]
    page = visit(viewport=PHONE).page
    page.goto(fixture_url + path)
    page.fill("#search-q", OTHER_WORD[lang])
    page.wait_for_function(
        "text => document.querySelector('.pagefind-ui__message')?.textContent.includes(text)",
        arg=NO_RESULTS[lang],
    )
    assert page.locator(".pagefind-ui__result-link").count() == 0


def test_query_in_the_address_runs_the_search(visit, fixture_url):
    page = visit(viewport=DESKTOP).page
    page.goto(fixture_url + "/buscar/?q=zarzamora")
    assert results(page) == ["Señales de alerta"]
    assert page.locator(".pagefind-ui__search-input").input_value() == "zarzamora"


def test_search_page_without_javascript(visit, fixture_url):
    page = visit(viewport=PHONE, javascript=False).page
    page.goto(fixture_url + "/en/search/")
    assert page.get_by_text("Search needs JavaScript.").is_visible()
    # No box that cannot search: it would only put the words typed into the history.
    assert page.locator("form, input").count() == 0
    assert page.locator("a[href^='/en/categories/']").count() >= 1


@pytest.mark.parametrize("path", ["/buscar/", "/en/search/"])
def test_search_page_is_accessible_with_results(path, visit, fixture_url):
    page = visit(viewport=PHONE).page
    page.goto(fixture_url + path)
    page.fill("#search-q", "zarzamora" if path == "/buscar/" else "gooseberry")
    results(page)
    assert axe_violations(page) == []
