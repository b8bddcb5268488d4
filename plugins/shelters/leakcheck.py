"""Find confidential locations in every output file, including inside compressed and derived
files.

The shelter directory uses this to prove, after the whole site is written, that no output file
holds the address or coordinates of a confidential shelter. It is deliberately independent of
how a file was made: it reads the bytes on disk and looks *through* the usual encodings.

- what is looked for, written in any ordinary way (abbreviations, word order, more or fewer
  decimals, degrees-minutes-seconds): leak_needles.py;
- the text of a file, however it is encoded or marked up (case, accents, look-alike letters,
  punctuation, entities, escapes, tags, UTF-16/32): leak_normalise.py;
- the containers: gzip, bzip2, xz, zip (every member, recursively; the paragraphs of DOCX,
  ODT, PPTX and XLSX files), brotli (``.br``), PNG chunks (every chunk as it is, text chunks
  decoded; only the compressed pixels, ``IDAT``, are left out: pixels are not text, and reading
  them as text was half the time of a cold build's scan), PDF (raw bytes, every FlateDecode
  stream but images, and the text and metadata pypdf extracts, which finds text drawn with
  subset fonts): leak_containers.py;
- here, every file of the output and every file and folder name, and the memo of files
  already found clean (keyed by SCANNER_VERSION).

A file it cannot read through (an encrypted zip member, ``.zst``, a ``.br`` file without the
brotli module, a PDF without pypdf, or one that expands past the caps of leak_containers.py) is
reported as a problem too: the check fails closed.
"""

import hashlib
import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from urllib.parse import unquote

from alerta import workers as processes
from alerta.files import walk

from . import leak_containers as containers
from .leak_needles import Needle, address_needles, geo_needles
from .leak_normalise import skeleton, views

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


# ---------------------------------------------------------------- scanning


def scan_bytes(shown, data, needles, depth=0):
    """Hits and unreadable parts in one file's bytes and everything it contains. A file that
    expands past a cap is one unreadable part, named after the file."""
    hits, unreadable = [], []
    try:
        _scan_into(shown, data, needles, depth, containers.Budget(), hits, unreadable)
    except containers.TooBig as error:
        unreadable.append(Unreadable(shown, error.reason))
    return hits, unreadable


def _scan_into(shown, data, needles, depth, budget, hits, unreadable):
    problems, found = [], set()
    text_part = containers.readable(data)
    for view in views(text_part, needles):
        for needle in needles:
            key = (needle.owner, needle.field)
            if key not in found and needle.could_be_in(view) and needle.found(view):
                found.add(key)
                hits.append(Hit(shown, needle.owner, needle.field))
    if depth < containers.MAX_DEPTH:
        for label, inner in containers.members(shown, data, text_part, problems, budget):
            _scan_into(f"{shown} ({label})", inner, needles, depth + 1, budget, hits, unreadable)
    unreadable += [Unreadable(shown, reason) for reason in problems]


def _digest(data):
    """The memo's key for `data`: its SHA-256, salted with the scanner's version."""
    digest = hashlib.sha256(f"leakcheck {SCANNER_VERSION}\n".encode())
    digest.update(data)
    return digest.hexdigest()


PARALLEL_FROM = 400  # files to read before a pool of worker processes shares the work
CHUNK = 8  # files a worker reads per task


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
    """_scan_file for every item of `todo`, by `workers` spawned processes, in todo's order.

    The largest files first (the PDFs and the print packs are most of the time), in small
    chunks handed out as workers free up, so that no worker gets all the heavy ones."""
    order = sorted(range(len(todo)), key=lambda i: -os.path.getsize(todo[i][0]))
    chunks = [order[start : start + CHUNK] for start in range(0, len(order), CHUNK)]
    results = [None] * len(todo)
    with processes.pool(workers) as pool:
        futures = {
            pool.submit(_scan_files, [todo[i] for i in chunk], needles, memoize): chunk
            for chunk in chunks
        }
        for future, chunk in futures.items():
            for index, result in zip(chunk, future.result(), strict=True):
                results[index] = result
    return results


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
        try:
            results += _scan_in_pool(todo, needles, known_clean is not None, workers)
        except BrokenProcessPool:  # a worker was killed (memory?): read every file here
            results += [_scan_file(item, needles, known_clean) for item in todo]
    else:
        results += [_scan_file(item, needles, known_clean) for item in todo]
    for relative, digest, file_hits, file_unreadable in results:
        if digest and clean_now is not None and not file_hits and not file_unreadable:
            clean_now.add(digest)
        hits += [replace(hit, file=relative) for hit in file_hits]
        unreadable += file_unreadable
    unique = list(dict.fromkeys(hits))
    return unique, list(dict.fromkeys(unreadable))
