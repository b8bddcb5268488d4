"""Find secret strings in every output file, including inside compressed and derived files.

The shelter directory uses this to prove, after the whole site is written, that no output file
holds the address or coordinates of a confidential shelter. It is deliberately independent of
how a file was made: it reads the bytes on disk and looks *through* the usual encodings.

What it looks through:

- text encodings: UTF-8 (and UTF-16 with a byte-order mark), HTML entities, JSON ``\\uXXXX``
  escapes, percent-encoding, ``base64,`` data URIs, markup split across tags;
- spelling variants: case, accents, punctuation and spacing do not matter
  ("Calle Falsa #123" matches "calle  falsa 123");
- containers: gzip, bzip2, xz, zip (every member, recursively), brotli (``.br``), PNG chunks
  (every chunk as it is, ``zTXt``/``iTXt`` decompressed; only the compressed pixels, ``IDAT``,
  are left out: pixels are not text, and reading them as text was half the time of a cold
  build's scan), PDF (raw bytes, every FlateDecode stream, and the text and metadata pypdf
  extracts, which is what finds text drawn with subset fonts);
- file and folder names.

A file it cannot read through (an encrypted zip member, ``.zst``, a ``.br`` file without the
brotli module, a PDF without pypdf, a member larger than ``MAX_BYTES``) is reported as a
problem too: the check fails closed.
"""

import base64
import binascii
import bz2
import functools
import hashlib
import html
import io
import lzma
import os
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, replace
from urllib.parse import unquote

from plugins.parallel_render import parallel_render
from plugins.pipeline import pipeline

__all__ = ["Needle", "Hit", "address_needles", "geo_needles", "scan_tree", "scan_bytes"]

MAX_BYTES = 256 * 1024 * 1024  # per decompressed member
MAX_DEPTH = 6  # containers inside containers
UNREADABLE_EXTENSIONS = (".zst", ".7z", ".rar", ".lz4")

# Every byte but a-z and 0-9 becomes a space (bytes.translate and split run in C).
_ALNUM_ONLY = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256)
)
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JSON_CONTROL = re.compile(r"\\[nrtbf]")
_TAG = re.compile(r"<[^<>]{0,2000}>")
# Written to start with a literal "%": the regex engine then skips ahead to each "%" instead of
# trying the pattern at every character (five times quicker on a page).
_PERCENT_RUN = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
_DATA_URI = re.compile(r"base64,([A-Za-z0-9+/=\s]{16,})")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


@dataclass(frozen=True)
class Needle:
    """One secret: its owner, the field, and a regex over skeleton text (see `skeleton`)."""

    owner: str
    field: str
    pattern: re.Pattern
    # When set, a hit counts only if this other pattern is found within `near` characters
    # (used for imprecise coordinates, which alone would match ordinary numbers).
    partner: re.Pattern | None = None
    near: int = 200
    # The words of each text `pattern` matches (any one of them): a view lacking a word of
    # every one of them cannot match. Empty: not known, so always look.
    words: tuple = ()

    def could_be_in(self, view):
        """False only when `view` (or any view whose words are a subset of its words) cannot
        hold this needle."""
        if not self.words:
            return True
        return any(all(f" {word} " in view for word in words) for words in self.words)


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


# ---------------------------------------------------------------- normalising text


def skeleton(text):
    """Lower-case ASCII letters and digits, every other run of characters one space.

    "Av. Niños Héroes #12-B" -> " av ninos heroes 12 b ". Padded with spaces, so that a
    needle's own padding makes it match whole words and whole numbers only.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").lower()
    return " " + " ".join(folded.translate(_ALNUM_ONLY).decode("ascii").split()) + " "


def _decode(data):
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _unescape(text):
    """Undo the escapes a value goes through on its way into HTML, JSON or a URL."""
    text = _JSON_CONTROL.sub(" ", text)
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(text)
    if "%" in text:
        # Only the runs of %XX escapes: unquote() on a whole file splits it at every non-ASCII
        # character, which made this the slowest step of a cold build.
        text = _PERCENT_RUN.sub(lambda match: _percent_decoded(match.group()), text)
    return text


@functools.lru_cache(maxsize=4096)  # the same runs ("%20", "%3A") recur in every page
def _percent_decoded(run):
    """What unquote() makes of a run of %XX escapes (UTF-8, undecodable bytes replaced)."""
    return bytes.fromhex(run.replace("%", "")).decode("utf-8", "replace")


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


def views(data, needles=None):
    """The skeleton texts in which to look for needles, from one file's bytes: the text, and
    the text without its tags (for a value split across tags: "Calle <b>Falsa</b> 12").

    Removing a tag only removes words (the "<" and ">" around it already separated them), so
    the second view has no word the first lacks: it is made only when one of `needles`
    (default: all) could be in the first, which for most files none can.
    """
    text = _unescape(_decode(data))
    result = [skeleton(text)]
    if "<" in text and (
        needles is None or any(needle.could_be_in(result[0]) for needle in needles)
    ):
        result.append(skeleton(_TAG.sub(" ", text)))
    return result


# ---------------------------------------------------------------- needles


def _pattern(*texts):
    """A regex for any of `texts` in skeleton form, shortest first."""
    return re.compile("|".join(re.escape(skeleton(text)) for text in sorted(texts, key=len)))


def _matching(*texts):
    """A needle's `pattern` for any of `texts`, and the `words` each of them needs."""
    return {"pattern": _pattern(*texts), "words": tuple(tuple(skeleton(t).split()) for t in texts)}


