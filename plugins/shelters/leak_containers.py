"""Reading through containers: what a file holds, for the leak scanner (leakcheck.py).

``members(name, data, readable, problems, budget)`` yields each part of a file that text can be
in: the members of gzip, bzip2, xz, zip (every member; the paragraphs of DOCX, ODT, PPTX and XLSX
files), brotli (``.br``), the text chunks of a PNG, every FlateDecode stream of a PDF but images
and the text pypdf extracts, and ``data:`` URIs. What cannot be read through is a problem (the
scan fails closed). ``Budget`` caps what one output file may expand to, so a zip bomb costs
neither memory nor time: past a cap the file is reported, not read.
"""

import base64
import binascii
import bz2
import io
import logging
import lzma
import os
import re
import zipfile
import zlib

from .leak_normalise import TAG

__all__ = ["MAX_DEPTH", "Budget", "TooBig", "members", "readable"]

MB = 2**20
# What one output file may expand to, all its containers together, and one member of it; and
# how many times its compressed size a member may be once larger than RATIO_FROM. Past a cap
# the file is reported, not read: a zip bomb costs neither memory nor time.
MAX_TOTAL = 128 * MB
MAX_MEMBER = 64 * MB
MAX_RATIO, RATIO_FROM = 200, 8 * MB
MAX_DEPTH = 6  # containers inside containers
UNREADABLE_EXTENSIONS = (".zst", ".7z", ".rar", ".lz4")

_DATA_URI = re.compile(r"base64,([A-Za-z0-9+/=\s]{16,})")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_PDF_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_OFFICE_XML = re.compile(
    r"(word|ppt/slides|ppt/notesSlides)/.*\.xml|xl/sharedStrings\.xml|content\.xml|styles\.xml"
)
_OFFICE_PARAGRAPH_END = re.compile(rb"</(?:(?:w|a|text):(?:p|h)|si)>")
_OFFICE_BREAK = re.compile(rb"<(?:w:tab|w:br|w:cr|a:br|text:s|text:tab|text:line-break)\b")
_TAG_BYTES = re.compile(TAG.pattern.encode())


