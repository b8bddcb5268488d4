"""The resource library in Chromium: the audience and type pages work with JavaScript off, the
live filter with it on, axe finds nothing at 320 px and on a desktop, nothing scrolls sideways
at 320 px, and a training module's PDFs and thumbnail load (in both builds)."""

import re
import unicodedata

import pytest
from playwright.sync_api import expect

from browser.conftest import DESKTOP, PUBLISHED, axe_violations, routed

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
INDEX = {"es": "/recursos/", "en": "/en/resources/"}
# The chip followed with JavaScript off: (its words, its key, the page it leads to).
AUDIENCE = {
    "es": ("Personal de refugios", "shelter-staff", "/recursos/para/personal-de-refugios/"),
    "en": ("Shelter staff", "shelter-staff", "/en/resources/for/shelter-staff/"),
}
TYPE = {
    "es": ("Guías", "guide", "/recursos/tipo/guias/"),
    "en": ("Guides", "guide", "/en/resources/type/guides/"),
}
MODULE = {"es": "/recursos/conceptos-basicos/", "en": "/en/resources/basic-concepts/"}
PAPERS = {"es": ("carta", "A4"), "en": ("Letter", "A4")}
LAW = {"es": "/recursos/ley-general/", "en": "/en/resources/general-law/"}
PAGES = [
    page
    for lang in ("es", "en")
    for page in (INDEX[lang], AUDIENCE[lang][2], TYPE[lang][2], MODULE[lang], LAW[lang])
]

# What the page says about each resource of a list, and whether it is hidden.
ITEMS = """() => [...document.querySelectorAll('[data-resource]')].map(item => ({
    title: item.querySelector('h3').textContent.trim(),
    audiences: item.dataset.audiences.split(' '), type: item.dataset.type,
    langs: item.dataset.langs.split(' '), text: item.dataset.text,
    hidden: item.hidden, visible: item.checkVisibility()}))"""
SIDEWAYS = "document.scrollingElement.scrollWidth - innerWidth"
CLEAR_STATUS = "document.querySelector('[data-filter-status]').textContent = ''"


def chip(page, group, words):
    """The link of one filter group ("by-audience", "by-type") whose words start with `words`."""
    links = page.locator(f'ul[aria-labelledby="{group}"]')
    return links.get_by_role("link", name=re.compile("^" + re.escape(words)))


def has(item, field, key):
    """Whether a listed resource is for that audience (field "audiences") or of that type."""
    return key in item["audiences"] if field == "audiences" else item["type"] == key


def current_chip(page, group):
    return page.locator(f'ul[aria-labelledby="{group}"] [aria-current="page"]')


@pytest.mark.parametrize("lang", ["es", "en"])
def test_audience_and_type_pages_work_without_javascript(visit, site_url, lang):
    v = visit(viewport=NARROW, javascript=False)
    v.page.goto(site_url + INDEX[lang])
    assert not v.page.locator("form.app-filter").is_visible()
    everything = v.page.evaluate(ITEMS)
    assert len(everything) >= 6 and all(item["visible"] for item in everything)

    for group, (words, key, path), field in (
        ("by-audience", AUDIENCE[lang], "audiences"),
        ("by-type", TYPE[lang], "type"),
    ):
        chip(v.page, group, words).click()
        v.page.wait_for_url(site_url + path)
        listed = v.page.evaluate(ITEMS)
        assert listed, path
        for item in listed:
            assert has(item, field, key) and item["visible"], item
        # Every matching resource of the index, and no other.
        wanted = [item["title"] for item in everything if has(item, field, key)]
        assert sorted(i["title"] for i in listed) == sorted(wanted)
        current = current_chip(v.page, group)
        expect(current).to_have_count(1)
        assert current.inner_text().startswith(words)
        assert not v.page.locator("form.app-filter").is_visible()
    # The type page no longer marks the audience it came from.
    expect(current_chip(v.page, "by-audience")).to_have_count(0)
    assert v.external == []


def fold(text):
    """As list-filter.js compares words: lower case, accents removed."""
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )


