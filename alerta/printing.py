"""Where HTML becomes a PDF, for every feature that prints (pamphlets, training modules).

- ``make_fetcher``: WeasyPrint may read ``data:`` URLs and files under the roots it is given
  (the theme, the static folders, the system fonts), nothing else: any other URL stops the
  render, so a PDF never carries a request to another host or a file from content/data.
- ``render``: lay out HTML with stylesheets into a tagged PDF (``pdf_tags``: screen readers
  follow its structure), within a time limit (``time_limit``).
- ``thumbnail``: the first page as a small PNG (pypdfium2 draws, Pillow encodes); also used for
  PDFs editors attach.
- ``run_tasks``: hand module-level tasks to the build's process pool (alerta.workers.pool),
  showing progress when there are many.
- ``PAPERS``, ``paper_label``, ``file_size``: paper sizes and how a paper and a size are named
  in the page's language; ``add_printed``: a printed item's download (name, size, pages) and
  thumbnail; ``site_address``: the site's absolute address, as printed.
- ``prune_cache``: remove cached PDFs no build used for a while.
"""

import contextlib
import io
import os
import signal
import threading
import time
from urllib.parse import unquote, urlsplit

from babel.numbers import format_decimal
from babel.units import format_unit

from . import workers
from .i18n import gettext

__all__ = [
    "N_",
    "PAPERS",
    "SYSTEM_FONTS",
    "THUMB_WIDTH",
    "OverBudget",
    "add_printed",
    "file_size",
    "make_fetcher",
    "paper_label",
    "prune_cache",
    "render",
    "run_tasks",
    "site_address",
    "still_to_make",
    "thumbnail",
    "time_limit",
    "weasyprint_modules",
]

THUMB_WIDTH = 360  # px
SYSTEM_FONTS = ("/usr/share/fonts", "/usr/local/share/fonts")
CACHED = (".json", ".pdf", ".png")  # a cached PDF: its facts, the PDF, its thumbnail

# Paper: name -> portrait (width, height) in mm, and how much narrower the fold-in panel of a
# tri-fold is (print-shop convention: 1/16 in on Letter, 3 mm on A4: 100 + 100 + 97 mm).
PAPERS = {
    "letter": {"size": (215.9, 279.4), "fold_in": 1.5875},
    "a4": {"size": (210.0, 297.0), "fold_in": 3.0},
}


def N_(message):
    """Marks a theme string for extraction (babel.cfg); translated when shown (gettext)."""
    return message


PAPER_NAMES = {"letter": N_("Letter"), "a4": N_("A4")}


