"""The task-first home page and the menu in Chromium (issue 18): the phone menu opens and closes
without JavaScript, the wide menu is one row lined up with the header, nothing scrolls sideways
at 320 px, aria-current, 44 px targets, axe. Both builds: the publish build (what visitors get,
served from its files under its own address) and the preview (it also has the film: the
widest menu)."""

import pytest

from browser.conftest import DESKTOP, PUBLISHED, axe_violations, routed

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
HOMES = {"es": "/", "en": "/en/"}


@pytest.fixture(scope="module")
def published(published_site):
    """open(visit, path, **visit options) -> page of the publish build, its files answered
    locally under its own address (its links and assets are absolute)."""

    answer = routed(published_site, PUBLISHED)

    def open_page(visit, path, **options):
        v = visit(**options)
        v.context.route(PUBLISHED + "/**", answer)
        v.page.goto(PUBLISHED + path)
        return v

    return open_page


def site(request, build):
    """(base URL, opener) for one of the two builds."""
    if build == "published":
        opener = request.getfixturevalue("published")
        return PUBLISHED, opener
    base = request.getfixturevalue("site_url")

    def open_page(visit, path, **options):
        v = visit(**options)
        v.page.goto(base + path)
        return v

    return base, open_page


VISIBLE_LINKS = """(selector) => [...document.querySelectorAll(selector)]
    .filter(a => a.checkVisibility())
    .map(a => { const r = a.getBoundingClientRect();
                return {text: a.textContent.trim(), top: Math.round(r.top), left: r.left,
                        right: r.right, height: r.height, width: r.width,
                        current: a.getAttribute('aria-current')}; })"""
NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize("build", ["published", "preview"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_phone_menu_opens_and_closes_without_javascript(visit, request, build, lang):
    _, open_page = site(request, build)
    v = open_page(visit, HOMES[lang], viewport=NARROW, javascript=False)
    page = v.page
    assert page.locator(".app-nav__bar").is_hidden()
    toggle = page.locator("summary.app-nav__toggle")
    assert toggle.is_visible() and toggle.inner_text() == ("Menú" if lang == "es" else "Menu")
    assert page.evaluate(VISIBLE_LINKS, ".app-nav__list a") == []
    toggle.click()
    links = page.evaluate(VISIBLE_LINKS, ".app-nav__list a")
    first = ["Línea de ayuda", "Refugios", "Folletos"] if lang == "es" else None
    first = first or ["Hotline", "Shelters", "Pamphlets"]
    assert [link["text"] for link in links][:3] == first
    assert all(link["height"] >= 44 for link in links), links
    assert page.evaluate(NO_SIDEWAYS)  # open, the menu still fits 320 px
    toggle.click()
    assert page.evaluate(VISIBLE_LINKS, ".app-nav__list a") == []


@pytest.mark.parametrize("lang", ["es", "en"])
def test_phone_menu_by_keyboard_marks_the_current_section(visit, site_url, lang):
    v = visit(viewport=NARROW)
    path = "/articulos/senales/" if lang == "es" else "/en/articles/signs/"
    v.page.goto(site_url + path)
    toggle = v.page.locator("summary.app-nav__toggle")
    toggle.focus()
    style = v.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style != "none"  # visible focus on the toggle
    v.page.keyboard.press("Enter")
    assert v.page.locator("details.app-nav__menu").get_attribute("open") is not None
    v.page.keyboard.press("Tab")
    assert v.page.evaluate("document.activeElement.closest('.app-nav__list') !== null")
    box = toggle.bounding_box()
    assert box["height"] >= 44
    current = [link for link in v.page.evaluate(VISIBLE_LINKS, ".app-nav__list a")]
    assert [(c["text"], c["current"]) for c in current if c["current"]] == [
        ("Artículos" if lang == "es" else "Articles", "true")
    ]


@pytest.mark.parametrize("build", ["published", "preview"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_wide_menu_is_one_row_lined_up_with_the_header(visit, request, build, lang):
    _, open_page = site(request, build)
    v = open_page(visit, HOMES[lang], viewport=DESKTOP)
    assert v.page.locator("details.app-nav__menu").is_hidden()
    links = v.page.evaluate(VISIBLE_LINKS, ".app-nav__bar a")
    assert len(links) >= 8
    assert len({link["top"] for link in links}) == 1, links
    assert all(link["height"] >= 44 for link in links)
    name = v.page.locator(".app-header__name").bounding_box()
    switcher = v.page.locator(".app-lang a").bounding_box()
    assert abs(links[0]["left"] - name["x"]) < 1
    assert abs(links[-1]["right"] - (switcher["x"] + switcher["width"])) < 1
    if build == "preview":  # the preview has the film page: the longest menu fits too
        assert any(link["text"] in ("Cortometraje", "Film") for link in links)


@pytest.mark.parametrize(
    "path, current",
    [
        ("/", None),
        ("/linea-contra-la-trata/", ("Línea de ayuda", "page")),
        ("/legislacion/jalisco/", ("Leyes", "true")),
        ("/en/pamphlets/", ("Pamphlets", "page")),
        ("/en/tags/help/", ("Articles", "true")),
        ("/acerca-de/", None),
    ],
)
def test_wide_menu_marks_the_current_section(visit, site_url, path, current):
    v = visit(viewport=DESKTOP)
    v.page.goto(site_url + path)
    links = v.page.evaluate(VISIBLE_LINKS, ".app-nav__bar a")
    marked = [(link["text"], link["current"]) for link in links if link["current"]]
    assert marked == ([current] if current else [])


@pytest.mark.parametrize("build", ["published", "preview"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_home_fits_320_px_and_its_targets_are_44_px(visit, request, build, lang):
    _, open_page = site(request, build)
    v = open_page(visit, HOMES[lang], viewport=NARROW)
    assert v.page.evaluate(NO_SIDEWAYS)
    small = [
        link
        for link in v.page.evaluate(VISIBLE_LINKS, "main .app-help-now a, main .app-task a")
        if link["height"] < 44
    ]
    assert small == []
    tels = v.page.evaluate(
        "[...document.querySelectorAll('main a[href^=\"tel:\"]')].map(a => [a.href, "
        "[...a.querySelectorAll('.app-phone')].map(s => s.getClientRects().length)])"
    )
    assert [href for href, _ in tels] == ["tel:+528005533000", "tel:911", "tel:089"]
    assert all(rects == [1] for _, rects in tels)  # each number on one line
    shown = v.page.evaluate(
        "[...document.querySelectorAll('main .app-help-now__call')].map(a => a.innerText)"
    )
    assert shown == (["Llame al 911", "Llame al 089"] if lang == "es" else ["Call 911", "Call 089"])


@pytest.mark.parametrize("build", ["published", "preview"])
@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320", "1280"])
def test_home_has_no_axe_violations(visit, request, build, lang, viewport):
    _, open_page = site(request, build)
    v = open_page(visit, HOMES[lang], viewport=viewport)
    if viewport is NARROW:
        v.page.locator("summary.app-nav__toggle").click()  # and the open menu with it
    assert axe_violations(v.page) == []
    if build == "preview":
        assert v.external == []
