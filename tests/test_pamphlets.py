"""Pamphlets: PDFs read back with pypdf, QR codes decoded, cache, pages, index, print pack.

WeasyPrint is slow, so the bundled site (`built_site`, shared with the other tests) carries
most checks, and the builds made here are small and share one session fixture.
"""

import math
import re
import zipfile
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import zxingcpp
from conftest import CONTENT, ROOT, make_content, one_clear_line, pelican
from PIL import Image

from plugins.checks import checks
from plugins.pamphlets import pamphlets

POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
PAPER_WORDS = {"carta": "letter", "letter": "letter", "a4": "a4"}
HTML_LANG = {"es": "es-MX", "en": "en"}
INDEX = {"es": "folletos", "en": "en/pamphlets"}
HOTLINE = "800 5533 000"
BASE = "http://127.0.0.1:8000"  # FEED_DOMAIN: where development builds point QR codes


def bundled_pamphlets():
    """(lang, slug, layout, title) of every pamphlet in content/pamphlets/."""
    result = []
    for path in sorted((CONTENT / "pamphlets").glob("*.md")):
        header, _ = checks.read_header(path.read_text(encoding="utf-8"))
        fields = {name: value for name, (value, _line) in header.fields.items()}
        result.append((fields["lang"], fields["slug"], fields["layout"], fields["title"]))
    return result


PAMPHLETS = bundled_pamphlets()
# Bundled pamphlets kept as drafts (preview only): never in a print pack.
DRAFTS = {
    header.fields["slug"][0]
    for header in (
        checks.read_header(path.read_text(encoding="utf-8"))[0]
        for path in sorted((CONTENT / "pamphlets").glob("*.md"))
    )
    if header.fields.get("status", ("",))[0].lower() == "draft"
}


def pdfs_of(output, lang, slug):
    folder = Path(output) / INDEX[lang] / slug
    return sorted(folder.glob("*.pdf"))


def hotline_sizes(page):
    """Font sizes (pt, after the text and page transforms) of text holding the hotline."""
    sizes = []

    def visit(text, cm, tm, _font, size):
        if "5533" in text:
            sizes.append(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]))

    page.extract_text(visitor_text=visit)
    return sizes


def squash(text):
    return re.sub(r"\s+", "", text)


def test_there_are_three_pamphlets_in_each_language():
    for lang in ("es", "en"):
        assert len([p for p in PAMPHLETS if p[0] == lang]) == 3
    assert {p[2] for p in PAMPHLETS} == {"trifold", "flyer"}


@pytest.mark.parametrize("lang, slug, layout, title", PAMPHLETS, ids=[p[1] for p in PAMPHLETS])
def test_every_pdf_reads_back_right(built_site, lang, slug, layout, title):
    files = pdfs_of(built_site, lang, slug)
    assert len(files) == 2, files  # Letter and A4
    url = f"{BASE}/{INDEX[lang]}/{slug}/"
    for path in files:
        reader = pypdf.PdfReader(path)
        paper = PAPER_WORDS[path.stem.rsplit("-", 1)[1]]
        assert len(reader.pages) == (2 if layout == "trifold" else 1), path
        for page in reader.pages:
            size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
            assert size == pytest.approx(POINTS[paper], abs=1), path
            if layout == "trifold":  # landscape: the long side across
                assert page.mediabox.width > page.mediabox.height
        lines = [line.strip() for page in reader.pages for line in page.extract_text().split("\n")]
        # A lone short word on a line is a bad break (WeasyPrint bug with inline boxes).
        assert not [w for w in lines if re.fullmatch(r"[^\W\d_]{1,3}", w)], path
        text = squash("".join(page.extract_text() for page in reader.pages))
        assert squash(HOTLINE) in text and "911" in text and "089" in text
        assert squash(url) in text, (url, text)
        assert max(hotline_sizes(reader.pages[0])) >= 16
        assert reader.trailer["/Root"]["/Lang"] == HTML_LANG[lang]
        assert reader.metadata.title == title
        assert reader.metadata.subject
        assert reader.metadata.author == "Alerta Trata"


