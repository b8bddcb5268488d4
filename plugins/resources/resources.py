"""The resource library: training modules, legal instruments, guides, reports and videos for
the people who train, prosecute or run a shelter, and for the public.

A resource is a Markdown pair in ``content/resources/`` (fields and checks: content.py). In the
same Pelican run:

- the data check cleans every attachment before anything is read (attachments.py: metadata
  removed, scripts and embedded files refused), so a file that cannot be published stops the
  build naming it, and the previous output stays as it was;
- every ``training-module`` is printed in each paper of ``RESOURCES["papers"]`` with the
  pamphlets' engine (printing.py, alerta.printing);
- the pages are written (pages.py): one per resource, an index per language, one static page per
  audience and per type (the filters, with JavaScript off; a small script filters the index
  live), and a JSON and CSV catalogue of the whole library.

Output, per language (``recursos/`` in Spanish, ``en/resources/`` in English): ``<slug>/``
(the page, its attachments, a module's PDFs and thumbnails), ``para/<audience>/`` and
``tipo/<type>/`` (``for/``, ``type/`` in English), and, in the default language's folder,
``recursos.json`` and ``recursos.csv``.

``Status: draft`` resources are made in the editors' preview only (with a note; never in the
lists' counts of a publish build, the sitemap or the catalogue); a publish build does not read
them. Settings: ``RESOURCES`` (see DEFAULTS; an unknown key stops the build).
"""

import os
import re

from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator
from pelican.utils import slugify

from alerta.build import add_section, of
from alerta.files import atomic_write
from alerta.i18n import languages
from alerta.options import options
from alerta.printing import prune_cache, site_address
from alerta.report import is_preview, register_check
from alerta.sections import section_path

from .attachments import CACHED, attachment_cache, prepare
from .content import (
    FILES_FOLDER,
    FOLDER,
    Attachment,
    Resource,
    check_resources,
    file_lang,
    parse_date,
    split_list,
)
from .pages import write_pages
from .printing import build_module_pdfs

__all__ = ["DEFAULTS", "ResourcesGenerator", "index_path", "register", "resource_settings"]

DEFAULTS = {
    # Paper sizes a training module is printed on, in the order the links list them (the first
    # gives the thumbnail). Mexico prints on Letter ("carta"); most other countries on A4.
    "papers": ["letter", "a4"],
    # Processes printing modules at once; 0: one per CPU core, at most 4.
    "workers": 0,
    # Seconds WeasyPrint may take for one module's PDF before the build stops naming the file.
    "render_seconds": 60,
    # Show progress when more PDFs than this need printing.
    "progress_after": 3,
    # Cached PDFs and cleaned attachments unused for this many days are removed.
    "cache_days": 60,
    # Absolute address printed on a module when SITEURL is empty (development).
    "site_url": "",
    # Folder words of the filter pages, per language ("default" for the others).
    "paths": {
        "es": {"audience": "para", "type": "tipo"},
        "default": {"audience": "for", "type": "type"},
    },
    # The catalogue's file name (.json and .csv), in the default language's folder.
    "catalogue": "recursos",
}


def resource_settings(settings):
    return options(settings, "RESOURCES", DEFAULTS, nested=("paths",))


def check_settings(settings, _report):
    """RESOURCES, read before anything else: a mistyped key stops the build at once."""
    resource_settings(settings)


def index_path(settings, lang):
    """`recursos/`, `en/resources/`: BILINGUAL["paths"][lang]["resources"] after the prefix."""
    try:
        return section_path(settings, lang, FOLDER)
    except KeyError:
        return languages(settings)[lang]["prefix"] + FOLDER + "/"


