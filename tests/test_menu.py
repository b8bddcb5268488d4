"""The menu, the home page and headings (issue 18): in-process renders of the real templates,
then the files of the real publish and preview builds."""

import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import CONTENT, ROOT, html_files
from jinja2 import Environment, FileSystemLoader
from pelican.settings import DEFAULT_CONFIG

from alerta import build
from plugins.bilingual.menu import TASK_ORDER, current_section

SITEURL = "https://example.test"


# ---------------------------------------------------------------- in-process


def page(key, lang, url, title, nav=""):
    return SimpleNamespace(
        translation_key=key, lang=lang, url=url, title=title, nav=nav, translations=[]
    )


PAGES = [
    page("hotline", "es", "linea/", "Línea contra la trata", "Línea de ayuda"),
    page("safety", "es", "seguridad/", "Navegar con seguridad"),
    page("about", "es", "acerca-de/", "Acerca de"),
    page("contact", "es", "contacto/", "Contacto"),
    page("hotline", "en", "en/hotline/", "Hotline page", "Hotline"),
]


@pytest.fixture(scope="module")
def env():
    import pelicanconf
    from plugins.bilingual.bilingual import make_template_helpers

    settings = {**DEFAULT_CONFIG, **{k: getattr(pelicanconf, k) for k in dir(pelicanconf)}}
    helpers = make_template_helpers(settings)
    environment = Environment(
        loader=FileSystemLoader(ROOT / "theme" / "templates"),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(helpers.gettext, helpers.ngettext, newstyle=True)
    environment.globals.update(helpers.globals)
    environment.filters.update(helpers.filters)
    return environment


def menu(env, url, lang="es", **sections):
    """(keys in order, current, footer titles) of site_menu() on the page at `url`."""
    context = {
        "page_lang": lang,
        "page_url": url,
        "pages": PAGES,
        "MENU_PAGES": ["hotline", "safety", "about", "contact"],
    }
    written = {
        "shelters": {"es": "refugios/"},
        "pamphlets": {"es": "folletos/"},
        "events": {"es": "eventos/"},
        "film": {"es": "cortometraje/corto/"},
        "legislation": {"es": "legislacion/"},
        "resources": {"es": "recursos/"},
    }
    for key, urls in written.items():
        if sections.get(key):  # as the features say so in generate_context
            build.add_section(context, key, urls)
    template = env.from_string(
        "{% set m = site_menu() %}{{ m.items|map(attribute='key')|join(' ') }}|{{ m.current }}|"
        "{{ m.footer|map(attribute='title')|join(' ') }}"
    )
    return tuple(template.render(**context).split("|"))


EVERYTHING = dict(
    shelters=True, pamphlets=True, events=True, film=True, legislation=True, resources=True
)


def test_menu_lists_the_sections_in_task_order_and_about_and_contact_in_the_footer(env):
    keys, current, footer = menu(env, "", **EVERYTHING)
    assert keys.split() == list(TASK_ORDER)
    assert keys.split()[:3] == ["hotline", "shelters", "pamphlets"]
    assert current == ""  # the home page is no section
    assert footer == "Acerca de Contacto"


def test_the_resource_library_is_linked_from_the_footer_not_the_menu(env):
    context = {"page_lang": "es", "page_url": "", "pages": PAGES, "MENU_PAGES": []}
    build.add_section(context, "resources", {"es": "recursos/"})
    template = env.from_string(
        "{% set m = site_menu() %}{{ m.items|map(attribute='key')|join(' ') }}|"
        "{{ m.footer_sections|map(attribute='url')|join(' ') }}"
    )
    keys, footer = template.render(**context).split("|")
    assert "resources" not in keys.split()
    assert footer == "recursos/"


def test_menu_leaves_out_sections_this_build_did_not_write(env):
    keys, _, _ = menu(env, "")
    assert keys.split() == ["hotline", "articles", "safety", "search"]
    keys, _, _ = menu(env, "", lang="en")  # no English safety page in PAGES
    assert keys.split() == ["hotline", "articles", "search"]


@pytest.mark.parametrize(
    "url, current",
    [
        ("linea/", "hotline:page"),
        ("articulos/", "articles:page"),
        ("articulos/senales/", "articles:true"),
        ("categorias/leyes/", "articles:true"),
        ("etiquetas/911/", "articles:true"),
        ("eventos/foro/", "events:true"),
        ("capacitacion-e-impacto/", "events:true"),
        ("legislacion/jalisco/", "legislation:true"),
        ("refugios/", "shelters:page"),
        ("refugios/estado/jalisco/", "shelters:true"),
        ("cortometraje/corto/", "film:page"),
        ("buscar/", "search:page"),
        ("acerca-de/", ""),
        ("", ""),
    ],
)
def test_current_section(env, url, current):
    assert menu(env, url, **EVERYTHING)[1] == current


def test_current_section_prefers_the_longest_match():
    items = [SimpleNamespace(key="a", url="x/"), SimpleNamespace(key="b", url="x/y/")]
    assert current_section(items, "x/y/z/", {}) == ("b", "true")
    assert current_section(items, "x/", {}) == ("a", "page")
    assert current_section(items, None, {}) == (None, None)


def render_nav(env, url, lang="es"):
    template = env.get_template("partials/header.html")
    context = {
        "page_lang": lang,
        "page_url": url,
        "pages": PAGES,
        "SITEURL": "",
        "MENU_PAGES": ["hotline", "safety", "about", "contact"],
        "SITE": {"name": "Alerta Trata"},
        "HOTLINES": [],
    }
    build.add_section(context, "shelters", {"es": "refugios/", "en": "en/shelters/"})
    build.add_section(context, "pamphlets", {"es": "folletos/", "en": "en/pamphlets/"})
    return template.render(**context)


def test_nav_has_a_disclosure_and_a_row_with_the_same_links_and_aria_current(env):
    html = render_nav(env, "folletos/una/")
    bar = re.search(r'<ul class="app-nav__bar">(.*?)</ul>', html, re.S).group(1)
    disclosure = re.search(r'<details class="app-nav__menu">(.*?)</details>', html, re.S).group(1)
    assert '<summary class="app-nav__toggle">Menú</summary>' in disclosure
    assert re.findall(r'href="([^"]+)"', bar) == re.findall(r'href="([^"]+)"', disclosure)
    assert re.findall(r'href="([^"]+)"', bar)[:3] == ["/linea/", "/refugios/", "/folletos/"]
    for part in (bar, disclosure):
        assert re.findall(r'aria-current="(\w+)">([^<]+)<', part) == [("true", "Folletos")]
    assert 'aria-current="page">Folletos<' in render_nav(env, "folletos/")


def test_nav_is_rendered_once_per_language_and_current_section(env):
    calls = []
    real = env.globals["site_menu"]

    def counting(ctx):
        calls.append(1)
        return real(ctx)

    counting.jinja_pass_arg = real.jinja_pass_arg  # a pass_context function, as the real one
    env.globals["site_menu"] = counting
    try:
        first = render_nav(env, "cortometraje/otro/")  # no film in this site: no section
        rendered = len(calls)
        assert render_nav(env, "acerca-de/") == first  # same language and section: reused
        assert len(calls) == rendered + 1  # only the key was computed, not the menu's HTML
        assert 'aria-current="page">Línea de ayuda' in render_nav(env, "linea/")
        assert "aria-current" not in render_nav(env, "acerca-de/")
    finally:
        env.globals["site_menu"] = real


# ---------------------------------------------------------------- the real builds


class Outline(HTMLParser):
    """Headings, and the ids and hrefs of a page, in document order."""

    def __init__(self):
        super().__init__()
        self.headings, self.hrefs, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def outline(path):
    parser = Outline()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def skips(levels):
    """Places where a heading goes down more than one level (h1 -> h3), or no h1 first."""
    found = [] if not levels or levels[0] == 1 else [(0, levels[0])]
    return found + [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]


def built_file(output, href):
    """The file a site-internal link points at, or None for a link to another site."""
    if not href.startswith(SITEURL + "/") and not href.startswith("/"):
        return None
    path = href.removeprefix(SITEURL).split("#")[0].split("?")[0]
    target = Path(output) / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


HOTLINES = yaml.safe_load((CONTENT / "data" / "hotlines.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("home", ["index.html", "en/index.html"])
def test_published_home_is_task_first_and_every_link_is_built(published_site, home):
    page = outline(published_site / home)
    tasks = [i for i in page.ids if i.startswith("task-") or i == "latest"]
    # The bundled publish build has no film and no confirmed directory entry yet.
    assert tasks == [
        "task-help",
        "task-signs",
        "task-shelters",
        "task-pamphlets",
        "task-events",
        "task-resources",
        "task-laws",
        "task-safety",
        "latest",
    ]
    html = (published_site / home).read_text(encoding="utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    lines = {line["id"]: line for line in HOTLINES["hotlines"]}
    trata = lines["trata"]
    for href in (f"tel:{trata['tel']}", f"https://wa.me/{trata['whatsapp']['wa']}"):
        assert f'href="{href}"' in main
    assert main.index("tel:" + trata["tel"]) < main.index('id="task-signs"')
    for line in ("emergencias", "denuncia-anonima"):
        assert f'href="tel:{lines[line]["tel"]}"' in main
    missing = [h for h in page.hrefs if (f := built_file(published_site, h)) and not f.is_file()]
    assert missing == []
    assert not [h for h in page.hrefs if "cortometraje" in h or "/film/" in h]


def test_published_footer_links_about_and_contact(published_site):
    html = (published_site / "index.html").read_text(encoding="utf-8")
    footer = html[html.index('<footer class="app-footer"') :]
    assert f'href="{SITEURL}/acerca-de/"' in footer and f'href="{SITEURL}/contacto/"' in footer
    assert f'href="{SITEURL}/recursos/">Biblioteca de recursos</a>' in footer


def test_every_menu_link_of_every_published_page_is_built(published_site):
    missing = set()
    for path in html_files(published_site):
        html = path.read_text(encoding="utf-8")
        start = html.find('<nav class="app-nav"')
        if start < 0:
            continue
        nav = html[start : html.index("</nav>", start)]
        for href in re.findall(r'href="([^"]+)"', nav):
            if not built_file(published_site, href).is_file():
                missing.add(href)
    assert missing == set()


@pytest.mark.parametrize("build", ["published_site", "built_site"])
def test_no_page_skips_a_heading_level(request, build):
    """Every page of both builds, so every template, lists included, is covered."""
    output = request.getfixturevalue(build)
    problems = {}
    for path in html_files(output):
        found = skips(outline(path).headings)
        if found:
            problems[str(path.relative_to(output))] = found
    assert problems == {}
    assert len(html_files(output)) > 50


def test_skips_finds_a_skip():
    assert skips([1, 3]) == [(1, 3)]
    assert skips([1, 2, 3, 2, 3, 3, 2]) == []
    assert skips([2, 3]) == [(0, 2)]
