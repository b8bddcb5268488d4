"""An event's date and time: read from its header, placed in its timezone, said in words.

``Start:`` and ``End:`` are local times at the venue (``2026-03-14 10:00``); ``Timezone:`` is an
IANA name. ``when_text`` is the sentence the page shows, formatted by Babel in the page's
locale ("sábado, 14 de marzo de 2026, 10:00–13:00 h (hora central)").
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_interval, format_skeleton, get_timezone_name

from .options import by_lang, events_options

__all__ = ["parse_local", "when_text", "zone"]

DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$")


def parse_local(value):
    """ "2026-03-14 10:00" -> naive datetime, or ValueError."""
    match = DATETIME_RE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    return datetime(*(int(part) for part in match.groups()))


def zone(name):
    """A ZoneInfo for an IANA name, or None (zoneinfo also rejects paths and odd names)."""
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):  # OSError: a folder
        return None


def when_text(event, lang, locale, settings, gettext):
    """ "sábado, 14 de marzo de 2026, 10:00–13:00 h (hora central)", in the page locale."""
    skeleton = by_lang(events_options(settings)["time_skeleton"], lang)
    zone_name = get_timezone_name(event.start, "long", locale=locale, zone_variant="generic")
    if event.start.date() == event.end.date():
        day = format_date(event.start, "full", locale=locale)
        hours = format_interval(event.start, event.end, skeleton, locale=locale)
        return gettext("%(day)s, %(hours)s (%(zone)s)") % {
            "day": day,
            "hours": hours,
            "zone": zone_name,
        }
    first = gettext("%(day)s, %(time)s") % {
        "day": format_date(event.start, "full", locale=locale),
        "time": format_skeleton(skeleton, event.start, locale=locale),
    }
    last = gettext("%(day)s, %(time)s") % {
        "day": format_date(event.end, "full", locale=locale),
        "time": format_skeleton(skeleton, event.end, locale=locale),
    }
    return gettext("%(first)s to %(last)s (%(zone)s)") % {
        "first": first,
        "last": last,
        "zone": zone_name,
    }
