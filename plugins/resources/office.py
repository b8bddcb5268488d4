"""An attached DOCX, PPTX or ODT, checked and cleaned before it is published (attachments.py
calls `clean`).

Cleaned: the document's properties are replaced by empty ones (DOCX and PPTX
``docProps/core.xml`` and ``app.xml``: author, last modified by, revision, dates, company,
template; ODT ``meta.xml``: creator, editing cycles and time, generator, dates; ODT
``settings.xml``, which names printers); custom properties, the list of reviewers
(``word/people.xml``), the preview picture and a link to the author's template
(``C:\\Users\\...\\Plantilla.dotx``) are removed. Every other part is copied as it is.

Refused, with a message saying how to export a PDF instead: comments and tracked changes (they
name their authors), macros, embedded objects (other documents inside, with their own
authors), custom XML data with something in it, links to files on a computer, and a file
that is password-protected. Also refused: what is not a sound package (a part that is not
XML, a DOCTYPE, two parts with one name, too many parts, or more than MAX_UNPACKED bytes
unpacked: a zip bomb).

The package is written again with fixed dates (1980-01-01), ``mimetype`` first and stored
for ODT, so the same file always gives the same bytes.
"""

import io
import posixpath
import re
import zipfile
import zlib
from urllib.parse import urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

__all__ = ["MAX_PARTS", "MAX_UNPACKED", "Refused", "clean"]

MAX_UNPACKED = 200_000_000  # bytes, all parts together
MAX_PARTS = 5_000
EXPORT = "export a PDF (File > Export as PDF)"
WEB_SCHEMES = {"http", "https", "mailto", "tel"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODF_SCRIPT = "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}"
ODF_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
PRESENTATION = "{http://schemas.openxmlformats.org/presentationml/2006/main}"

CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="'
    'http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="'
    'http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>'
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="'
    'http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="'
    'http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>'
)
ODF_META_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office="'
    f'{ODF_OFFICE}" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="{version}"><office:meta/></office:document-meta>'
)
ODF_SETTINGS_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings xmlns:office="'
    f'{ODF_OFFICE}" office:version="{{version}}"/>'
)
REVIEWERS = "has tracked changes or comments, which name their authors: accept the changes, "
REVIEWERS += f"delete the comments, or {EXPORT}"
MACROS = f"has macros, which are not published: {EXPORT}"
EMBEDDED = "has embedded objects ({name}: a chart's data or another document, with its own "
EMBEDDED += f"author), which cannot be cleaned: {EXPORT}"


class Refused(Exception):
    """Why the file cannot be published: one line, without the file's name."""


def clean(kind, data):
    """(cleaned bytes, pages or None, the package's own preview picture or None) for a
    "docx", "pptx" or "odt" file; raises Refused."""
    try:
        return clean_parts(kind, unpack(data))
    except Refused:
        raise
    except (OSError, ValueError, KeyError, EOFError, zlib.error) as error:  # a damaged package
        reason = " ".join(str(error).split())[:120] or error.__class__.__name__
        raise Refused(f"cannot be read ({reason}); save it again") from None


def clean_parts(kind, parts):
    names = {name.lower(): name for name in parts}
    refuse_by_name(kind, names)
    for name, content in parts.items():
        if name.lower().endswith((".xml", ".rels")) and has_doctype(content):
            raise Refused(f"has a part with a DOCTYPE ({name}), which is not allowed: {EXPORT}")
    if kind == "odt":
        return clean_odt(parts)
    return clean_ooxml(kind, parts)


