"""A resource's Markdown: its fields, the record the pages are made from, and the checks run on
it before anything is read.

A resource is a pair in ``content/resources/<name>.<lang>.md`` sharing ``Translation_key``:

- ``Audience``: one or more of AUDIENCES, comma-separated;
- ``Type``: one of TYPES; a ``training-module`` is printed by the build (printing.py);
- ``Files``: attachments in ``content/resources/files/``, comma-separated (PDF, DOCX, ODT,
  PPTX); each is cleaned before it is published (attachments.py). A file named
  ``guia.en.pdf`` is in English; any other is in the resource's language;
- ``Publisher``, ``Published`` (a date: YYYY, YYYY-MM or YYYY-MM-DD), ``Source`` (the address
  of the original when it lives elsewhere: https only).
"""

import datetime
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from alerta import guards
from alerta.content import COMMON_FIELDS, CONTENT_TYPES, folder_files, headers, split_name
from alerta.i18n import languages
from alerta.report import is_preview

__all__ = [
    "AUDIENCES",
    "FILES_FOLDER",
    "FOLDER",
    "TYPES",
    "Attachment",
    "Resource",
    "check_resources",
    "file_lang",
    "parse_date",
    "split_list",
]

FOLDER = "resources"  # content/resources/, and the section's name in BILINGUAL["paths"]
FILES_FOLDER = "files"  # content/resources/files/: the attachments
AUDIENCES = ("officials", "shelter-staff", "educators", "public")
TYPES = ("training-module", "legal-instrument", "guide", "report", "video")
EXTENSIONS = (".pdf", ".docx", ".odt", ".pptx")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

CONTENT_TYPES[FOLDER] = {
    "required": {"title", "lang", "summary", "audience", "type"},
    "optional": COMMON_FIELDS | {"files", "publisher", "published", "source"},
}


@dataclass
class Attachment:
    """One published attachment: cleaned (attachments.py), in the cache until written."""

    name: str  # file name as published, e.g. guia-de-referencia.pdf
    kind: str  # pdf, docx, odt or pptx
    lang: str
    bytes: int
    pages: int | None
    url: str
    cache: str  # the cleaned file
    thumbnail: dict | None = None  # {"url", "cache", "width", "height"}
    size: str = ""  # "212 kB", in the page's language


@dataclass
class Resource:
    source: str  # shown path, e.g. content/resources/conceptos.es.md
    lang: str
    key: str
    slug: str
    title: str
    summary: str
    audiences: list
    type: str
    files: list  # file names from `Files:`
    publisher: str
    published: tuple | None  # (year, month or None, day or None)
    source_url: str
    body: str  # HTML
    verify: str
    url: str
    folder: str
    absolute_url: str
    status: str = "published"  # "draft" only in the editors' preview
    listed: bool = True  # Status: hidden: its page is written, the lists leave it out
    alternates: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)  # [Attachment]
    pdfs: list = field(default_factory=list)  # a training module's printed PDFs
    thumbnail: dict | None = None  # the first printed PDF's first page


def split_list(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def parse_date(value):
    """ "2012", "2012-06", "2012-06-14" -> (2012, 6, 14) with None for what is not given; an
    empty value -> None; anything else raises ValueError."""
    value = (value or "").strip()
    if not value:
        return None
    match = DATE.match(value)
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) if part else None for part in match.groups())
    datetime.date(year, month or 1, day or 1)  # raises ValueError for 2012-02-30
    if not 1900 <= year <= 2199:
        raise ValueError(value)
    return year, month, day


def file_lang(name, default):
    """`guia.en.pdf` -> "en"; `guia.pdf` -> `default`."""
    return split_name(name)[1] or default


# ---------------------------------------------------------------- content checks


def check_resources(settings, report):
    """Audience, Type, Published, Source and Files, with line numbers, before anything is read;
    each attachment is cleaned here (or found in the cache), so one that cannot be published
    stops the build before anything is written. Returns {"resource_files": {path: Prepared}}
    for the generator."""
    from .attachments import AttachmentProblem, attachment_cache, prepare

    paths = folder_files(settings, FOLDER)
    if not paths:
        return None
    langs = languages(settings)
    files_dir = os.path.join(settings["PATH"], FOLDER, FILES_FOLDER)
    cache = attachment_cache(settings)
    prepared = {}
    for _path, shown, header in headers(settings, paths):
        fields = header.fields
        status = fields.get("status", ("published", None))[0].strip().lower()
        if status == "draft" and not is_preview(settings):
            continue  # not published, not read
        check_choices(shown, fields, "audience", AUDIENCES, report, many=True)
        check_choices(shown, fields, "type", TYPES, report)
        value, line = fields.get("published", ("", None))
        try:
            parse_date(value)
        except ValueError:
            report.error(
                shown, f'Published "{value}" is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)', line
            )
        value, line = fields.get("source", ("", None))
        if value and not (urlsplit(value).scheme == "https" and urlsplit(value).netloc):
            report.error(
                shown, f'Source "{value}" is not an https:// address of the original', line
            )
        value, line = fields.get("files", ("", None))
        for name in split_list(value):
            where = os.path.join(files_dir, name)
            problem = file_problem(name, where, settings["PATH"], langs)
            if problem:
                report.error(shown, problem, line)
                continue
            try:
                prepared[os.path.realpath(where)] = prepare(cache, where)
            except AttachmentProblem as error:
                report.error(shown, f"{name}: {error}", line)
    return {"resource_files": prepared}


def check_choices(shown, fields, name, allowed, report, many=False):
    value, line = fields.get(name, ("", None))
    for part in split_list(value) if many else [value.strip()] if value.strip() else []:
        if part.lower() not in allowed:
            report.error(
                shown,
                f'{name.capitalize()} "{part}" is unknown (use {"any" if many else "one"} of: '
                f"{', '.join(allowed)})",
                line,
            )


def file_problem(name, path, root, langs):
    """Why `Files:` cannot name this file, or None."""
    if "/" in name or "\\" in name or name.startswith("."):
        return f'"{name}" must be a plain file name in content/{FOLDER}/{FILES_FOLDER}/'
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS:
        return (
            f'"{name}" cannot be attached (use PDF, DOCX, ODT or PPTX; '
            "export other formats as a PDF)"
        )
    stem_lang = file_lang(name, None)
    if stem_lang and stem_lang not in langs:
        return f'"{name}": ".{stem_lang}." is not a site language ({", ".join(langs)})'
    if not os.path.isfile(path):
        return f'"{name}" is not in content/{FOLDER}/{FILES_FOLDER}/ (check the spelling)'
    if not guards.real_path_inside(path, root):
        return f'"{name}" is a link to a file outside content/: put a copy of the file there'
    return None  # its size and what is inside: attachments.prepare
