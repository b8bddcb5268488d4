"""Pamphlets for volunteers: a web page, PDFs in Letter and A4, a QR code and a print pack.

A pamphlet is a Markdown pair in ``content/pamphlets/`` (``<stem>.<lang>.md``) with the
metadata ``Layout`` (``trifold`` or ``flyer``), ``Audience`` and ``Short_title``. Its ``##``
sections map to panels: a tri-fold has six panels on two landscape pages; the cover and the
back panel (help lines and QR code) are made from the metadata, the sections fill the three
inside panels, left to right, then the fold-in flap. A flyer is one portrait page.

In the same Pelican run, before anything is written, every pamphlet is rendered with
WeasyPrint in each paper size of ``PAMPHLETS["papers"]``. A PDF is rebuilt only when the
HTML given to WeasyPrint (the source, the template and every setting that shows), the print
stylesheet or the WeasyPrint version changed: PDFs and their thumbnails are cached by that
content hash under ``CACHE_PATH/pamphlets``. Text that does not fit the panels is an error
naming the file, found from WeasyPrint's page count. WeasyPrint may read local files only
(the theme, the static folders such as content/images, the system fonts); any other URL
stops the build.

Output, per language (``folletos/`` in Spanish, ``en/pamphlets/`` in English):
``<slug>/index.html`` (the page, with a print stylesheet), ``<slug>/<slug>-<paper>.pdf``,
``<slug>/qr.svg``, ``<slug>/<slug>.png`` (first-page thumbnail), ``index.html`` (the list)
and ``<pack>.zip`` (every PDF plus a README on printing and folding).

``Status: draft`` pamphlets are made in the editors' preview only (page and PDFs, with a note;
never in the print pack or the sitemap); a publish build does not read them.

Settings: ``PAMPHLETS`` (see DEFAULTS); the folder name per language comes from
``BILINGUAL["paths"][lang]["pamphlets"]``.
"""

import contextlib
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from babel.numbers import format_decimal
from babel.units import format_unit
from pelican.contents import Page
from pelican.generators import Generator
from pelican.log import console
from pelican.utils import slugify

from alerta import workers
from alerta.content import COMMON_FIELDS, CONTENT_TYPES, content_files, read_header
from alerta.i18n import catalog_for, languages
from alerta.report import BuildStopped, Report, is_preview, register_check
from alerta.sections import listing_path
from plugins.pipeline import pipeline

from . import budget, fit

__all__ = [
    "LAYOUTS",
    "PAPERS",
    "make_fetcher",
    "PamphletsGenerator",
    "file_size",
    "panel_widths",
    "register",
]

logger = logging.getLogger(__name__)

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

# Paper: name -> portrait (width, height) in mm, and how much narrower the fold-in panel of a
# tri-fold is (print-shop convention: 1/16 in on Letter, 3 mm on A4: 100 + 100 + 97 mm).
PAPERS = {
    "letter": {"size": (215.9, 279.4), "fold_in": 1.5875},
    "a4": {"size": (210.0, 297.0), "fold_in": 3.0},
}
# Layout -> pages of the finished PDF; more means the text did not fit.
LAYOUTS = {"trifold": 2, "flyer": 1}
LAYOUT_ALIASES = {"tri-fold": "trifold", "triptico": "trifold", "poster": "flyer"}
TRIFOLD_SECTIONS = 4  # the cover and the back panel are made from the metadata

FOLDER = "pamphlets"
CSS_FILE = os.path.join("pdf", "pamphlet.css")  # under the theme; never published
PDF_TEMPLATE = "pamphlet_pdf"
README_TEMPLATE = "pamphlet_readme.txt"
THUMB_WIDTH = 360  # px
# Bump when the rendering code changes in a way the hashed inputs do not show.
FORMAT_VERSION = "2"  # 2: type sized to the panels (fit.py)
SYSTEM_FONTS = ("/usr/share/fonts", "/usr/local/share/fonts")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed, so an unchanged pack is byte-for-byte the same

H2 = re.compile(r"(?=<h2[\s>])")
LINK_TAG = re.compile(r"</?a(?:\s[^>]*)?>")
HEADING_LINE = re.compile(r"^##(?!#)\s*(.*)$")
FENCE = re.compile(r"^(```|~~~)")