class ResourcesGenerator(Generator):
    """Reads content/resources/, prints the modules (cached), then writes pages and files."""

    def generate_context(self):
        self.options = resource_settings(self.settings)
        self.langs = languages(self.settings)
        self.resources = self.read_resources()
        if not self.resources:
            return
        self.set_alternates()
        self.attach_files()
        cache = attachment_cache(self.settings)
        prune_cache(os.path.dirname(cache.folder), self.options["cache_days"], CACHED)
        build_module_pdfs(self)
        self.indexes = {code: index_path(self.settings, code) for code in self.langs}
        add_section(self.context, FOLDER, self.indexes)

    # ---- reading

    def read_resources(self):
        if not os.path.isdir(os.path.join(self.path, FOLDER)):
            return []
        base = os.path.dirname(os.path.abspath(self.path))
        result = []
        for path in sorted(self.get_files([FOLDER], extensions=("md", "markdown"))):
            if os.path.basename(path).startswith(("_", ".")):
                continue
            page = self.readers.read_file(
                base_path=self.path, path=path, content_class=Page, context=self.context
            )
            status = page.status.lower()
            if (status == "draft" and not is_preview(self.settings)) or (
                page.lang not in self.langs
            ):
                continue
            item = self.make_resource(page, os.path.relpath(page.source_path, base))
            item.status = status
            item.listed = status != "hidden"
            result.append(item)
        return sorted(result, key=lambda item: (item.key, item.lang))

    def make_resource(self, page, shown):
        meta = page.metadata
        stem = os.path.basename(page.source_path).split(".")[0]
        slug = meta.get("slug") or slugify(
            page.title, regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        )
        folder = index_path(self.settings, page.lang) + slug + "/"
        return Resource(
            source=shown,
            lang=page.lang,
            key=meta.get("translation_key", stem),
            slug=slug,
            title=strip_tags(page.title),
            summary=strip_tags(meta.get("summary", "")),
            audiences=[part.lower() for part in split_list(meta.get("audience", ""))],
            type=str(meta.get("type", "")).strip().lower(),
            files=split_list(meta.get("files", "")),
            publisher=strip_tags(meta.get("publisher", "")),
            published=parse_date(str(meta.get("published", ""))),
            source_url=str(meta.get("source", "")).strip(),
            body=page.content,
            verify=meta.get("verify", ""),
            url=folder,
            folder=folder,
            absolute_url=f"{site_address(self.settings, self.options['site_url'])}/{folder}",
        )

    def set_alternates(self):
        groups = {}
        for item in self.resources:
            groups.setdefault(item.key, {})[item.lang] = item.url
        for item in self.resources:
            versions = groups[item.key]
            item.alternates = {code: versions[code] for code in self.langs if code in versions}

    def attach_files(self):
        """Each attachment, cleaned by the data check (or now, for a build without it)."""
        checked = of(self.context).facts.get("resource_files") or {}
        cache = None
        for item in self.resources:
            for name in item.files:
                path = os.path.realpath(os.path.join(self.path, FOLDER, FILES_FOLDER, name))
                ready = checked.get(path)
                if ready is None:
                    cache = cache or attachment_cache(self.settings)
                    ready = prepare(cache, path)
                item.attachments.append(self.attachment(item, name, ready))

    def attachment(self, item, name, ready):
        thumb = None
        if ready.thumb:
            width, height = ready.thumb_size
            thumb = {
                "url": f"{item.folder}{name}.png",
                "cache": ready.thumb,
                "width": width,
                "height": height,
            }
        return Attachment(
            name=name,
            kind=ready.kind,
            lang=file_lang(name, item.lang),
            bytes=ready.bytes,
            pages=ready.pages,
            url=item.folder + name,
            cache=ready.data,
            thumbnail=thumb,
        )

    # ---- output

    def generate_output(self, writer):
        if not self.resources:
            return
        for item in self.resources:
            for attachment in item.attachments:
                copy_file(attachment.cache, attachment.url, self.output_path)
                if attachment.thumbnail:
                    thumb = attachment.thumbnail
                    copy_file(thumb["cache"], thumb["url"], self.output_path)
            for pdf in item.pdfs:
                copy_file(pdf["cache"] + ".pdf", pdf["url"], self.output_path)
            if item.thumbnail:
                copy_file(item.thumbnail["cache"], item.thumbnail["url"], self.output_path)
        write_pages(self, writer)


def strip_tags(text):
    return re.sub(r"<[^>]+>", "", str(text or "")).strip()


def copy_file(source, url, output_path):
    with open(source, "rb") as handle:
        atomic_write(os.path.join(output_path, url), handle.read())


def get_generators(_pelican):
    return ResourcesGenerator


def register():
    register_check(check_settings)
    register_check(check_resources)
    signals.get_generators.connect(get_generators)