def unpack(data):
    """{name: bytes} of every part, in the package's order, within the caps."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Refused(f"cannot be opened ({error}); save it again") from None
    if len(infos) > MAX_PARTS:
        raise Refused(f"has {len(infos)} parts, more than the {MAX_PARTS} allowed: {EXPORT}")
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise Refused(
            f"unpacks to more than {MAX_UNPACKED // 1_000_000} MB (a zip bomb?): {EXPORT}"
        )
    parts = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(f"is password-protected, so it cannot be cleaned: {EXPORT}")
        if info.filename in parts:
            raise Refused(f"has two parts named {info.filename}; save it again")
        try:
            with archive.open(info) as member:
                parts[info.filename] = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise Refused(f"cannot be opened ({info.filename}: {error}); save it again") from None
        if len(parts[info.filename]) > info.file_size:
            raise Refused(f"cannot be opened ({info.filename} is damaged); save it again")
    return parts


def refuse_by_name(kind, names):
    """Macros, embedded objects and comments are parts of their own."""
    for name in names:
        if name.endswith(("vbaproject.bin", "vbadata.xml")) or name.startswith(
            ("basic/", "scripts/")
        ):
            raise Refused(MACROS)
        if name.startswith(
            ("word/embeddings/", "ppt/embeddings/", "word/activex/", "ppt/activex/")
        ):
            raise Refused(EMBEDDED.format(name=names[name]))
        if kind == "odt" and re.match(r"object \d+/", name):
            raise Refused(EMBEDDED.format(name=names[name]))
        if re.match(
            r"word/comments\w*\.xml$|ppt/comments/|ppt/(commentauthors|authors)\.xml$", name
        ):
            raise Refused(REVIEWERS)


def has_doctype(content):
    """A DOCTYPE can declare entities that expand a few bytes into gigabytes."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        content = content.decode("utf-16", "replace").encode("utf-8")
    return re.search(rb"<!DOCTYPE", content, re.IGNORECASE) is not None


def parse(name, content):
    try:
        return ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise Refused(
            f"has a part that is not valid XML ({name}: {error}); save it again"
        ) from None


def elements(name, content):
    """Every element of a part as it starts (its attributes, not yet its text), streamed and
    let go of once read: a document.xml can be large."""
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(content), ("start", "end")):
            if event == "start":
                yield element
            else:
                element.clear()
    except ElementTree.ParseError as error:
        raise Refused(
            f"has a part that is not valid XML ({name}: {error}); save it again"
        ) from None


# ---------------------------------------------------------------- DOCX and PPTX


def clean_ooxml(kind, parts):
    for name, content in parts.items():
        if name.startswith("word/") and name.endswith(".xml"):
            for element in elements(name, content):
                if W + "author" in element.attrib:  # every tracked change and comment has one
                    raise Refused(REVIEWERS)
        if re.match(r"customXml/item\d+\.xml$", name) and any(
            text.strip() for text in parse(name, content).itertext()
        ):
            raise Refused(
                f"has custom XML data ({name}), which may name people and cannot be removed "
                f"safely: {EXPORT}"
            )
    pages = ooxml_pages(kind, parts)
    dropped = {"docProps/custom.xml", "word/people.xml"}
    thumbnail = None
    for name in list(parts):
        if name.lower().startswith("docprops/thumbnail."):
            thumbnail = parts[name]
            dropped.add(name)
    drop_parts(parts, dropped)
    drop_local_templates(parts)
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = CORE.encode()
    if "docProps/app.xml" in parts:
        parts["docProps/app.xml"] = APP.encode()
    refuse_local_links(parts)
    return pack(parts), pages, thumbnail


def ooxml_pages(kind, parts):
    """DOCX: the page count Word saved in app.xml (Word counts pages when it saves; nothing
    here lays the text out). PPTX: the slides listed in presentation.xml."""
    if kind == "pptx":
        root = parse("ppt/presentation.xml", parts["ppt/presentation.xml"])
        return len(root.findall(f"{PRESENTATION}sldIdLst/{PRESENTATION}sldId")) or None
    if "docProps/app.xml" not in parts:
        return None
    root = parse("docProps/app.xml", parts["docProps/app.xml"])
    for element in root:
        if element.tag.endswith("}Pages") and (element.text or "").strip().isdigit():
            return int(element.text) or None
    return None


RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b[^>]*?(?:/>|>\s*</(?:\w+:)?Relationship>)")
ATTRIBUTE = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')


def relationships(parts):
    """(rels part, the relationship's XML, its attributes, the part it points at) for each
    relationship of the package."""
    for name, content in list(parts.items()):
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> word
        for match in RELATIONSHIP.finditer(content.decode("utf-8", "replace")):
            attributes = {key: unescape(value) for key, value in ATTRIBUTE.findall(match[0])}
            target = attributes.get("Target", "")
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(folder, target))
            yield name, match[0], attributes, part


def is_local(attributes):
    """An external relationship to a file (C:\\..., file:///..., ../x.docx), not a web page."""
    target = attributes.get("Target", "").strip()
    return (
        attributes.get("TargetMode") == "External"
        and urlsplit(target).scheme.lower() not in WEB_SCHEMES
    )


