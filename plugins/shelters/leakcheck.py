"""Find confidential locations in every output file, including inside compressed and derived
files.

The shelter directory uses this to prove, after the whole site is written, that no output file
holds the address or coordinates of a confidential shelter. It is deliberately independent of
how a file was made: it reads the bytes on disk and looks *through* the usual encodings.

- what is looked for, written in any ordinary way (abbreviations, word order, more or fewer
  decimals, degrees-minutes-seconds): leak_needles.py;
- the text of a file, however it is encoded or marked up (case, accents, look-alike letters,
  punctuation, entities, escapes, tags, UTF-16/32): leak_normalise.py;
- here, the containers: gzip, bzip2, xz, zip (every member, recursively; the paragraphs of
  DOCX, ODT, PPTX and XLSX files), brotli (``.br``), PNG chunks (every chunk as it is, text chunks
  decoded; only the compressed pixels, ``IDAT``, are left out: pixels are not text, and reading
  them as text was half the time of a cold build's scan), PDF (raw bytes, every FlateDecode
  stream but images, and the text and metadata pypdf extracts, which finds text drawn with
  subset fonts); and file and folder names.

A file it cannot read through (an encrypted zip member, ``.zst``, a ``.br`` file without the
brotli module, a PDF without pypdf, or one that expands past the caps below) is reported as a
problem too: the check fails closed.
"""

import base64
import binascii
import bz2
import hashlib
import io
import logging
import lzma
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from urllib.parse import unquote

from alerta import workers as processes
from alerta.files import walk

from .leak_needles import Needle, address_needles, geo_needles
from .leak_normalise import TAG, skeleton, views

__all__ = [
    "SCANNER_VERSION",
    "Hit",
    "Needle",
    "address_needles",
    "geo_needles",
    "scan_bytes",
    "scan_tree",
    "skeleton",
    "views",
]

# Part of the memo's key: bump it whenever the scan can find something it could not before,
# so that files remembered clean by an older scanner are read again.
SCANNER_VERSION = 2

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


@dataclass(frozen=True)
class Hit:
    path: str  # shown path of the file, plus the container member when there is one
    owner: str
    field: str
    file: str = ""  # the file's path relative to the scanned folder


@dataclass(frozen=True)
class Unreadable:
    path: str
    reason: str


class TooBig(Exception):
    """A file expands past a cap; `reason` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class _Budget:
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


# ---------------------------------------------------------------- containers


def _readable(data):
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


def _members(name, data, readable, problems, budget):
    """Yield (label, bytes) for what a container holds; report what cannot be read.
    `readable`: the part of `data` text can be in (see _readable). TooBig goes through."""
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


# ---------------------------------------------------------------- scanning


def scan_bytes(shown, data, needles, depth=0):
    """Hits and unreadable parts in one file's bytes and everything it contains. A file that
    expands past a cap is one unreadable part, named after the file."""
    hits, unreadable = [], []
    try:
        _scan_into(shown, data, needles, depth, _Budget(), hits, unreadable)
    except TooBig as error:
        unreadable.append(Unreadable(shown, error.reason))
    return hits, unreadable


def _scan_into(shown, data, needles, depth, budget, hits, unreadable):
    problems, found = [], set()
    readable = _readable(data)
    for view in views(readable, needles):
        for needle in needles:
            key = (needle.owner, needle.field)
            if key not in found and needle.could_be_in(view) and needle.found(view):
                found.add(key)
                hits.append(Hit(shown, needle.owner, needle.field))
    if depth < MAX_DEPTH:
        for label, inner in _members(shown, data, readable, problems, budget):
            _scan_into(f"{shown} ({label})", inner, needles, depth + 1, budget, hits, unreadable)
    unreadable += [Unreadable(shown, reason) for reason in problems]


def _digest(data):
    """The memo's key for `data`: its SHA-256, salted with the scanner's version."""
    digest = hashlib.sha256(f"leakcheck {SCANNER_VERSION}\n".encode())
    digest.update(data)
    return digest.hexdigest()


PARALLEL_FROM = 400  # files to read before a pool of worker processes shares the work
CHUNK = 32  # files a worker reads per task


def _scan_file(item, needles, known_clean):
    """(relative, digest, hits, unreadable) for one file; digest None when not memoized
    (`known_clean` None)."""
    path, relative, shown = item
    with open(path, "rb") as handle:
        data = handle.read()
    digest = _digest(data) if known_clean is not None else None
    if digest and digest in known_clean:
        return relative, digest, [], []
    hits, unreadable = scan_bytes(shown, data, needles)
    return relative, digest, hits, unreadable


def _scan_files(items, needles, memoize):
    """_scan_file for a chunk of files, in a worker process (alerta.workers.pool)."""
    known_clean = set() if memoize else None
    return [_scan_file(item, needles, known_clean) for item in items]


def _scan_in_pool(todo, needles, memoize, workers):
    chunks = [todo[start : start + CHUNK] for start in range(0, len(todo), CHUNK)]
    with processes.pool(workers) as pool:
        futures = [pool.submit(_scan_files, chunk, needles, memoize) for chunk in chunks]
        return [result for future in futures for result in future.result()]


def _name_hits(needles, relative):
    name = skeleton(unquote(relative))
    return [n for n in needles if n.could_be_in(name) and n.found(name)]


def scan_tree(
    root, needles, shown_root=None, known_clean=None, clean_now=None, workers=1, folders=None
):
    """Scan every file under `root` (and every file and folder name). Returns (hits, unreadable).

    Hits are deduplicated per (file, owner, field) and name the file, never the value.
    `known_clean` is a set of digests (see _digest: the scanner's version is part of them) of
    contents already scanned clean for these same needles: such files are not scanned again
    (the same bytes give the same answer). The digests of every file of this tree known or
    found clean are added to the set `clean_now`.
    With `workers` > 1 and many files to scan, that many processes read and scan them.
    `folders` = (include, exclude), sets of top-level folder names: scan only the files in
    `include` (None: everywhere), except in `exclude`; paths stay relative to `root`.
    """
    shown_root = shown_root or os.path.basename(os.path.normpath(root))
    hits, unreadable, files = [], [], []
    for dirpath, _dirnames, filenames in walk(root, *(folders or (None, ()))):
        for name in filenames:
            path = os.path.join(dirpath, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            shown = f"{shown_root}/{relative}"
            for needle in _name_hits(needles, relative):
                hits.append(Hit(f"{shown} (file name)", needle.owner, needle.field, relative))
            if not os.path.islink(path) and os.path.isfile(path):
                files.append((path, relative, shown))
    results, todo = [], files
    if known_clean:
        # A rebuild: most files are known clean, and hashing them here is quicker than starting
        # worker processes; the workers, if any, get only the files left to scan.
        todo = []
        for item in files:
            with open(item[0], "rb") as handle:
                digest = _digest(handle.read())
            if digest in known_clean:
                results.append((item[1], digest, [], []))
            else:
                todo.append(item)
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        # Spawned workers (alerta.workers): the function they run is module-level.
        results += _scan_in_pool(todo, needles, known_clean is not None, workers)
    else:
        results += [_scan_file(item, needles, known_clean) for item in todo]
    for relative, digest, file_hits, file_unreadable in results:
        if digest and clean_now is not None and not file_hits and not file_unreadable:
            clean_now.add(digest)
        hits += [replace(hit, file=relative) for hit in file_hits]
        unreadable += file_unreadable
    unique = list(dict.fromkeys(hits))
    return unique, list(dict.fromkeys(unreadable))
