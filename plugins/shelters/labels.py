"""Service labels: the fixed vocabulary editors write, shown in the page's language.

Editors write a service's key (``services: [shelter, legal]``). Its label is a message of the
theme's catalogs, with an English msgid, translated in theme/translations/<lang>/LC_MESSAGES/
messages.po like every other visible string: a new site language gets its labels from its own
catalog. When that catalog lacks some of them, the build says so in one line naming the catalog
and listing the messages, and the pages show those labels in the next language of the page's
fallback chain (``alerta.i18n.chain``: its ``fallback``, then DEFAULT_LANG), never silently in
English. A missing translation is not fatal: like a stale entry, it must not hold back an
urgent safety update.

The URL word ("slug") of a service's filter page is fixed for Spanish and English, so
published URLs never change when a label is reworded; another language's slug is made from its
label.
"""

import logging
import os
from functools import lru_cache

from babel.messages.pofile import read_po

from alerta.i18n import chain, gettext

from .places import slug

__all__ = ["SERVICES", "SLUGS", "missing_labels", "service_labels", "service_slug"]


def N_(message):
    """Marks a message for the catalogs (``invoke translations-extract``); shown translated."""
    return message


# The fixed service vocabulary: key (what editors write) -> its label's msgid.
SERVICES = {
    "shelter": N_("Shelter"),
    "legal": N_("Legal advice"),
    "psychological": N_("Psychological support"),
    "medical": N_("Medical care"),
    "repatriation": N_("Repatriation and safe return"),
    "children": N_("Support for children and adolescents"),
    "men": N_("Support for men"),
    "lgbti": N_("Support for LGBTI+ people"),
    "migrants": N_("Support for migrants"),
}

# The published URL words of the filter pages (refugios/servicio/<slug>/).
SLUGS = {
    "es": {
        "shelter": "refugio",
        "legal": "asesoria-juridica",
        "psychological": "atencion-psicologica",
        "medical": "atencion-medica",
        "repatriation": "repatriacion",
        "children": "infancia",
        "men": "hombres",
        "lgbti": "lgbti",
        "migrants": "migrantes",
    },
    "en": {
        "shelter": "shelter",
        "legal": "legal-advice",
        "psychological": "psychological-support",
        "medical": "medical-care",
        "repatriation": "repatriation",
        "children": "children",
        "men": "men",
        "lgbti": "lgbti",
        "migrants": "migrants",
    },
}

SOURCE_LANGUAGE = "en"  # the language the msgids are written in

# A plain logger: a missing translation is reported, never fatal (see the docstring).
_notices = logging.Logger("alerta.shelters")
_notices.parent = logging.getLogger()


def catalog_path(settings, lang):
    return os.path.join(settings["THEME"], "translations", lang, "LC_MESSAGES", "messages.po")


@lru_cache(maxsize=16)
def _translated(po_path, _mtime):
    """The msgids a .po file translates (a msgstr, not fuzzy)."""
    with open(po_path, "rb") as handle:
        messages = read_po(handle)
    return frozenset(
        message.id
        for message in messages
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str)
    )


def _is_source(lang):
    return lang.replace("_", "-").split("-")[0].lower() == SOURCE_LANGUAGE


def missing_labels(settings, lang, keys=SERVICES):
    """The label msgids of `keys` that `lang`'s catalog does not translate (none for English)."""
    if _is_source(lang):
        return []
    path = catalog_path(settings, lang)
    translated = _translated(path, os.path.getmtime(path)) if os.path.exists(path) else frozenset()
    return [SERVICES[key] for key in keys if SERVICES[key] not in translated]


def service_labels(settings, lang, keys=SERVICES):
    """{key: label} in `lang`; a label its catalog lacks comes from the next language of its
    fallback chain that has it (see the docstring)."""
    missing = {code: set(missing_labels(settings, code, keys)) for code in chain(settings, lang)}
    labels = {}
    for key in keys:
        message = SERVICES[key]
        code = next((c for c in missing if message not in missing[c]), None)
        labels[key] = gettext(settings, code, message) if code else message
    return labels


def report_missing(settings, lang, keys=SERVICES):
    """One line naming `lang`'s catalog and the service labels it lacks; False when none."""
    missing = missing_labels(settings, lang, keys)
    if not missing:
        return False
    path = catalog_path(settings, lang)
    base = os.path.dirname(os.path.abspath(settings.get("PATH") or "."))
    shown = os.path.relpath(path, base) if os.path.abspath(path).startswith(base) else path
    fallback = [
        c
        for c in chain(settings, lang)[1:]
        if not set(missing) & set(missing_labels(settings, c, keys))
    ]
    _notices.warning(
        '%s: no "%s" translation of the shelter service labels %s; until it is added, the '
        '"%s" pages show them in %s',
        shown,
        lang,
        ", ".join(f'"{message}"' for message in missing),
        lang,
        f'"{fallback[0]}"' if fallback else "English",
    )
    return True


def service_slug(key, lang, label):
    """The URL word of a service's filter page in `lang` (`label`: its label there)."""
    return SLUGS.get(lang, {}).get(key) or slug(label) or key
