"""Training modules on paper: each module's Markdown body becomes a PDF in every paper size of
RESOURCES["papers"], with a cover, the national hotline on every page and page numbers.

The engine is the pamphlets' (alerta.printing): WeasyPrint lays out theme/templates/
resource_pdf.html with theme/pdf/resource.css, reading local files only (the theme, the static
folders, the system fonts; never content/data), in the build's worker processes, within a time
limit. A PDF is made again only when what WeasyPrint is given (the HTML, the stylesheets),
FORMAT_VERSION or the WeasyPrint version changed: PDFs, first-page thumbnails and their facts
are cached under CACHE_PATH/resource-pdfs/<version>/ (alerta.files.Cache). A module that cannot
be printed stops the build with one line naming its file, before anything is written.

Paper cannot follow a link, so each link of the body keeps working in the PDF and is followed
by its address in full (``print_links``); links into this site are made absolute.
"""

import html as htmllib
import json
import os
import re
import time
from dataclasses import dataclass
from importlib.metadata import version
from urllib.parse import urljoin, urlsplit

from pelican.log import console

from alerta.build import help_lines
from alerta.files import Cache, atomic_write, digest
from alerta.i18n import gettext
from alerta.printing import (
    N_,
    PAPERS,
    SYSTEM_FONTS,
    OverBudget,
    add_printed,
    prune_cache,
    render,
    run_tasks,
    still_to_make,
    thumbnail,
    time_limit,
    weasyprint_modules,
)
from alerta.report import BuildStopped, Report

from .labels import audience_label, published_text

__all__ = [
    "FORMAT_VERSION",
    "MODULE_TYPE",
    "build_module_pdfs",
    "make_module_pdf",
    "page_css",
    "print_links",
]

CACHE_NAME = "resource-pdfs"  # CACHE_PATH/resource-pdfs/
CSS_FILE = os.path.join("pdf", "resource.css")  # under the theme; never published
PDF_TEMPLATE = "resource_pdf"
MODULE_TYPE = "training-module"
# Bump when the rendering code changes in a way the hashed inputs do not show.
FORMAT_VERSION = "1"

