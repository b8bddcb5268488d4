"""The EVENTS setting: its defaults, and nothing unknown.

``events_options(settings)`` is ``EVENTS`` (pelicanconf.py) over ``DEFAULTS``; a key that is not
in ``DEFAULTS`` stops the build with one line and a "did you mean" (``alerta.options``). The
section folders are not set here but in ``BILINGUAL["paths"]`` (``"events"``, ``"training"``),
like every section of the site (``alerta.sections.section_path``).
"""

from alerta.options import options

__all__ = ["DEFAULTS", "by_lang", "events_options"]

DEFAULTS = {
    "folder": "events",
    "default_timezone": "America/Mexico_City",
    "kinds": ("forum", "training", "workshop"),
    # First one is the default when `Status:` is left out; "draft" is never published.
    "statuses": ("scheduled", "cancelled", "postponed", "draft"),
    # Babel skeletons for the time range: 24-hour clock in Spanish, 12-hour in English.
    "time_skeleton": {"es": "Hm", "default": "hm"},
    # Calendar file names inside each language's events folder.
    "feed_name": {"es": "calendario.ics", "default": "calendar.ics"},
    # UIDs are "<Translation_key>@<uid_domain>": stable across builds and languages.
    "uid_domain": "alerta-trata",
    "trainings_data": "trainings.yml",
}


def events_options(settings):
    """`DEFAULTS` updated with `settings["EVENTS"]`; an unknown key stops the build."""
    return options(settings, "EVENTS", DEFAULTS)


def by_lang(mapping, lang):
    """A {lang: value, "default": value} setting -> the value for `lang`."""
    return mapping.get(lang, mapping.get("default"))