def address_needles(owner, address):
    """The whole address, and its first line/part (street and number) when specific enough."""
    address = " ".join(str(address).split())
    if not skeleton(address).strip():
        return []
    needles = [Needle(owner, "address", **_matching(address))]
    first = re.split(r"[,;\n]", str(address).strip())[0]
    first_words = skeleton(first).split()
    if first != address and len(first_words) >= 2 and any(w.isdigit() for w in first_words):
        needles.append(Needle(owner, "address", **_matching(first)))
    return needles


def _number_forms(value):
    """'19.432608' -> the digits as written, and rounded or cut to 3..n decimals."""
    text = str(value).strip().lstrip("+-")
    whole, _, decimals = text.partition(".")
    forms = {text}
    number = abs(float(value))
    for places in range(3, len(decimals) + 1):
        forms.add(f"{number:.{places}f}")
        forms.add(f"{whole}.{decimals[:places]}")
    return forms


def geo_needles(owner, lat, lon):
    """Coordinates: precise forms (4+ decimals) count alone; others only next to each other."""
    needles = []
    lat_forms, lon_forms = _number_forms(lat), _number_forms(lon)
    for forms, other in ((lat_forms, lon_forms), (lon_forms, lat_forms)):
        precise = {f for f in forms if len(f.partition(".")[2]) >= 4}
        if precise:
            needles.append(Needle(owner, "geo", **_matching(*precise)))
        needles.append(Needle(owner, "geo", partner=_pattern(*other), **_matching(*forms)))
    return needles


def _found(needle, view):
    if needle.partner is None:
        return needle.pattern.search(view) is not None
    for match in needle.pattern.finditer(view):
        start, end = max(0, match.start() - needle.near), match.end() + needle.near
        if needle.partner.search(view, start, end):
            return True
    return False


# ---------------------------------------------------------------- containers


def _limited(decompressor, data):
    out = decompressor.decompress(data, MAX_BYTES + 1)
    if len(out) > MAX_BYTES:
        raise OverflowError
    return out


def _gunzip(data):
    """Every member of a (possibly multi-member) gzip file, concatenated."""
    out = b""
    while data[:2] == b"\x1f\x8b":
        decompressor = zlib.decompressobj(wbits=31)
        out += _limited(decompressor, data)
        if len(out) > MAX_BYTES:
            raise OverflowError
        data = decompressor.unused_data
    return out


def _members(name, data, readable, problems):
    """Yield (label, bytes) for what a container holds; report what cannot be read.
    `readable`: the part of `data` text can be in (see _readable)."""
    lower = name.lower()
    try:
        if data[:2] == b"\x1f\x8b":
            yield "gzip", _gunzip(data)
        elif data[:3] == b"BZh":
            yield "bzip2", _limited(bz2.BZ2Decompressor(), data)
        elif data[:6] == b"\xfd7zXZ\x00":
            yield "xz", _limited(lzma.LZMADecompressor(), data)
        elif data[:4] == b"PK\x03\x04" or lower.endswith(".zip"):
            yield from _zip_members(data, problems)
        elif data[:5] == b"%PDF-":
            yield from _pdf_parts(data, problems)
        elif data[:8] == PNG_SIGNATURE:
            yield from _png_text(data)
        if lower.endswith(".br"):
            try:
                import brotli
            except ImportError:
                problems.append("cannot read brotli: install the brotli module (requirements.txt)")
            else:
                out = brotli.decompress(data)
                if len(out) > MAX_BYTES:
                    raise OverflowError
                yield "brotli", out
        elif lower.endswith(UNREADABLE_EXTENSIONS):
            problems.append(f"cannot read inside {os.path.splitext(lower)[1]} files")
    except OverflowError:
        problems.append(f"a compressed part is larger than {MAX_BYTES // 2**20} MB")
    except (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, ValueError):
        problems.append("is damaged or not what its name says; it could not be read")
    except Exception as error:  # brotli.error and friends: never let a traceback out
        problems.append(f"could not be read ({error.__class__.__name__})")
    text = readable[:MAX_BYTES].decode("latin-1")
    for match in _DATA_URI.finditer(text):
        try:
            yield "data URI", base64.b64decode(re.sub(r"\s", "", match.group(1)), validate=True)
        except (binascii.Error, ValueError):
            continue