def weasyprint_modules():
    """WeasyPrint is imported when a PDF is made, not when a plugin loads (it is slow)."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    return weasyprint, URLFetcher, FatalURLFetchingError


def make_fetcher(roots):
    """A WeasyPrint URL fetcher that reads data: URLs and files under `roots`, nothing else."""
    _weasy, URLFetcher, FatalURLFetchingError = weasyprint_modules()
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
            raise FatalURLFetchingError(f"refused to load {url}: PDFs use local files only")

    return LocalFetcher()


def render(html, stylesheets, base_url, roots, adjust=None):
    """Lay out `html` with `stylesheets` (CSS texts), reading files under `roots` only.

    `adjust(render)` may lay it out again with extra CSS (pamphlets size their type to the
    panels) and returns the document to keep. Returns (pdf bytes, pages, {anchor: [page]})."""
    weasyprint, _fetcher, _fatal = weasyprint_modules()
    fetcher = make_fetcher(roots)
    source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    sheets = [weasyprint.CSS(string=css, url_fetcher=fetcher) for css in stylesheets]

    def layout(extra_css):
        extra = [weasyprint.CSS(string=extra_css)] if extra_css else []
        return source.render(stylesheets=sheets + extra, pdf_tags=True)

    document = adjust(layout) if adjust else layout("")
    anchors = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, []).append(index)
    return document.write_pdf(pdf_tags=True), len(document.pages), anchors


class OverBudget(BaseException):  # noqa: N818 - not an Exception: WeasyPrint must not catch it
    """A render ran out of time."""


@contextlib.contextmanager
def time_limit(seconds):
    """Stop the render inside after `seconds` (in the main thread of a worker; elsewhere the
    build's own wait for the worker still ends it)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise OverBudget(f"rendering took more than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def thumbnail(pdf_bytes, width=THUMB_WIDTH):
    """PNG of the first page, `width` pixels wide, and its (width, height)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.quantize(colors=64).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), image.size


def run_tasks(function, tasks, count, describe, label, progress_after):
    """Yield `function(task)` for each task, in order: in the process pool when `count` > 1
    and there are several (`function` must be module-level), showing a bar in a terminal (or
    "built 3/12: <describe(index)>" lines) when there are more than `progress_after`."""
    from pelican.log import console

    if count > 1 and len(tasks) > 1:
        pool = workers.pool(min(count, len(tasks)))
        results = pool.map(function, tasks)
    else:
        pool, results = None, map(function, tasks)
    show = len(tasks) > progress_after
    try:
        if show and console.is_terminal:
            from rich.progress import Progress

            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(label, total=len(tasks))
                for result in results:
                    bar.advance(task)
                    yield result
            return
        for number, result in enumerate(results, start=1):
            if show:
                console.print(f"{label}: built PDF {number}/{len(tasks)}: {describe(number - 1)}")
            yield result
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def site_address(settings, fallback=""):
    """The site's absolute address for what is printed (a QR code, a module's web address):
    SITEURL when it is absolute, else `fallback` (a feature's "site_url"), else FEED_DOMAIN."""
    siteurl = settings.get("SITEURL") or ""
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return (fallback or settings.get("FEED_DOMAIN") or "").rstrip("/")


def still_to_make(stems):
    """The cache stems (`stem` + .pdf, .png, .json) whose PDF is not made yet; those that are
    made are marked as in use (their .json touched), so prune_cache keeps them."""
    todo = []
    for stem in stems:
        if os.path.exists(stem + ".json"):
            os.utime(stem + ".json")
        else:
            todo.append(stem)
    return todo


def add_printed(item, paper, stem, settings, langs):
    """Give a printed item (a pamphlet, a training module: it has `slug`, `folder`, `lang`,
    `pdfs` and `thumbnail`) the PDF made on `paper` and cached at `stem` (.pdf, .png and .json
    of facts: {"pages", "thumb": [width, height]}); the first one also gives the thumbnail."""
    import json

    from pelican.utils import slugify

    with open(stem + ".json", encoding="utf-8") as handle:
        meta = json.load(handle)
    label = paper_label(settings, paper, item.lang)
    name = f"{item.slug}-{slugify(label)}.pdf"
    size = os.path.getsize(stem + ".pdf")
    item.pdfs.append(
        {
            "paper": paper,
            "label": label,
            "name": name,
            "url": item.folder + name,
            "size": file_size(size, langs[item.lang]["locale"]),
            "bytes": size,
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


def paper_label(settings, paper, lang):
    """ "Carta", "Letter", "A4": the paper's name in `lang` (theme catalogs)."""
    return gettext(settings, lang, PAPER_NAMES.get(paper, paper.upper()))


def file_size(size, locale):
    """Bytes -> "212 kB" / "1,2 MB" in the page's language (CLDR units through Babel)."""
    if size < 1_000_000:
        kilobytes = max(1, round(size / 1000))
        return format_unit(kilobytes, "digital-kilobyte", length="short", locale=locale)
    megabytes = format_decimal(round(size / 1_000_000, 1), locale=locale)
    return format_unit(megabytes, "digital-megabyte", length="short", locale=locale)


def prune_cache(folder, days, cached=CACHED):
    """Remove cached PDFs no build has used for `days` days (a `.json` of facts marks each;
    the build touches those it uses): old versions, and what older code made."""
    limit = time.time() - days * 86400
    for dirpath, _dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames:
            stem, ext = os.path.splitext(os.path.join(dirpath, name))
            if ext == ".json" and os.path.getmtime(stem + ext) < limit:
                for suffix in cached:
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(stem + suffix)
        if dirpath != folder:
            with contextlib.suppress(OSError):  # not empty: in use
                os.rmdir(dirpath)
