"""Open Graph metadata and a 1200×630 social card (PNG, drawn with Pillow) for every page.

Templates call ``social(title, description)`` (see ``partials/head.html``): it returns the
``og:*`` values for the page being rendered, in its language, and books a card showing the
title in that language, the site name and the main hotline number. Cards the cache lacks are
drawn by worker processes while the pages are still being rendered (once there are enough of
them to be worth a pool; else when all pages are written), with the DejaVu font shipped in
``theme/fonts/`` (so the build does not depend on the system), and cached by the hash of
everything drawn on them: a rebuild redraws nothing, and a changed title gets a new URL, so
social networks do not keep showing the old card.

Share links are plain URLs (``components/share.html``): nothing is loaded until the visitor
taps one.

Settings: ``CARDS`` (see DEFAULTS).
"""

import hashlib
import io
import json
import logging
import os
import re
from functools import lru_cache
from types import SimpleNamespace

from babel.core import LOCALE_ALIASES
from jinja2 import pass_context
from pelican import signals
from PIL import Image, ImageColor, ImageDraw, ImageFont

from alerta.i18n import languages, page_lang
from alerta.report import register_check
from plugins.parallel_render import parallel_render
from plugins.pipeline import pipeline

__all__ = ["draw_card", "register", "wrap"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    "size": (1200, 630),
    "background": "#0b4f6c",
    "ink": "#ffffff",
    "band": "#ffffff",
    "band_ink": "#0b4f6c",
    "font": os.path.join("fonts", "DejaVuSans.ttf"),  # relative to THEME
    "bold_font": os.path.join("fonts", "DejaVuSans-Bold.ttf"),
    # Drawn cards are kept here, named by the hash of what is drawn (default: in CACHE_PATH).
    "cache": None,
    "folder": "cards",  # in output/
    # og:locale per site language; default: the language's locale, else Babel's alias.
    "og_locales": {},
}
CARD_VERSION = "4"
MARGIN = 80
TITLE_SIZES = range(76, 43, -4)
MAX_LINES = 4
# With this many cards to draw, worker processes share the work, BATCH cards at a time.
PARALLEL_FROM = 48
BATCH = 16
# Ordinary spaces only: a no-break space (U+00A0) keeps its words on one line.
SPACES = re.compile(r"[ \t\r\n]+")

# Cards booked while the pages are rendered: key -> what to draw. Reset for every build.
JOBS = {}


def options(settings):
    result = {**DEFAULTS, **settings.get("CARDS", {})}
    for name in ("font", "bold_font"):
        if not os.path.isabs(result[name]):
            result[name] = os.path.join(settings["THEME"], result[name])
    result["cache"] = os.path.abspath(
        result["cache"] or os.path.join(settings["CACHE_PATH"], "cards")
    )
    return result


def og_locale(settings, code):
    configured = options(settings)["og_locales"].get(code)
    if configured:
        return configured
    locale = languages(settings)[code]["locale"]
    if "_" in locale:
        return locale
    return LOCALE_ALIASES.get(locale, locale)


def absolute_base(settings):
    """Open Graph needs absolute URLs: SITEURL when it is absolute, else FEED_DOMAIN."""
    siteurl = settings.get("SITEURL") or ""
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return (settings.get("FEED_DOMAIN") or "").rstrip("/") + siteurl.rstrip("/")


# ---------------------------------------------------------------- drawing


@lru_cache(maxsize=64)
def load_font(path, size):
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=65536)  # words recur across titles, and each title is tried at many sizes
def text_width(font, text):
    return font.getlength(text)


def split_long_word(word, font, width):
    """A word wider than the line is cut, with a hyphen, where it stops fitting."""
    pieces, current = [], ""
    for char in word:
        if current and text_width(font, current + char + "-") > width:
            pieces.append(current + "-")
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


def tokens(text, font, width):
    """(piece, glue) pairs: words, and for a word too wide for a line, its parts split after
    its own hyphens first, then (only if still too wide) hyphenated where they stop fitting."""
    for word in SPACES.split(text.strip()):
        if not word:
            continue
        parts = [word] if text_width(font, word) <= width else re.findall(r"[^-]+-*|-+", word)
        pieces = []
        for part in parts:
            too_wide = text_width(font, part) > width
            pieces += split_long_word(part, font, width) if too_wide else [part]
        for index, piece in enumerate(pieces):
            yield piece, " " if index == 0 else ""


def wrap(text, font, width):
    """Greedy wrap by measured width. Words stay whole (so "¿Qué" and "trata?" never split
    from their marks), a no-break space keeps its neighbours together, and only a word that
    cannot fit on a line by itself is broken."""
    lines, current = [], ""
    for piece, glue in tokens(text, font, width):
        candidate = f"{current}{glue}{piece}" if current else piece
        if current and text_width(font, candidate) > width:
            lines.append(current)
            current = piece
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def fits_unbroken(text, font, width):
    """True when no word (or hyphen-separated part of one) is wider than a line."""
    return all(
        text_width(font, word) <= width
        or all(text_width(font, part) <= width for part in re.findall(r"[^-]+-*|-+", word))
        for word in SPACES.split(text.strip())
    )