def _zip_members(data, problems):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        yield "zip member names", "\n".join(archive.namelist()).encode()
        for info in archive.infolist():
            if info.flag_bits & 0x1:
                problems.append(f"zip member {info.filename} is encrypted")
                continue
            if info.file_size > MAX_BYTES:
                raise OverflowError
            yield f"zip member {info.filename}", archive.read(info)


def _pdf_parts(data, problems):
    for number, match in enumerate(_PDF_STREAM.finditer(data), start=1):
        try:
            yield f"PDF stream {number}", _limited(zlib.decompressobj(), match.group(1))
        except zlib.error:
            continue  # not Flate (an image, or already plain): the raw bytes are scanned
    try:
        from pypdf import PdfReader
    except ImportError:
        problems.append("cannot read PDF text: install pypdf (requirements.txt)")
        return
    import logging

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


def _png_text(data):
    position = 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"zTXt":
            keyword, _, rest = body.partition(b"\x00")
            yield "PNG text", keyword + b" " + _limited(zlib.decompressobj(), rest[1:])
        elif kind == b"iTXt":
            keyword, _, rest = body.partition(b"\x00")
            compressed, rest = rest[:1], rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            if compressed == b"\x01":
                text = _limited(zlib.decompressobj(), text)
            yield "PNG text", keyword + b" " + text
        position += 12 + length


# ---------------------------------------------------------------- scanning


def scan_bytes(shown, data, needles, depth=0):
    """Hits and unreadable parts in one file's bytes and everything it contains."""
    hits, unreadable, problems = [], [], []
    found = set()
    readable = _readable(data)
    for view in views(readable, needles):
        for needle in needles:
            if (needle.owner, needle.field) not in found and _found(needle, view):
                found.add((needle.owner, needle.field))
                hits.append(Hit(shown, needle.owner, needle.field))
    if depth < MAX_DEPTH:
        for label, inner in _members(shown, data, readable, problems):
            more_hits, more_unreadable = scan_bytes(f"{shown} ({label})", inner, needles, depth + 1)
            hits += more_hits
            unreadable += more_unreadable
    unreadable += [Unreadable(shown, reason) for reason in problems]
    return hits, unreadable


PARALLEL_FROM = 400  # files to read before a pool of worker processes shares the work
_worker = {}  # in a worker process: the needles and the known clean digests


def _start_worker(needles, known_clean):
    _worker.update(needles=needles, known_clean=known_clean)


def _scan_file(item, needles=None, known_clean=None):
    """(relative, digest, hits, unreadable) for one file; digest None when not memoized."""
    path, relative, shown = item
    needles = _worker["needles"] if needles is None else needles
    known_clean = _worker.get("known_clean") if known_clean is None else known_clean
    with open(path, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest() if known_clean is not None else None
    if digest and digest in known_clean:
        return relative, digest, [], []
    hits, unreadable = scan_bytes(shown, data, needles)
    return relative, digest, hits, unreadable


def scan_tree(
    root, needles, shown_root=None, known_clean=None, clean_now=None, workers=1, folders=None
):
    """Scan every file under `root` (and every file and folder name). Returns (hits, unreadable).

    Hits are deduplicated per (file, owner, field) and name the file, never the value.
    `known_clean` is a set of SHA-256 digests of contents already scanned clean for these same
    needles: such files are not scanned again (the same bytes give the same answer). The digests
    of every file of this tree known or found clean are added to the set `clean_now`.
    With `workers` > 1 and many files to scan, that many processes read and scan them.
    `folders` = (include, exclude), sets of top-level folder names: scan only the files in
    `include` (None: everywhere), except in `exclude`; paths stay relative to `root`.
    """
    shown_root = shown_root or os.path.basename(os.path.normpath(root))
    hits, unreadable, files = [], [], []
    for dirpath, _dirnames, filenames in pipeline.walk(root, *(folders or (None, ()))):
        for name in filenames:
            path = os.path.join(dirpath, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            shown = f"{shown_root}/{relative}"
            for needle in needles:
                if _found(needle, skeleton(unquote(relative))):
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
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            if digest in known_clean:
                results.append((item[1], digest, [], []))
            else:
                todo.append(item)
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        with parallel_render.process_pool(
            workers, background=True, initializer=_start_worker, initargs=(needles, known_clean)
        ) as pool:
            results += pool.map(_scan_file, todo, chunksize=32)
    else:
        results += [_scan_file(item, needles, known_clean) for item in todo]
    for relative, digest, file_hits, file_unreadable in results:
        if digest and clean_now is not None and not file_hits and not file_unreadable:
            clean_now.add(digest)
        hits += [replace(hit, file=relative) for hit in file_hits]
        unreadable += file_unreadable
    unique = list(dict.fromkeys(hits))
    return unique, list(dict.fromkeys(unreadable))