@pytest.mark.parametrize("lang, slug, layout, title", PAMPHLETS, ids=[p[1] for p in PAMPHLETS])
def test_the_qr_code_opens_the_pamphlet_page(built_site, lang, slug, layout, title):
    url = f"{BASE}/{INDEX[lang]}/{slug}/"
    for path in pdfs_of(built_site, lang, slug):
        document = pypdfium2.PdfDocument(str(path))
        image = document[0].render(scale=3).to_pil()
        document.close()
        codes = zxingcpp.read_barcodes(image)
        assert [(c.format, c.text) for c in codes] == [(zxingcpp.BarcodeFormat.QRCode, url)]
    # The page's own QR file is segno's code for the same address, with a 4-module quiet zone.
    svg = (built_site / INDEX[lang] / slug / "qr.svg").read_text(encoding="utf-8")
    expected = pamphlets.qr_code(url, pamphlets.DEFAULTS)
    side = expected.symbol_size(scale=1, border=4)[0]
    assert f'viewBox="0 0 {side} {side}"' in svg


def test_tri_fold_inner_panel_is_slightly_narrower():
    for paper in pamphlets.PAPERS:
        full, fold_in = pamphlets.panel_widths(paper)
        assert 2 * full + fold_in == pytest.approx(max(pamphlets.PAPERS[paper]["size"]), abs=0.01)
        assert 1 <= full - fold_in <= 4  # mm


def test_pamphlet_page_links_each_pdf_with_paper_and_size(built_site):
    html = (built_site / "folletos" / "reconozca-las-senales" / "index.html").read_text()
    for word in ("carta", "A4"):
        name = f"reconozca-las-senales-{word.lower()}.pdf"
        size = (built_site / "folletos" / "reconozca-las-senales" / name).stat().st_size
        label = f"PDF, {word}, {pamphlets.file_size(size, 'es_MX')}"
        assert re.search(rf'href="[^"]*/{name}" type="application/pdf" download>', html)
        assert label in html, label
        assert re.fullmatch(r"PDF, \w+, \d+ kB", label)
    english = (built_site / "en" / "pamphlets" / "recognise-the-signs" / "index.html").read_text()
    assert re.search(r"PDF, Letter, \d+ kB", english)
    assert "recognise-the-signs-letter.pdf" in english
    assert 'hreflang="es-MX"' in english  # the translation is linked
    assert "/folletos/reconozca-las-senales/" in english


def test_file_sizes_are_in_the_page_language():
    assert pamphlets.file_size(212_345, "es_MX") == "212 kB"
    assert pamphlets.file_size(212_345, "en") == "212 kB"
    assert pamphlets.file_size(1_250_000, "es_MX") == "1.2 MB"  # Mexico writes 1.2
    assert pamphlets.file_size(1_250_000, "es") == "1,2 MB"
    assert pamphlets.file_size(1_250_000, "en") == "1.2 MB"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_index_has_thumbnails_and_the_print_pack(built_site, lang):
    index = built_site / INDEX[lang] / "index.html"
    html = index.read_text()
    thumbs = re.findall(
        r'<img class="app-pamphlets__thumb" src="/([^"]+\.png)" '
        r'width="(\d+)" height="(\d+)"',
        html,
    )
    assert len(thumbs) == 3
    for src, width, height in thumbs:
        with Image.open(built_site / src) as image:
            assert image.size == (int(width), int(height))
            assert image.width == pamphlets.THUMB_WIDTH
    pack = re.search(r'href="/([^"]+\.zip)" type="application/zip" download', html)
    assert pack
    with zipfile.ZipFile(built_site / pack.group(1)) as archive:
        names = archive.namelist()
        folder = built_site / INDEX[lang]
        pdfs = sorted(p.name for p in folder.glob("*/*.pdf") if p.parent.name not in DRAFTS)
        assert sorted(n for n in names if n.endswith(".pdf")) == pdfs
        assert len(pdfs) == 4  # two published pamphlets, Letter and A4 (the third is a draft)
        readme = [n for n in names if n.endswith(".txt")]
        assert readme == (["LEAME.txt"] if lang == "es" else ["README.txt"])
        text = archive.read(readme[0]).decode("utf-8")
    assert len(text.splitlines()) <= 60  # fits on one printed page
    assert HOTLINE in text
    assert ("Cómo doblar un tríptico" if lang == "es" else "Folding a tri-fold") in text


