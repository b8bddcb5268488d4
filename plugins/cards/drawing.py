"""Drawing a social card: a 1200×630 paletted PNG with the title, the site name and the hotline.

Only Pillow and the DejaVu font shipped in ``theme/fonts/`` (so the drawing does not depend on
the system's fonts). Worker processes import this module to draw in the background, so it holds
nothing of Pelican's.
"""

import hashlib
import io
import os
import re
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont

__all__ = ["draw_all", "draw_card", "draw_in_background", "fit_title", "font_digest", "wrap"]

MARGIN = 80
TITLE_SIZES = range(76, 43, -4)
MAX_LINES = 4
# Ordinary spaces only: a no-break space (U+00A0) keeps its words on one line.
SPACES = re.compile(r"[ \t\r\n]+")
BACKGROUND_NICENESS = 10  # workers drawing while pages render yield the cores to the build


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


def draw_all(batch):
    """Draw cards into the cache: `batch` is [(cache path, job, opts)]."""
    for path, job, opts in batch:
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(draw_card(job, opts))
        os.replace(temporary, path)


def draw_in_background(batch):
    """draw_all in a worker process, at a lower priority than the build's own work."""
    if os.nice(0) < BACKGROUND_NICENESS:
        os.nice(BACKGROUND_NICENESS - os.nice(0))
    draw_all(batch)
