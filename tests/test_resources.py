"""The resource library (plugins/resources): pages, filters, catalogue, printed modules, cleaned
attachments, and bad input. One small site is built once as the preview and once as the
publish build; bad input runs in-process through the build's checks (conftest.build_problems)
and, for the done-when cases, as real builds that must leave the previous output untouched."""

import csv
import io
import json
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import (
    PUBLISH,
    build_problems,
    make_content,
    one_clear_line,
    one_problem,
    pelican,
    previous_output,
    tree,
)

AUTHOR = "Ana Pérez Zubiri"
PATH = "C:\\Users\\azubiri\\Documents\\refugio-privado\\guia.docx"


def text_pdf(text, info=None, extra=None):
    """A one-page PDF showing `text` (standard Helvetica), with `info` document metadata and an
    XMP packet naming the author and the path; `extra(writer)` may add more (a script)."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 14 Tf 72 700 Td ({text}) Tj ET".encode("latin-1"))
    page.replace_contents(stream)
    if info:
        writer.add_metadata(info)
        xmp = (
            '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{AUTHOR}</dc:creator><dc:source>{PATH}</dc:source>"
            '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
        )
        writer.xmp_metadata = xmp.encode("utf-8")
    if extra:
        extra(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def with_javascript(writer):
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert('hola');"))


def resource(title, lang, key, kind="guide", audience="officials, shelter-staff", **extra):
    fields = {
        "Title": title,
        "Lang": lang,
        "Translation_key": key,
        "Summary": f"Resumen de {title}." if lang == "es" else f"Summary of {title}.",
        "Audience": audience,
        "Type": kind,
        "Publisher": "Alerta Trata",
        "Published": "2026-11",
    }
    fields.update(extra)
    header = "\n".join(f"{name}: {value}" for name, value in fields.items())
    body = "Qué es y cómo usarlo en un taller.\n\n## Objetivos\n\nEntender la trata.\n"
    return f"{header}\n\n{body}"


SITE = {
    "resources/guia.es.md": resource(
        "Guía de referencia", "es", "guide", Files="guia.pdf, guide.en.pdf"
    ),
    "resources/guide.en.md": resource("Referral guide", "en", "guide", Files="guide.en.pdf"),
    "resources/modulo.es.md": resource(
        "Módulo uno", "es", "module", kind="training-module", audience="educators"
    ),
    "resources/module.en.md": resource(
        "Module one", "en", "module", kind="training-module", audience="educators"
    ),
    "resources/formato.es.md": resource(
        "Formato de canalización", "es", "form", Files="formato.docx"
    ),
    "resources/form.en.md": resource("Referral form", "en", "form", Files="formato.docx"),
    "resources/ley.es.md": resource(
        "La ley",
        "es",
        "law",
        kind="legal-instrument",
        audience="public",
        Source="https://www.diputados.gob.mx/LeyesBiblio/pdf/LGPSEDMTP.pdf",
    ),
    "resources/borrador.es.md": resource(
        "Borrador interno", "es", "draft", Status="draft", Verify="confirmar la fuente"
    ),
}


def write_files(content):
    files = content / "resources" / "files"
    files.mkdir(parents=True, exist_ok=True)
    info = {"/Author": AUTHOR, "/Creator": PATH, "/Title": PATH, "/Subject": AUTHOR}
    (files / "guia.pdf").write_bytes(text_pdf("Lista de referencia zarzamora", info))
    (files / "guide.en.pdf").write_bytes(text_pdf("Referral checklist gooseberry", info))
    from test_resource_attachments import docx

    (files / "formato.docx").write_bytes(docx())


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("resources")
    content = make_content(base / "content", SITE)
    write_files(content)
    preview = pelican(content, base / "out")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    overrides = {"SITEURL": "https://example.test"}
    published = pelican(content, base / "pub", settings=PUBLISH, overrides=overrides)
    assert published.returncode == 0, published.stdout + published.stderr
    return base / "out", base / "pub"


def read(path):
    return Path(path).read_text(encoding="utf-8")


# ---------------------------------------------------------------- pages and filters


def test_an_index_per_language_lists_its_resources_and_those_not_translated(sites):
    out, _pub = sites
    es = read(out / "recursos" / "index.html")
    en = read(out / "en" / "resources" / "index.html")
    for title in ("Guía de referencia", "Módulo uno", "La ley"):
        assert title in es
    for title in ("Referral guide", "Module one"):
        assert title in en
    # "La ley" has no English twin: the English index still lists it, marked as Spanish.
    item = re.search(r'<li class="app-resource-item"(?:(?!</li>).)*La ley.*?</li>', en, re.S)
    assert item is not None
    assert 'hreflang="es-MX"' in item.group(0) and "In Español" in item.group(0)


@pytest.mark.parametrize(
    "url, present, absent",
    [
        ("recursos/para/personal-docente/index.html", ["Módulo uno"], ["Guía de referencia"]),
        ("recursos/tipo/guias/index.html", ["Guía de referencia"], ["Módulo uno", "La ley"]),
        ("en/resources/for/shelter-staff/index.html", ["Referral guide"], ["Module one"]),
        ("en/resources/type/training-modules/index.html", ["Module one"], ["Referral guide"]),
    ],
)
def test_one_static_page_per_audience_and_type_is_the_filter_without_javascript(
    sites, url, present, absent
):
    out, _pub = sites
    page = read(out / url)
    for title in present:
        assert title in page
    for title in absent:
        assert f">{title}</a>" not in page
    assert 'aria-current="page"' in page  # the chip of this page


def test_the_index_links_every_filter_page_and_has_a_hidden_live_filter(sites):
    out, _pub = sites
    page = read(out / "recursos" / "index.html")
    for url in ("recursos/para/personal-docente/", "recursos/tipo/guias/"):
        assert f'href="/{url}"' in page
        assert (out / url / "index.html").exists()
    assert 'data-module="app-list-filter" data-items="[data-resource]" hidden' in page
    assert re.search(r'src="/theme/js/list-filter\.[0-9a-f]{10}\.js"', page)
    assert "list-filter" not in read(out / "recursos" / "tipo" / "guias" / "index.html")


def test_a_resource_page_lists_each_attachment_with_its_facts_and_thumbnail(sites):
    out, _pub = sites
    page = read(out / "recursos" / "guia-de-referencia" / "index.html")
    assert 'href="/recursos/guia-de-referencia/guia.pdf"' in page
    assert 'href="/recursos/guia-de-referencia/guide.en.pdf"' in page
    assert "1 página" in page and "PDF ·" in page
    assert re.search(r"\d+\s?kB", page)
    assert '<span lang="en">English</span>' in page  # guide.en.pdf is in English
    assert '<span lang="es-MX">Español</span>' in page
    thumb = out / "recursos" / "guia-de-referencia" / "guia.pdf.png"
    assert thumb.read_bytes().startswith(b"\x89PNG")
    assert 'src="/recursos/guia-de-referencia/guia.pdf.png"' in page


def test_an_office_attachment_is_published_clean_with_its_preview(sites):
    from test_resource_attachments import AUTHOR as PLANTED

    _out, pub = sites
    page = read(pub / "recursos" / "formato-de-canalizacion" / "index.html")
    assert "Word (DOCX) ·" in page
    copy = pub / "recursos" / "formato-de-canalizacion" / "formato.docx"
    with zipfile.ZipFile(copy) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(name) for name in names)
    assert PLANTED.encode() not in everything and b"Users" not in everything
    assert "word/document.xml" in names and "docProps/custom.xml" not in names


def test_the_law_links_its_official_text(sites):
    out, _pub = sites
    page = read(out / "recursos" / "la-ley" / "index.html")
    assert 'href="https://www.diputados.gob.mx/LeyesBiblio/pdf/LGPSEDMTP.pdf"' in page
    assert "noviembre de 2026" in page  # Published: 2026-11, no day invented


# ---------------------------------------------------------------- printed modules


@pytest.mark.parametrize("folder", ["recursos/modulo-uno", "en/resources/module-one"])
def test_each_training_module_is_printed_on_both_papers_with_the_hotline(sites, folder):
    from pypdf import PdfReader

    _out, pub = sites
    pdfs = sorted((pub / folder).glob("*.pdf"))
    sizes = set()
    for pdf in pdfs:
        reader = PdfReader(pdf)
        width = round(float(reader.pages[0].mediabox.width))
        sizes.add(width)
        for page in reader.pages:
            assert "800 5533 000" in page.extract_text()
    assert sizes == {612, 595}, pdfs  # Letter and A4
    page = read(pub / folder / "index.html")
    for pdf in pdfs:
        assert f'/{folder}/{pdf.name}"' in page


# ---------------------------------------------------------------- attachments are clean


def every_form(data):
    """The file's bytes, its streams inflated, and both read as UTF-16 too."""
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            parts.append(stream)
    texts = []
    for part in parts:
        for encoding in ("latin-1", "utf-8", "utf-16-be", "utf-16-le"):
            texts.append(part.decode(encoding, errors="ignore"))
        # PDF strings: hex, and escaped backslashes
        for hexa in re.findall(rb"<([0-9A-Fa-f\s]{8,})>", part):
            raw = bytes.fromhex(hexa.decode().replace(" ", "").replace("\n", ""))
            texts += [raw.decode(e, errors="ignore") for e in ("latin-1", "utf-16-be")]
    return "\n".join(texts).replace("\\\\", "\\").replace("\x00", "").lower()


