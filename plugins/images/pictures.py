"""One published image: its clean copies at a few widths, in WebP and in JPEG or PNG.

The copies are made from the pixels only (alerta.guards.clean_image: orientation applied,
colours in sRGB, nothing of the source's metadata), and kept in the cache by the source's
digest and the encoding settings, under a folder named for the version of this code and of
Pillow: a rebuild re-encodes nothing, an upgrade re-encodes everything.
"""

import os
import shutil
from dataclasses import dataclass, field
from io import BytesIO

import PIL
from PIL import Image

from alerta import guards
from alerta.files import atomic_write, digest
from alerta.guards import clean_image
from alerta.report import BuildStopped

__all__ = ["EXTENSION", "MIME", "Picture", "cache_folder", "plan_widths", "render"]

# Bump when the encoding changes, so cached files are made again.
PIPELINE_VERSION = "1"
MIME = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSION = {"webp": ".webp", "jpeg": ".jpg", "png": ".png"}


@dataclass
class Picture:
    """One published image: its source, clean size and every file written for it."""

    source: str
    digest: str
    width: int
    height: int
    fallback: str  # "jpeg" or "png"
    output_stem: str  # e.g. images/foto-1a2b3c4d
    widths: list = field(default_factory=list)

    def name(self, width, kind):
        return f"{self.output_stem}-{width}{EXTENSION[kind]}"

    def height_at(self, width):
        return max(1, round(self.height * width / self.width))


def cache_folder(opts, kind):
    """Where the cache keeps `kind` ("meta": sizes; "files": copies) for this version."""
    version = digest("images", PIPELINE_VERSION, "pillow", PIL.__version__)[:16]
    return os.path.join(opts["cache"], version, kind)


def plan_widths(source_width, widths):
    """The widths to write: those narrower than the source, then the source (capped)."""
    chosen = sorted({w for w in widths if w < source_width})
    top = min(source_width, max(widths))
    if top not in chosen:
        chosen.append(top)
    return chosen


def encode(image, kind, opts):
    buffer = BytesIO()
    if kind == "webp":
        image.save(buffer, "WEBP", quality=opts["webp_quality"], method=5)
    elif kind == "jpeg":
        image.save(buffer, "JPEG", quality=opts["jpeg_quality"], optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def cache_key(picture, opts):
    return digest(picture.digest, opts["webp_quality"], opts["jpeg_quality"])[:24]


def render(picture, opts, output_path):
    """Write every file of one picture into output/; return True when it had to be encoded."""
    key = cache_key(picture, opts)
    folder = cache_folder(opts, "files")
    wanted = [(w, kind) for w in picture.widths for kind in ("webp", picture.fallback)]
    cached = {(w, kind): os.path.join(folder, f"{key}-{w}{EXTENSION[kind]}") for w, kind in wanted}
    encoded = False
    if not all(os.path.exists(path) for path in cached.values()):
        with Image.open(picture.source) as original:
            clean = clean_image(original)
        for width in sorted(picture.widths, reverse=True):
            size = (width, picture.height_at(width))
            scaled = clean if size == clean.size else clean.resize(size, Image.LANCZOS)
            for kind in ("webp", picture.fallback):
                atomic_write(cached[(width, kind)], encode(scaled, kind, opts))
        encoded = True
    for (width, kind), path in cached.items():
        target = guards.output_file(output_path, picture.name(width, kind))
        if target is None:  # the checks refuse such a source first: this is the last guard
            raise BuildStopped(
                f"{picture.source}: its copies would be written outside the output folder; "
                "nothing was written there"
            )
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(path, target)
    return encoded
