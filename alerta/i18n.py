"""Languages, catalogs and translation: one place for every feature.

- ``languages(settings)``: LANGUAGES in order, with defaults filled in;
- ``catalog(settings, lang)`` / ``gettext(settings, lang, message)``: theme strings from
  theme/translations/<lang>/LC_MESSAGES/messages.po (compiled in memory, never a stale .mo);
- ``tr(settings, value, lang)``: a data text ``{es: ..., en: ...}`` in one language, through the
  one fallback chain (the language, its declared ``fallback``, then DEFAULT_LANG);
- ``page_lang(ctx)``: the language of the page a template is rendering.
"""

import io
import logging
import os
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "catalog",
    "catalog_for",
    "chain",
    "gettext",
    "languages",
    "load_catalogs",
    "page_lang",
    "required_languages",
    "tr",
]

logger = logging.getLogger(__name__)


def languages(settings):
    """LANGUAGES in order, each with its code; the default language first."""
    configured = settings.get("LANGUAGES") or {settings["DEFAULT_LANG"]: {}}
    result = {}
    for code, info in configured.items():
        result[code] = {
            "code": code,
            "name": info.get("name", code),
            "html_lang": info.get("html_lang", code),
            "locale": info.get("locale", code),
            "prefix": info.get("prefix", "" if code == settings["DEFAULT_LANG"] else f"{code}/"),
            # Data text missing in this language falls back to this one (for young languages).
            "fallback": info.get("fallback"),
        }
    return result


def required_languages(settings):
    """Languages every data text must have: all but those that declare a fallback."""
    return [code for code, info in languages(settings).items() if not info["fallback"]]


@lru_cache(maxsize=32)
def _catalog(po_path, mtime):
    """Compile a .po catalog in memory (no stale .mo can ever be used)."""
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def catalog_for(theme, lang):
    po_path = os.path.join(theme, "translations", lang, "LC_MESSAGES", "messages.po")
    if not os.path.exists(po_path):
        return None
    return _catalog(po_path, os.path.getmtime(po_path))


def load_catalogs(settings):
    catalogs = {}
    for code in languages(settings):
        catalogs[code] = catalog_for(settings["THEME"], code)
        if catalogs[code] is None:
            logger.warning(
                "no catalog theme/translations/%s/LC_MESSAGES/"
                "messages.po; theme strings stay in English",
                code,
            )
            catalogs[code] = NullTranslations()
    return catalogs


def catalog(settings, lang):
    """The theme's catalog for `lang` (an empty one when there is none)."""
    return catalog_for(settings["THEME"], lang) or NullTranslations()


def gettext(settings, lang, message, **variables):
    """A theme string (an msgid of the catalogs) in `lang`, with %(name)s variables filled."""
    text = catalog(settings, lang).ugettext(message)
    return text % variables if variables else text


def chain(settings, lang):
    """The languages a text is looked up in for `lang`, in order, each once."""
    info = languages(settings).get(lang, {})
    order = [lang, info.get("fallback"), settings.get("DEFAULT_LANG")]
    return [code for i, code in enumerate(order) if code and code not in order[:i]]


def tr(settings, value, lang):
    """`{es: ..., en: ...}` from a data file -> the text in `lang` (see chain); other values
    are returned as they are."""
    if not isinstance(value, dict):
        return value
    for code in chain(settings, lang):
        if value.get(code):
            return value[code]
    return ""


def page_lang(ctx):
    """The language of the page being rendered: an explicit page_lang, else its content's."""
    lang = ctx.get("page_lang")
    if lang:
        return lang
    for name in ("article", "page"):
        obj = ctx.get(name)
        if obj is not None and getattr(obj, "lang", None):
            return obj.lang
    return ctx.get("DEFAULT_LANG", "es")