CONTENT_TYPES[FOLDER] = {
    "required": {"title", "lang", "layout", "audience", "short_title"},
    "optional": COMMON_FIELDS | {"date"},
}


# ---------------------------------------------------------------- settings and helpers


def pamphlet_settings(settings):
    return {**DEFAULTS, **settings.get("PAMPHLETS", {})}


def index_path(settings, lang):
    """`folletos/`, `en/pamphlets/`: BILINGUAL["paths"][lang]["pamphlets"] after the prefix."""
    try:
        return listing_path(settings, lang, FOLDER)
    except KeyError:
        return languages(settings)[lang]["prefix"] + FOLDER + "/"


def normal_layout(value):
    value = str(value or "").strip().lower()
    return LAYOUT_ALIASES.get(value, value)


def panel_widths(paper):
    """Tri-fold panel widths in mm: (full panel, fold-in panel); three add up to the sheet."""
    long_side = max(PAPERS[paper]["size"])
    narrower = PAPERS[paper]["fold_in"]
    full = (long_side + narrower) / 3
    return round(full, 3), round(full - narrower, 3)


def paper_css(paper, layout):
    """The page size and panel widths for one paper; added to the print stylesheet."""
    width, height = PAPERS[paper]["size"]
    if layout == "trifold":
        full, fold_in = panel_widths(paper)
        return (
            f"@page {{ size: {height}mm {width}mm; margin: 0 }}\n"
            f".pdf-side {{ width: {height}mm; height: {width}mm }}\n"
            f".pdf-panel {{ width: {full}mm }}\n"
            f".pdf-panel--fold-in {{ width: {fold_in}mm }}\n"
        )
    return f"@page {{ size: {width}mm {height}mm }}\n"


def file_size(size, locale):
    """Bytes -> "212 kB" / "1,2 MB" in the page's language (CLDR units through Babel)."""
    if size < 1_000_000:
        kilobytes = max(1, round(size / 1000))
        return format_unit(kilobytes, "digital-kilobyte", length="short", locale=locale)
    megabytes = format_decimal(round(size / 1_000_000, 1), locale=locale)
    return format_unit(megabytes, "digital-megabyte", length="short", locale=locale)


def absolute_base(settings, options):
    siteurl = settings.get("SITEURL") or ""
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return (options["site_url"] or settings.get("FEED_DOMAIN") or "").rstrip("/")


def split_sections(html):
    """Rendered Markdown -> (intro before the first h2, [(heading html, section html)])."""
    parts = H2.split(html)
    intro, sections = parts[0].strip(), []
    for part in parts[1:]:
        heading = re.match(r"<h2[^>]*>(.*?)</h2>", part, re.S)
        sections.append((heading.group(1) if heading else "", part.strip()))
    return intro, sections


def section_lines(text, body_line):
    """Line numbers of the `## ` headings in a Markdown body (code fences skipped)."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if number < body_line:
            continue
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and HEADING_LINE.match(line):
            lines.append(number)
    return lines


def qr_code(url, options):
    import segno

    return segno.make(url, error=options["qr_error"], micro=False)


def qr_svg(url, options):
    """The QR code as SVG, sized by its container (no width/height, a viewBox only)."""
    buffer = io.BytesIO()
    qr_code(url, options).save(
        buffer,
        kind="svg",
        border=options["qr_border"],
        omitsize=True,
        xmldecl=False,
        svgclass="app-qr",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    return buffer.getvalue().decode("utf-8")


def N_(message):
    """Marks a theme string for extraction (babel.cfg); translated later by translate()."""
    return message


PAPER_NAMES = {"letter": N_("Letter"), "a4": N_("A4")}
README_NAME = N_("README")


def translate(settings, lang, message):
    """A theme string in `lang` (from theme/translations), for names outside templates."""
    catalog = catalog_for(settings["THEME"], lang)
    return catalog.ugettext(message) if catalog else message


def write_atomically(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


# ---------------------------------------------------------------- content checks


def check_pamphlets(settings, report):
    """Layouts and section counts, with line numbers, before anything is read or rendered."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    for kind, path in content_files(settings):
        if kind != FOLDER:
            continue
        shown = os.path.relpath(path, base)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except UnicodeDecodeError:
            continue  # reported by the content check
        header, failure = read_header(text)
        if failure:
            continue  # reported by the content check
        value, line = header.fields.get("layout", ("", None))
        layout = normal_layout(value)
        if value and layout not in LAYOUTS:
            report.error(
                shown,
                f'Layout "{value}" is unknown (use one of: {", ".join(LAYOUTS)})',
                line,
            )
        elif layout == "trifold":
            headings = section_lines(text, header.body_line)
            if len(headings) > TRIFOLD_SECTIONS:
                report.error(
                    shown,
                    f"a tri-fold has room for {TRIFOLD_SECTIONS} sections (## headings) "
                    f"and this file has {len(headings)}: merge or remove some",
                    headings[TRIFOLD_SECTIONS],
                )


