"""A resource's attachments, made safe to publish: the files in ``content/resources/files/`` are
checked, cleaned and drawn once, and kept in a cache keyed by their bytes.

``prepare(cache, path)`` is called by the data check (content.check_resources), so a file that
cannot be published stops the build before anything is written. It:

- refuses a file larger than MAX_BYTES, or that is not what its extension says (a text file
  named ``.pdf``, a Word file named ``.pdf``...);
- cleans a PDF (pdf.py: metadata removed; JavaScript, launch actions and embedded files
  refused) and draws its first page (alerta.printing.thumbnail);
- cleans a DOCX, PPTX or ODT (office.py: author and revision metadata removed; comments,
  tracked changes, macros and embedded objects refused), and re-encodes the document's own
  preview picture, if it has one, as a PNG without metadata.

Each answer is cached, a refusal too: a build with the same files does no work. The cache's
version includes CLEANER_VERSION (bump it when the cleaning changes) and the versions of the
libraries that read and draw the files.
"""

import io
import json
import os
import zipfile
from dataclasses import dataclass
from importlib.metadata import version

from alerta.files import Cache, digest
from alerta.printing import THUMB_WIDTH, OverBudget, thumbnail, time_limit

__all__ = [
    "CACHED",
    "MAX_BYTES",
    "AttachmentProblem",
    "Prepared",
    "attachment_cache",
    "prepare",
]

CLEANER_VERSION = 1
MAX_BYTES = 25_000_000
DRAW_SECONDS = 60  # a PDF whose first page takes longer to draw is refused
KINDS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".pptx": "pptx"}
CACHED = (".json", ".png", *KINDS)  # one file's facts, its thumbnail, its clean copy
LABELS = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "pptx": "PPTX"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_PICTURE_PIXELS = 40_000_000  # an office file's preview picture larger than this is ignored


class AttachmentProblem(Exception):
    """Why an attachment cannot be published: one line, without the file's name."""


@dataclass
class Prepared:
    kind: str  # "pdf" | "docx" | "odt" | "pptx"
    data: str  # the cleaned file, in the cache
    bytes: int
    pages: int | None
    thumb: str | None  # PNG of the first page (or the document's own preview), in the cache
    thumb_size: tuple | None  # (width, height)


def attachment_cache(settings):
    libraries = [(name, version(name)) for name in ("pypdf", "pypdfium2", "pillow")]
    return Cache(settings, "resource-files", (CLEANER_VERSION, libraries))


def prepare(cache, path):
    """The cleaned attachment at `path` (from the cache when these bytes were seen before);
    raises AttachmentProblem."""
    kind = KINDS.get(os.path.splitext(path)[1].lower())
    if kind is None:
        raise AttachmentProblem("cannot be attached (use PDF, DOCX, ODT or PPTX)")
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise AttachmentProblem(
            f"is {megabytes(size)}, more than the {megabytes(MAX_BYTES)} an attachment may be: "
            "make it smaller (a PDF with compressed images) or link to it with Source"
        )
    with open(path, "rb") as handle:
        data = handle.read()
    key = digest(kind, data)
    facts = known(cache, key)
    if facts is None:
        try:
            facts = make(cache, key, kind, data)
        except AttachmentProblem as error:
            facts = {"problem": str(error)}
        cache.put(key, json.dumps(facts), ".json")  # last: the files it names are written
    if "problem" in facts:
        raise AttachmentProblem(facts["problem"])
    thumb = cache.path(key, ".png") if facts["thumb_size"] else None
    size = tuple(facts["thumb_size"]) if thumb else None
    data_path = os.path.abspath(cache.path(key, "." + kind))
    return Prepared(
        kind, data_path, facts["bytes"], facts["pages"], thumb and os.path.abspath(thumb), size
    )


def megabytes(size):
    return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")


def known(cache, key):
    """What the cache knows about a file: its facts or its problem; None when it does not know
    it (or its files have gone)."""
    path = cache.get(key, ".json")
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            facts = json.load(handle)
    except (OSError, ValueError):
        return None
    os.utime(path)  # in use: kept by prune (alerta.printing.prune_cache)
    if "problem" in facts:
        return facts
    files = [cache.path(key, "." + facts.get("kind", ""))]
    files += [cache.path(key, ".png")] if facts.get("thumb_size") else []
    return facts if all(os.path.isfile(name) for name in files) else None


