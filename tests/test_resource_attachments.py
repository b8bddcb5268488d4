"""Attachments are safe to publish (plugins/resources/attachments.py, pdf.py, office.py).

The files are made here, byte by byte (PDF) or part by part (DOCX, ODT, PPTX), so each test
shows exactly what it plants: an author and a C:\\Users\\... path in every place a PDF keeps
them, a script in each place a PDF can run one, a comment in a Word file. No site is built.
"""

import io
import logging
import re
import zipfile
import zlib

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from plugins.resources import attachments
from plugins.resources.attachments import AttachmentProblem, attachment_cache, prepare
from plugins.shelters import leakcheck

AUTHOR = "Ana Pérez"
PATH = r"C:\Users\ana\Documents\refugio.docx"
ADDRESS = "Avenida Miguel Hidalgo 245, Col. Centro, Tapachula"
SECRETS = [AUTHOR, "Ana Perez", PATH, r"Users\ana", "Users/ana", "refugio.docx"]


# ---------------------------------------------------------------- making PDFs


def stream(data, extra=b"", compress=False):
    if compress:
        data, extra = zlib.compress(data), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def assemble(objects, trailer):
    """A PDF file of `objects` ({number: body}) with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max(objects) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 %s \n" % (offsets.get(number, 0), b"n" if number in offsets else b"f")
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, start)
    return bytes(out), start


def utf16_hex(text):
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf_literal(text):
    return b"(" + text.replace("\\", "\\\\").encode("latin-1") + b")"


def jpeg_with_exif():
    exif = Image.Exif()
    exif[0x013B] = "Ana Perez"  # Artist
    exif[0x9C9D] = AUTHOR.encode("utf-16-le") + b"\0\0"  # XPAuthor
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


XMP = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator>
<xmp:CreatorTool>Microsoft Word: {PATH} file:///C:/Users/ana/Documents/refugio.docx</xmp:CreatorTool>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>""".encode()


def document(catalog=b"", page=b"", more=None, text=ADDRESS):
    """A one-page PDF with text, a structure tree, a link, a JPEG, and metadata everywhere."""
    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET\nq 16 0 0 16 72 600 cm /Im1 Do Q" % text.encode()
    jpeg = jpeg_with_exif()
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R /StructTreeRoot 7 0 R "
        b"/MarkInfo << /Marked true >> /Lang (es-MX) %s >>" % catalog,
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> /XObject << /Im1 12 0 R >> >> /Metadata 9 0 R "
        b"/PieceInfo << /Word << /Private %s /LastModified (D:20240101) >> >> /StructParents 0 "
        b"/Annots [13 0 R 14 0 R] %s >>" % (pdf_literal(PATH), page),
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: stream(content, compress=True),
        6: stream(zlib.compress(XMP), b" /Type /Metadata /Subtype /XML /Filter /FlateDecode"),
        7: b"<< /Type /StructTreeRoot /K 8 0 R >>",
        8: b"<< /Type /StructElem /S /P /P 7 0 R /Pg 3 0 R /K 0 >>",
        9: stream(XMP, b" /Type /Metadata /Subtype /XML"),
        10: b"<< /Author %s /Creator %s /Title %s /Producer (Word \\(%s\\)) >>"
        % (utf16_hex(AUTHOR), pdf_literal(PATH), utf16_hex(PATH), PATH.encode()),
        11: b"<< /Unused %s >>" % pdf_literal(AUTHOR),  # reached by nothing
        12: stream(
            jpeg,
            b" /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /DCTDecode",
        ),
        13: b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] "
        b"/A << /S /URI /URI (https://www.gob.mx/) >> >>",
        14: b"<< /Type /Annot /Subtype /Text /Rect [0 0 20 20] /T %s /Contents (revisar) >>"
        % utf16_hex(AUTHOR),
        **(more or {}),
    }
    data, xref = assemble(objects, b"/Root 1 0 R /Info 10 0 R /ID [<00112233><00112233>]")
    # An incremental update that replaces the Info: the old one stays in the file, unused.
    offset = len(data)
    update = b"15 0 obj\n<< /Author %s /Creator %s >>\nendobj\n" % (
        pdf_literal(AUTHOR),
        pdf_literal(PATH),
    )
    start = offset + len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n15 1\n%010d 00000 n \n" % offset
    update += b"trailer\n<< /Size 16 /Root 1 0 R /Info 15 0 R /Prev %d >>\n" % xref
    update += b"startxref\n%d\n%%%%EOF\n" % start
    return data + update


