"""Pamphlets for volunteers: a web page, PDFs in Letter and A4, a QR code and a print pack.

A pamphlet is a Markdown pair in ``content/pamphlets/`` (``<stem>.<lang>.md``) with the
metadata ``Layout`` (``trifold`` or ``flyer``), ``Audience`` and ``Short_title``. Its ``##``
sections map to panels (content.py). In the same Pelican run, before anything is written,
every pamphlet is rendered with WeasyPrint in each paper size of ``PAMPHLETS["papers"]``
(printing.py, in worker processes: pdf.py), each PDF made only when what it shows changed.
Text that does not fit the panels is an error naming the file, found before rendering
(budget.py) or from WeasyPrint's page count. WeasyPrint may read local files only (the theme,
the static folders such as content/images, the system fonts); any other URL stops the build.

Output, per language (``folletos/`` in Spanish, ``en/pamphlets/`` in English):
``<slug>/index.html`` (the page, with a print stylesheet), ``<slug>/<slug>-<paper>.pdf``,
``<slug>/qr.svg``, ``<slug>/<slug>.png`` (first-page thumbnail), ``index.html`` (the list)
and ``<pack>.zip`` (every PDF plus a README on printing and folding: pack.py).

``Status: draft`` pamphlets are made in the editors' preview only (page and PDFs, with a note;
never in the print pack or the sitemap); a publish build does not read them.

Settings: ``PAMPHLETS`` (see DEFAULTS; an unknown key stops the build); the folder name per
language comes from ``BILINGUAL["paths"][lang]["pamphlets"]``.
"""

import os

from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator
from pelican.utils import slugify

from alerta.build import add_section, write_page
from alerta.files import atomic_write
from alerta.i18n import languages
from alerta.options import options
from alerta.printing import site_address
from alerta.report import is_preview, register_check

from .content import (
    FOLDER,
    LAYOUTS,
    Pamphlet,
    check_pamphlets,
    index_path,
    normal_layout,
    split_sections,
    strip_tags,
)
from .pack import write_pack
from .paper import PAPERS, file_size, panel_widths
from .pdf import THUMB_WIDTH, make_fetcher, prune_cache
from .printing import build_pdfs, help_lines
from .qr import qr_code, qr_svg

__all__ = [
    "DEFAULTS",
    "LAYOUTS",
    "PAPERS",
    "THUMB_WIDTH",
    "PamphletsGenerator",
    "check_pamphlets",
    "file_size",
    "make_fetcher",
    "panel_widths",
    "prune_cache",
    "qr_code",
    "register",
    "split_sections",
]

DEFAULTS = {
    # Paper sizes to build, in the order the download links list them. The first one is
    # the thumbnail's. Mexico prints on Letter ("carta"); most other countries on A4.
    "papers": ["letter", "a4"],
    # Absolute address the QR code and the printed URL point to when SITEURL is empty
    # (development). Empty: FEED_DOMAIN. Published builds use SITEURL.
    "site_url": "",
    # Show a progress bar (or counts, when not in a terminal) above this many PDFs to build.
    "progress_after": 3,
    # Processes rendering PDFs at once; 0: one per CPU core, at most 4.
    "workers": 0,
    # Cached PDFs that no build has used for this many days are removed.
    "cache_days": 60,
    # Seconds WeasyPrint may take for one PDF (a pamphlet takes two to five layouts of a
    # second or two, see fit.py); past that the build stops naming the file, as it does for
    # text found too long before rendering.
    "render_seconds": 60,
    # File name of the print pack, per language code ("default" for the others).
    "pack_name": {"es": "folletos-alerta-trata", "default": "alerta-trata-pamphlets"},
    # QR codes: error correction level (segno: l, m, q, h) and quiet zone in modules.
    "qr_error": "m",
    "qr_border": 4,
}


def pamphlet_settings(settings):
    return options(settings, "PAMPHLETS", DEFAULTS)


def check_settings(settings, _report):
    """PAMPHLETS, read before anything else: a mistyped key stops the build at once."""
    pamphlet_settings(settings)


