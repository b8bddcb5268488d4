"""plugins/bilingual on a real Pelican run of the fixture site."""

import re
from pathlib import Path

from conftest import article, html_files, make_content, pelican

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def read(output, url):
    path = Path(output) / url.lstrip("/")
    if url.endswith("/") or not url:
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


def hreflangs(html):
    return dict(HREFLANG.findall(html))


def test_pages_carry_their_language(fixture_site):
    assert '<html lang="es-MX">' in read(fixture_site, "/articulos/senales/")
    assert '<html lang="en">' in read(fixture_site, "/en/articles/signs/")
    assert '<html lang="es-MX">' in read(fixture_site, "/")
    assert '<html lang="en">' in read(fixture_site, "/en/")


def test_hreflang_pairs_are_reciprocal(fixture_site):
    checked = 0
    for path in html_files(fixture_site):
        links = hreflangs(path.read_text(encoding="utf-8"))
        for hreflang, url in links.items():
            if hreflang == "x-default":
                continue
            other = hreflangs(read(fixture_site, url))
            assert set(other.items()) == set(links.items()), (path, url)
            checked += 1
    assert checked > 20


def test_x_default_points_to_spanish(fixture_site):
    links = hreflangs(read(fixture_site, "/en/articles/signs/"))
    assert links == {
        "es-MX": "/articulos/senales/",
        "en": "/en/articles/signs/",
        "x-default": "/articulos/senales/",
    }


def test_switcher_goes_to_the_same_page_and_targets_exist(fixture_site):
    switcher = re.compile(r'<nav class="app-lang".*?</nav>', re.S)
    for path in html_files(fixture_site):
        html = path.read_text(encoding="utf-8")
        nav = switcher.search(html)
        assert nav, path
        for url in re.findall(r'href="([^"]+)"', nav.group(0)):
            assert read(fixture_site, url), url
    html = read(fixture_site, "/articulos/senales/")
    assert 'href="/en/articles/signs/" hreflang="en"' in html


def test_switcher_falls_back_to_home_with_a_note(fixture_site):
    html = read(fixture_site, "/articulos/solo/")
    assert 'href="/en/" hreflang="en"' in html
    assert "aún no está traducida" in html
    assert hreflangs(html) == {}  # no translation, so no alternates to announce


def test_listings_are_per_language(fixture_site):
    spanish = read(fixture_site, "/articulos/")
    english = read(fixture_site, "/en/articles/")
    assert "Señales de alerta" in spanish and "Warning signs" not in spanish
    assert "Warning signs" in english and "Señales de alerta" not in english
    assert "Señales de alerta" in read(fixture_site, "/categorias/informacion/")
    assert "Warning signs" in read(fixture_site, "/en/categories/information/")


def test_theme_strings_and_dates_follow_the_page_language(fixture_site):
    spanish = read(fixture_site, "/articulos/derechos/")
    english = read(fixture_site, "/en/articles/rights/")
    assert "14 de marzo de 2026" in spanish and "Salida rápida" in spanish
    assert "March 14, 2026" in english and "Quick exit" in english
    assert "Salida rápida" not in english


def test_feeds_per_language(fixture_site):
    spanish = (fixture_site / "feeds" / "es.atom.xml").read_text(encoding="utf-8")
    english = (fixture_site / "feeds" / "en.atom.xml").read_text(encoding="utf-8")
    assert "Señales de alerta" in spanish and "Warning signs" not in spanish
    assert "Warning signs" in english and "Señales de alerta" not in english


def test_each_language_has_a_404_that_also_speaks_the_others(fixture_site):
    spanish = (fixture_site / "404.html").read_text(encoding="utf-8")
    english = (fixture_site / "en" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="es-MX">' in spanish and '<html lang="en">' in english
    assert spanish.index("Página no encontrada") < spanish.index("Page not found")
    assert english.index("Page not found") < english.index("Página no encontrada")
    assert '<div lang="en">' in spanish and '<div lang="es-MX">' in english
    assert '<meta name="robots" content="noindex">' in spanish


def test_a_third_language_is_one_settings_entry_and_one_catalog(tmp_path):
    theme = tmp_path / "theme"
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "theme", theme)
    catalog = theme / "translations" / "nah" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    po = (ROOT / "theme/translations/es/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    po = po.replace('msgstr "Salida rápida"', 'msgstr "Xiquiza niman"')
    (catalog / "messages.po").write_text(po, encoding="utf-8")
    files = {
        "articles/a.es.md": article("Hola", "es", "a", "hola"),
        "articles/a.en.md": article("Hello", "en", "a", "hello"),
        "articles/a.nah.md": article("Niltze", "nah", "a", "niltze"),
    }
    content = make_content(tmp_path / "content", files)
    languages = {
        "es": {"name": "Español", "html_lang": "es-MX", "locale": "es_MX", "prefix": ""},
        "en": {"name": "English", "html_lang": "en", "locale": "en", "prefix": "en/"},
        "nah": {
            "name": "Nāhuatlahtōlli",
            "html_lang": "nah",
            "locale": "es_MX",
            "fallback": "es",
            "prefix": "nah/",
        },
    }
    result = pelican(
        content,
        tmp_path / "out",
        strict=False,
        overrides={"LANGUAGES": languages, "THEME": str(theme)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = read(tmp_path / "out", "/nah/articles/niltze/")
    assert '<html lang="nah">' in html and "Xiquiza niman" in html
    assert hreflangs(html) == {
        "es-MX": "/articulos/hola/",
        "en": "/en/articles/hello/",
        "nah": "/nah/articles/niltze/",
        "x-default": "/articulos/hola/",
    }
    assert "Niltze" in read(tmp_path / "out", "/nah/")
    assert (tmp_path / "out" / "feeds" / "nah.atom.xml").exists()


def test_layout_parts_shared_by_all_pages_are_rendered_once_per_language_and_siteurl():
    from jinja2 import Environment
    from pelican.settings import DEFAULT_CONFIG

    import pelicanconf
    from plugins.bilingual.bilingual import make_template_helpers

    settings = {**DEFAULT_CONFIG, **{k: getattr(pelicanconf, k) for k in dir(pelicanconf)}}
    helpers = make_template_helpers(settings)
    env = Environment(extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(helpers.gettext, helpers.ngettext, newstyle=True)
    env.globals.update(helpers.globals)
    renders = []
    env.globals["count"] = lambda: renders.append(1) or len(renders)
    page = env.from_string(
        '{% call same_on_every_page("nav") %}{{ _("Search") }} {{ count() }} {{ SITEURL }}'
        "{% endcall %}"
    )
    pages = [("es", ""), ("es", ""), ("en", ""), ("en", ""), ("es", "../.."), ("es", "")]
    shown = [page.render(page_lang=lang, SITEURL=url) for lang, url in pages]
    assert shown == [
        "Buscar 1 ",
        "Buscar 1 ",
        "Search 2 ",
        "Search 2 ",
        "Buscar 3 ../..",
        "Buscar 1 ",
    ]
