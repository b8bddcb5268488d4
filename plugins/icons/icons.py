"""Favicons, app icons and one web app manifest per language, from one source image.

From ``ICONS["source"]`` (a square PNG, at least 512×512; ours is ``theme/icons/icon.png``)
Pillow writes ``favicon.ico`` (16, 32, 48), ``icons/icon-192.png``, ``icons/icon-512.png``,
``icons/icon-maskable-512.png`` (inside the safe zone, on the background colour) and
``icons/apple-touch-icon.png`` (180, opaque). Each language gets a manifest in its own folder
(``manifest.webmanifest``, ``en/manifest.webmanifest``) with its name, description, language
and start page; ``partials/head.html`` links the one of the page's language.

``display`` defaults to ``"browser"``: a site someone may need to hide is not offered as an
installed app with its own icon on the phone's home screen. Change it in ``ICONS`` if the
programme decides otherwise.

Settings: ``ICONS`` (see DEFAULTS; an unknown key stops the build).
"""

import io
import json
import logging
import os

from pelican import signals
from pelican.generators import Generator
from PIL import Image, UnidentifiedImageError

from alerta.files import atomic_write
from alerta.i18n import languages
from alerta.options import options as merged
from alerta.report import register_check

__all__ = ["IconsGenerator", "manifest", "register"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    "source": os.path.join("icons", "icon.png"),  # relative to THEME
    "background": "#0b4f6c",
    "theme_color": "#0b4f6c",
    "display": "browser",
    "short_name": None,  # default: SITE name
}
PNG_ICONS = {
    "icons/icon-192.png": 192,
    "icons/icon-512.png": 512,
    "icons/apple-touch-icon.png": 180,
}
MASKABLE = "icons/icon-maskable-512.png"
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]


def options(settings):
    result = merged(settings, "ICONS", DEFAULTS)
    if not os.path.isabs(result["source"]):
        result["source"] = os.path.join(settings["THEME"], result["source"])
    return result


def load_source(path):
    """The source as clean RGBA pixels (nothing of its metadata survives)."""
    with Image.open(path) as image:
        image.load()
        rgba = image.convert("RGBA")
    return Image.frombytes("RGBA", rgba.size, rgba.tobytes())


def png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def icon_files(opts):
    """{output path: bytes} for every icon."""
    source = load_source(opts["source"])
    files = {}
    for name, size in PNG_ICONS.items():
        icon = source.resize((size, size), Image.LANCZOS)
        if "apple" in name:  # iOS shows transparency as black
            flat = Image.new("RGBA", icon.size, opts["background"])
            flat.alpha_composite(icon)
            icon = flat.convert("RGB")
        files[name] = png(icon)
    # Maskable: platforms crop to a circle or squircle; keep the mark in the middle 80 %.
    canvas = Image.new("RGBA", (512, 512), opts["background"])
    inner = source.resize((410, 410), Image.LANCZOS)
    canvas.alpha_composite(inner, (51, 51))
    files[MASKABLE] = png(canvas.convert("RGB"))
    buffer = io.BytesIO()
    source.resize((256, 256), Image.LANCZOS).save(buffer, "ICO", sizes=ICO_SIZES)
    files["favicon.ico"] = buffer.getvalue()
    return files


def manifest(settings, lang):
    """The web app manifest of one language, as a dict."""
    opts = options(settings)
    langs = languages(settings)
    site = settings.get("SITE", {})
    siteurl = settings.get("SITEURL", "")
    name = site.get("name") or settings["SITENAME"]
    tagline = site.get("tagline", {})
    description = tagline.get(lang) or tagline.get(settings["DEFAULT_LANG"], "")
    start = f"{siteurl}/{langs[lang]['prefix']}"
    return {
        "id": start,
        "name": name,
        "short_name": opts["short_name"] or name,
        "description": description,
        "lang": langs[lang]["html_lang"],
        "dir": "ltr",
        "start_url": start,
        "scope": f"{siteurl}/",
        "display": opts["display"],
        "background_color": opts["background"],
        "theme_color": opts["theme_color"],
        "icons": [
            {"src": f"{siteurl}/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": f"{siteurl}/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": f"{siteurl}/{MASKABLE}",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


def check_source(settings, report):
    opts = options(settings)
    shown = os.path.relpath(opts["source"], os.path.dirname(os.path.abspath(settings["PATH"])))
    try:
        with Image.open(opts["source"]) as image:
            image.load()
            width, height = image.size
    except FileNotFoundError:
        report.error(shown, "icon source image is missing (ICONS source)")
        return
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        report.error(shown, "icon source image could not be decoded; export it again as PNG")
        return
    if width != height or width < 512:
        report.error(
            shown, f"icon source must be square and at least 512×512 (it is {width}×{height})"
        )


class IconsGenerator(Generator):
    def generate_output(self, writer):
        opts = options(self.settings)
        for name, data in icon_files(opts).items():
            atomic_write(os.path.join(self.output_path, name), data)
        for code, info in languages(self.settings).items():
            path = os.path.join(self.output_path, info["prefix"], "manifest.webmanifest")
            text = json.dumps(manifest(self.settings, code), ensure_ascii=False, indent=1)
            atomic_write(path, text)


def get_generators(_pelican):
    return IconsGenerator


def register():
    register_check(check_source)
    signals.get_generators.connect(get_generators)
