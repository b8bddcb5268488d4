"""The safety layer over every built page: exit, hotline, no third-party loads, CSP."""

import re
from html.parser import HTMLParser

import pytest
from conftest import article, html_files, make_content, pelican

# Attributes through which a page *loads* something (links the visitor follows are fine).
LOADING = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
}
LOADING_RELS = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
    "dns-prefetch",
    "preconnect",
}


class Page(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.loads, self.links, self.metas, self.inline_scripts = [], [], {}, 0
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if (tag, name) in LOADING and value:
                self.loads.append(value)
        if tag == "link" and set((attrs.get("rel") or "").split()) & LOADING_RELS:
            self.loads.append(attrs.get("href", ""))
        if tag == "a":
            self.links.append(attrs)
        if tag == "meta":
            self.metas[attrs.get("name") or attrs.get("http-equiv")] = attrs.get("content")
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.inline_scripts += 1


def is_external(url):
    return bool(re.match(r"^(https?:)?//", url)) and not url.startswith("//127.0.0.1")


@pytest.fixture(scope="module")
def pages(built_site):
    return {path: Page(path.read_text(encoding="utf-8")) for path in html_files(built_site)}


def test_every_page_has_quick_exit_and_hotline(pages):
    for path, page in pages.items():
        exits = [a for a in page.links if a.get("id") == "quick-exit"]
        assert len(exits) == 1, path
        assert exits[0]["rel"] == "nofollow noreferrer", path
        assert any(a.get("href") == "tel:+528005533000" for a in page.links), path
        assert any(a.get("href") == "tel:911" for a in page.links), path
        assert any(a.get("href") == "#quick-exit" for a in page.links), path


def test_no_page_loads_anything_from_another_host(pages):
    for path, page in pages.items():
        assert [url for url in page.loads if is_external(url)] == [], path


def test_css_loads_nothing_from_another_host(built_site):
    for css in built_site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8"))
        assert [u for u in urls if is_external(u)] == [], css
        assert "@import" not in css.read_text(encoding="utf-8")


def test_referrer_and_csp_without_unsafe_inline_scripts(pages):
    for path, page in pages.items():
        assert page.metas.get("referrer") == "no-referrer", path
        policy = page.metas.get("Content-Security-Policy", "")
        script_src = re.search(r"script-src ([^;]+)", policy).group(1)
        assert "'unsafe-inline'" not in script_src and "http" not in script_src, path
        assert "default-src 'self'" in policy
        assert page.inline_scripts == 0, path


def test_no_cookies_or_analytics_in_scripts(built_site):
    for script in built_site.rglob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "document.cookie" not in text and "localStorage" not in text, script
        assert not re.search(r"google-analytics|gtag\(|googletagmanager|matomo", text), script


def test_every_tel_link_is_dialable(pages):
    from plugins.safety.safety import dialable

    for path, page in pages.items():
        for a in page.links:
            href = a.get("href") or ""
            if href.startswith("tel:"):
                assert dialable(href[4:]), (path, href)


def test_active_alert_shows_and_expired_alert_does_not(tmp_path):
    alerts = (
        "alerts:\n"
        "  - {id: vigente, level: warning, expires: 2999-01-01,\n"
        "     message: {es: 'Aviso vigente', en: 'Current notice'}}\n"
        "  - {id: vencido, level: info, expires: 2001-01-01,\n"
        "     message: {es: 'Aviso vencido', en: 'Expired notice'}}\n"
    )
    files = {
        "articles/a.es.md": article("Hola", "es", "a", "hola"),
        "articles/a.en.md": article("Hello", "en", "a", "hello"),
        "data/alerts.yml": alerts,
    }
    result = pelican(make_content(tmp_path / "content", files), tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    spanish = (tmp_path / "out" / "articulos" / "hola" / "index.html").read_text()
    english = (tmp_path / "out" / "en" / "articles" / "hello" / "index.html").read_text()
    assert "Aviso vigente" in spanish and "Current notice" in english
    assert "vencido" not in spanish and "Expired" not in english
    assert 'data-expires="2999-01-01"' in spanish


def test_no_alert_renders_nothing(built_site):
    assert "app-alert" not in (built_site / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- help lines and their sources

HOTLINE_PAGES = {"es": "linea-contra-la-trata/index.html", "en": "en/hotline/index.html"}


def test_hotline_page_shows_every_lines_sources_and_the_trafficking_whatsapp(built_site):
    for lang, checked in (
        ("es", "fecha de consulta: 1 de diciembre de 2026"),
        ("en", "checked on December 1, 2026"),
    ):
        html = (built_site / HOTLINE_PAGES[lang]).read_text(encoding="utf-8")
        sources = re.findall(r'<p class="app-card__source">(.*?)</p>', html, re.S)
        assert len(sources) == 4, "one Source line per help line"  # 800, 911, 089, US
        assert all(checked in line for line in sources)
        assert all(re.search(r'<a href="https://[^"]+" rel="noreferrer">', s) for s in sources)
        assert "humantraffickinghotline.org/about-us/what-we-do" in sources[-1]
        # The trafficking chat is the line's own number, not the Consejo's general line.
        assert 'href="https://wa.me/528005533000"' in html
        assert "5533 5533" not in html and "525555335533" not in html
        assert "app-pending" not in html and "app-verify" not in html


def test_hotline_data_keeps_a_source_and_a_date_beside_every_line():
    import yaml
    from conftest import CONTENT

    lines = yaml.safe_load((CONTENT / "data" / "hotlines.yml").read_text())["hotlines"]
    for line in lines:
        assert line["sources"] and all(url.startswith("https://") for url in line["sources"])
        assert line["verified_on"].isoformat() == "2026-12-01"
        assert "verify" not in line and "verify" not in (line.get("whatsapp") or {})


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"sources": ["http://a.example/x"], "verified_on": "2026-12-01"}, "is not an https://"),
        ({"sources": ["https://"], "verified_on": "2026-12-01"}, "is not an https://"),
        ({"sources": ["https://a.example/x y"], "verified_on": "2026-12-01"}, "is not an https"),
        ({"sources": "https://a.example/x", "verified_on": "2026-12-01"}, "must be a list"),
        ({"sources": [], "verified_on": "2026-12-01"}, "must be a list"),
        ({"sources": ["https://a.example/x"]}, "add verified_on"),
        ({"verified_on": "2026-12-01"}, "add sources"),
        ({"sources": ["https://a.example/x"], "verified_on": "1/12/2026"}, "is not a date"),
        ({"sources": ["https://a.example/x"], "verified_on": "2999-01-01"}, "in the future"),
    ],
)
def test_bad_sources_are_reported(fields, message):
    from datetime import date

    from alerta.report import Report
    from plugins.safety.safety import check_hotlines

    line = {
        "id": "x",
        "primary": True,
        "name": {"es": "X", "en": "X"},
        "short": {"es": "X", "en": "X"},
        "number": "911",
        "tel": "911",
        **fields,
    }
    report = Report()
    (checked,) = check_hotlines(
        {"hotlines": [line]}, "hotlines.yml", ["es", "en"], report, date(2026, 12, 1)
    )
    assert [p.message for p in report.problems if message in p.message], report.problems
    assert len(report.problems) == 1 and checked["source_links"] is None


def test_a_bad_source_stops_the_build_with_one_clear_line(tmp_path):
    from conftest import CONTENT, one_clear_line

    hotlines = (CONTENT / "data" / "hotlines.yml").read_text(encoding="utf-8")
    bad = hotlines.replace(
        "      - https://humantraffickinghotline.org/about-us/what-we-do",
        "      - humantraffickinghotline.org/about-us/what-we-do",
        1,
    )
    assert bad != hotlines
    files = {
        "articles/a.es.md": article("Hola", "es", "a", "hola"),
        "articles/a.en.md": article("Hello", "en", "a", "hello"),
    }
    content = make_content(tmp_path / "content", files)
    (content / "data" / "hotlines.yml").write_text(bad, encoding="utf-8")
    result = pelican(content, tmp_path / "out")
    one_clear_line(
        result,
        'hotline us-nhth: source "humantraffickinghotline.org/about-us/what-we-do" is not an '
        "https:// link",
        "content/data/hotlines.yml:",
    )
    assert not (tmp_path / "out" / "index.html").exists()