def matches(item, audience="", kind="", lang="", words=""):
    return (
        (not audience or audience in item["audiences"])
        and (not kind or kind == item["type"])
        and (not lang or lang in item["langs"])
        and all(word in fold(item["text"]) for word in fold(words).split())
    )


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320", "desktop"])
def test_live_filter_with_javascript(visit, site_url, viewport):
    v = visit(viewport=viewport)
    page = v.page
    page.goto(site_url + INDEX["es"])
    form = page.locator("form.app-filter")
    expect(form).to_be_visible()
    status = page.locator("form.app-filter [role=status]")
    empty = page.locator("[data-filter-empty]")
    total = len(page.evaluate(ITEMS))

    def check(expected_shown=None, **chosen):
        """Set the fields, wait for the status line the script rewrites (after a pause when
        words are typed), and compare each item's hidden state with its data attributes."""
        page.evaluate(CLEAR_STATUS)
        page.select_option("#filter-audience", chosen.get("audience", ""))
        page.select_option("#filter-type", chosen.get("kind", ""))
        page.select_option("#filter-lang", chosen.get("lang", ""))
        expect(status).not_to_have_text("")
        words = chosen.get("words", "")
        if words != page.input_value("#filter-text"):
            page.evaluate(CLEAR_STATUS)
            page.fill("#filter-text", words)
            expect(status).not_to_have_text("")
        items = page.evaluate(ITEMS)
        shown = [item["title"] for item in items if matches(item, **chosen)]
        for item in items:
            assert item["hidden"] is (item["title"] not in shown), (chosen, item)
            assert item["visible"] is (item["title"] in shown), (chosen, item)
        assert status.inner_text() == f"Se muestran {len(shown)} de {total} recursos."
        assert empty.is_visible() is (not shown)
        if expected_shown is not None:
            assert len(shown) == expected_shown, chosen
        return shown

    by_staff = check(audience="shelter-staff")
    assert 0 < len(by_staff) < total
    modules = check(audience="shelter-staff", kind="training-module")
    assert 0 < len(modules) < len(by_staff)
    assert check(audience="shelter-staff", kind="training-module", lang="es") == modules
    # Words in any order, any case, with or without accents.
    palermo = check(audience="shelter-staff", kind="training-module", words="PALERMO protocolo")
    assert any(title.startswith("Módulo 2.") for title in palermo)
    assert len(palermo) < len(modules)
    check(0, words="palermo zarzamora")
    check(0, kind="guide", audience="shelter-staff")
    check(0, lang="en")  # the Spanish index lists Spanish resources only
    check(total)  # cleared: everything again
    assert not empty.is_visible()
    assert v.external == []


def test_live_filter_survives_going_back(visit, site_url):
    """Back from a resource, Chromium puts the chosen type back in its field: the list shows
    that type only (it showed everything under "Guides")."""
    v = visit(viewport=DESKTOP)
    v.page.goto(site_url + INDEX["en"])
    v.page.select_option("#filter-type", "guide")
    visible = v.page.locator("[data-resource]:visible")
    expect(visible).to_have_count(1)
    visible.get_by_role("link").click()
    v.page.wait_for_url(site_url + "/en/resources/blue-heart/")
    v.page.go_back()
    v.page.wait_for_url(site_url + INDEX["en"])
    assert v.page.input_value("#filter-type") == "guide"
    expect(visible).to_have_count(1)
    assert visible.get_attribute("data-type") == "guide"
    expect(v.page.locator("[data-filter-status]")).to_have_text(
        re.compile(r"^Showing 1 of \d+ resources\.$")
    )


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320", "desktop"])
def test_axe_and_no_sideways_scroll(visit, site_url, viewport):
    # axe-core needs JavaScript; with it off the pages are the same HTML minus the live form.
    v = visit(viewport=viewport)
    problems = {}
    for path in PAGES:
        v.page.goto(site_url + path)
        found = axe_violations(v.page)
        sideways = v.page.evaluate(SIDEWAYS)
        if sideways > 0:
            found.append(("scrolls sideways", f"{sideways} px"))
        if found:
            problems[path] = found
    assert problems == {}
    assert v.external == []


@pytest.fixture(scope="module")
def builds(request):
    """(base URL, the visit's set-up) of the preview, and of the publish build answered
    locally under its own address (its links and assets are absolute)."""

    def opener(build):
        if build == "preview":
            return request.getfixturevalue("site_url"), lambda v: None
        answer = routed(request.getfixturevalue("published_site"), PUBLISHED)
        return PUBLISHED, lambda v: v.context.route(PUBLISHED + "/**", answer)

    return opener


FETCH = """async (url) => {
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return {status: response.status, type: response.headers.get('content-type'),
            start: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length};
}"""


@pytest.mark.parametrize("build", ["preview", "published"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_module_pdfs_and_thumbnail_load(visit, builds, build, lang):
    base, prepare = builds(build)
    v = visit(viewport=DESKTOP)
    prepare(v)
    v.page.goto(base + MODULE[lang])
    links = v.page.locator('.app-resource__print a[type="application/pdf"]')
    expect(links).to_have_count(2)
    names = links.all_inner_texts()
    for paper, name in zip(PAPERS[lang], names, strict=True):
        assert paper in name, names
    for link in links.all():
        href = link.get_attribute("href")
        answer = v.page.evaluate(FETCH, href)
        assert answer["status"] == 200, href
        assert answer["type"] == "application/pdf", href
        assert answer["start"] == "%PDF-" and answer["size"] > 1000, href
    thumb = v.page.locator(".app-resource__print img.app-resource__thumb")
    thumb.scroll_into_view_if_needed()
    v.page.wait_for_function("img => img.complete", arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") > 0
    assert v.external == []
