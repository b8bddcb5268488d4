"""Reflow (WCAG 1.4.10) in Chromium: no page scrolls sideways at 320 px, in either language,
in the publish build, the preview build and a small site with a directory entry, events and
the film; phone numbers stay on one line; 200 % text clips nothing; the printed law comparison
keeps every column on the page."""

import io
from datetime import date, timedelta
from pathlib import Path

import jinja2
import pypdf
import pytest
import yaml
from conftest import FIXTURE_FILES, PUBLISH, ROOT, make_content, pelican
from events_fixture import EVENT_FILES, FILM_FILES, TINY_WEBM

from browser.conftest import PUBLISHED, routed

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
SMALL = "https://small.test"
LONG_LABEL = "Atención a víctimas y a sus familias, las 24 horas"

# What reflow asks of one page at 320 px. A number counts as broken when its boxes sit on more
# than one line: Chromium may give an inline link one rect per child ("Call " and the number's
# span) on the same line, so the rects' bottoms are counted, not the rects.
CHECK = """() => {
  const d = document.documentElement;
  const lines = (e) => new Set([...e.getClientRects()].map((r) => Math.round(r.bottom))).size;
  const numbers = [...document.querySelectorAll('a[href^="tel:"], .app-phone')];
  return {
    scroll: d.scrollWidth,
    client: d.clientWidth,
    broken: numbers.filter((e) => lines(e) > 1).map((e) => e.textContent.trim()),
    numbers: numbers.filter((e) => e.getClientRects().length).length,
  };
}"""

# 200 % text (the root font size, as a reader's setting does): what is clipped or scrolls.
CLIPPED = """() => {
  document.documentElement.style.fontSize = "200%";
  const d = document.documentElement;
  const clips = (s) => s === "hidden" || s === "clip";
  const clipped = [...document.body.querySelectorAll("*")].filter((e) => {
    if (e.closest(".app-visually-hidden")) return false;
    const s = getComputedStyle(e);
    return (clips(s.overflowX) && e.scrollWidth > e.clientWidth + 1)
      || (clips(s.overflowY) && e.scrollHeight > e.clientHeight + 1);
  }).map((e) => e.tagName + "." + e.className);
  const header = [...document.querySelectorAll(".app-hotline__number")].map((e) => {
    const r = e.getBoundingClientRect(), link = e.closest("a").getBoundingClientRect();
    return r.width > 0 && r.left >= link.left - 1 && r.right <= link.right + 1
      && r.right <= d.clientWidth && r.top >= link.top - 1 && r.bottom <= link.bottom + 1;
  });
  return {scroll: d.scrollWidth, client: d.clientWidth, clipped, header};
}"""


