"""The last line of defence: once every page is written, no image anywhere in the output may
carry metadata (EXIF, XMP, an ICC profile, a comment), whoever wrote it: a theme image copied
as it is, a card, an icon. One found stops the build, strict or not: a photo's GPS position
must never be published."""

import os

from PIL import Image, UnidentifiedImageError

from alerta.files import walk
from alerta.report import BuildStopped, Report

from .checks import is_image_name

__all__ = ["audit_images", "audit_output", "metadata_in"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_METADATA = {b"eXIf": "EXIF", b"iCCP": "icc_profile", b"tEXt": "PNG text"}
PNG_METADATA |= {b"zTXt": "PNG text", b"iTXt": "PNG text"}


def png_metadata(data):
    """Metadata chunks of a PNG, read from the chunk list (Pillow would decode every pixel
    to find an eXIf chunk after the image data)."""
    found, position = [], len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        label = PNG_METADATA.get(data[position + 4 : position + 8])
        if label and label not in found:
            found.append(label)
        position += 12 + length
    return found


def metadata_in(path):
    """What metadata an output image still carries (empty when it is clean)."""
    with open(path, "rb") as handle:
        head = handle.read(len(PNG_SIGNATURE))
        if head == PNG_SIGNATURE:
            return png_metadata(head + handle.read())
    found = []
    try:
        with Image.open(path) as image:
            if image.getexif():
                found.append("EXIF")
            for key in ("xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"):
                if image.info.get(key):
                    found.append(key)
            if image.format == "PNG" and getattr(image, "text", None):
                found.append("PNG text")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        with open(path, "rb") as handle:
            data = handle.read()
        if b"Exif\x00\x00" in data or b"http://ns.adobe.com/xap/" in data:
            found.append("EXIF/XMP bytes")
    return found


def audit_output(pelican):
    """``finalized``: audit the whole output. PLUGINS lists images after the plugins that
    write images when every page is written (search, cards), so their files are there."""
    audit_images(pelican.output_path)


def audit_images(output, include=None, exclude=()):
    """Audit the images under `output`: in the top-level folders `include` only (None: all),
    except those in `exclude`. Any image with metadata stops the build."""
    # Named as in the finished output (plugins.atomic builds into "<output>.new").
    shown = os.path.basename(os.path.abspath(output)).removesuffix(".new")
    report = Report()
    for dirpath, _dirnames, filenames in walk(output, include, exclude):
        for name in filenames:
            if not is_image_name(name) or name.endswith(".ico"):
                continue
            path = os.path.join(dirpath, name)
            found = metadata_in(path)
            if found:
                report.error(
                    os.path.join(shown, os.path.relpath(path, output)),
                    f"carries metadata ({', '.join(found)}); images must come from content/ "
                    "or the icon/card plugins, which strip it (theme/static/ files are "
                    "published as they are: strip it there)",
                )
    if report.errors:
        report.emit()
        raise BuildStopped(
            f"{len(report.errors)} image(s) in the output carry metadata, listed above; "
            "the previous output was left as it was"
        )