# ---------------------------------------------------------------- WeasyPrint


def _weasyprint():
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    return weasyprint, URLFetcher, FatalURLFetchingError


def make_fetcher(roots):
    """A WeasyPrint URL fetcher that reads data: URLs and files under `roots`, nothing else."""
    _weasy, URLFetcher, FatalURLFetchingError = _weasyprint()
    allowed = [os.path.realpath(root) for root in roots]

    class LocalFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, timeout=1)
            self.refused = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = os.path.realpath(unquote(parts.path))
                if any(path == root or path.startswith(root + os.sep) for root in allowed):
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise FatalURLFetchingError(f"refused to load {url}: pamphlets use local files only")

    return LocalFetcher()


def render_pdf(html, stylesheets, base_url, roots, layout="trifold", expected=None):
    """Lay out and write one PDF, its type sized to the panels (fit.py) when the layout and
    its page count are given. Returns (pdf bytes, pages, {anchor id: page index})."""
    weasyprint, _fetcher, _fatal = _weasyprint()
    fetcher = make_fetcher(roots)
    source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    sheets = [weasyprint.CSS(string=css, url_fetcher=fetcher) for css in stylesheets]

    def render(extra_css):
        extra = [weasyprint.CSS(string=extra_css)] if extra_css else []
        return source.render(stylesheets=sheets + extra, pdf_tags=True)

    document = fit.fitted_document(render, layout, expected) if expected else render("")
    anchors = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, []).append(index)
    pdf = document.write_pdf(pdf_tags=True)
    return pdf, len(document.pages), anchors


