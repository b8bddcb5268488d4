"""Where each section of the site lives, per language: one function, one setting.

``BILINGUAL["paths"]`` maps a section name ("events", "shelters"...) to its folder, per language
(``"default"`` for the languages not listed); the language's prefix comes first (``en/``).
Every feature builds its URLs and output paths through ``section_path``.
"""

from .i18n import languages

__all__ = ["DEFAULT_PATHS", "check_sections", "section_path", "listing_path"]

DEFAULT_PATHS = {"articles": "articles", "categories": "categories", "tags": "tags"}


def section_path(settings, lang, name):
    """`"en/events/"`: the folder (and relative URL) of section `name` in `lang`."""
    paths = settings.get("BILINGUAL", {}).get("paths", {})
    words = {**DEFAULT_PATHS, **paths.get("default", {}), **paths.get(lang, {})}
    return languages(settings)[lang]["prefix"] + words[name] + "/"


listing_path = section_path  # the name the templates' helpers use


def check_sections(settings, names, report):
    """For a feature's data check: one problem for each section in `names` that
    ``BILINGUAL["paths"]`` gives no folder in some language (else a KeyError mid-build)."""
    for lang in languages(settings):
        for name in names:
            try:
                section_path(settings, lang, name)
            except KeyError:
                report.error(
                    "pelicanconf.py",
                    f'BILINGUAL["paths"] names no folder for "{name}" in language "{lang}" '
                    '(give it under "default" or under the language)',
                )