@pytest.mark.parametrize("which", ["out", "pub"])
def test_published_attachments_hold_neither_the_author_nor_the_path(sites, which):
    from pypdf import PdfReader

    folder = dict(zip(("out", "pub"), sites, strict=True))[which]
    copies = list(folder.rglob("guia.pdf")) + list(folder.rglob("guide.en.pdf"))
    assert len(copies) == 3, copies  # es: both files; en: its own
    for copy in copies:
        data = copy.read_bytes()
        text = every_form(data)
        for secret in (AUTHOR, "azubiri", "pérez", "C:\\Users", "refugio-privado"):
            assert secret.lower() not in text, (copy, secret)
        reader = PdfReader(copy)
        assert not reader.metadata or not any(reader.metadata.values())
        assert reader.xmp_metadata is None
        assert "zarzamora" in reader.pages[0].extract_text() or "gooseberry" in (
            reader.pages[0].extract_text()
        )


# ---------------------------------------------------------------- catalogue, sitemap, search


def test_the_catalogue_lists_every_published_resource_in_json_and_csv(sites):
    _out, pub = sites
    data = json.loads(read(pub / "recursos" / "recursos.json"))
    keys = sorted((r["key"], r["lang"]) for r in data["resources"])
    assert keys == [
        ("form", "en"),
        ("form", "es"),
        ("guide", "en"),
        ("guide", "es"),
        ("law", "es"),
        ("module", "en"),
        ("module", "es"),
    ]
    guide = next(r for r in data["resources"] if (r["key"], r["lang"]) == ("guide", "es"))
    assert guide["url"] == "https://example.test/recursos/guia-de-referencia/"
    assert [f["lang"] for f in guide["files"]] == ["es", "en"]
    assert all(f["pages"] == 1 and f["bytes"] > 0 for f in guide["files"])
    rows = list(csv.DictReader(io.StringIO(read(pub / "recursos" / "recursos.csv"))))
    assert len(rows) == 7
    assert {row["type"] for row in rows} == {"guide", "training-module", "legal-instrument"}


