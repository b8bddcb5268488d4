"""What the publish build leaves out: drafts, unverified shelters, a film with nothing to play.

One small site is built twice, as the publish build (publishconf.py, warnings fatal) and as the
editors' preview (pelicanconf.py). The publish build is read file by file the way a visitor, a
search engine or a calendar subscriber gets it (compressed files, search fragments, PDFs and
zips unpacked): a draft's words and slugs are in none of them. The preview shows each draft with
an editors' note, yet never puts one in a calendar.
"""

import gzip
import io
import re
import zipfile
from datetime import date, timedelta

import pypdf
import pytest
import yaml
from conftest import FIXTURE_FILES, PUBLISH, make_content, pelican
from events_fixture import FILM_FILES, pair

from plugins.shelters.shelters import confidential_needles

RECENT = (date.today() - timedelta(days=30)).isoformat()


def pamphlet(title, lang, key, slug, words, status=None):
    header = {
        "Title": title,
        "Short_title": title,
        "Lang": lang,
        "Translation_key": key,
        "Slug": slug,
        "Layout": "flyer",
        "Audience": "cualquier persona" if lang == "es" else "anyone",
        "Status": status,
    }
    lines = "\n".join(f"{name}: {value}" for name, value in header.items() if value)
    return f"{lines}\n\n{words}\n\n## Más\n\nTexto breve.\n"


SHELTERS = yaml.safe_dump(
    {
        "shelters": [
            {
                "id": "confirmada",
                "name": "Organización confirmada",
                "state": "Jalisco",
                "services": ["legal"],
                "description": {"es": "Asesoría.", "en": "Advice."},
                "verified_on": RECENT,
            },
            {
                "id": "sin-verificar",
                "name": "Organización Pendientísima",
                "state": "Oaxaca",
                "services": ["shelter", "lgbti"],
                "description": {"es": "Refugio gatopardo.", "en": "Shelter leopardcat."},
                "phones": [{"number": "55 0000 1111", "verify": True}],
                "address": "Calle Quimera Oculta 77, Col. Reservada",
                "geo": {"lat": 17.061234, "lon": -96.721234},
                "verify": True,
                "verify_note": {"es": "Llamar y confirmar.", "en": "Call and confirm."},
            },
        ]
    },
    allow_unicode=True,
    sort_keys=False,
)

FILES = {
    **{name: text for name, text in FIXTURE_FILES.items() if name != "articles/solo.es.md"},
    **pair("anunciado", "anunciado", "announced", Start="2099-05-01 10:00", End="2099-05-01 12:00"),
    **pair(
        "borrador",
        "borrador-quimerazul",
        "draft-chimerablue",
        "Foro quimerazul",
        "Forum chimerablue",
        Start="2099-06-05 09:30",
        End="2099-06-05 17:00",
        Status="draft",
    ),
    "pamphlets/linea.es.md": pamphlet("Llame a la línea", "es", "linea", "linea", "Llame."),
    "pamphlets/line.en.md": pamphlet("Call the line", "en", "linea", "line", "Call."),
    "pamphlets/zarapito.es.md": pamphlet(
        "Folleto zarapitoazul", "es", "ave", "folleto-zarapito", "Zarapitoazul.", "draft"
    ),
    "pamphlets/whimbrel.en.md": pamphlet(
        "Bluewhimbrel pamphlet", "en", "ave", "pamphlet-whimbrel", "Bluewhimbrel.", "draft"
    ),
    # The film has captions in both languages and nothing to play: no Video:, Youtube:, Vimeo:.
    **FILM_FILES,
    "data/shelters.yml": SHELTERS,
}
DRAFT_WORDS = [
    "quimerazul",
    "chimerablue",
    "zarapito",
    "whimbrel",
    "pendientísima",
    "gatopardo",
    "leopardcat",
]
FILM_WORDS = ["corto de prueba", "test short", "hola, esto es una prueba", "cortometraje/corto"]