def drop_local_templates(parts):
    """The link to the template the document was made from names a folder on the author's
    computer (C:\\Users\\ana\\...\\Plantilla.dotx): dropped, with the setting that uses it."""
    for rels, xml, attributes, _part in relationships(parts):
        if attributes.get("Type", "").endswith("/attachedTemplate") and is_local(attributes):
            parts[rels] = parts[rels].replace(xml.encode("utf-8"), b"")
            ident = re.escape(attributes.get("Id", "")).encode()
            pattern = rb'<w:attachedTemplate\b[^>]*r:id="' + ident + rb'"[^>]*/>'
            for name in ("word/settings.xml", "word/glossary/settings.xml"):
                if name in parts:
                    parts[name] = re.sub(pattern, b"", parts[name])


def refuse_local_links(parts):
    for _rels, _xml, attributes, _part in relationships(parts):
        if is_local(attributes):
            target = attributes.get("Target", "")
            shown = target if len(target) <= 60 else target[:57] + "..."
            raise Refused(
                f"links to a file on a computer ({shown}); make the link a web address "
                f"(https://...) or remove it, or {EXPORT}"
            )


def drop_parts(parts, dropped):
    """Remove parts, the relationships that point at them and their content types."""
    dropped = {name for name in dropped if name in parts}
    if not dropped:
        return
    for name in dropped:
        del parts[name]
    for rels, xml, attributes, part in relationships(parts):
        if attributes.get("TargetMode") != "External" and part in dropped:
            parts[rels] = parts[rels].replace(xml.encode(), b"")
    types = parts.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    for match in re.finditer(r"<(?:\w+:)?Override\b[^>]*?(?:/>|>\s*</(?:\w+:)?Override>)", types):
        part = re.search(r'PartName="/?([^"]*)"', match.group(0))
        if part and part.group(1) in dropped:
            types = types.replace(match.group(0), "")
    if "[Content_Types].xml" in parts:
        parts["[Content_Types].xml"] = types.encode("utf-8")


# ---------------------------------------------------------------- ODT


def clean_odt(parts):
    manifest = parts.get("META-INF/manifest.xml", b"")
    if b"encryption-data" in manifest:
        raise Refused(f"is password-protected, so it cannot be cleaned: {EXPORT}")
    for name in ("content.xml", "styles.xml"):
        for element in elements(name, parts.get(name, b"<x/>")):
            if element.tag in (ODF_OFFICE_ANNOTATION, ODF_TEXT + "changed-region"):
                raise Refused(REVIEWERS)
            if element.tag == ODF_SCRIPT + "event-listener":
                raise Refused(MACROS)
    pages, version = None, "1.3"
    if "meta.xml" in parts:
        root = parse("meta.xml", parts["meta.xml"])
        version = odf_version(root, version)
        statistic = root.find(f".//{ODF_META}document-statistic")
        count = statistic.get(ODF_META + "page-count", "") if statistic is not None else ""
        pages = int(count) if count.isdigit() and int(count) else None
        parts["meta.xml"] = ODF_META_XML.format(version=version).encode()
    if "settings.xml" in parts:
        parts["settings.xml"] = ODF_SETTINGS_XML.format(version=version).encode()
    thumbnail = parts.pop("Thumbnails/thumbnail.png", None)
    if thumbnail is not None and "META-INF/manifest.xml" in parts:
        entry = rb'<(?:\w+:)?file-entry\b[^>]*full-path="Thumbnails/(?:thumbnail\.png)?"[^>]*/>'
        parts["META-INF/manifest.xml"] = re.sub(entry, b"", parts["META-INF/manifest.xml"])
    parts = {"mimetype": parts["mimetype"], **parts}  # first, as ODF requires
    return pack(parts), pages, thumbnail


ODF_OFFICE_ANNOTATION = "{" + ODF_OFFICE + "}annotation"


def odf_version(root, default):
    version = root.get("{" + ODF_OFFICE + "}version", default)
    return version if re.fullmatch(r"\d\.\d", version) else default


# ---------------------------------------------------------------- writing


def pack(parts):
    """The parts as a zip with nothing of the machine that wrote it: fixed dates and modes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 0
            info.external_attr = 0
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()