def prune_cache(folder, days):
    """Remove cached PDFs no build has used for `days` days (old versions of pamphlets)."""
    limit = time.time() - days * 86400
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        stem, ext = os.path.splitext(os.path.join(folder, name))
        if ext == ".json" and os.path.getmtime(stem + ext) < limit:
            for suffix in (".json", ".pdf", ".png"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(stem + suffix)


def make_pdf(task):
    """Worker: render one PDF; when it has the layout's page count, cache the PDF, its
    thumbnail and its facts. Returns {"pages", "anchors"} or {"error"}."""
    html, stylesheets, base_url, roots, layout, stem, seconds = task
    expected = LAYOUTS[layout]
    _weasy, _fetcher, FatalURLFetchingError = _weasyprint()
    try:
        with budget.limits(seconds):
            pdf, pages, anchors = render_pdf(html, stylesheets, base_url, roots, layout, expected)
    except (Exception, FatalURLFetchingError, budget.OverBudget) as error:  # naming the file
        return {"error": str(error) or error.__class__.__name__}
    if pages == expected:
        png, size = thumbnail(pdf)
        write_atomically(stem + ".pdf", pdf)
        write_atomically(stem + ".png", png)
        write_atomically(stem + ".json", json.dumps({"pages": pages, "thumb": size}).encode())
    return {"pages": pages, "anchors": anchors}


def thumbnail(pdf_bytes):
    """PNG of the first page, THUMB_WIDTH pixels wide (pypdfium2 renders, Pillow encodes)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        page = document[0]
        scale = THUMB_WIDTH / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.quantize(colors=64).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), image.size


def overflowing_panels(pamphlet, pages, anchors):
    """Headings of the panels whose text ran onto another page."""
    expected = LAYOUTS[pamphlet.layout]
    if pages <= expected:
        return []
    names = []
    for number, (heading, home) in enumerate(pamphlet.panel_names(), start=1):
        # A panel that starts on its page but does not end there overflowed; the panels
        # after it on that side were only pushed along (WeasyPrint moves them as a whole).
        starts = anchors.get(f"panel-{number}", [])
        if home in starts and anchors.get(f"panel-{number}-end", []) != [home]:
            names.append(heading)
    return names


# ---------------------------------------------------------------- the content


@dataclass
class Pamphlet:
    source: str  # shown path, e.g. content/pamphlets/senales.es.md
    lang: str
    key: str
    slug: str
    title: str
    short_title: str
    audience: str
    layout: str
    summary: str
    verify: str
    intro: str
    sections: list
    url: str
    absolute_url: str
    folder: str
    alternates: dict = field(default_factory=dict)
    pdfs: list = field(default_factory=list)
    thumbnail: dict | None = None
    listed: bool = True  # Status: hidden builds the page and PDFs but leaves it off the index
    # "draft" only in the editors' preview (with a note; never in a print pack or the sitemap):
    # a publish build does not read drafts at all.
    status: str = "published"

    def panel_names(self):
        """(heading, page index) for panels 1..6 in document order (see the PDF template)."""
        if self.layout == "flyer":
            return [(self.short_title, 0)]
        flap = self.sections[3][0] if len(self.sections) > 3 else ""
        inside = [self.sections[i][0] if len(self.sections) > i else "" for i in range(3)]
        return [
            (flap, 0),
            (self.short_title + " (back panel)", 0),
            (self.short_title + " (cover)", 0),
            *[(name, 1) for name in inside],
        ]


def strip_tags(html):
    return re.sub(r"<[^>]+>", "", html or "").strip()


class PamphletsGenerator(Generator):
    """Reads content/pamphlets/, renders the PDFs (cached), then writes pages and packs."""

    def generate_context(self):
        self.options = pamphlet_settings(self.settings)
        self.langs = languages(self.settings)
        self.pamphlets = self.read_pamphlets()
        if not self.pamphlets:
            return
        self.set_alternates()
        self.build_pdfs()
        self.context["PAMPHLET_INDEXES"] = {
            code: index_path(self.settings, code) for code in self.langs
        }
        listings = self.context.setdefault("alerta_listings", [])
        indexes = self.context["PAMPHLET_INDEXES"]
        for code in self.langs:
            listings.append({"url": indexes[code], "lang": code, "alternates": indexes})
        for item in self.pamphlets:
            if item.listed and item.status != "draft":
                listings.append({"url": item.url, "lang": item.lang, "alternates": item.alternates})

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
            absolute_url=f"{absolute_base(self.settings, self.options)}/{folder}",
            folder=folder,
        )

    def set_alternates(self):
        groups = {}
        for item in self.pamphlets:
            groups.setdefault(item.key, {})[item.lang] = item.url
        for item in self.pamphlets:
            versions = groups[item.key]
            item.alternates = {code: versions[code] for code in self.langs if code in versions}

    # ---- PDFs

    def render_context(self, item, **extra):
        hotlines = self.settings.get("SITE", {}).get("hotlines", [])
        return {
            **self.context,
            "page_lang": item.lang,
            "alternates": item.alternates,
            "page_url": item.url,
            "pamphlet": item,
            "hotlines": [line for line in hotlines if line.get("country") == "MX"],
            **extra,
        }

    def build_pdfs(self):
        started = time.monotonic()
        self.check_text_fits()
        theme = self.settings["THEME"]
        with open(os.path.join(theme, CSS_FILE), encoding="utf-8") as handle:
            stylesheet = handle.read()
        cache = os.path.join(self.settings["CACHE_PATH"], FOLDER)
        # Only the theme, the site's static folders (content/images) and the system fonts:
        # never content/data, which may hold confidential addresses.
        statics = [os.path.join(self.path, path) for path in self.settings["STATIC_PATHS"]]
        roots = [theme, *statics, cache, *SYSTEM_FONTS]
        base_url = "file://" + os.path.abspath(self.path) + "/"
        weasyprint, _fetcher, _fatal = _weasyprint()
        versions = f"{FORMAT_VERSION} weasyprint {weasyprint.__version__}"
        jobs = []
        for item in self.pamphlets:
            qr = qr_svg(item.absolute_url, self.options)
            for paper in self.options["papers"]:
                html = self.get_template(PDF_TEMPLATE).render(
                    self.render_context(item, paper=paper, qr_svg=qr)
                )
                html = self.local_links(html)
                sheets = [stylesheet, paper_css(paper, item.layout)]
                digest = hashlib.sha256(
                    "\0".join([versions, html, *sheets]).encode("utf-8")
                ).hexdigest()
                jobs.append((item, paper, html, sheets, os.path.join(cache, digest)))
        todo = [job for job in jobs if not os.path.exists(job[4] + ".json")]
        for *_rest, stem in jobs:
            if os.path.exists(stem + ".json"):
                os.utime(stem + ".json")  # in use: keep it (see prune_cache)
        report = Report()
        reported = set()
        for (item, paper, _html, _sheets, _stem), result in self.progress(todo, base_url, roots):
            if item.source in reported:
                continue
            if "error" in result:  # WeasyPrint stops on a refused URL; say which file
                report.error(item.source, f"the PDF could not be made: {result['error']}")
                reported.add(item.source)
            elif result["pages"] != LAYOUTS[item.layout]:
                names = overflowing_panels(item, result["pages"], result["anchors"])
                names = [f'"{name}"' for name in names if name]
                where = (
                    f"{', '.join(names)} {'does' if len(names) == 1 else 'do'} not fit"
                    if names
                    else "the text does not fit"
                )
                kind = "tri-fold's six panels" if item.layout == "trifold" else "flyer's page"
                report.error(
                    item.source,
                    f"the text overflows the {kind}: {where} ({result['pages']} "
                    f"pages instead of {LAYOUTS[item.layout]} on {paper} paper); shorten it",
                )
                reported.add(item.source)
        if report.errors:
            report.emit()
            raise BuildStopped(
                f"{len(report.errors)} pamphlet(s) could not be made, listed above; "
                "nothing was written"
            )
        for item, paper, _html, _sheets, stem in jobs:
            self.add_pdf(item, paper, stem)
        prune_cache(cache, self.options["cache_days"])
        console.print(
            f"Pamphlets: {len(jobs)} PDFs ({len(todo)} built, {len(jobs) - len(todo)} "
            f"from cache) in {time.monotonic() - started:.1f} seconds."
        )

    def check_text_fits(self):
        """Text that cannot fit its panel, found before WeasyPrint runs (see budget.py)."""
        base = os.path.dirname(os.path.abspath(self.path))
        papers = {name: PAPERS[name] for name in self.options["papers"] if name in PAPERS}
        report = Report()
        for item in self.pamphlets:
            with open(os.path.join(base, item.source), encoding="utf-8") as handle:
                text = handle.read()
            header, _failure = read_header(text)
            lines = section_lines(text, header.body_line) if header else []
            for line, message in budget.text_problems(item.layout, item.sections, papers, lines):
                report.error(item.source, message, line)
        if report.errors:
            report.emit()
            raise BuildStopped(
                f"{len(report.errors)} pamphlet(s) too long, listed above; nothing was written"
            )

    def progress(self, todo, base_url, roots):
        """Render the jobs (in parallel when there are several), yielding (job, result) in
        order; shows a bar (terminal) or counts when there are more than a few."""
        opts = self.options
        tasks = [
            (html, sheets, base_url, roots, item.layout, stem, opts["render_seconds"])
            for item, _paper, html, sheets, stem in todo
        ]
        count = self.options["workers"] or min(os.cpu_count() or 1, 4)
        if count > 1 and len(tasks) > 1:
            context = multiprocessing.get_context("fork")
            pool = ProcessPoolExecutor(
                min(count, len(tasks)),
                mp_context=context,
                initializer=workers.start_worker,  # never outlive the build
                initargs=(os.getpid(),),
            )
            results = pool.map(make_pdf, tasks)
        else:
            pool, results = None, map(make_pdf, tasks)
        show = len(todo) > self.options["progress_after"]
        try:
            if show and console.is_terminal:
                from rich.progress import Progress

                with Progress(console=console, transient=True) as bar:
                    task = bar.add_task("Pamphlet PDFs", total=len(todo))
                    for job, result in zip(todo, results, strict=True):
                        bar.advance(task)
                        yield job, result
                return
            for number, (job, result) in enumerate(zip(todo, results, strict=True), start=1):
                if show:
                    console.print(
                        f"Pamphlets: built PDF {number}/{len(todo)}: {job[0].source} ({job[1]})"
                    )
                yield job, result
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)

    def local_links(self, html):
        """Site-root links (images from {static}) -> paths WeasyPrint finds in content/.

        Links are unwrapped: paper cannot follow them (the QR code does), and an inline
        <a> at a line end trips a WeasyPrint line-breaking bug (Kozea/WeasyPrint#1614)."""
        html = LINK_TAG.sub("", html)
        siteurl = self.settings.get("SITEURL") or ""
        for prefix in {siteurl + "/", "/"}:
            html = html.replace(f'src="{prefix}', 'src="')
        return html

    def add_pdf(self, item, paper, stem):
        with open(stem + ".json", encoding="utf-8") as handle:
            meta = json.load(handle)
        locale = self.langs[item.lang]["locale"]
        label = self.paper_label(paper, item.lang)
        name = f"{item.slug}-{slugify(label)}.pdf"
        item.pdfs.append(
            {
                "paper": paper,
                "label": label,
                "name": name,
                "url": item.folder + name,
                "size": file_size(os.path.getsize(stem + ".pdf"), locale),
                "bytes": os.path.getsize(stem + ".pdf"),
                "pages": meta["pages"],
                "cache": stem,
            }
        )
        if item.thumbnail is None:
            width, height = meta["thumb"]
            item.thumbnail = {
                "url": f"{item.folder}{item.slug}.png",
                "cache": stem + ".png",
                "width": width,
                "height": height,
            }

    def paper_label(self, paper, lang):
        return translate(self.settings, lang, PAPER_NAMES.get(paper, paper.upper()))

    # ---- output

    def generate_output(self, writer):
        if not self.pamphlets:
            return
        for item in self.pamphlets:
            target = os.path.join(self.output_path, item.folder)
            os.makedirs(target, exist_ok=True)
            for pdf in item.pdfs:
                copy_file(pdf["cache"] + ".pdf", os.path.join(self.output_path, pdf["url"]))
            thumb = item.thumbnail
            copy_file(thumb["cache"], os.path.join(self.output_path, thumb["url"]))
            write_atomically(
                os.path.join(target, "qr.svg"),
                qr_svg(item.absolute_url, self.options).encode("utf-8"),
            )
            writer.write_file(
                item.folder + "index.html",
                self.get_template("pamphlet"),
                self.context,
                page_lang=item.lang,
                alternates=item.alternates,
                page_url=item.url,
                pamphlet=item,
                hotlines=self.render_context(item)["hotlines"],
            )
        indexes = self.context["PAMPHLET_INDEXES"]
        for code in self.langs:
            items = [item for item in self.pamphlets if item.lang == code and item.listed]
            # The print pack is what volunteers print: never a draft, even in the preview.
            printed = [item for item in items if item.status != "draft"]
            pack = self.write_pack(code, printed) if printed else None
            writer.write_file(
                indexes[code] + "index.html",
                self.get_template("pamphlets"),
                self.context,
                page_lang=code,
                alternates=indexes,
                page_url=indexes[code],
                pamphlets_list=items,
                pack=pack,
            )

    def write_pack(self, lang, items):
        """One zip per language: every PDF, and a one-page README on printing and folding."""
        names = self.options["pack_name"]
        name = (names.get(lang) or names.get("default") or "pamphlets") + f"-{lang}.zip"
        url = index_path(self.settings, lang) + name
        readme = self.env.get_template(README_TEMPLATE).render(
            {**self.context, "page_lang": lang, "pamphlets_list": items}
        )
        readme_name = translate(self.settings, lang, README_NAME) + ".txt"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            entry = zipfile.ZipInfo(readme_name, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, readme.replace("\n", "\r\n").encode("utf-8"))
            for item in items:
                for pdf in item.pdfs:
                    entry = zipfile.ZipInfo(pdf["name"], ZIP_DATE)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    with open(pdf["cache"] + ".pdf", "rb") as handle:
                        archive.writestr(entry, handle.read())
        data = buffer.getvalue()
        write_atomically(os.path.join(self.output_path, url), data)
        return {
            "url": url,
            "name": name,
            "size": file_size(len(data), self.langs[lang]["locale"]),
            "count": sum(len(item.pdfs) for item in items),
        }


def copy_file(source, target):
    with open(source, "rb") as handle:
        write_atomically(target, handle.read())


def get_generators(_pelican):
    return PamphletsGenerator


def register():
    register_check(check_pamphlets)
    pipeline.add_generator(get_generators(None))