def test_drafts_are_in_the_preview_only(sites):
    out, pub = sites
    assert (out / "recursos" / "borrador-interno" / "index.html").exists()
    assert "confirmar la fuente" in read(out / "recursos" / "borrador-interno" / "index.html")
    assert not (pub / "recursos" / "borrador-interno").exists()
    for path in pub.rglob("*.html"):
        assert "Borrador interno" not in read(path), path
    assert "borrador" not in read(pub / "sitemap.xml")


def test_resources_are_in_the_sitemap_menu_and_search(sites):
    _out, pub = sites
    sitemap = read(pub / "sitemap.xml")
    for url in ("recursos/", "recursos/guia-de-referencia/", "en/resources/module-one/"):
        assert f"https://example.test/{url}<" in sitemap
    home = read(pub / "index.html")
    assert 'href="https://example.test/recursos/"' in home
    page = read(pub / "recursos" / "guia-de-referencia" / "index.html")
    assert "data-pagefind-body" in page
    assert any((pub / "pagefind").rglob("*.pf_fragment"))


# ---------------------------------------------------------------- bad input


def bad(tmp_path, files, pdfs=None):
    content = make_content(tmp_path / "content", files)
    folder = content / "resources" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (pdfs or {}).items():
        (folder / name).write_bytes(data)
    return content


