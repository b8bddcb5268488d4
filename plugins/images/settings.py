"""IMAGES: the plugin's defaults and the site's settings merged over them (an unknown key
stops the build with "did you mean")."""

import os

from alerta.options import options as merged

__all__ = ["DEFAULTS", "options"]

DEFAULTS = {
    # Widths written for each image (a source narrower than one of them stops the list there).
    "widths": [320, 480, 640, 960, 1280, 1920],
    # The width of the plain `src` fallback (the largest written width up to this one).
    "default_width": 960,
    # How wide images are shown: our content column is 42rem on wider screens.
    "sizes": "(min-width: 44rem) 42rem, 100vw",
    # Bigger files are refused: export a smaller one.
    "max_bytes": 20 * 1024 * 1024,
    "webp_quality": 80,
    "jpeg_quality": 82,
    # Processed files are kept here, by the hash of the source bytes and the version of the
    # code and of Pillow that made them (default: CACHE_PATH/images, beside Pelican's cache).
    "cache": None,
    # The CSS class that marks an image as decorative (alt text deliberately empty).
    "decorative_class": "decorative",
}


def options(settings):
    result = merged(settings, "IMAGES", DEFAULTS)
    cache = result["cache"] or os.path.join(settings["CACHE_PATH"], "images")
    result["cache"] = os.path.abspath(cache)
    return result
