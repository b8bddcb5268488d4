"""How the library names things in the page's language: audiences, types, file formats, and the
date a resource was published (only as precise as the editor gave it: no day is invented)."""

import datetime

from babel.dates import format_date, format_skeleton

from alerta.i18n import gettext

__all__ = [
    "AUDIENCE_LABELS",
    "KIND_LABELS",
    "TYPE_LABELS",
    "audience_label",
    "published_text",
    "type_label",
]


def N_(message):
    """Marks a string for extraction (babel.cfg); translated when shown (gettext)."""
    return message


AUDIENCE_LABELS = {
    "officials": N_("Government officials"),
    "shelter-staff": N_("Shelter staff"),
    "educators": N_("Educators"),
    "public": N_("General public"),
}
TYPE_LABELS = {  # (one, several)
    "training-module": (N_("Training module"), N_("Training modules")),
    "legal-instrument": (N_("Legal instrument"), N_("Legal instruments")),
    "guide": (N_("Guide"), N_("Guides")),
    "report": (N_("Report"), N_("Reports")),
    "video": (N_("Video"), N_("Videos")),
}
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "odt": "OpenDocument (ODT)",
    "pptx": "PowerPoint (PPTX)",
}


def audience_label(settings, key, lang):
    """ "Shelter staff", "Personal de refugios": an audience's name in `lang`."""
    return gettext(settings, lang, AUDIENCE_LABELS.get(key, key))


def type_label(settings, key, lang, plural=False):
    one, several = TYPE_LABELS.get(key, (key, key))
    return gettext(settings, lang, several if plural else one)


def published_text(published, locale):
    """(2012, 6, 14) -> "14 de junio de 2012"; (2012, 6, None) -> "junio de 2012"; a year alone
    is the year; None -> ""."""
    if not published:
        return ""
    year, month, day = published
    if day:
        return format_date(datetime.date(year, month, day), "long", locale=locale)
    if month:
        return format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale)
    return str(year)
