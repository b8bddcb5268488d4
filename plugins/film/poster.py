"""The film's poster: the editor's image re-encoded without metadata, or one drawn for it.

A poster from content/ is published with its pixels only (no EXIF, GPS, ICC: a phone photo
can carry where it was taken); with no poster, a plain, legible one is drawn with Pillow.
"""

import os

from alerta import guards

__all__ = ["clean_poster", "draw_poster"]


def draw_poster(path, title, subtitle, size):
    """A plain, legible poster (no external fonts): title and site name on dark blue."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, (11, 79, 108))
    draw = ImageDraw.Draw(image)
    try:
        big, small = ImageFont.load_default(size=34), ImageFont.load_default(size=20)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        big = small = ImageFont.load_default()
    words, lines, line = title.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=big) > width - 80 and line:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    y = height // 2 - 24 * len(lines)
    for text in lines:
        draw.text((40, y), text, fill=(255, 255, 255), font=big)
        y += 44
    draw.text((40, height - 56), subtitle, fill=(255, 191, 71), font=small)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image.save(path, "PNG", optimize=True)


def clean_poster(source, stem, target):
    """The poster re-encoded with its pixels only; returns its URL (`stem` + extension).

    `target(url)` is where a URL is written in the output (the generator's guarded path)."""
    from PIL import Image

    with Image.open(source) as image:
        clean = guards.clean_image(image)
    kind, extension = ("PNG", ".png") if clean.mode == "RGBA" else ("JPEG", ".jpg")
    url = stem + extension
    path = target(url)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    clean.save(path, kind, optimize=True, **({"quality": 85} if kind == "JPEG" else {}))
    return url