class PamphletsGenerator(Generator):
    """Reads content/pamphlets/, renders the PDFs (cached), then writes pages and packs."""

    def generate_context(self):
        self.options = pamphlet_settings(self.settings)
        self.langs = languages(self.settings)
        self.pamphlets = self.read_pamphlets()
        if not self.pamphlets:
            return
        self.set_alternates()
        build_pdfs(self)
        self.context["PAMPHLET_INDEXES"] = {
            code: index_path(self.settings, code) for code in self.langs
        }  # for the pamphlets' own templates; the menu reads the section (alerta.build)
        add_section(self.context, "pamphlets", self.context["PAMPHLET_INDEXES"])

    # ---- reading

    def read_pamphlets(self):
        folder = os.path.join(self.path, FOLDER)
        if not os.path.isdir(folder):
            return []
        base = os.path.dirname(os.path.abspath(self.path))
        result = []
        for path in sorted(self.get_files([FOLDER], extensions=("md", "markdown"))):
            page = self.readers.read_file(
                base_path=self.path, path=path, content_class=Page, context=self.context
            )
            status = page.status.lower()
            if (status == "draft" and not is_preview(self.settings)) or (
                page.lang not in self.langs
            ):
                continue
            item = self.make_pamphlet(page, os.path.relpath(page.source_path, base))
            item.listed = status != "hidden"
            item.status = status
            result.append(item)
        # The same order in every language: by translation key.
        return sorted(result, key=lambda item: (item.key, item.lang))

    def make_pamphlet(self, page, shown):
        stem = os.path.basename(page.source_path).split(".")[0]
        slug = page.metadata.get("slug") or slugify(
            page.short_title, regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        )
        folder = index_path(self.settings, page.lang) + slug + "/"
        intro, sections = split_sections(page.content)
        return Pamphlet(
            source=shown,
            lang=page.lang,
            key=page.metadata.get("translation_key", stem),
            slug=slug,
            title=strip_tags(page.title),
            short_title=strip_tags(page.short_title),
            audience=strip_tags(page.audience),
            layout=normal_layout(page.layout),
            summary=strip_tags(page.metadata.get("summary", "")),
            verify=page.metadata.get("verify", ""),
            intro=intro,
            sections=sections,
            url=folder,
            absolute_url=f"{site_address(self.settings, self.options['site_url'])}/{folder}",
            folder=folder,
        )

    def set_alternates(self):
        groups = {}
        for item in self.pamphlets:
            groups.setdefault(item.key, {})[item.lang] = item.url
        for item in self.pamphlets:
            versions = groups[item.key]
            item.alternates = {code: versions[code] for code in self.langs if code in versions}

    # ---- output

    def generate_output(self, writer):
        if not self.pamphlets:
            return
        lines = help_lines(self.context)
        for item in self.pamphlets:
            target = os.path.join(self.output_path, item.folder)
            for pdf in item.pdfs:
                copy_file(pdf["cache"] + ".pdf", os.path.join(self.output_path, pdf["url"]))
            thumb = item.thumbnail
            copy_file(thumb["cache"], os.path.join(self.output_path, thumb["url"]))
            atomic_write(os.path.join(target, "qr.svg"), qr_svg(item.absolute_url, self.options))
            write_page(
                self,
                writer,
                item.url,
                "pamphlet",
                item.lang,
                item.alternates,
                listed=item.listed and item.status != "draft",
                pamphlet=item,
                hotlines=lines,
            )
        indexes = self.context["PAMPHLET_INDEXES"]
        for code in self.langs:
            items = [item for item in self.pamphlets if item.lang == code and item.listed]
            # The print pack is what volunteers print: never a draft, even in the preview.
            printed = [item for item in items if item.status != "draft"]
            pack = write_pack(self, code, printed) if printed else None
            write_page(
                self,
                writer,
                indexes[code],
                "pamphlets",
                code,
                indexes,
                pamphlets_list=items,
                pack=pack,
            )


def copy_file(source, target):
    with open(source, "rb") as handle:
        atomic_write(target, handle.read())


def get_generators(_pelican):
    return PamphletsGenerator


def register():
    register_check(check_settings)
    register_check(check_pamphlets)
    signals.get_generators.connect(get_generators)
