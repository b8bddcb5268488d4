"""An attached PDF, checked and cleaned before it is published (attachments.py calls `clean`).

Refused, with what was found and where (`/OpenAction`, `/Annots /A`, `/Names /JavaScript`...):
JavaScript (``/JS``, ``/S /JavaScript``, the ``/JavaScript`` name tree, XFA forms); actions that
reach outside the document (``/Launch``, ``/ImportData``, ``/GoToE``, ``/GoToR``,
``/SubmitForm``) and links to ``file:`` addresses; RichMedia and 3D content; embedded files
(``/EmbeddedFiles``, ``/EF``, file attachment annotations). Every indirect object of the file
is looked at, not only those the catalog reaches: a viewer may repair a file differently.

Removed: the document information dictionary (Author, Creator, Producer, Title: often a path
such as ``C:\\Users\\...``), every XMP ``/Metadata`` stream (catalog, pages, images, fonts),
``/PieceInfo`` (edit history of the program that made it), the author of each comment
(``/T`` of markup annotations), and the EXIF, XMP and comment segments of JPEG images (a
phone's photo names the phone and where it was taken). The rest (text, the structure tree
screen readers follow, links) is kept. The clean copy is written by a fresh writer from what
the catalog reaches, so objects an incremental update left behind are not copied.
"""

import io
import logging
import re
from contextlib import contextmanager

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

__all__ = ["Refused", "clean"]

PRINT_AGAIN = "print it to a new PDF (Print > Save as PDF)"
FINDINGS = {  # kind: message, "{where}" filled in; in the order they are reported
    "javascript": "contains JavaScript ({where}); PDFs with scripts are not published: "
    f"{PRINT_AGAIN} without scripts",
    "xfa": "contains an XFA form ({where}), which can run scripts; PDFs with scripts are not "
    f"published: {PRINT_AGAIN} without the form",
    "action": "contains {where}, which opens other files or sends data elsewhere; "
    f"remove it or {PRINT_AGAIN}",
    "local-link": "links to a file on a computer ({where}); make the link a web address "
    "(https://...) or remove it",
    "media": "contains RichMedia or 3D content ({where}), which can run scripts; "
    f"{PRINT_AGAIN} without it",
    "embedded": "contains an embedded file ({where}); PDFs with attached files are not "
    f"published: remove the attachment or {PRINT_AGAIN}",
}
OUTSIDE_ACTIONS = {"/Launch", "/ImportData", "/GoToE", "/GoToR", "/SubmitForm"}
MEDIA = {"/RichMedia", "/3D", "/RichMediaExecute"}
# Keys that only lead through the document's skeleton: left out of "where".
SKELETON = {"/Root", "/Pages", "/Kids", "/Parent", "/P", "/Next", "/Prev", "/First", "/Last"}
PAGE_TREE = {"/Root", "/Pages", "/Kids"}
NOT_FOLLOWED = {"/Parent", "/P", "/Prev", "/Last"}  # back links: the walk gets there anyway
MARKUP = {  # annotations whose /T is the name of the person who made them
    "/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Sound", "/Redact",
    "/Popup",
}  # fmt: skip
PERSONAL_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
JPEG_DROPPED = {0xE1, 0xED, 0xFE}  # APP1 (EXIF, XMP), APP13 (Photoshop, IPTC), COM


class Refused(Exception):
    """Why the PDF cannot be published: one line, without the file's name."""


def clean(data):
    """The cleaned copy of a PDF's bytes and its page count; raises Refused."""
    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Refused(
                    "is encrypted or password-protected, so it cannot be cleaned: "
                    f"open it, {PRINT_AGAIN} without a password"
                )
            refuse_what_is_inside(reader)
            # in the objects read (pypdf keeps them), so that the copy never reaches the rest
            remove_personal_data(reader.trailer["/Root"])
            writer = PdfWriter()
            writer.clone_reader_document_root(reader)  # the catalog and what it reaches only
            writer.pdf_header = header(data)
            pages = len(writer.pages)
            out = io.BytesIO()
            writer.write(out)
        except Refused:
            raise
        except RecursionError:
            raise Refused(unreadable("its objects nest too deeply")) from None
        except Exception as error:  # pypdf raises many kinds on a damaged file
            raise Refused(unreadable(error)) from None
    if not pages:
        raise Refused("has no pages; export it again")
    return out.getvalue(), pages


def header(data):
    """The version the file declares (it may have a few bytes before it)."""
    match = re.search(rb"%PDF-(\d\.\d)", data[:1024])
    return "%PDF-" + (match[1].decode() if match else "1.7")