def build(base, settings=None):
    content = make_content(base / "content", FILES)
    options = {"settings": settings} if settings else {}
    result = pelican(
        content,
        base / "output",
        strict=True,
        overrides={"SITEURL": "https://example.test"},
        **options,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output", result.stdout + result.stderr, content


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return build(tmp_path_factory.mktemp("publish"), PUBLISH)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    return build(tmp_path_factory.mktemp("preview"))


@pytest.fixture(scope="module")
def published_texts(published):
    return texts(published[0])


def readable(name, data):
    """The text a file holds, however it is packed."""
    if data[:2] == b"\x1f\x8b":  # .gz copies and Pagefind's fragments and indexes
        return readable(name.removesuffix(".gz"), gzip.decompress(data))
    if data[:4] == b"%PDF":
        pages = pypdf.PdfReader(io.BytesIO(data)).pages
        return "\n".join(page.extract_text() or "" for page in pages)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(readable(n, archive.read(n)) for n in archive.namelist())
    if name.endswith((".png", ".jpg", ".webp", ".ico", ".woff2", ".wasm")):
        return ""
    return data.decode("utf-8", errors="ignore")


def texts(output):
    """{relative path: text, lower-cased}, for every file of an output folder."""
    return {
        str(path.relative_to(output)): readable(path.name, path.read_bytes()).lower()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def read(output, path):
    return (output / path).read_text(encoding="utf-8")


def log_lines(log, text):
    return [line for line in log.splitlines() if text in line]


# ---------------------------------------------------------------- the publish build


def test_no_draft_word_or_slug_in_any_published_file(published, published_texts):
    output, found = published[0], published_texts
    kinds = {name.rsplit(".", 1)[-1] for name in found}
    # Every kind of file a draft could reach was looked at.
    assert {"html", "gz", "ics", "xml", "json", "pf_fragment", "pdf", "zip"} <= kinds, kinds
    for name, text in found.items():
        for word in DRAFT_WORDS + FILM_WORDS:
            assert word not in name.lower() and word not in text, f"{name}: {word!r}"
    # The ordinary event and pamphlet, beside them, are published.
    assert (output / "eventos" / "anunciado" / "anunciado.ics").is_file()
    assert "evento anunciado" in found["eventos/calendario.ics"]
    assert "call the line" in found["en/pamphlets/line/line-letter.pdf"]


def test_unverified_shelter_is_left_out_with_one_information_line(published):
    output, log, content = published
    text = (content / "data" / "shelters.yml").read_text(encoding="utf-8").splitlines()
    line = text.index("- id: sin-verificar") + 1
    expected = (
        f'content/data/shelters.yml:{line}: shelter "sin-verificar" has no verified_on: '
        "left out of the publish build"
    )
    lines = log_lines(log, '"sin-verificar"')
    assert lines == [expected], log  # one line, information only (the build is strict)
    assert log_lines(log, '"confirmada"') == []


def test_unverified_shelter_has_no_page_link_count_or_filter(published, published_texts):
    output = published[0]
    index = read(output, "en/shelters/index.html")
    assert re.findall(r'<li class="app-shelter" id="shelter-([a-z-]+)"', index) == ["confirmada"]
    assert (output / "en/shelters/state/jalisco/index.html").is_file()
    gone = ["refugios/estado/oaxaca", "refugios/servicio/refugio", "en/shelters/service/lgbti"]
    for path in gone:
        assert not (output / path).exists(), path
    for name, text in published_texts.items():
        assert not any(path in text for path in gone), name  # no filter link, no sitemap entry
    for path in ("refugios/index.html", "en/shelters/index.html"):
        page = read(output, path).lower()
        assert "oaxaca" not in page and "lgbti" not in page and "(2)" not in page, path
        assert '>jalisco <span class="app-chips__count">(1)</span>' in page, path


def test_confidentiality_scan_still_knows_unverified_entries(published):
    _output, _log, content = published
    needles = confidential_needles({"PATH": str(content)})
    assert {("sin-verificar", "address"), ("sin-verificar", "geo")} <= {
        (needle.owner, needle.field) for needle in needles
    }


def test_film_with_nothing_to_play_is_not_published(published, published_texts):
    output, log, _content = published
    assert not (output / "cortometraje").exists() and not (output / "en" / "film").exists()
    for name, text in published_texts.items():  # no link, sitemap or search entry
        assert "cortometraje/corto" not in text and "film/short" not in text, name
    assert ">Cortometraje</a>" not in read(output, "index.html")
    assert ">Film</a>" not in read(output, "en/index.html")
    lines = log_lines(log, 'film "film" has nothing to play')
    assert sorted(line.split(":")[0] for line in lines) == [
        "content/film/corto.es.md",
        "content/film/short.en.md",
    ]


# ---------------------------------------------------------------- the editors' preview


def test_preview_shows_draft_event_with_a_note_but_no_calendar_gets_it(preview):
    output, _log, _content = preview
    page = read(output, "eventos/borrador-quimerazul/index.html")
    note = re.search(r'<aside class="app-editor-note"[^>]*>.*?</aside>', page, re.S).group(0)
    assert "data-pagefind-ignore" in note and "borrador" in note
    assert "borrador-quimerazul.ics" not in page  # no "Add to my calendar"
    assert not (output / "eventos/borrador-quimerazul/borrador-quimerazul.ics").exists()
    index = read(output, "en/events/index.html")
    item = index[index.index("Forum chimerablue") :]
    assert "draft — not published" in item[: item.index("</li>")]
    found = texts(output)
    for name in [n for n in found if n.endswith(".ics")] + ["sitemap.xml"]:
        assert "quimerazul" not in found[name] and "chimerablue" not in found[name], name
    assert "evento anunciado" in found["eventos/calendario.ics"]


def test_preview_shows_draft_pamphlet_with_a_note_but_not_in_the_print_pack(preview):
    output, _log, _content = preview
    page = read(output, "en/pamphlets/pamphlet-whimbrel/index.html")
    note = re.search(r'<aside class="app-editor-note"[^>]*>.*?</aside>', page, re.S).group(0)
    assert "data-pagefind-ignore" in note and "draft" in note
    index = read(output, "en/pamphlets/index.html")
    assert "Bluewhimbrel pamphlet" in index and "draft — not published" in index
    pack = readable(
        "pack.zip", (output / "en/pamphlets/alerta-trata-pamphlets-en.zip").read_bytes()
    )
    assert "call the line" in pack.lower() and "whimbrel" not in pack.lower()
    assert "zarapito" not in read(output, "sitemap.xml")


def test_preview_shows_unverified_shelter_with_editors_notes(preview):
    output, log, _content = preview
    index = read(output, "en/shelters/index.html")
    card = index[index.index('id="shelter-sin-verificar"') : index.index("data-filter-empty")]
    assert "Organización Pendientísima" in card
    notes = re.findall(r'<(?:aside|span) class="app-editor-note(?: [^"]*)?"([^>]*)>', card)
    assert len(notes) >= 3 and all("data-pagefind-ignore" in attrs for attrs in notes)
    assert "Call and confirm." in card and "left out of the published site" in card
    assert (output / "refugios/estado/oaxaca/index.html").is_file()
    assert log_lines(log, "left out of the publish build") == []


def test_preview_has_the_film_page_with_the_pending_note_as_editors_note(preview):
    output, _log, _content = preview
    page = read(output, "cortometraje/corto/index.html")
    note = re.search(r'<aside class="app-editor-note"[^>]*>.*?</aside>', page, re.S).group(0)
    assert "pendiente" in note and "data-pagefind-ignore" in note
    assert 'href="https://example.test/cortometraje/corto/">Cortometraje</a>' in read(
        output, "index.html"
    )
    assert "cortometraje/corto/" in read(output, "sitemap.xml")