class TooBig(Exception):
    """A file expands past a cap; `reason` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Budget:
    """What is left to decompress from one output file."""

    def __init__(self):
        self.left = MAX_TOTAL

    def limit(self, compressed):
        """The most a member of `compressed` bytes may expand to."""
        return min(MAX_MEMBER, self.left, max(RATIO_FROM, MAX_RATIO * compressed))

    def check(self, size, compressed):
        """TooBig when a member of `compressed` bytes expanding to `size` goes past a cap."""
        if size > min(MAX_MEMBER, self.left):
            cap = MAX_MEMBER if self.left >= MAX_MEMBER else MAX_TOTAL
            raise TooBig(f"expands beyond {cap // MB} MB")
        if size > max(RATIO_FROM, MAX_RATIO * compressed):
            raise TooBig(f"expands more than {MAX_RATIO} times its compressed size")

    def take(self, out, compressed):
        """`out`, once counted (see check)."""
        self.check(len(out), compressed)
        self.left -= len(out)
        return out


def readable(data):
    """The bytes text can be in: all of them, except a PNG's compressed pixels (IDAT bodies).

    A PNG that does not parse to the end is returned whole.
    """
    if data[:8] != PNG_SIGNATURE:
        return data
    kept, position = [data[:8]], 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        end = position + 12 + length
        if end > len(data):
            return data
        kind = data[position + 4 : position + 8]
        kept.append(data[position : position + 8] if kind == b"IDAT" else data[position:end])
        position = end
    if position != len(data):
        return data
    return b"".join(kept)


def _inflate(decompressor, data, budget):
    out = decompressor.decompress(data, budget.limit(len(data)) + 1)
    return budget.take(out, len(data))


def _gunzip(data, budget):
    """Every member of a (possibly multi-member) gzip file, concatenated."""
    out = []
    while data[:2] == b"\x1f\x8b":
        decompressor = zlib.decompressobj(wbits=31)
        out.append(_inflate(decompressor, data, budget))
        data = decompressor.unused_data
    return b"".join(out)


def _unbrotli(data, budget, problems):
    try:
        import brotli
    except ImportError:
        problems.append("cannot read brotli: install the brotli module (requirements.txt)")
        return None
    decompressor = brotli.Decompressor()
    out = decompressor.process(data, output_buffer_limit=budget.limit(len(data)) + 1)
    budget.take(out, len(data))
    if not decompressor.is_finished():
        raise ValueError("truncated brotli stream")
    return out


def members(name, data, readable, problems, budget):
    """Yield (label, bytes) for what a container holds; report what cannot be read.
    `readable`: the part of `data` text can be in (see readable). TooBig goes through."""
    lower = name.lower()
    try:
        if data[:2] == b"\x1f\x8b":
            yield "gzip", _gunzip(data, budget)
        elif data[:3] == b"BZh":
            yield "bzip2", _inflate(bz2.BZ2Decompressor(), data, budget)
        elif data[:6] == b"\xfd7zXZ\x00":
            yield "xz", _inflate(lzma.LZMADecompressor(), data, budget)
        elif data[:4] == b"PK\x03\x04" or lower.endswith(".zip"):
            yield from _zip_members(data, problems, budget)
        elif data[:5] == b"%PDF-":
            yield from _pdf_parts(data, problems, budget)
        elif data[:8] == PNG_SIGNATURE:
            yield from _png_text(data, budget)
        if lower.endswith(".br"):
            out = _unbrotli(data, budget, problems)
            if out is not None:
                yield "brotli", out
        elif lower.endswith(UNREADABLE_EXTENSIONS):
            problems.append(f"cannot read inside {os.path.splitext(lower)[1]} files")
    except TooBig:
        raise
    except (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, ValueError):
        problems.append("is damaged or not what its name says; it could not be read")
    except Exception as error:  # brotli.error and friends: never let a traceback out
        problems.append(f"could not be read ({error.__class__.__name__})")
    text = readable[:MAX_MEMBER].decode("latin-1")
    for match in _DATA_URI.finditer(text):
        try:
            yield "data URI", base64.b64decode(re.sub(r"\s", "", match.group(1)), validate=True)
        except (binascii.Error, ValueError):
            continue


def _zip_members(data, problems, budget):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        yield "zip member names", "\n".join(archive.namelist()).encode()
        for info in archive.infolist():
            if info.flag_bits & 0x1:
                problems.append(f"zip member {info.filename} is encrypted")
                continue
            budget.check(info.file_size, info.compress_size)  # as the archive says it is
            with archive.open(info) as member:  # and as it is
                out = member.read(budget.limit(info.compress_size) + 1)
            budget.take(out, info.compress_size)
            yield f"zip member {info.filename}", out
            if _OFFICE_XML.fullmatch(info.filename):
                yield f"zip member {info.filename} (paragraphs)", _office_paragraphs(out)


def _office_paragraphs(xml):
    """The text of each paragraph of a DOCX, PPTX, XLSX or ODT part, one a line: a word split
    across runs ("<w:t>Hid</w:t></w:r><w:r><w:t>algo</w:t>") is whole again."""
    xml = _OFFICE_BREAK.sub(b" <", xml)
    return b"\n".join(_TAG_BYTES.sub(b"", part) for part in _OFFICE_PARAGRAPH_END.split(xml))


def _pdf_parts(data, problems, budget):
    for number, match in enumerate(_PDF_STREAM.finditer(data), start=1):
        head = data[max(0, match.start() - 2000) : match.start()]  # the stream's dictionary
        if _PDF_IMAGE.search(head, head.rfind(b" obj") + 1):
            continue  # pixels, not text (and the bulk of a PDF with photos)
        try:
            yield f"PDF stream {number}", _inflate(zlib.decompressobj(), match.group(1), budget)
        except zlib.error:
            continue  # not Flate (a font, or already plain): the raw bytes are scanned
    try:
        from pypdf import PdfReader
    except ImportError:
        problems.append("cannot read PDF text: install pypdf (requirements.txt)")
        return
    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            problems.append("is an encrypted PDF")
            return
        parts = [str(value) for value in (reader.metadata or {}).values()]
        parts += [page.extract_text() or "" for page in reader.pages]
        yield "PDF text", "\n".join(parts).encode("utf-8")
    finally:
        quiet.level = level


def _png_text(data, budget):
    """The text chunks, decoded: tEXt and zTXt are Latin-1, iTXt UTF-8 (keywords included)."""
    position = 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind in (b"tEXt", b"zTXt"):
            keyword, _, text = body.partition(b"\x00")
            if kind == b"zTXt":
                text = _inflate(zlib.decompressobj(), text[1:], budget)
            yield "PNG text", (keyword + b" " + text).decode("latin-1").encode("utf-8")
        elif kind == b"iTXt":
            keyword, _, rest = body.partition(b"\x00")
            compressed, rest = rest[:1], rest[2:]
            language, _, rest = rest.partition(b"\x00")
            translated, _, text = rest.partition(b"\x00")
            if compressed == b"\x01":
                text = _inflate(zlib.decompressobj(), text, budget)
            yield "PNG text", b" ".join([keyword.decode("latin-1").encode(), translated, text])
        position += 12 + length
