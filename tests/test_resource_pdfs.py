"""Training module PDFs (plugins/resources/printing.py): two small modules printed through a
real Pelican generator (the site's settings, theme and template helpers), read back with pypdf:
both papers, the hotline and the page number on every page, the cover, links with their
address; a second build served from the cache; a module that cannot be printed stops the build
with one line naming it."""

import logging
import pickle
import re

import pypdf
import pytest
from conftest import CONTENT, SETTINGS, registered_plugins

from alerta.build import of
from alerta.i18n import gettext, languages
from alerta.report import BuildStopped, Report
from plugins.resources import printing
from plugins.resources.content import Resource
from plugins.safety import safety

POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
HTML_LANG = {"es": "es-MX", "en": "en"}
HOTLINE = "800 5533 000"
BASE = "http://127.0.0.1:8000/"
LAW = "https://www.diputados.gob.mx/LeyesBiblio/ref/lgpsedmtp.htm"


def module(lang, **extra):
    slug = "conceptos-basicos" if lang == "es" else "basic-concepts"
    folder = ("recursos/" if lang == "es" else "en/resources/") + slug + "/"
    title = "Conceptos básicos" if lang == "es" else "Basic concepts"
    fields = {
        "source": f"content/resources/{slug}.{lang}.md",
        "lang": lang,
        "key": "basics",
        "slug": slug,
        "title": title,
        "summary": "Un taller de dos horas." if lang == "es" else "A two-hour workshop.",
        "audiences": ["officials", "shelter-staff"],
        "type": "training-module",
        "files": [],
        "publisher": "Alerta Trata",
        "published": (2026, 3, None),
        "source_url": "",
        "body": (
            "<h2>Objetivos</h2><p>Reconocer las señales.</p>"
            f'<p>Lea la <a href="{LAW}">ley general</a> y <a href="/articulos/senales/">las '
            "señales</a>.</p><h2>Actividad</h2><ul><li>Caso uno.</li><li>Caso dos.</li></ul>"
        ),
        "verify": "",
        "url": folder,
        "folder": folder,
        "absolute_url": BASE + folder,
    }
    return Resource(**{**fields, **extra})


@pytest.fixture(scope="module")
def generator(tmp_path_factory):
    """A Pelican generator with the site's settings and template helpers (bilingual's
    generator_init), the checked hotlines in the build's facts, and a cache of its own."""
    from pelican.generators import Generator
    from pelican.settings import read_settings

    registered_plugins()
    base = tmp_path_factory.mktemp("modules")
    settings = read_settings(
        str(SETTINGS), override={"PATH": str(CONTENT), "CACHE_PATH": str(base / "cache")}
    )
    context = settings.copy()
    made = Generator(context, settings, settings["PATH"], settings["THEME"], str(base / "out"))
    of(context).facts.update(safety.check_safety(settings, Report()))
    made.options = {
        "papers": ["letter", "a4"],
        "workers": 1,
        "render_seconds": 60,
        "progress_after": 3,
        "cache_days": 60,
    }
    made.langs = languages(settings)
    made.resources = [module("es"), module("en"), module("en", type="guide", slug="guide")]
    printing.build_module_pdfs(made)
    return made


def squash(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("index", [0, 1], ids=["es", "en"])
def test_each_module_prints_on_both_papers_with_the_hotline_on_every_page(generator, index):
    item = generator.resources[index]
    settings = generator.settings
    assert [pdf["paper"] for pdf in item.pdfs] == ["letter", "a4"]
    page_one = gettext(settings, item.lang, printing.PAGE_OF) % {"page": 1, "pages": 2}
    for pdf in item.pdfs:
        assert pdf["url"] == item.folder + pdf["name"]
        assert pdf["name"].startswith(item.slug + "-") and pdf["name"].endswith(".pdf")
        reader = pypdf.PdfReader(pdf["cache"] + ".pdf")
        assert len(reader.pages) == pdf["pages"] == 2  # the cover, then the body
        for page in reader.pages:
            size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
            assert size == pytest.approx(POINTS[pdf["paper"]], abs=1)
            assert squash(HOTLINE) in squash(page.extract_text())
        cover, body = (page.extract_text() for page in reader.pages)
        assert squash(item.title) in squash(cover)
        assert squash(page_one) in squash(cover)
        assert squash(BASE + item.folder) in squash(cover)  # where to read it online
        # Links: the address printed after the text, clickable, site links made absolute.
        assert squash(f"({LAW})") in squash(body)
        assert squash(f"({BASE}articulos/senales/)") in squash(body)
        uris = {
            link.get_object()["/A"].get("/URI")
            for page in reader.pages
            for link in page.get("/Annots") or []
        }
        assert {LAW, BASE + "articulos/senales/", "tel:+528005533000"} <= uris
        assert reader.metadata.title == item.title
        assert reader.metadata.author == "Alerta Trata"
        assert reader.trailer["/Root"]["/Lang"] == HTML_LANG[item.lang]
    assert item.thumbnail["url"] == f"{item.folder}{item.slug}.png"
    assert item.thumbnail["cache"] == item.pdfs[0]["cache"] + ".png"


def test_page_numbers_are_in_the_modules_language(generator):
    css = printing.page_css(generator.settings, "en", "a4")
    assert '"Page " counter(page) " of " counter(pages)' in css
    assert "size: 210.0mm 297.0mm" in css


def test_only_training_modules_are_printed(generator):
    assert generator.resources[2].pdfs == [] and generator.resources[2].thumbnail is None


def test_the_preview_prints_the_editors_note_on_the_cover(generator):
    generator.resources = [module("en", verify="check the date of the reform")]
    printing.build_module_pdfs(generator)
    cover = pypdf.PdfReader(generator.resources[0].pdfs[0]["cache"] + ".pdf").pages[0]
    assert "Draft: check the date of the reform" in cover.extract_text()


def test_a_second_build_is_served_from_the_cache(generator, monkeypatch):
    def no_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(printing, "render", no_render)
    again = [module("es"), module("en")]
    generator.resources = again
    printing.build_module_pdfs(generator)
    assert [len(item.pdfs) for item in again] == [2, 2]


def test_a_module_that_cannot_be_printed_stops_the_build_naming_it(generator, caplog):
    # WeasyPrint may read local files only: a remote image stops the render.
    broken = module("es", body='<p><img src="https://example.com/x.png" alt=""></p>')
    generator.resources = [broken, module("en")]
    with caplog.at_level(logging.ERROR), pytest.raises(BuildStopped):
        printing.build_module_pdfs(generator)
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(lines) == 1, lines
    assert lines[0].startswith(broken.source + ": ") and "example.com" in lines[0]


def test_the_task_is_importable_by_name():
    assert pickle.loads(pickle.dumps(printing.make_module_pdf)) is printing.make_module_pdf