PAGE_OF = N_("Page %(page)s of %(pages)s")
PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
LINK = re.compile(r'<a\s([^>]*?)href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


@dataclass
class Job:
    """One PDF: a module on one paper, what WeasyPrint gets, and where the cache keeps it
    (`stem` + .pdf, .png, .json)."""

    item: object  # a Resource
    paper: str
    html: str
    sheets: list
    stem: str


def build_module_pdfs(generator):
    """Make (or find in the cache) the PDFs of every training module of `generator.resources`,
    and give each its `pdfs` and `thumbnail`; stop the build naming a module that cannot be
    printed."""
    modules = [item for item in generator.resources if item.type == MODULE_TYPE]
    if not modules:
        return
    started = time.monotonic()
    settings = generator.settings
    options = generator.options  # RESOURCES (resources.DEFAULTS)
    theme = settings["THEME"]
    with open(os.path.join(theme, CSS_FILE), encoding="utf-8") as handle:
        stylesheet = handle.read()
    cache = Cache(settings, CACHE_NAME, (FORMAT_VERSION, "weasyprint", version("weasyprint")))
    # Only the theme, the site's static folders (content/images) and the system fonts:
    # never content/data, which may hold confidential addresses.
    statics = [os.path.join(generator.path, path) for path in settings["STATIC_PATHS"]]
    roots = [theme, *statics, *SYSTEM_FONTS]
    base_url = "file://" + os.path.abspath(generator.path) + "/"
    template = generator.get_template(PDF_TEMPLATE)
    lines = help_lines(generator.context)
    jobs = []
    for item in modules:
        item.pdfs, item.thumbnail = [], None
        locale = generator.langs[item.lang]["locale"]
        variables = {
            **generator.context,
            "page_lang": item.lang,
            "alternates": item.alternates,
            "page_url": item.url,
            "resource": item,
            "hotlines": lines,
            "audiences": [audience_label(settings, key, item.lang) for key in item.audiences],
            "published": published_text(item.published, locale),
            "body": print_links(item.body, item.absolute_url, settings),
        }
        html = template.render(variables)
        for paper in options["papers"]:
            sheets = [stylesheet, page_css(settings, item.lang, paper)]
            jobs.append(Job(item, paper, html, sheets, cache.path(digest(html, *sheets))))
    missing = set(still_to_make(job.stem for job in jobs))
    todo = [job for job in jobs if job.stem in missing]
    report_failures(render_jobs(todo, base_url, roots, options))
    for job in jobs:
        add_printed(job.item, job.paper, job.stem, settings, generator.langs)
    prune_cache(os.path.dirname(cache.folder), options["cache_days"])
    console.print(
        f"Training modules: {len(jobs)} PDFs ({len(todo)} built, {len(jobs) - len(todo)} "
        f"from cache) in {time.monotonic() - started:.1f} seconds."
    )


def css_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(settings, lang, paper):
    """The paper size, and "Page 3 of 12" in `lang` in the footer (CSS page counters)."""
    width, height = PAPERS[paper]["size"]
    parts = []
    for index, piece in enumerate(PLACEHOLDER.split(gettext(settings, lang, PAGE_OF))):
        if index % 2:  # a placeholder's name
            parts.append("counter(page)" if piece == "page" else "counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return (
        f"@page {{ size: {width}mm {height}mm;\n"
        f"  @bottom-right {{ content: {' '.join(parts)} }} }}\n"
    )


def print_links(body, page_url, settings):
    """The module's HTML as printed: each link to a web page points to its full address and is
    followed by it, unless its text already says it; site-root images are read from content/."""

    def link(match):
        before, href, after, text = match.groups()
        target = urljoin(page_url, htmllib.unescape(href))
        if href.startswith("#") or urlsplit(href).scheme in ("mailto", "tel"):
            return match.group(0)
        if urlsplit(target).scheme not in ("http", "https"):
            return text  # nothing a reader could open: the text only
        shown = htmllib.unescape(TAG.sub("", text)).strip()
        bare = target.split("://", 1)[1].rstrip("/")
        address = htmllib.escape(target)
        tag = f'<a {before}href="{address}"{after}>{text}'
        if shown.rstrip("/") in (target.rstrip("/"), bare):
            return tag + "</a>"
        return f'{tag}<span class="pdf-url"> ({address})</span></a>'

    body = LINK.sub(link, body or "")
    siteurl = settings.get("SITEURL") or ""
    for prefix in {siteurl + "/", "/"}:
        body = body.replace(f'src="{prefix}', 'src="')
    return body


def render_jobs(todo, base_url, roots, options):
    """Render the jobs (in worker processes when there are several), yielding (job, result)."""
    seconds = options["render_seconds"]
    tasks = [(job.html, job.sheets, base_url, roots, job.stem, seconds) for job in todo]
    count = options["workers"] or min(os.cpu_count() or 1, 4)

    def describe(index):
        return f"{todo[index].item.source} ({todo[index].paper})"

    results = run_tasks(
        make_module_pdf, tasks, count, describe, "Training modules", options["progress_after"]
    )
    yield from zip(todo, results, strict=True)


def make_module_pdf(task):
    """A worker's task: render one PDF within its time limit and cache it, its thumbnail and
    its facts under `stem`. Returns {"pages"}, or {"error"} for the build to report."""
    html, stylesheets, base_url, roots, stem, seconds = task
    _weasy, _fetcher, FatalURLFetchingError = weasyprint_modules()
    try:
        with time_limit(seconds):
            pdf, pages, _anchors = render(html, stylesheets, base_url, roots)
        png, size = thumbnail(pdf)
    except (Exception, FatalURLFetchingError, OverBudget) as error:  # naming the file
        return {"error": str(error) or error.__class__.__name__}
    atomic_write(stem + ".pdf", pdf)
    atomic_write(stem + ".png", png)
    atomic_write(stem + ".json", json.dumps({"pages": pages, "thumb": size}))
    return {"pages": pages}


def report_failures(results):
    """One line per module that could not be printed (the first paper it failed on)."""
    report = Report()
    reported = set()
    for job, result in results:
        source = job.item.source
        if "error" in result and source not in reported:
            report.error(source, f"its PDF ({job.paper}) could not be made: {result['error']}")
            reported.add(source)
    if report.errors:
        report.emit()
        raise BuildStopped(
            f"{len(report.errors)} training module(s) could not be printed, listed above; "
            "nothing was written"
        )