def make(cache, key, kind, data):
    """Check, clean and draw one file; put the clean copy and its picture in the cache and
    return its facts."""
    problem = wrong_kind(kind, data)
    if problem:
        raise AttachmentProblem(problem)
    # Imported here, not when the plugin loads: pypdf costs every build start 0.15 s, and
    # most builds clean nothing (the cache answers).
    from . import office, pdf

    try:
        if kind == "pdf":
            cleaned, pages = pdf.clean(data)
        else:
            cleaned, pages, preview = office.clean(kind, data)
    except (pdf.Refused, office.Refused) as error:
        raise AttachmentProblem(str(error)) from None
    picture = draw_pdf(cleaned) if kind == "pdf" else reencode(preview) if preview else None
    cache.put(key, cleaned, "." + kind)
    if picture:
        cache.put(key, picture[0], ".png")
    facts = {"kind": kind, "bytes": len(cleaned), "pages": pages}
    return {**facts, "thumb_size": list(picture[1]) if picture else None}


def draw_pdf(cleaned):
    """(PNG, size) of the clean copy's first page: what visitors will download."""
    try:
        with time_limit(DRAW_SECONDS):
            png, size = thumbnail(cleaned)
    except OverBudget:
        raise AttachmentProblem(
            f"takes more than {DRAW_SECONDS} seconds to draw its first page; export it again"
        ) from None
    except Exception as error:  # pypdfium2 raises its own errors, and others from Pillow
        reason = " ".join(str(error).split())[:120] or error.__class__.__name__
        raise AttachmentProblem(f"cannot be drawn ({reason}); export it again") from None
    return png, tuple(size)


def reencode(preview):
    """An office file's own preview picture as a PNG, at most THUMB_WIDTH wide, made from its
    pixels only (no EXIF, no text chunks); None when Pillow cannot read it (WMF, EMF)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(preview)) as image:
            if image.width * image.height > MAX_PICTURE_PIXELS:
                return None
            image = image.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if image.width > THUMB_WIDTH:
        height = max(1, round(image.height * THUMB_WIDTH / image.width))
        image = image.resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)
    fresh = Image.frombytes("RGB", image.size, image.tobytes())
    buffer = io.BytesIO()
    fresh.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), fresh.size


# ---------------------------------------------------------------- what a file really is


def wrong_kind(kind, data):
    """Why `data` is not a `kind` file, or None."""
    if kind == "pdf":
        matches = b"%PDF-" in data[:1024]
    else:
        names = zip_names(data)
        if kind == "odt":
            matches = "mimetype" in names and zip_member(data, "mimetype").strip() == ODT_MIMETYPE
        else:
            part = "word/document.xml" if kind == "docx" else "ppt/presentation.xml"
            matches = {"[Content_Types].xml", part} <= names
    if matches:
        return None
    label, seen = LABELS[kind], looks_like(data)
    advice = f"save it again as {label}"
    other = next((k for k, name in ACCEPTED.items() if seen == name), None)
    if other and other != kind:
        advice = f"give it the .{other} extension, or {advice}"
    article = "an" if label[0] in "AEIOU" else "a"
    return f"is not {article} {label} (it looks like {seen}); {advice}"


def zip_names(data):
    if not data.startswith(b"PK"):
        return set()
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return set()


def zip_member(data, name):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(name) as member:
            return member.read(200)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError):
        return b""


ACCEPTED = {  # what a file of each kind looks like, named in a message
    "pdf": "a PDF",
    "docx": "a Word document (DOCX)",
    "odt": "an OpenDocument text (ODT)",
    "pptx": "a PowerPoint presentation (PPTX)",
}
SIGNATURES = (
    (b"\xd0\xcf\x11\xe0", "an old Office file (DOC, XLS or PPT)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def looks_like(data):
    """What a file seems to be, from its first bytes, for the message."""
    if not data.strip():
        return "an empty file"
    if b"%PDF-" in data[:1024]:
        return ACCEPTED["pdf"]
    if data.startswith(b"PK"):
        return zip_kind(data)
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<!doctype html") or b"<html" in head:
        return "a web page (HTML)"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "something else"
    return "a text file"


def zip_kind(data):
    names = zip_names(data)
    if not names:
        return "a damaged ZIP archive"
    if "word/document.xml" in names:
        return ACCEPTED["docx"]
    if "ppt/presentation.xml" in names:
        return ACCEPTED["pptx"]
    if "xl/workbook.xml" in names:
        return "an Excel workbook (XLSX)"
    mimetype = zip_member(data, "mimetype").decode("ascii", "replace").strip()
    if mimetype == ODT_MIMETYPE.decode():
        return ACCEPTED["odt"]
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        return f"an OpenDocument {mimetype.rsplit('.', 1)[-1]} file"
    return "a ZIP archive"
