"""The template helper ``social(title, description)``: a page's Open Graph values and its card.

Templates call it in ``partials/head.html`` (and the share links): it returns the ``og:*``
values for the page being rendered, in its language, and books a card showing the title in that
language, the site name and the main hotline number. A card is named by the hash of everything
drawn on it, so a changed title gets a new URL and social networks do not keep the old card.
"""

import hashlib
import json
import os
from functools import lru_cache
from types import SimpleNamespace

from babel.core import LOCALE_ALIASES
from jinja2 import pass_context

from alerta import build
from alerta.i18n import languages, page_lang
from alerta.options import options as merged

from .drawing import SPACES, font_digest

__all__ = ["DEFAULTS", "make_social", "options"]

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
CARD_VERSION = "4"  # part of every card's name: raise it when the drawing changes


def options(settings):
    """CARDS over DEFAULTS (an unknown key stops the build), with absolute paths."""
    result = merged(settings, "CARDS", DEFAULTS)
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


def primary_hotline(settings, context, lang):
    """(short label in `lang`, number) of the hotline marked primary in hotlines.yml."""
    lines = build.of(context).facts.get("hotlines") or []  # read by plugins.safety
    main = next((line for line in lines if line.get("primary")), lines[0] if lines else None)
    if not main:
        return "", ""
    short = main.get("short") or {}
    return str(short.get(lang) or short.get(settings["DEFAULT_LANG"]) or ""), str(main["number"])


def make_social(settings, context, book):
    """The ``social`` helper of one build; `book(key, job, opts)` orders a card."""
    opts = options(settings)
    fonts = font_digest(opts)
    langs = languages(settings)
    base = absolute_base(settings)
    locales = {code: og_locale(settings, code) for code in langs}

    @lru_cache(maxsize=8)  # the head and the share links of one page ask for the same card
    def card(kind, lang, url, title, description, translated):
        label, number = primary_hotline(settings, context, lang)
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
        book(key, job, opts)
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
