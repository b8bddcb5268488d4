"""Where a pamphlet becomes a PDF: the shared engine (alerta.printing) lays out its HTML with
type sized to the panels (fit.py), within a time limit and reading local files only, and draws
the first page's thumbnail.

``make_pdf`` is the task the build hands to its worker processes (alerta.workers.pool): a
module-level function of plain arguments, so a spawned worker can import and run it. It
writes the PDF, its thumbnail and its facts into the cache; the build copies them from there.
"""

import json
from functools import partial

from alerta.files import atomic_write
from alerta.printing import (
    SYSTEM_FONTS,
    THUMB_WIDTH,
    OverBudget,
    make_fetcher,
    prune_cache,
    render,
    thumbnail,
    time_limit,
    weasyprint_modules,
)

from . import fit
from .content import LAYOUTS

__all__ = ["SYSTEM_FONTS", "THUMB_WIDTH", "make_fetcher", "make_pdf", "prune_cache", "render_pdf"]


def render_pdf(html, stylesheets, base_url, roots, layout="trifold", expected=None):
    """Lay out and write one PDF (alerta.printing.render), its type sized to the panels
    (fit.py) when the layout and its page count are given. Returns (pdf bytes, pages,
    {anchor id: page index})."""
    adjust = partial(fit.fitted_document, layout=layout, pages=expected) if expected else None
    return render(html, stylesheets, base_url, roots, adjust)


def make_pdf(task):
    """A worker's task: render one PDF within its time limit; when it has the layout's page
    count, cache the PDF, its thumbnail and its facts under `stem`. Returns {"pages",
    "anchors"}, or {"error"} (a refused URL, the time limit...) for the build to report."""
    html, stylesheets, base_url, roots, layout, stem, seconds = task
    expected = LAYOUTS[layout]
    _weasy, _fetcher, FatalURLFetchingError = weasyprint_modules()
    try:
        with time_limit(seconds):
            pdf, pages, anchors = render_pdf(html, stylesheets, base_url, roots, layout, expected)
    except (Exception, FatalURLFetchingError, OverBudget) as error:  # naming the file
        return {"error": str(error) or error.__class__.__name__}
    if pages == expected:
        png, size = thumbnail(pdf)
        atomic_write(stem + ".pdf", pdf)
        atomic_write(stem + ".png", png)
        atomic_write(stem + ".json", json.dumps({"pages": pages, "thumb": size}))
    return {"pages": pages, "anchors": anchors}