def site_pages(folder):
    """Every HTML page of a build, as URL paths (theme files and search assets excluded)."""
    pages = []
    for path in sorted(Path(folder).rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        if relative.startswith(("theme/", "pagefind/")):
            continue
        pages.append("/" + relative.removesuffix("index.html"))
    return pages


def reflow_problems(v, base, pages):
    """Visit every page at 320 px; one line per page that scrolls sideways or breaks a number."""
    problems, numbers = [], 0
    for path in pages:
        v.page.goto(base + path)
        found = v.page.evaluate(CHECK)
        numbers += found["numbers"]
        if found["scroll"] > found["client"]:
            problems.append(f"{path}: {found['scroll']} px wide at {found['client']} px")
        if found["broken"]:
            problems.append(f"{path}: number on two lines: {found['broken']}")
    return problems, numbers


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """A small publish build with what the bundled one lacks: a verified public directory
    entry with a long phone label, an event with a registration phone, and the film."""
    base = tmp_path_factory.mktemp("reflow")
    recent = (date.today() - timedelta(days=30)).isoformat()
    entry = {
        "id": "centro-publico",
        "name": "Centro de Atención Integral a Víctimas de Trata de Personas del Estado",
        "state": "09",
        "municipality": "Cuauhtémoc",
        "services": ["shelter", "legal", "psychological"],
        "public": True,
        "address": "Avenida de los Insurgentes Centro 742, Colonia Tabacalera, 06030",
        "description": {"es": "Atención integral.", "en": "Comprehensive support."},
        "phones": [
            {"number": "+52 55 5555 5555", "label": {"es": LONG_LABEL, "en": "Victims (24 h)"}}
        ],
        "email": "atencion.integral.victimas.trata@example.org",
        "hours": {"es": "Lunes a viernes", "en": "Monday to Friday"},
        "verified_on": recent,
    }
    files = {k: v for k, v in FIXTURE_FILES.items() if k != "articles/solo.es.md"}
    files.update({**EVENT_FILES, **FILM_FILES})
    for name in ("film/corto.es.md", "film/short.en.md"):
        files[name] = files[name].replace("Duration:", "Video: film/corto.webm\nDuration:")
    files["data/shelters.yml"] = yaml.safe_dump({"shelters": [entry]}, allow_unicode=True)
    content = make_content(base / "content", files)
    (content / "film" / "corto.webm").write_bytes(TINY_WEBM)
    output = base / "output"
    result = pelican(content, output, strict=True, settings=PUBLISH, overrides={"SITEURL": SMALL})
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_published_site_reflows_at_320_px(visit, published_site):
    v = visit(viewport=NARROW)
    v.context.route(PUBLISHED + "/**", routed(published_site, PUBLISHED))
    pages = site_pages(published_site)
    assert "/linea-contra-la-trata/" in pages and "/en/hotline/" in pages
    problems, numbers = reflow_problems(v, PUBLISHED, pages)
    assert problems == []
    assert numbers >= 3 * len(pages)  # the header's three lines, at least, on every page


def test_small_site_with_directory_events_and_film_reflows_at_320_px(visit, small_site):
    v = visit(viewport=NARROW)
    v.context.route(SMALL + "/**", routed(small_site, SMALL))
    pages = site_pages(small_site)
    for needed in ("/refugios/", "/en/shelters/", "/eventos/futuro/", "/cortometraje/corto/"):
        assert needed in pages
    assert LONG_LABEL in (small_site / "refugios/index.html").read_text(encoding="utf-8")
    problems, _numbers = reflow_problems(v, SMALL, pages)
    assert problems == []
    # The label sits above its value on a phone, beside it on a wide screen.
    v.page.goto(SMALL + "/refugios/")
    row = v.page.locator(".app-shelter .app-summary-list__row", has_text=LONG_LABEL)
    key, value = row.locator("dt").bounding_box(), row.locator("dd").bounding_box()
    assert value["y"] >= key["y"] + key["height"] - 1
    assert row.locator('a[href="tel:+525555555555"] ').inner_text() == "+52 55 5555 5555"
    v.page.set_viewport_size({"width": 1280, "height": 900})
    key, value = row.locator("dt").bounding_box(), row.locator("dd").bounding_box()
    assert value["x"] > key["x"] + key["width"] and abs(value["y"] - key["y"]) < 2


def test_preview_site_reflows_at_320_px(visit, site_url, built_site):
    v = visit(viewport=NARROW)
    problems, _numbers = reflow_problems(v, site_url, site_pages(built_site))
    assert problems == []


@pytest.mark.parametrize("width", [1280, 640])
def test_200_percent_text_clips_nothing(visit, published_site, width):
    v = visit(viewport={"width": width, "height": 900})
    v.context.route(PUBLISHED + "/**", routed(published_site, PUBLISHED))
    for path in (
        "/",
        "/en/",
        "/linea-contra-la-trata/",
        "/en/hotline/",
        "/legislacion/",
        "/refugios/",
        "/folletos/",
        "/en/safe-browsing/",
    ):
        if not (published_site / path.lstrip("/") / "index.html").is_file():
            continue
        v.page.goto(PUBLISHED + path)
        found = v.page.evaluate(CLIPPED)
        assert found["scroll"] <= found["client"], path
        assert found["clipped"] == [], path
        assert found["header"] and all(found["header"]), path  # the number inside its link


def test_call_button_wraps_between_words_never_inside_the_number(visit, published_site):
    v = visit(viewport=NARROW)
    v.context.route(PUBLISHED + "/**", routed(published_site, PUBLISHED))
    v.page.goto(PUBLISHED + "/linea-contra-la-trata/")
    v.page.evaluate('document.documentElement.style.fontSize = "150%"')  # force a wrap
    button = v.page.locator(".app-card--primary .app-button")
    number = button.locator(".app-phone")
    assert number.inner_text() == "800 5533 000"
    lines = "(e) => new Set([...e.getClientRects()].map((r) => Math.round(r.bottom))).size"
    assert number.evaluate(lines) == 1
    assert button.evaluate("(e) => e.getBoundingClientRect().height") > 2 * number.evaluate(
        "(e) => e.getBoundingClientRect().height"
    )  # the button did wrap: "Llame al" above the number


def test_printed_law_comparison_keeps_every_column(visit, published_site):
    # Letter paper less the 15 mm margins of the print stylesheet's @page, in CSS pixels.
    printable = round((8.5 * 25.4 - 2 * 15) / 25.4 * 96)
    v = visit(viewport={"width": printable, "height": 1000})
    v.context.route(PUBLISHED + "/**", routed(published_site, PUBLISHED))
    v.page.goto(PUBLISHED + "/legislacion/")
    v.page.emulate_media(media="print")
    table = v.page.locator("table.app-leg-table")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= printable + 1
    wrapper = v.page.locator(".app-table-scroll").first
    assert wrapper.evaluate("(e) => e.scrollWidth <= e.clientWidth")
    last_header = table.locator("thead th").last.inner_text().split()[0][:6]

    pdf = pypdf.PdfReader(io.BytesIO(v.page.pdf(format="Letter")))
    found = []
    for page in pdf.pages:
        width = float(page.mediabox.width)

        def seen(text, cm, tm, _font, _size, width=width):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip():
                found.append((text, x, width))

        page.extract_text(visitor_text=seen)
    last = [(x, width) for text, x, width in found if last_header in text]
    assert last, last_header
    assert all(0 <= x < width for x, width in last)
    assert any("Zacatecas" in text for text, _x, _w in found)


def render(source, **context):
    loader = jinja2.FileSystemLoader(ROOT / "theme" / "templates")
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(source).render(**context)


def test_summary_list_component_contract():
    """Rows in order, falsy rows skipped, values escaped unless markup, attributes on <dd>."""
    html = render(
        '{% from "components/summary_list.html" import summary_list %}'
        '{% from "components/phone.html" import phone_link %}'
        "{{ summary_list([{'key': 'Horario', 'value': '<24 h>'}, none if true,"
        " {'key': 'Teléfono', 'value': phone_link('55 1234 5678', '+525512345678'),"
        " 'attributes': {'data-kind': 'tel'}}], classes='app-x') }}"
        "|{{ summary_list([none, '']) }}|"
    )
    rows = html.split("|")[0]
    assert '<dl class="app-summary-list app-x">' in rows
    assert "<dt>Horario</dt><dd>&lt;24 h&gt;</dd>" in rows
    assert (
        '<dt>Teléfono</dt><dd data-kind="tel"><a class="app-phone" href="tel:+525512345678">'
        "55 1234 5678</a></dd>" in rows
    )
    assert rows.count("app-summary-list__row") == 2
    assert html.split("|")[1].strip() == ""  # no row left: no empty <dl>