def pair(**extra):
    return {
        "resources/r.es.md": resource("Recurso", "es", "r", **extra),
        "resources/r.en.md": resource("Resource", "en", "r"),
    }


@pytest.mark.parametrize(
    "extra, files, message, line",
    [
        ({"Audience": "officials, judges"}, {}, 'Audience "judges" is unknown', 5),
        ({"Type": "poster"}, {}, 'Type "poster" is unknown', 6),
        ({"Files": "falta.pdf"}, {}, '"falta.pdf" is not in content/resources/files/', 9),
        ({"Published": "junio 2012"}, {}, 'Published "junio 2012" is not a date', 8),
        ({"Published": "2012-02-30"}, {}, 'Published "2012-02-30" is not a date', 8),
        ({"Source": "http://example.org/x"}, {}, "is not an https:// address", 9),
        ({"Files": "notas.txt"}, {}, '"notas.txt" cannot be attached', 9),
        ({"Files": "texto.pdf"}, {"texto.pdf": b"just some text\n" * 10}, "is not a PDF", 9),
        ({"Files": "roto.pdf"}, {"roto.pdf": b"%PDF-1.7\n1 0 obj garbage"}, "roto.pdf: ", 9),
        ({"Files": "js.pdf"}, {"js.pdf": text_pdf("x", extra=with_javascript)}, "JavaScript", 9),
    ],
)
def test_bad_resources_get_one_line_naming_the_file_and_line(tmp_path, extra, files, message, line):
    content = bad(tmp_path, pair(**extra), files)
    problems, stops = build_problems(content)
    assert stops
    one_problem(problems, message, f"content/resources/r.es.md:{line}:")


def test_a_resource_without_its_translation_is_a_warning(tmp_path):
    content = bad(tmp_path, {"resources/r.es.md": resource("Recurso", "es", "r")})
    problems, stops = build_problems(content, strict=False)
    assert not stops
    one_problem(problems, 'has no "en" translation yet', "content/resources/r.es.md:3:")
    _problems, stops = build_problems(content, strict=True)
    assert stops  # --fatal warnings


def test_unknown_resources_setting_says_did_you_mean(tmp_path):
    content = bad(tmp_path, pair())
    result = pelican(content, tmp_path / "out", overrides={"RESOURCES": {"paper": ["a4"]}})
    one_clear_line(result, '"paper"] is not a setting of this site (did you mean "papers"?)')


@pytest.mark.slow
def test_a_pdf_with_javascript_stops_the_build_and_leaves_the_output(tmp_path):
    files = {"script.pdf": text_pdf("hola", extra=with_javascript)}
    content = bad(tmp_path, pair(Files="script.pdf"), files)
    output, before = previous_output(tmp_path / "out")
    result = pelican(content, output)
    line = one_clear_line(result, "script.pdf", "content/resources/r.es.md:9:")
    assert "JavaScript" in line
    assert tree(output) == before


def test_an_attachment_naming_a_confidential_shelter_stops_the_build(tmp_path):
    """The confidentiality scan reads the attachments' text too (leak_containers: PDF text)."""
    from test_shelters_confidential import CANARY_STREET, DATA, with_canaries

    files = {**pair(Files="ficha.pdf"), DATA: with_canaries("shelters: []\n")}
    content = make_content(tmp_path / "content", files)
    folder = content / "resources" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ficha.pdf").write_bytes(text_pdf(f"Refugio en {CANARY_STREET}"))
    output = tmp_path / "output"
    result = pelican(content, output)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "Traceback" not in log and "Qx7Zv" not in log, log
    assert [line for line in log.splitlines() if "recursos/recurso/ficha.pdf" in line], log
    assert "confidentiality check failed" in log
    assert not output.exists()


def test_the_publish_gate_refuses_a_published_resource_with_a_verify_note(tmp_path):
    content = bad(tmp_path, pair(Verify="confirmar la fecha"))
    problems, stops = build_problems(content, settings=PUBLISH)
    assert stops
    one_problem(problems, 'still has a "Verify:" note', "content/resources/r.es.md:9:")
    draft = bad(tmp_path / "draft", pair(Verify="confirmar la fecha", Status="draft"))
    problems, _stops = build_problems(draft, settings=PUBLISH, strict=False)
    assert not [line for line in problems if "Verify" in line], problems