def unreadable(error):
    reason = " ".join(str(error).split())[:120] or error.__class__.__name__
    return f"cannot be read as a PDF: {reason}; export it again"


@contextmanager
def quiet_pypdf():
    """pypdf logs a warning for each thing it repairs: what matters here is the one line of
    the problem (a warning in the build would fail it under --fatal warnings)."""
    logger = logging.getLogger("pypdf")
    level, logger.level = logger.level, logging.CRITICAL
    try:
        yield
    finally:
        logger.level = level


# ---------------------------------------------------------------- refusing


def refuse_what_is_inside(reader):
    """Refused, naming the first kind of thing found that a published PDF may not hold."""
    found = {}
    seen = set()
    walk(reader.trailer, (), seen, found)  # first from the trailer: "where" has a path
    for generation, numbers in sorted(reader.xref.items()):
        for number in sorted(numbers):
            walk_unreached(reader, number, generation, seen, found)
    for number in sorted(reader.xref_objStm):
        walk_unreached(reader, number, 0, seen, found)
    for kind, message in FINDINGS.items():
        if kind in found:
            raise Refused(message.format(where=found[kind]))


def walk_unreached(reader, number, generation, seen, found):
    if (number, generation) in seen:
        return
    try:
        target = IndirectObject(number, generation, reader)
        target.get_object()
    except Exception:  # noqa: BLE001 (pypdf raises many kinds on a damaged object)
        return  # pypdf cannot read it, so the clean copy cannot hold it either
    walk(target, (f"object {number}",), seen, found)


def walk(start, path, seen, found):
    """Look at every dictionary reachable from `start` (a stack, not recursion: outlines and
    name trees chain thousands of objects). `path` is the last few keys that led there."""
    stack = [(start, path)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams are dictionaries too
            look_at(item, path, found)
            # the page tree last on the stack, so first taken: pages are named from there
            for name, value in sorted(item.items(), key=lambda pair: pair[0] in PAGE_TREE):
                if name not in NOT_FOLLOWED:
                    step = path if name in SKELETON else (*path, name)[-3:]
                    stack.append((value, step))
        elif isinstance(item, ArrayObject):
            stack.extend((value, path) for value in item)


def look_at(item, path, found):
    def note(kind, where):
        found.setdefault(kind, where or "in the document")

    where = " ".join(path)
    action = item.get("/S")
    subtype = item.get("/Subtype")
    if "/JS" in item or action == "/JavaScript":
        note("javascript", where)
    if "/JavaScript" in item:
        note("javascript", f"{where} /JavaScript".strip())
    if "/XFA" in item:
        note("xfa", f"{where} /XFA".strip())
    if action in OUTSIDE_ACTIONS:
        note("action", f"a {action} action" + (f" ({where})" if where else ""))
    if action == "/URI" and str(item.get("/URI", "")).strip().lower().startswith("file:"):
        note("local-link", f"{where} file:".strip())
    if subtype in MEDIA or action in MEDIA or "/RichMediaContent" in item:
        note("media", where)
    if "/EmbeddedFiles" in item:
        note("embedded", f"{where} /EmbeddedFiles".strip())
    if "/EF" in item or subtype == "/FileAttachment" or item.get("/Type") == "/EmbeddedFile":
        note("embedded", where)


# ---------------------------------------------------------------- cleaning


def remove_personal_data(root):
    """Drop the metadata keys from every dictionary the catalog reaches (what the copy will
    hold), the author of each comment, and the metadata segments of JPEG images."""
    seen = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in PERSONAL_KEYS:
                item.pop(key, None)
            if item.get("/Subtype") in MARKUP:
                item.pop("/T", None)
            if isinstance(item, StreamObject) and is_jpeg(item):
                # the stored bytes, as they are: StreamObject's own get_data and set_data
                cleaned = clean_jpeg(StreamObject.get_data(item))
                if cleaned is not None:
                    StreamObject.set_data(item, cleaned)
            stack.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def is_jpeg(stream):
    filters = stream.get("/Filter")
    return filters == "/DCTDecode" or (
        isinstance(filters, ArrayObject) and filters == ["/DCTDecode"]
    )


def clean_jpeg(data):
    """The JPEG without its APP1, APP13 and comment segments (the pixels, the JFIF and Adobe
    colour segments and the ICC profile are kept), or None when it is not laid out as
    expected (then it is left as it is)."""
    if data[:2] != b"\xff\xd8":
        return None
    out, position = [data[:2]], 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the rest is the image
            out.append(data[position:])
            return b"".join(out)
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2:
            return None
        if marker not in JPEG_DROPPED:
            out.append(data[position : position + 2 + length])
        position += 2 + length
    return None
