"""Shared guards for every plugin that publishes something named in content.

One rule each, in one place, so no plugin can publish by its own looser rule:

- a file is read for publishing only when its *real* path (symlinks followed) is inside
  content/ (theme files: inside theme/): a link to /etc/passwd or /proc/self/environ, or a
  ``../`` reference, never brings an outside file into the site;
- a file is written only inside the output folder, whatever path content asks for;
- a file other than an image is published only when it is a kind we allow and its first bytes
  say it is that kind (a ``.pdf`` that is really HTML would run on the site's origin);
- JSON-LD escapes ``<``, ``>`` and ``&``: no text in it can end or reopen its ``<script>``.

Plugins import this module, never each other (see STYLE.md: independence).
"""

import io
import json
import os
import warnings

from markupsafe import Markup
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

__all__ = [
    "clean_image",
    "has_alpha",
    "image_format",
    "is_inside",
    "jsonld",
    "output_file",
    "outside_links",
    "real_path_inside",
    "signature_matches",
]

# In a <script> element, "<!--<script>" or "</script>" in a text would change how the browser
# reads the rest of the page; \u2028 and \u2029 end a line in older JavaScript parsers.
JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

# Files other than images that may be published, by extension: how their first bytes start
# (offset, bytes). Anything else in a static folder is refused.
SIGNATURES = {
    ".pdf": [(0, b"%PDF-")],
    ".mp4": [(4, b"ftyp")],
    ".webm": [(0, b"\x1a\x45\xdf\xa3")],
    ".ogv": [(0, b"OggS")],
}


def jsonld(data, indent=1):
    """JSON for a <script type="application/ld+json">: `<`, `>`, `&` can never close it."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    for char, escape in JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


# ---------------------------------------------------------------- paths


def is_inside(path, root):
    """True when `path` is `root` or below it (both made absolute; no symlink is followed)."""
    path, root = os.path.abspath(path), os.path.abspath(root)
    return os.path.commonpath([path, root]) == root


def real_path_inside(path, root):
    """True when `path`, every symlink followed, ends up inside the real `root`."""
    return is_inside(os.path.realpath(path), os.path.realpath(root))


def outside_links(root):
    """Yield (path, real path) for every symlink under `root` that leads outside it.

    Symlinked folders are not entered: their target is either outside (reported) or inside
    `root`, where the walk finds its files anyway."""
    real_root = os.path.realpath(root)
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not is_inside(real, real_root):
                    yield entry.path, real
            elif entry.is_dir():
                folders.append(entry.path)


def output_file(output, relative):
    """The absolute path to write `relative` at, or None when it would be outside `output`.

    Paths come from content (slugs, file names): `..` or a symlink in the output must never
    let a build write anywhere else."""
    target = os.path.normpath(os.path.join(os.path.abspath(output), relative.lstrip("/\\")))
    if not real_path_inside(target, output):
        return None
    return target


# ---------------------------------------------------------------- file kinds


def signature_matches(path):
    """True when the file's first bytes are those of its extension's kind; False when not, or
    when the extension is not one we publish (see SIGNATURES)."""
    wanted = SIGNATURES.get(os.path.splitext(path)[1].lower())
    if not wanted:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return any(head[offset : offset + len(magic)] == magic for offset, magic in wanted)


def image_format(path):
    """Pillow's name for the format of the image at `path` ("JPEG", "PNG"...), or None when it
    does not decode (or has too many pixels to be a sensible web image)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
                return image.format
    except (
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ):
        return None


def has_alpha(image):
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return True
    return image.mode == "P" and "transparency" in image.info


def clean_image(image):
    """Orientation applied, sRGB, and nothing but the pixels: a new image with empty info."""
    image.seek(0)
    icc = image.info.get("icc_profile")
    alpha = has_alpha(image)
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if alpha else "RGB"
    converted = None
    if icc and upright.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                upright, source, ImageCms.createProfile("sRGB"), outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken profile: use the pixels as they are
    if converted is None:
        converted = upright.convert(mode)
    # Only raw pixels cross over: EXIF, GPS, XMP, IPTC, ICC, comments all stay behind.
    return Image.frombytes(mode, converted.size, converted.tobytes())
