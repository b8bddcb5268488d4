"""Where a pamphlet becomes a PDF: WeasyPrint lays out its HTML, with type sized to the
panels (fit.py) and a time limit (budget.py), reading local files only; pypdfium2 draws the
first page's thumbnail.

``make_pdf`` is the task the build hands to its worker processes (alerta.workers.pool): a
module-level function of plain arguments, so a spawned worker can import and run it. It
writes the PDF, its thumbnail and its facts into the cache; the build copies them from there.
"""

import contextlib
import io
import json
import os
import time
from urllib.parse import unquote, urlsplit

from alerta.files import atomic_write

from . import budget, fit
from .content import LAYOUTS

__all__ = ["SYSTEM_FONTS", "THUMB_WIDTH", "make_fetcher", "make_pdf", "prune_cache", "render_pdf"]

THUMB_WIDTH = 360  # px
SYSTEM_FONTS = ("/usr/share/fonts", "/usr/local/share/fonts")
CACHED = (".json", ".pdf", ".png")  # a cached PDF: its facts, the PDF, its thumbnail


def weasyprint_modules():
    """WeasyPrint is imported when a PDF is made, not when the plugin loads (it is slow)."""
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
            raise FatalURLFetchingError(f"refused to load {url}: pamphlets use local files only")

    return LocalFetcher()


def render_pdf(html, stylesheets, base_url, roots, layout="trifold", expected=None):
    """Lay out and write one PDF, its type sized to the panels (fit.py) when the layout and
    its page count are given. Returns (pdf bytes, pages, {anchor id: page index})."""
    weasyprint, _fetcher, _fatal = weasyprint_modules()
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


def make_pdf(task):
    """A worker's task: render one PDF within its time limit; when it has the layout's page
    count, cache the PDF, its thumbnail and its facts under `stem`. Returns {"pages",
    "anchors"}, or {"error"} (a refused URL, the time limit...) for the build to report."""
    html, stylesheets, base_url, roots, layout, stem, seconds = task
    expected = LAYOUTS[layout]
    _weasy, _fetcher, FatalURLFetchingError = weasyprint_modules()
    try:
        with budget.limits(seconds):
            pdf, pages, anchors = render_pdf(html, stylesheets, base_url, roots, layout, expected)
    except (Exception, FatalURLFetchingError, budget.OverBudget) as error:  # naming the file
        return {"error": str(error) or error.__class__.__name__}
    if pages == expected:
        png, size = thumbnail(pdf)
        atomic_write(stem + ".pdf", pdf)
        atomic_write(stem + ".png", png)
        atomic_write(stem + ".json", json.dumps({"pages": pages, "thumb": size}))
    return {"pages": pages, "anchors": anchors}


def prune_cache(folder, days):
    """Remove cached PDFs no build has used for `days` days (old versions of pamphlets, and
    everything made by an older version of the code or of WeasyPrint: see printing.py)."""
    limit = time.time() - days * 86400
    for dirpath, _dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames:
            stem, ext = os.path.splitext(os.path.join(dirpath, name))
            if ext == ".json" and os.path.getmtime(stem + ext) < limit:
                for suffix in CACHED:
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(stem + suffix)
        if dirpath != folder:
            with contextlib.suppress(OSError):  # not empty: in use
                os.rmdir(dirpath)
