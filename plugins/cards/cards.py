"""Open Graph metadata and a 1200×630 social card (PNG, drawn with Pillow) for every page.

- ``social.py``: the template helper ``social(title, description)`` (``partials/head.html``):
  the page's ``og:*`` values, and the card it books.
- ``drawing.py``: how a card is drawn (title fitted and wrapped, the site name, the hotline).
- here: drawing the booked cards the cache lacks, and putting every booked card in output/.

Cards are cached by the hash of everything drawn on them (``CACHE_PATH/cards``): a rebuild
draws none. A cold build with many cards draws them in worker processes (``alerta.workers.pool``)
while the pages are still being rendered; see ``Drawer`` for when that pays.

Share links are plain URLs (``components/share.html``): nothing is loaded until the visitor
taps one.

Settings: ``CARDS`` (see DEFAULTS in social.py).
"""

import logging
import os

from pelican import signals
from PIL import ImageFont

from alerta import workers as processes
from alerta.files import link_or_copy
from alerta.report import register_check

from .drawing import draw_all, draw_in_background
from .social import make_social, options

__all__ = ["Drawer", "register"]

logger = logging.getLogger(__name__)

# With this many cards to draw, worker processes share the work, BATCH cards at a time.
PARALLEL_FROM = 48
BATCH = 16
MAX_WORKERS = 3


def worker_count():
    """Every core but the one the build renders pages on (at most MAX_WORKERS); 0: no pool.

    Measured at 200 article pairs (561 cards) on 2 cores: one spawned worker took 3 s of CPU off
    the build's own process for the same total; a second worker only competed with the build.
    """
    return min((os.cpu_count() or 1) - 1, MAX_WORKERS)


class Drawer:
    """Draws the booked cards that the cache lacks, in the background once there are many.

    Rendering pages runs on one core; from the PARALLEL_FROM-th missing card on, a pool of
    spawned worker processes (at a lower priority) draws cards on the others while the
    rendering goes on, so a cold build mostly does not wait for them. Starting a worker costs
    about as much CPU as drawing 80 cards (it imports the build's modules), but on another core.
    Cards go to the workers in batches of BATCH (one task per card costs as much again in
    hand-offs). Fewer missing cards, and the last few, are drawn in this process at the end.
    """

    def __init__(self):
        self.jobs = {}  # cards booked in this build: key -> what to draw
        self.drawn = 0
        self.pool = None
        self.pending = []  # (cache path, job, opts) not yet handed to a worker
        self.futures = []

    def book(self, key, job, opts):
        if key in self.jobs:
            return
        self.jobs[key] = job
        path = os.path.join(opts["cache"], f"{key}.png")
        if os.path.exists(path):
            return
        self.drawn += 1
        self.pending.append((path, job, opts))
        workers = worker_count()
        if self.pool is None and len(self.pending) >= PARALLEL_FROM and workers:
            os.makedirs(opts["cache"], exist_ok=True)
            self.pool = processes.pool(workers)
        if len(self.pending) >= BATCH:
            self.send_pending()

    def send_pending(self):
        """Hand the cards waiting here to the workers (once there is a pool)."""
        if self.pool is not None and self.pending:
            self.futures.append(self.pool.submit(draw_in_background, self.pending))
            self.pending = []

    def finish(self):
        """Draw what is left and wait for the workers; a worker's error is raised here."""
        try:
            draw_all(self.pending)
            for future in self.futures:
                future.result()
        finally:
            self.close()

    def close(self):
        """Stop the workers (a build that stopped half-way); the bookings stay."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.pool = None
        self.pending, self.futures = [], []

    def clear(self):
        """Forget this build's cards (and stop its workers): a new build books afresh."""
        self.close()
        self.jobs, self.drawn = {}, 0


DRAWER = Drawer()


def install_helpers(generator):
    """``generator_init``: ``social()`` in every template (one helper per build)."""
    social = generator.context.get("_alerta_social")
    if social is None:
        social = make_social(generator.settings, generator.context, DRAWER.book)
        generator.context["_alerta_social"] = social
    generator.env.globals["social"] = social


def check_fonts(settings, report):
    opts = options(settings)
    for name in ("font", "bold_font"):
        try:
            ImageFont.truetype(opts[name], 12)
        except OSError:
            report.error(
                os.path.relpath(opts[name], os.path.dirname(os.path.abspath(settings["PATH"]))),
                "social card font is missing or unreadable (CARDS font/bold_font)",
            )


def reset(_pelican):
    """``initialized``: a new build books afresh (one that stopped half-way may have left a
    pool behind)."""
    DRAWER.clear()


def write_cards(pelican):
    """``finalized``: put the cards the pages booked in output/, once drawn."""
    opts = options(pelican.settings)
    os.makedirs(opts["cache"], exist_ok=True)
    folder = os.path.join(pelican.output_path, opts["folder"])
    os.makedirs(folder, exist_ok=True)
    DRAWER.finish()
    for key in DRAWER.jobs:
        link_or_copy(os.path.join(opts["cache"], f"{key}.png"), os.path.join(folder, f"{key}.png"))
    cached = len(DRAWER.jobs) - DRAWER.drawn
    logger.info(
        "cards: %d written (%d drawn, %d from cache)", len(DRAWER.jobs), DRAWER.drawn, cached
    )


def register():
    register_check(check_fonts)
    signals.initialized.connect(reset)
    signals.generator_init.connect(install_helpers)
    signals.finalized.connect(write_cards)
