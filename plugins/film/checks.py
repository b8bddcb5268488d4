"""Where a film's header is checked, before Pelican reads anything.

Captions (captions.py), the video and poster files (inside content/, of their kind, really
what they say: media.py), the YouTube/Vimeo id, the duration, and that every language has its
captions (a warning). Every problem is one line naming the file and the line.
"""

import os
import re

from alerta.content import COMMON_FIELDS, headers, split_name
from alerta.i18n import languages
from alerta.sections import check_sections

from .captions import check_captions
from .item import parse_duration
from .media import (
    POSTER_TYPES,
    VIDEO_TYPES,
    content_file,
    film_files,
    media_problem,
    outside_problem,
)
from .options import film_options

__all__ = ["FIELDS", "check_film", "check_films"]

FIELDS = {
    "required": {"title", "lang"},
    "optional": COMMON_FIELDS
    | {"captions", "duration", "credits", "video", "poster", "youtube", "vimeo"},
}


def check_media(fields, shown, settings, report):
    """`Video:` and `Poster:`: inside content/, of an allowed type, what they say they are."""
    for name, types in (("video", tuple(VIDEO_TYPES)), ("poster", POSTER_TYPES)):
        given, line = fields.get(name, ("", 1))
        if not given:
            continue
        path = content_file(settings, given)
        if not path:
            outside = outside_problem(settings, name.capitalize(), given)
            if outside:
                report.error(shown, outside, line)
        elif not given.lower().endswith(types):
            report.error(
                shown, f'{name.capitalize()} "{given}" must be a {"/".join(types)} file', line
            )
        elif not os.path.isfile(path):
            report.warning(
                shown,
                f'{name.capitalize()} file "{given}" is not in content/ yet; '
                "the page says it is pending",
                line,
            )
        elif media_problem(name, path, given):
            report.error(shown, media_problem(name, path, given), line)


def check_film(fields, shown, base, settings, report):
    """One film header (fields: name -> (value, line))."""
    opts = film_options(settings)

    def value(name):
        return fields.get(name, ("", 1))

    captions, line = value("captions")
    if captions:
        check_captions(settings, captions, line, shown, base, report)
    check_media(fields, shown, settings, report)
    for name, host in opts["hosts"].items():
        given, line = value(name)
        if given and not re.fullmatch(host["id"], given):
            report.error(
                shown,
                f'{name.capitalize()} "{given}" is not a video id (only the id, not the link)',
                line,
            )
    if value("youtube")[0] and value("vimeo")[0]:
        report.error(shown, "give Youtube or Vimeo, not both", value("vimeo")[1])
    duration, line = value("duration")
    if duration:
        try:
            parse_duration(duration)
        except ValueError:
            report.error(shown, f'Duration "{duration}" is not a duration (use MM:SS)', line)


def check_films(settings, report):
    """Every film file, then that each film has captions in every language."""
    film_options(settings)  # first: a misspelt FILM key stops the build here
    if film_files(settings):
        check_sections(settings, ("film",), report)
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    langs = list(languages(settings))
    groups = {}
    for path, shown, header in headers(settings, film_files(settings)):
        check_film(header.fields, shown, base, settings, report)
        stem, _lang = split_name(path)
        key = header.fields.get("translation_key", (stem, 1))[0]
        lang = header.fields.get("lang", ("", 1))[0]
        has_captions = bool(header.fields.get("captions", ("", 1))[0])
        groups.setdefault(key, []).append((shown, lang, has_captions))
    for key, items in groups.items():
        captioned = [lang for _shown, lang, has in items if has]
        if len(captioned) < len(langs):
            missing = ", ".join(code for code in langs if code not in captioned)
            have = ", ".join(captioned) or "no language"
            report.warning(
                items[0][0],
                f'film "{key}" has captions in {have} only (missing: {missing}); '
                'every language needs its WebVTT file ("Captions:")',
                1,
            )
