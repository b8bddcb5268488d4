"""One film in one language (``FilmItem``) and how its facts are said: duration, languages.

Durations and language names come from CLDR through Babel, in the page's locale
("12 minutos y 30 segundos", "inglés" on the Spanish page, "Spanish" on the English one).
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from babel import Locale, UnknownLocaleError
from babel.dates import format_timedelta
from babel.lists import format_list
from pelican.contents import Page

from alerta.pages import PageItem

__all__ = ["FilmItem", "duration_text", "language_name", "parse_duration"]

DURATION_RE = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)$")


@dataclass
class FilmItem(PageItem):
    page: Page
    lang: str
    key: str
    url: str
    captions: dict = field(default_factory=dict)  # lang -> track: src, srclang, paragraphs...
    alternates: dict = field(default_factory=dict)
    video: dict | None = None
    video_pending: bool = True
    poster: str = ""
    facade: dict | None = None
    duration: timedelta | None = None

    @property
    def credits(self):
        """ "Role: Name; Role: Name" -> [(role, name)]."""
        result = []
        for part in str(self.meta("credits")).split(";"):
            role, colon, name = part.partition(":")
            if part.strip():
                result.append((role.strip(), name.strip()) if colon else ("", role.strip()))
        return result


def parse_duration(value):
    """ "12:30" or "1:02:30" -> timedelta, or ValueError."""
    match = DURATION_RE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=secs)


def language_name(code, locale):
    """The name of language `code` in `locale`, from CLDR (Babel); the code if unknown."""
    try:
        return Locale.parse(locale).languages.get(code, code)
    except (ValueError, UnknownLocaleError):
        return code


def duration_text(duration, locale):
    """12:30 -> "12 minutos y 30 segundos" / "12 minutes and 30 seconds" (exact, by Babel)."""
    if not duration:
        return ""
    total = int(duration.total_seconds())
    parts = [
        format_timedelta(timedelta(seconds=amount * size), format="long", locale=locale)
        for amount, size in ((total // 3600, 3600), (total % 3600 // 60, 60), (total % 60, 1))
        if amount
    ]
    return format_list(parts, locale=locale)
