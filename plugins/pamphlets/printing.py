"""The build's PDFs: every pamphlet in every paper size, made once and kept in the cache.

A PDF is made again only when the HTML given to WeasyPrint (the source, the template and every
setting that shows), the print stylesheet, FORMAT_VERSION or the WeasyPrint version changed:
PDFs, thumbnails and facts are cached under CACHE_PATH/pamphlets/<version>/ by a digest of
that HTML and stylesheet (alerta.files.Cache). Those to make are rendered in worker processes
(alerta.workers.pool, see pdf.make_pdf); text that did not fit is reported naming the file
and the panels it overflowed, and the build stops before anything is written.
"""

import os
import re
import time
from dataclasses import dataclass
from importlib.metadata import version

from pelican.log import console

from alerta.build import help_lines
from alerta.content import read_header
from alerta.files import Cache, digest
from alerta.printing import add_printed, run_tasks, still_to_make
from alerta.report import BuildStopped, Report

from . import budget
from .content import FOLDER, LAYOUTS, Pamphlet, section_lines
from .paper import PAPERS, paper_css
from .pdf import SYSTEM_FONTS, make_pdf, prune_cache
from .qr import qr_svg

__all__ = ["FORMAT_VERSION", "build_pdfs", "help_lines", "overflowing_panels"]

CSS_FILE = os.path.join("pdf", "pamphlet.css")  # under the theme; never published
PDF_TEMPLATE = "pamphlet_pdf"
# Bump when the rendering code changes in a way the hashed inputs do not show.
FORMAT_VERSION = "2"  # 2: type sized to the panels (fit.py)
LINK_TAG = re.compile(r"</?a(?:\s[^>]*)?>")


@dataclass
class Job:
    """One PDF: a pamphlet on one paper, the HTML and stylesheets WeasyPrint gets, and where
    the cache keeps it (`stem` + .pdf, .png, .json)."""

    item: Pamphlet
    paper: str
    html: str
    sheets: list
    stem: str


def build_pdfs(generator):
    """Make (or find in the cache) every PDF of `generator.pamphlets`, and give each pamphlet
    its `pdfs` and `thumbnail`; stop the build naming every pamphlet that does not fit."""
    started = time.monotonic()
    settings, options = generator.settings, generator.options
    check_text_fits(generator.pamphlets, generator.path, options)
    theme = settings["THEME"]
    with open(os.path.join(theme, CSS_FILE), encoding="utf-8") as handle:
        stylesheet = handle.read()
    cache = Cache(settings, FOLDER, (FORMAT_VERSION, "weasyprint", version("weasyprint")))
    # Only the theme, the site's static folders (content/images) and the system fonts:
    # never content/data, which may hold confidential addresses.
    statics = [os.path.join(generator.path, path) for path in settings["STATIC_PATHS"]]
    roots = [theme, *statics, cache.folder, *SYSTEM_FONTS]
    base_url = "file://" + os.path.abspath(generator.path) + "/"
    template = generator.get_template(PDF_TEMPLATE)
    lines = help_lines(generator.context)
    jobs = []
    for item in generator.pamphlets:
        qr = qr_svg(item.absolute_url, options)
        for paper in options["papers"]:
            variables = {
                **generator.context,
                "page_lang": item.lang,
                "alternates": item.alternates,
                "page_url": item.url,
                "pamphlet": item,
                "hotlines": lines,
                "paper": paper,
                "qr_svg": qr,
            }
            html = local_links(template.render(variables), settings)
            sheets = [stylesheet, paper_css(paper, item.layout)]
            jobs.append(Job(item, paper, html, sheets, cache.path(digest(html, *sheets))))
    missing = set(still_to_make(job.stem for job in jobs))
    todo = [job for job in jobs if job.stem in missing]
    report_failures(render(todo, base_url, roots, options))
    for job in jobs:
        add_printed(job.item, job.paper, job.stem, settings, generator.langs)
    prune_cache(os.path.join(settings["CACHE_PATH"], FOLDER), options["cache_days"])
    console.print(
        f"Pamphlets: {len(jobs)} PDFs ({len(todo)} built, {len(jobs) - len(todo)} "
        f"from cache) in {time.monotonic() - started:.1f} seconds."
    )


def check_text_fits(pamphlets, path, options):
    """Text that cannot fit its panel, found before WeasyPrint runs (see budget.py)."""
    base = os.path.dirname(os.path.abspath(path))
    papers = {name: PAPERS[name] for name in options["papers"] if name in PAPERS}
    report = Report()
    for item in pamphlets:
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


def local_links(html, settings):
    """Site-root links (images from {static}) -> paths WeasyPrint finds in content/.

    Links are unwrapped: paper cannot follow them (the QR code does), and an inline
    <a> at a line end trips a WeasyPrint line-breaking bug (Kozea/WeasyPrint#1614)."""
    html = LINK_TAG.sub("", html)
    siteurl = settings.get("SITEURL") or ""
    for prefix in {siteurl + "/", "/"}:
        html = html.replace(f'src="{prefix}', 'src="')
    return html


def render(todo, base_url, roots, options):
    """Render the jobs (in worker processes when there are several: alerta.printing.run_tasks),
    yielding (job, result) in order."""
    seconds = options["render_seconds"]
    tasks = [
        (job.html, job.sheets, base_url, roots, job.item.layout, job.stem, seconds) for job in todo
    ]
    count = options["workers"] or min(os.cpu_count() or 1, 4)

    def describe(index):
        return f"{todo[index].item.source} ({todo[index].paper})"

    results = run_tasks(make_pdf, tasks, count, describe, "Pamphlets", options["progress_after"])
    yield from zip(todo, results, strict=True)


def report_failures(results):
    """One line per pamphlet that could not be made (the first paper it failed on)."""
    report = Report()
    reported = set()
    for job, result in results:
        item = job.item
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
                f"pages instead of {LAYOUTS[item.layout]} on {job.paper} paper); shorten it",
            )
            reported.add(item.source)
    if report.errors:
        report.emit()
        raise BuildStopped(
            f"{len(report.errors)} pamphlet(s) could not be made, listed above; nothing was written"
        )


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
