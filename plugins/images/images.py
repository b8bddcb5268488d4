"""Publishes content images re-encoded with Pillow, with every byte of metadata left behind.

Photos straight from a phone carry GPS coordinates, the camera's serial number and more: a
photo taken at a shelter would publish where it is. So no content image ever reaches
``output/`` as its original file:

- Before Pelican reads anything, every published image (everything under ``STATIC_PATHS``,
  plus every image a Markdown file shows) is checked (checks.py): it must decode, be a
  supported format and stay under the size limit; every image in Markdown needs alt text or
  an explicit ``{.decorative}`` marker. Each problem is one line naming the file (and line).
- ``STATIC_PATHS`` (content/images/) hold images only, and the few other kinds in
  ``OTHER_FILES`` (PDF) when their first bytes say they are that kind: an HTML or JavaScript
  file there would run on the site's own origin. The same holds for any file a ``{static}``
  or ``{attach}`` link publishes (say, content/data/shelters.yml). Images and links must stay
  inside content/ (no ``../`` out of it), and nothing is ever written outside the output.
- Pelican's static copy never sees the images (they are taken out of its list, below), and
  this plugin writes them itself (pictures.py): orientation applied first, colours converted
  to sRGB, then only the pixels are copied into a brand-new image, so EXIF, GPS, XMP, IPTC,
  maker notes, ICC profiles and comments cannot follow. Each is written at a few widths
  (never wider than the source) in WebP and in JPEG (PNG for graphics/transparency), and
  cached by content hash and version: a rebuild re-encodes nothing.
- ``<img>`` tags in articles and pages become ``<picture>`` (responsive.py).
- Last, the whole output folder is audited (audit.py): any image file there that still
  carries EXIF, XMP or a comment (a theme image, say) stops the build.

Settings: ``IMAGES`` (see settings.py; an unknown key stops the build).
"""

import logging
import os

from pelican import signals
from pelican.generators import Generator

from alerta import guards
from alerta.guards import clean_image
from alerta.report import BuildStopped, register_check

from .audit import audit_output, metadata_in
from .checks import CHECKED, REGISTRY, check_images, is_image_name, other_file_problem, shown
from .pictures import Picture, render
from .references import resolve_reference
from .responsive import rewrite_content
from .settings import DEFAULTS, options

__all__ = [
    "DEFAULTS",
    "ImagesGenerator",
    "Picture",
    "clean_image",
    "metadata_in",
    "register",
    "render",
    "resolve_reference",
]

logger = logging.getLogger(__name__)


def drop_static_images(generator):
    """Pelican must never copy a content image: we write clean copies instead. Nor any other
    file the checks would have refused (they ran first: this is the last guard)."""
    root = generator.settings["PATH"]
    for static in generator.staticfiles:
        path = static.source_path
        if not is_image_name(path) and (
            not guards.real_path_inside(path, root) or other_file_problem(path)
        ):
            raise BuildStopped(
                f"{shown(generator.settings, path)}: would be published as it is, and must not "
                "be (outside content/, or not an image or PDF); nothing was written"
            )
    generator.staticfiles[:] = [
        sc for sc in generator.staticfiles if not is_image_name(sc.source_path)
    ]
    statics = generator.context.get("static_content", {})
    for path in [p for p in statics if is_image_name(p)]:
        del statics[path]


class ImagesGenerator(Generator):
    """Writes every registered picture (from the cache when it is already there)."""

    def generate_output(self, writer):
        opts = options(self.settings)
        encoded = sum(render(p, opts, self.output_path) for p in REGISTRY.values())
        if REGISTRY:
            logger.info(
                "images: %d published (%d encoded, %d from cache)",
                len(REGISTRY),
                encoded,
                len(REGISTRY) - encoded,
            )


class OurAltCheck(logging.Filter):
    """Pelican's own "Empty alt attribute" warning ignores the decorative marker and names
    no line; for the files our check examined, that check has already said what is needed."""

    def filter(self, record):
        if str(record.msg).startswith("Empty alt attribute") and len(record.args or ()) == 2:
            return os.path.abspath(str(record.args[1])) not in CHECKED
        return True


def install_filter(_pelican):
    target = logging.getLogger("pelican.readers")
    if not any(isinstance(f, OurAltCheck) for f in target.filters):
        target.addFilter(OurAltCheck())


def get_generators(_pelican):
    return ImagesGenerator


def register():
    signals.initialized.connect(install_filter)
    register_check(check_images)
    signals.content_object_init.connect(rewrite_content)
    signals.static_generator_finalized.connect(drop_static_images)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(audit_output)