def fit_title(title, font_path, width, height):
    """The biggest title size whose lines fit, preferring one that breaks no word; an
    ellipsis if even the smallest size does not fit."""
    for strict in (True, False):
        for size in TITLE_SIZES:
            font = load_font(font_path, size)
            if strict and not fits_unbroken(title, font, width):
                continue
            lines = wrap(title, font, width)
            line_height = round(size * 1.22)
            if len(lines) <= MAX_LINES and len(lines) * line_height <= height:
                return font, lines, line_height
    lines = lines[:MAX_LINES]
    words = lines[-1].split(" ")
    while len(words) > 1 and text_width(font, " ".join(words) + "…") > width:
        words.pop()
    last = " ".join(words).rstrip(",;:")
    while last and text_width(font, last + "…") > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return font, lines, line_height


# The card is drawn as coverage ("L" mode): 0..INK is the top area's background..ink, and
# BAND..255 the band's. A palette of those two colour ramps then makes it a paletted PNG,
# without the cost of quantizing a full-colour image.
INK = 127
BAND = 128


@lru_cache(maxsize=8)
def ramp(start, end, steps):
    """`steps` RGB triples from colour `start` to colour `end`, flattened for putpalette()."""
    first, last = ImageColor.getrgb(start), ImageColor.getrgb(end)
    return tuple(
        round(a + (b - a) * step / (steps - 1))
        for step in range(steps)
        for a, b in zip(first[:3], last[:3], strict=True)
    )


@lru_cache(maxsize=8)
def card_frame(size, font, bold, site, label, number):
    """What every card of one language shares (site name, rule, band with the hotline), drawn
    once; each card copies it and adds its title."""
    width, height = size
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    band_top = height - 150
    draw.text((MARGIN, 64), site, font=load_font(bold, 40), fill=INK)
    draw.rectangle((MARGIN, 126, MARGIN + 96, 132), fill=INK)
    draw.rectangle((0, band_top, width, height), fill=BAND)
    label_font = load_font(font, 30)
    number_font = load_font(bold, 56)
    number_x = width - MARGIN - text_width(number_font, number)
    while label and text_width(label_font, label) > number_x - MARGIN - 30:
        label = label[:-2] + "…"
    draw.text((MARGIN, band_top + 75), label, font=label_font, fill=255, anchor="lm")
    draw.text((number_x, band_top + 75), number, font=number_font, fill=255, anchor="lm")
    return image


def draw_card(job, opts):
    """Draw one card; return its PNG bytes (no metadata: a fresh image, no text chunks)."""
    width, height = opts["size"]
    bold = opts["bold_font"]
    image = card_frame(
        tuple(opts["size"]), opts["font"], bold, job["site"], job["label"], job["number"]
    ).copy()
    draw = ImageDraw.Draw(image)
    area_top, area_bottom = 170, height - 150 - 30
    font, lines, line_height = fit_title(
        job["title"], bold, width - 2 * MARGIN, area_bottom - area_top
    )
    y = area_top + (area_bottom - area_top - len(lines) * line_height) // 2
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += line_height
    image.putpalette(
        ramp(opts["background"], opts["ink"], INK + 1)
        + ramp(opts["band"], opts["band_ink"], 256 - BAND)
    )
    buffer = io.BytesIO()
    # Level 1: a third of the default level's time, for a few KB more (crawlers fetch cards).
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def font_digest(opts):
    sha = hashlib.sha256()
    for name in ("font", "bold_font"):
        with open(opts[name], "rb") as handle:
            sha.update(handle.read())
    return sha.hexdigest()


# ---------------------------------------------------------------- the template helper


def primary_hotline(settings, lang):
    lines = settings.get("SITE", {}).get("hotlines") or []
    main = next((line for line in lines if line.get("primary")), lines[0] if lines else None)
    if not main:
        return "", ""
    short = main.get("short") or {}
    return str(short.get(lang) or short.get(settings["DEFAULT_LANG"]) or ""), str(main["number"])