def test_every_page_links_the_pamphlets_and_the_sitemap_lists_them(built_site):
    home = (built_site / "index.html").read_text()
    assert re.search(r'<a [^>]*href="[^"]*/folletos/"[^>]*>Folletos</a>', home)
    english = (built_site / "en" / "index.html").read_text()
    assert re.search(r'<a [^>]*href="[^"]*/en/pamphlets/"[^>]*>Pamphlets</a>', english)
    sitemap = (built_site / "sitemap.xml").read_text()
    assert "/folletos/reconozca-las-senales/</loc>" in sitemap
    assert "/en/pamphlets/</loc>" in sitemap


def test_pamphlet_pages_need_no_inline_styles_or_scripts(built_site):
    for lang in ("es", "en"):
        for path in (built_site / INDEX[lang]).rglob("*.html"):
            html = path.read_text()
            assert " style=" not in html, path
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
            assert 'id="quick-exit"' in html and 'href="tel:+528005533000"' in html, path


def test_the_fetcher_reads_local_files_only(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    allowed = tmp_path / "theme"
    allowed.mkdir()
    (allowed / "a.css").write_text("p{}")
    (tmp_path / "secret.txt").write_text("x")
    fetcher = pamphlets.make_fetcher([str(allowed)])
    response = fetcher.fetch((allowed / "a.css").as_uri())
    assert response.read() == b"p{}"
    for url in (
        "https://example.org/font.woff2",
        "http://127.0.0.1:8000/x.png",
        "ftp://example.org/x",
        (tmp_path / "secret.txt").as_uri(),
        (allowed / ".." / "secret.txt").as_uri(),
    ):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


# ---------------------------------------------------------------- small builds, one cache

TRIFOLD = """Title: {title}
Short_title: {title}
Lang: {lang}
Translation_key: prueba
Slug: {slug}
Layout: {layout}
Audience: {audience}

Texto de portada.

## Uno

{body}

## Dos

Dos.
"""


def pamphlet(lang="es", title="Prueba", slug="prueba", layout="trifold", body="Uno.", **extra):
    text = TRIFOLD.format(
        title=title, lang=lang, slug=slug, layout=layout, body=body, audience="Voluntarios"
    )
    for name, value in extra.items():
        text = text.replace("\n\n", f"\n{name}: {value}\n\n", 1)
    return text


PAIR = {
    "pamphlets/prueba.es.md": pamphlet(),
    "pamphlets/test.en.md": pamphlet(lang="en", title="Test", slug="test"),
}
ONE_PAPER = {"PAMPHLETS": {"papers": ["a4"], "workers": 1}}


@pytest.fixture(scope="session")
def cached_builds(tmp_path_factory):
    """The same small site built three times with one cache: cold, unchanged, one file edited.
    Non-strict, with one untranslated flyer (a warning, not an error)."""
    base = tmp_path_factory.mktemp("pamphlet-cache")
    files = {
        **PAIR,
        "pamphlets/solo.es.md": pamphlet(title="Solo", slug="solo", layout="flyer").replace(
            "Translation_key: prueba", "Translation_key: solo"
        ),
    }
    content = make_content(base / "content", files)
    overrides = {"CACHE_PATH": str(base / "cache")}
    runs = [pelican(content, base / "out1", overrides=overrides)]
    runs.append(pelican(content, base / "out2", overrides=overrides))
    (content / "pamphlets" / "prueba.es.md").write_text(pamphlet(body="Uno, corregido."))
    runs.append(pelican(content, base / "out3", overrides=overrides))
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    return base, [run.stdout + run.stderr for run in runs]


def cache_files(base):
    """The cached PDFs (CACHE_PATH/pamphlets/<version>/<2 characters>/<digest>.pdf)."""
    return {p.name: p.stat().st_mtime_ns for p in (base / "cache" / "pamphlets").rglob("*.pdf")}


def test_second_build_rebuilds_no_pdf(cached_builds):
    base, logs = cached_builds
    assert "Pamphlets: 6 PDFs (6 built, 0 from cache)" in logs[0]
    assert "Pamphlets: built PDF 4/6" in logs[0]  # counts, since more than a few are built
    assert "Pamphlets: 6 PDFs (0 built, 6 from cache)" in logs[1]
    assert "building PDF" not in logs[1] and "built PDF" not in logs[1]
    # Only the edited pamphlet's two papers are made again.
    assert "Pamphlets: 6 PDFs (2 built, 4 from cache)" in logs[2]
    assert len(cache_files(base)) == 8
    for name in ("out1", "out2"):
        assert (base / name / "folletos" / "prueba" / "prueba-carta.pdf").exists()
    first = (base / "out1" / "folletos" / "prueba" / "prueba-a4.pdf").read_bytes()
    assert (base / "out2" / "folletos" / "prueba" / "prueba-a4.pdf").read_bytes() == first
    assert (base / "out3" / "folletos" / "prueba" / "prueba-a4.pdf").read_bytes() != first
    assert (base / "out3" / "en" / "pamphlets" / "test" / "test-a4.pdf").read_bytes() == (
        base / "out1" / "en" / "pamphlets" / "test" / "test-a4.pdf"
    ).read_bytes()


def test_missing_translation_is_a_warning_outside_strict_mode(cached_builds):
    base, logs = cached_builds
    assert (
        'content/pamphlets/solo.es.md:4: Translation_key "solo" has no "en" translation'
        in (logs[0])
    )
    assert "Traceback" not in logs[0]
    reader = pypdf.PdfReader(base / "out1" / "folletos" / "solo" / "solo-carta.pdf")
    assert len(reader.pages) == 1


LONG = "\n".join(
    f"- Punto número {n} de una lista demasiado larga para un panel." for n in range(60)
)
BAD = {
    "no translation (strict)": (
        {"pamphlets/prueba.es.md": pamphlet()},
        "content/pamphlets/prueba.es.md:4:",
        'has no "en" translation',
        {},
    ),
    "unknown layout": (
        {**PAIR, "pamphlets/prueba.es.md": pamphlet(layout="acordeon")},
        "content/pamphlets/prueba.es.md:6:",
        'Layout "acordeon" is unknown (use one of: trifold, flyer)',
        {},
    ),
    "missing audience": (
        {**PAIR, "pamphlets/prueba.es.md": pamphlet().replace("Audience: Voluntarios\n", "")},
        "content/pamphlets/prueba.es.md:1:",
        '"Audience:" is missing',
        {},
    ),
    "more sections than panels": (
        {**PAIR, "pamphlets/prueba.es.md": pamphlet() + "\n## Tres\n\n## Cuatro\n\n## Cinco\n"},
        "content/pamphlets/prueba.es.md:23:",
        "a tri-fold has room for 4 sections",
        {},
    ),
    "text overflows the panels": (
        {**PAIR, "pamphlets/prueba.es.md": pamphlet(body=LONG)},
        "content/pamphlets/prueba.es.md:",
        'the text overflows the tri-fold\'s six panels: "Uno" does not fit',
        ONE_PAPER,
    ),
    "image from another site": (
        {**PAIR, "pamphlets/prueba.es.md": pamphlet(body="![Logo](https://example.org/l.png)")},
        "content/pamphlets/prueba.es.md:13:",  # plugins/images checks every Markdown image
        'image "https://example.org/l.png" is not a file of this site',
        ONE_PAPER,
    ),
    "file outside the static folders": (
        {**PAIR, "pamphlets/prueba.es.md": pamphlet(body="![Datos](/data/hotlines.yml)")},
        "content/data/hotlines.yml:",  # plugins/images refuses it before WeasyPrint sees it
        'unsupported image format ".yml"',
        ONE_PAPER,
    ),
}


@pytest.mark.parametrize("files, where, message, overrides", BAD.values(), ids=BAD.keys())
def test_bad_pamphlet_is_one_clear_line(tmp_path, files, where, message, overrides):
    content = make_content(tmp_path / "content", files)
    overrides = {**overrides, "CACHE_PATH": str(tmp_path / "cache")}
    result = pelican(content, tmp_path / "output", strict=True, overrides=overrides)
    one_clear_line(result, message, where)
    assert not (tmp_path / "output" / "folletos").exists()


def test_unused_cache_entries_are_pruned(tmp_path):
    import os
    import time

    for name, age_days in (("old", 90), ("new", 1)):
        for suffix in (".json", ".pdf", ".png"):
            path = tmp_path / (name + suffix)
            path.write_bytes(b"x")
            then = time.time() - age_days * 86400
            os.utime(path, (then, then))
    pamphlets.prune_cache(str(tmp_path), 60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "new.pdf", "new.png"]


def test_settings_document_every_option():
    assert set(pamphlets.DEFAULTS) >= {
        "papers",
        "site_url",
        "progress_after",
        "workers",
        "cache_days",
    }
    settings = (ROOT / "pelicanconf.py").read_text()
    assert '"plugins.pamphlets"' in settings and "PAMPHLETS = {" in settings