def save(tmp_path, name, data):
    path = tmp_path / "files" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return str(path)


@pytest.fixture
def cache(tmp_path):
    return attachment_cache({"CACHE_PATH": str(tmp_path / "cache")})


def refused(cache, tmp_path, name, data):
    with pytest.raises(AttachmentProblem) as error:
        prepare(cache, save(tmp_path, name, data))
    message = str(error.value)
    assert "\n" not in message and name not in message
    return message


# ---------------------------------------------------------------- "in any form"


def views_of_pdf(data):
    """The file's bytes, every stream decoded and every string pypdf reads from it."""
    views = [data]
    reader = PdfReader(io.BytesIO(data))
    views += [str(value).encode("utf-8") for value in (reader.metadata or {}).values()]
    stack = [reader.trailer]
    seen = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, StreamObject):
            views.append(item.get_data())
        if isinstance(item, DictionaryObject):
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, str):
            views.append(str(item).encode("utf-8"))
    for match in re.finditer(rb"<([0-9A-Fa-f\s]{8,})>", data):  # hex strings, undecoded
        views.append(
            bytes.fromhex(re.sub(rb"\s", b"", match[1]).decode()[: len(match[1]) // 2 * 2])
        )
    return views


def texts(view):
    """A view read in every encoding a name or a path could be written in, case folded."""
    found = [view.decode(encoding, "ignore") for encoding in ("utf-8", "latin-1")]
    for start in (0, 1):
        found += [view[start:].decode(e, "ignore") for e in ("utf-16-be", "utf-16-le")]
    return [text.casefold() for text in found]


def assert_nowhere(views, secrets=SECRETS):
    for view in views:
        for text in texts(view):
            for secret in secrets:
                for form in (secret, secret.replace("\\", "\\\\")):
                    assert form.casefold() not in text, (secret, text[:200])


# ---------------------------------------------------------------- PDF


def test_the_views_would_see_every_planted_secret(tmp_path):
    """The check below is worth something: in the original, each form is found."""
    data = document()
    with pytest.raises(AssertionError):
        assert_nowhere([data], [AUTHOR])  # only as UTF-16 and Latin-1
    for secret in SECRETS:
        with pytest.raises(AssertionError):
            assert_nowhere(views_of_pdf(data), [secret])


def test_a_cleaned_pdf_names_neither_its_author_nor_a_path_in_any_form(cache, tmp_path):
    prepared = prepare(cache, save(tmp_path, "guia.pdf", document()))
    with open(prepared.data, "rb") as handle:
        cleaned = handle.read()
    assert_nowhere(views_of_pdf(cleaned))
    reader = PdfReader(io.BytesIO(cleaned))
    assert prepared.kind == "pdf" and prepared.pages == len(reader.pages) == 1
    assert prepared.bytes == len(cleaned)
    assert "Hidalgo 245" in reader.pages[0].extract_text()
    assert reader.metadata is None and "/Metadata" not in reader.trailer["/Root"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # screen readers keep the structure
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"] if "/A" in a]
    assert links == ["https://www.gob.mx/"]
    image = reader.pages[0]["/Resources"]["/XObject"]["/Im1"]
    picture = Image.open(io.BytesIO(image.get_data()))
    assert picture.size == (16, 16) and not picture.getexif()
    assert Image.open(prepared.thumb).format == "PNG"
    assert prepared.thumb_size[0] == 360


def test_the_confidentiality_scan_still_reads_a_cleaned_pdf(cache, tmp_path):
    prepared = prepare(cache, save(tmp_path, "guia.pdf", document()))
    needles = leakcheck.address_needles("casa", ADDRESS)
    with open(prepared.data, "rb") as handle:
        hits, unreadable = leakcheck.scan_bytes("guia.pdf", handle.read(), needles)
    assert unreadable == [] and {(hit.owner, hit.field) for hit in hits} == {("casa", "address")}


JAVASCRIPT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
REFUSED = {
    "JavaScript on opening": (dict(catalog=b"/OpenAction " + JAVASCRIPT), "/OpenAction"),
    "JavaScript in a link": (
        dict(page=b"/AA << /O 20 0 R >>", more={20: JAVASCRIPT}),
        "JavaScript (/AA /O)",
    ),
    "JavaScript in the name tree": (
        dict(catalog=b"/Names << /JavaScript << /Names [(a) 20 0 R] >> >>", more={20: JAVASCRIPT}),
        "JavaScript (/Names /JavaScript)",
    ),
    "JavaScript with an escaped name": (
        dict(catalog=b"/OpenAction << /S /J#61vaScript /JS (x) >>"),
        "JavaScript (/OpenAction)",
    ),
    "JavaScript that nothing reaches": (dict(more={20: JAVASCRIPT}), "JavaScript (object 20)"),
    "an XFA form": (
        dict(catalog=b"/AcroForm << /Fields [] /XFA 20 0 R >>", more={20: stream(b"<xdp/>")}),
        "XFA",
    ),
    "a launch action": (dict(catalog=b"/OpenAction << /S /Launch /F (calc.exe) >>"), "/Launch"),
    "a form that sends its data": (
        dict(page=b"/AA << /C << /S /SubmitForm /F (https://x.example/) >> >>"),
        "/SubmitForm",
    ),
    "a link to a file on a computer": (
        dict(page=b"/AA << /O << /S /URI /URI (file:///C:/Users/ana/x.pdf) >> >>"),
        "links to a file on a computer",
    ),
    "an embedded file": (
        dict(
            catalog=b"/Names << /EmbeddedFiles << /Names [(a.txt) << /Type /Filespec /F (a.txt) "
            b"/EF << /F 20 0 R >> >>] >> >>",
            more={20: stream(b"hola", b" /Type /EmbeddedFile")},
        ),
        "embedded file (/Names /EmbeddedFiles)",
    ),
    "a file attachment annotation": (
        dict(more={14: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (a) >>"}),
        "embedded file (/Annots)",
    ),
    "RichMedia": (
        dict(more={14: b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>"}),
        "RichMedia",
    ),
}


@pytest.mark.parametrize("planted, named", REFUSED.values(), ids=REFUSED.keys())
def test_a_pdf_that_can_run_or_carry_something_is_refused_naming_it(
    cache, tmp_path, planted, named
):
    message = refused(cache, tmp_path, "guia.pdf", document(**planted))
    assert named in message
    assert "print it to a new PDF" in message or "remove it" in message


def test_javascript_in_a_links_action_is_named(cache, tmp_path):
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A %s >>" % JAVASCRIPT
    message = refused(cache, tmp_path, "guia.pdf", document(more={13: link}))
    assert message.startswith("contains JavaScript (/Annots /A)")
    assert message.endswith("print it to a new PDF (Print > Save as PDF) without scripts")


BROKEN = {
    "a text file named .pdf": (
        b"Hola, esto es texto.\n",
        "is not a PDF (it looks like a text file)",
    ),
    "a Word file named .pdf": (
        None,
        "is not a PDF (it looks like a Word document (DOCX)); give it the .docx",
    ),
    "an empty file": (b"", "is not a PDF (it looks like an empty file)"),
    "garbage after the header": (b"%PDF-1.7\n" + bytes(range(256)) * 8, "cannot be read as a PDF"),
    "cut in half": (None, "cannot be read as a PDF"),
}


@pytest.mark.parametrize("data, expected", BROKEN.values(), ids=BROKEN.keys())
def test_a_file_that_is_not_a_sound_pdf_is_one_clear_line(cache, tmp_path, caplog, data, expected):
    if expected.endswith(".docx"):
        data = docx()
    elif data is None:
        data = document()[:900]
    assert refused(cache, tmp_path, "guia.pdf", data).startswith(expected)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []  # pypdf kept quiet


def test_an_encrypted_pdf_is_refused(cache, tmp_path):
    writer = PdfWriter(clone_from=io.BytesIO(document()))
    writer.encrypt("", "dueña", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "is encrypted or password-protected" in refused(cache, tmp_path, "a.pdf", out.getvalue())


def test_a_file_over_the_cap_is_refused_with_its_size(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 1_500_000)
    message = refused(cache, tmp_path, "a.pdf", b"%PDF-1.7\n" + b"0" * 2_345_678)
    assert message.startswith("is 2.3 MB, more than the 1.5 MB an attachment may be")


def test_the_cache_answers_without_doing_the_work_again(cache, tmp_path, monkeypatch):
    first = prepare(cache, save(tmp_path, "a.pdf", document()))
    bad = save(tmp_path, "b.pdf", document(catalog=b"/OpenAction " + JAVASCRIPT))
    with pytest.raises(AttachmentProblem) as before:
        prepare(cache, bad)

    def no_work(*args):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(attachments, "make", no_work)
    assert prepare(cache, save(tmp_path, "copy.pdf", document())) == first
    with pytest.raises(AttachmentProblem) as after:
        prepare(cache, bad)
    assert str(after.value) == str(before.value)


# ---------------------------------------------------------------- office files

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.custom-properties+xml"/><Override PartName="/word/people.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/></Types>'
)
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.microsoft.com/'
    'office/2011/relationships/people" Target="people.xml"/><Relationship Id="rId8" Type="http:'
    '//schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://'
    'www.gob.mx/" TargetMode="External"/></Relationships>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/custom-properties" Target="docProps/custom.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>'
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
    'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
    f'elements/1.1/"><dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>Ana Perez'
    "</cp:lastModifiedBy><cp:revision>17</cp:revision><dc:title>refugio.docx</dc:title>"
    "</cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
    'officeDocument/2006/extended-properties"><Template>C:\\Users\\ana\\Plantilla.dotx</Template>'
    "<Pages>3</Pages><Company>Refugio</Company><Slides>4</Slides></Properties>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t>Hola'
SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:settings {W} xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships"><w:attachedTemplate r:id="rId9"/>'
    "<w:zoom w:percent='100'/></w:settings>"
)
SETTINGS_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\\Users\\ana\\'
    'Plantilla.dotx" TargetMode="External"/></Relationships>'
)


def package(parts, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx(body="</w:t></w:r></w:p></w:body></w:document>", **extra):
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "word/document.xml": BODY + body,
        "word/settings.xml": SETTINGS,
        "word/_rels/settings.xml.rels": SETTINGS_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "docProps/custom.xml": f"<Properties><p>{AUTHOR}</p></Properties>",
        "docProps/thumbnail.jpeg": jpeg_with_exif(),
        "word/people.xml": f'<w15:people xmlns:w15="{W15}"><w15:person w15:author="{AUTHOR}"/>'
        "</w15:people>",
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
    }
    return package({**parts, **extra})


def parts_of(path):
    with zipfile.ZipFile(path) as archive:
        return {
            info.filename: archive.read(info) for info in archive.infolist()
        }, archive.infolist()


def test_a_docx_loses_its_author_revision_template_and_custom_properties(cache, tmp_path):
    original = docx()
    prepared = prepare(cache, save(tmp_path, "guia.docx", original))
    parts, infos = parts_of(prepared.data)
    assert prepared.kind == "docx" and prepared.pages == 3
    assert parts["word/document.xml"] == zipfile.ZipFile(io.BytesIO(original)).read(
        "word/document.xml"
    )
    for name in ("docProps/core.xml", "docProps/app.xml"):
        for word in ("creator", "lastModifiedBy", "revision", "Company", "Template", "Ana"):
            assert word.encode() not in parts[name], (name, word)
    assert "docProps/custom.xml" not in parts and "docProps/thumbnail.jpeg" not in parts
    assert b"custom" not in parts["_rels/.rels"] + parts["[Content_Types].xml"]
    assert b"thumbnail" not in parts["_rels/.rels"]
    assert "word/people.xml" not in parts and b"people" not in parts["[Content_Types].xml"]
    assert b'Target="https://www.gob.mx/"' in parts["word/_rels/document.xml.rels"]
    assert b"people" not in parts["word/_rels/document.xml.rels"]
    assert (
        b"attachedTemplate"
        not in parts["word/settings.xml"] + parts["word/_rels/settings.xml.rels"]
    )
    assert_nowhere(parts.values())
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    thumb = Image.open(prepared.thumb)
    assert thumb.format == "PNG" and thumb.size == (16, 16) and not thumb.getexif()
    assert prepared.thumb_size == (16, 16)


OFFICE_REFUSED = {
    "a comment": (dict(**{"word/comments.xml": "<x/>"}), "tracked changes or comments"),
    "a tracked change": (
        dict(body=f'<w:ins w:author="{AUTHOR}"/></w:t></w:r></w:p></w:body></w:document>'),
        "tracked changes or comments",
    ),
    "macros": (dict(**{"word/vbaProject.bin": b"\0" * 10}), "has macros"),
    "an embedded workbook": (dict(**{"word/embeddings/a.xlsx": b"PK"}), "embedded objects"),
    "custom XML with data": (
        dict(**{"customXml/item1.xml": f"<p><Owner>{AUTHOR}</Owner></p>"}),
        "custom XML data",
    ),
    "a DOCTYPE": (
        dict(**{"word/styles.xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}),
        "DOCTYPE",
    ),
    "a link to a local file": (
        dict(
            **{
                "word/_rels/document.xml.rels": SETTINGS_RELS.replace(
                    "attachedTemplate", "hyperlink"
                )
            }
        ),
        "links to a file on a computer",
    ),
}


@pytest.mark.parametrize("planted, named", OFFICE_REFUSED.values(), ids=OFFICE_REFUSED.keys())
def test_a_docx_that_cannot_be_cleaned_is_refused_saying_to_export_a_pdf(
    cache, tmp_path, planted, named
):
    message = refused(cache, tmp_path, "guia.docx", docx(**planted))
    assert named in message and "export a PDF (File > Export as PDF)" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cache, tmp_path, monkeypatch):
    from plugins.resources import office

    monkeypatch.setattr(office, "MAX_UNPACKED", 1_000_000)
    message = refused(
        cache, tmp_path, "a.docx", docx(**{"word/big.xml": "<x>" + " " * 2_000_000 + "</x>"})
    )
    assert "unpacks to more than 1 MB" in message


ODT = "application/vnd.oasis.opendocument.text"
ODF = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
ODF_META = (
    f'<?xml version="1.0"?><office:document-meta {ODF} xmlns:meta="urn:oasis:names:tc:'
    'opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version='
    f'"1.3"><office:meta><meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>Ana '
    "Perez</dc:creator><meta:editing-cycles>9</meta:editing-cycles><meta:editing-duration>PT3H"
    "</meta:editing-duration><meta:generator>LibreOffice/7.6$Windows_X86_64</meta:generator>"
    '<meta:document-statistic meta:page-count="2"/></office:meta></office:document-meta>'
)
MANIFEST = (
    '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
    'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
    f'{ODT}"/><manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" '
    'manifest:media-type="image/png"/></manifest:manifest>'
)


def odt(content="<office:text/>", extra=None):
    thumb = io.BytesIO()
    Image.new("RGB", (400, 566), "white").save(thumb, "PNG")
    return package(
        {
            "content.xml": f'<office:document-content {ODF} xmlns:text="urn:oasis:names:tc:'
            f'opendocument:xmlns:text:1.0"><office:body>{content}</office:body>'
            "</office:document-content>",
            "mimetype": ODT,  # not first, and compressed: the clean copy puts it right
            "meta.xml": ODF_META,
            "settings.xml": f"<office:document-settings {ODF}>PrinterName HP-Oficina-Ana"
            "</office:document-settings>",
            "META-INF/manifest.xml": MANIFEST,
            "Thumbnails/thumbnail.png": thumb.getvalue(),
            **(extra or {}),
        }
    )


def test_an_odt_loses_its_metadata_and_keeps_mimetype_first_and_stored(cache, tmp_path):
    prepared = prepare(cache, save(tmp_path, "guia.odt", odt()))
    parts, infos = parts_of(prepared.data)
    assert prepared.kind == "odt" and prepared.pages == 2
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert parts["mimetype"] == ODT.encode()
    for word in ("creator", "editing", "generator", "LibreOffice", "Ana"):
        assert word.encode() not in parts["meta.xml"], word
    assert b'office:version="1.3"' in parts["meta.xml"]
    assert b"HP-Oficina" not in parts["settings.xml"]
    assert (
        "Thumbnails/thumbnail.png" not in parts
        and b"Thumbnails" not in parts["META-INF/manifest.xml"]
    )
    assert prepared.thumb_size == (360, 509)


TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODT_REFUSED = {
    "a comment": (
        dict(content="<office:annotation><text:p>revisar</text:p></office:annotation>"),
        "tracked changes or comments",
    ),
    "tracked changes": (
        dict(content="<text:tracked-changes><text:changed-region/></text:tracked-changes>"),
        "tracked changes or comments",
    ),
    "Basic macros": (dict(extra={"Basic/Standard/Module1.xml": "<x/>"}), "has macros"),
    "an embedded chart": (dict(extra={"Object 1/content.xml": "<x/>"}), "embedded objects"),
}


@pytest.mark.parametrize("planted, named", ODT_REFUSED.values(), ids=ODT_REFUSED.keys())
def test_an_odt_that_cannot_be_cleaned_is_refused(cache, tmp_path, planted, named):
    message = refused(cache, tmp_path, "a.odt", odt(**planted))
    assert named in message and "export a PDF" in message


PPTX_PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "ppt/presentation.xml": '<p:presentation xmlns:p="http://schemas.openxmlformats.org/'
    'presentationml/2006/main"><p:sldIdLst>' + '<p:sldId id="256"/>' * 4 + "</p:sldIdLst>"
    "</p:presentation>",
    "docProps/core.xml": CORE,
}


def test_a_pptx_counts_its_slides_and_loses_its_author(cache, tmp_path):
    prepared = prepare(cache, save(tmp_path, "taller.pptx", package(PPTX_PARTS)))
    parts, _infos = parts_of(prepared.data)
    assert prepared.pages == 4 and prepared.thumb is None
    assert_nowhere(parts.values())


def test_a_pptx_with_comment_authors_is_refused(cache, tmp_path):
    data = package({**PPTX_PARTS, "ppt/commentAuthors.xml": "<x/>"})
    assert "tracked changes or comments" in refused(cache, tmp_path, "taller.pptx", data)


def test_an_office_file_that_is_not_one_says_what_it_looks_like(cache, tmp_path):
    assert refused(cache, tmp_path, "a.odt", docx()).startswith(
        "is not an ODT (it looks like a Word document (DOCX)); give it the .docx extension"
    )
    assert refused(cache, tmp_path, "a.pptx", document()).startswith(
        "is not a PPTX (it looks like a PDF)"
    )
    assert "it looks like a ZIP archive" in refused(
        cache, tmp_path, "b.pdf", package({"a.txt": "x"})
    )
