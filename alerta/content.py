"""Content files as every feature sees them: their types, their headers, their names.

``CONTENT_TYPES`` maps a folder of content/ to the fields its files require and allow; each
feature adds its own type when it registers (events, film, pamphlets). ``read_header`` reads the
metadata block with line numbers, ``content_files`` lists the files Pelican will read, skipping
what Pelican skips, and ``split_name`` reads the language from a file's name.
"""

import fnmatch
import os
import re
from dataclasses import dataclass

from . import guards, limits

__all__ = [
    "COMMON_FIELDS",
    "CONTENT_EXTENSIONS",
    "CONTENT_TYPES",
    "Header",
    "content_files",
    "folder_files",
    "headers",
    "read_header",
    "readable",
    "relative",
    "split_name",
]

# Fields every content file may carry. Plugins add their own types to CONTENT_TYPES.
COMMON_FIELDS = {
    "title",
    "lang",
    "translation_key",
    "slug",
    "summary",
    "status",
    "verify",
    "save_as",
    "url",
    "template",
    "author",
    "authors",
    "modified",
    "nav",
}
CONTENT_TYPES = {
    # Every article template shows its category: Pelican gives an article without one none.
    "articles": {
        "required": {"title", "date", "lang", "category"},
        "optional": COMMON_FIELDS | {"date", "category", "tags"},
    },
    "pages": {"required": {"title", "lang"}, "optional": COMMON_FIELDS},
}
CONTENT_EXTENSIONS = (".md", ".markdown")
STATUSES_IN_ORDER = ("published", "draft", "hidden")
STATUSES = set(STATUSES_IN_ORDER)
# How dates are written, for the messages; a content type may say otherwise ("date_format").
DATE_FORMAT = "YYYY-MM-DD"
# Years a date may have: Pelican and the calendars cannot shift year 1 or 9999 to a timezone.
YEARS = (1900, 2199)
# A content type may list its own statuses (first = default): `CONTENT_TYPES[kind]["statuses"]`.
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")
HEADER_RE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")
# Pelican reads `{static}x`, `|static|x` and the mixed forms alike.
INTERNAL_REF = re.compile(r"[{|](?:filename|static|attach)[}|]([^)\s\"'>]+)")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


@dataclass
class Header:
    """The metadata block at the top of a Markdown file: name -> (value, line)."""

    fields: dict
    body_line: int


def read_header(text):
    """Parse `Key: value` lines up to the first blank line, keeping line numbers."""
    fields = {}
    # A byte-order mark (some Windows editors write one): Pelican reads the file without it.
    lines = text.removeprefix("\ufeff").splitlines()
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if not fields:
                return None, (
                    1,
                    "the file must start with its metadata on line 1 "
                    '("Title: ..."), with no blank line before it',
                )
            return Header(fields, number + 1), None
        match = HEADER_RE.match(line)
        if match:
            name = match.group(1).lower()
            if name in fields:
                return None, (number, f'field "{match.group(1)}" is given twice')
            fields[name] = (match.group(2).strip(), number)
        elif line[:1] in " \t" and fields:
            continue  # continuation of a multi-line value
        elif number == 1:
            return None, (
                1,
                'the file must start with a "Title: ..." line '
                "(metadata first, then a blank line, then the text)",
            )
        else:
            return None, (
                number,
                f'"{line.strip()[:40]}" is not a "Field: value" line; '
                "leave one blank line between the metadata and the text",
            )
    return Header(fields, number + 1), None


def relative(path, base):
    return os.path.relpath(path, base) if base else path


def content_files(settings, oversized=False):
    """Yield (content type, absolute path) for every Markdown file Pelican will read; one
    over limits.MAX_BYTES only when `oversized` (check_content reports it, unread).

    Files are skipped as Pelican skips them (IGNORE_FILES), so a hidden `.x.md`, which Pelican
    publishes, is checked too; the plugins' own folders also skip `_x.md` and `.x.md`."""
    root = settings["PATH"]
    ignores = settings.get("IGNORE_FILES", [])

    def ignored(name, kind):
        if kind not in ("articles", "pages") and name.startswith(("_", ".")):
            return True
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    seen = set()  # real folders walked: a link to a folder above must not loop
    for kind in CONTENT_TYPES:
        folder = os.path.join(root, kind)
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            seen.add(os.path.realpath(dirpath))
            # As Pelican walks; a folder linked from outside content/ is reported, not read.
            dirnames[:] = sorted(
                name
                for name in dirnames
                if not ignored(name, kind)
                and guards.real_path_inside(os.path.join(dirpath, name), root)
                and os.path.realpath(os.path.join(dirpath, name)) not in seen
            )
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                # A link out of content/ is reported by check_real_paths and never opened (it
                # could be /dev/zero or the build's environment).
                if (
                    name.endswith(CONTENT_EXTENSIONS)
                    and not ignored(name, kind)
                    and guards.real_path_inside(path, root)
                    and (oversized or readable(path))
                ):
                    yield kind, path


def readable(path, root=None):
    """A regular file within the size limit (a larger one is reported, never read), and,
    with `root`, really inside it (a symlink out is reported, never read)."""
    if root is not None and not guards.real_path_inside(path, root):
        return False
    return os.path.isfile(path) and not limits.size_problem(path)


def split_name(path):
    """`senales.es.md` -> ("senales", "es"); `senales.md` -> ("senales", None)."""
    stem = os.path.basename(path).rsplit(".", 1)[0]
    base, dot, suffix = stem.rpartition(".")
    if dot and re.fullmatch(r"[a-z]{2,3}", suffix):
        return base, suffix
    return stem, None


def folder_files(settings, folder):
    """The Markdown files a feature reads from content/<folder>/, sorted: not `_x.md` or `.x.md`,
    and not one too large or linked from outside content/ (the content checks report those,
    and nothing opens them)."""
    path = os.path.join(settings["PATH"], folder)
    if not os.path.isdir(path):
        return []
    return sorted(
        os.path.join(path, name)
        for name in os.listdir(path)
        if name.endswith(CONTENT_EXTENSIONS)
        and not name.startswith(("_", "."))
        and readable(os.path.join(path, name), settings["PATH"])
    )


def headers(settings, paths):
    """(path, path as shown in messages, Header) of each file whose header reads; a file that is
    not UTF-8 or whose header does not read is skipped (the content checks report it)."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                header, failure = read_header(handle.read())
        except UnicodeDecodeError:
            continue
        if not failure:
            yield path, os.path.relpath(path, base), header