def make_social(settings):
    opts = options(settings)
    fonts = font_digest(opts)
    langs = languages(settings)
    base = absolute_base(settings)
    locales = {code: og_locale(settings, code) for code in langs}

    @lru_cache(maxsize=8)  # the head and the share links of one page ask for the same card
    def card(kind, lang, url, title, description, translated):
        label, number = primary_hotline(settings, lang)
        job = {
            "title": SPACES.sub(" ", title).strip(),
            "site": settings.get("SITE", {}).get("name") or settings["SITENAME"],
            "label": label,
            "number": number,
            "lang": lang,
        }
        recipe = json.dumps(
            [CARD_VERSION, job, fonts, opts["size"], opts["background"], opts["band"]],
            sort_keys=True,
        )
        key = hashlib.sha256(recipe.encode()).hexdigest()[:20]
        DRAWER.book(key, job, opts)
        image = f"{opts['folder']}/{key}.png"
        return SimpleNamespace(
            type=kind,
            title=job["title"],
            description=" ".join(description.split()),
            url=f"{base}/{url}",
            locale=locales[lang],
            locale_alternates=[locales[code] for code in langs if code in translated],
            image=f"{base}/{image}",
            width=opts["size"][0],
            height=opts["size"][1],
        )

    @pass_context
    def social(ctx, title, description):
        lang = page_lang(ctx)
        obj = ctx.get("article") or ctx.get("page")
        alternates = ctx.get("alternates") or getattr(obj, "alternates", None) or {}
        url = ctx.get("page_url")
        if url is None:
            url = alternates.get(lang, getattr(obj, "url", ""))
        kind = "article" if ctx.get("article") else "website"
        translated = tuple(code for code in langs if code != lang and code in alternates)
        return card(kind, lang, url, str(title), str(description), translated)

    return social


def install_helpers(generator):
    social = generator.context.get("_alerta_social")
    if social is None:
        social = make_social(generator.settings)
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


class Drawer:
    """Draws the booked cards that the cache lacks, in the background once there are many.

    Rendering pages runs on one core; from the PARALLEL_FROM-th missing card on, a pool of
    worker processes draws cards on the others while the rendering goes on, so a cold build
    mostly does not wait for them. Cards go to the workers in batches of BATCH (one task per
    card costs as much again in hand-offs). Fewer missing cards, and the last few, are drawn
    in this process at the end.
    """

    def __init__(self):
        self.pool = None
        self.pending = []  # (cache path, job, opts) not yet handed to a worker
        self.futures = []
        self.drawn = 0
        self.only_record = None  # in a process rendering pages for the build: (key, job, opts)

    def book(self, key, job, opts):
        if key in JOBS:
            return
        JOBS[key] = job
        if self.only_record is not None:
            self.only_record.append((key, job, opts))
            return
        path = os.path.join(opts["cache"], f"{key}.png")
        if os.path.exists(path):
            return
        self.drawn += 1
        self.pending.append((path, job, opts))
        workers = min(os.cpu_count() or 1, 4)
        if self.pool is None and len(self.pending) >= PARALLEL_FROM and workers > 1:
            os.makedirs(opts["cache"], exist_ok=True)
            self.pool = parallel_render.process_pool(workers, background=True)
        if len(self.pending) >= BATCH:
            self.send_pending()

    def send_pending(self):
        """Hand the cards waiting here to the workers (once there is a pool)."""
        if self.pool is not None and self.pending:
            self.futures.append(self.pool.submit(draw_all, self.pending))
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
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.__init__()


DRAWER = Drawer()


def record_only():
    """In a forked copy that renders pages (plugins.parallel_render): book, never draw."""
    DRAWER.pool = None  # the build's pool: never used from the copy
    DRAWER.pending, DRAWER.futures = [], []
    DRAWER.only_record = []


def recorded():
    return DRAWER.only_record


def book_recorded(bookings):
    for key, job, opts in bookings:
        DRAWER.book(key, job, opts)


def reset(_pelican):
    JOBS.clear()
    DRAWER.close()  # a build that stopped half-way may have left a pool behind


def draw_all(batch):
    """Draw cards into the cache (a module function, so worker processes can run it)."""
    for path, job, opts in batch:
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(draw_card(job, opts))
        os.replace(temporary, path)


def write_cards(pelican):
    """Put the cards the pages asked for in output/, once drawn. When workers are still
    drawing, that is finished in the background (plugins.pipeline) while the build goes on."""
    opts = options(pelican.settings)
    os.makedirs(opts["cache"], exist_ok=True)
    folder = os.path.join(pelican.output_path, opts["folder"])
    os.makedirs(folder, exist_ok=True)
    drawn = DRAWER.drawn

    def finish():
        DRAWER.finish()
        for key in JOBS:
            pipeline.link_or_copy(
                os.path.join(opts["cache"], f"{key}.png"), os.path.join(folder, f"{key}.png")
            )
        logger.info(
            "cards: %d written (%d drawn, %d from cache)", len(JOBS), drawn, len(JOBS) - drawn
        )

    if DRAWER.pool is None:
        finish()
        return
    DRAWER.send_pending()
    pipeline.start_background(opts["folder"], finish, DRAWER.close)


def register():
    register_check(check_fonts)
    signals.initialized.connect(reset)
    signals.generator_init.connect(install_helpers)
    parallel_render.share_state(record_only, recorded, book_recorded)
    pipeline.add_step("finalized", write_cards)
