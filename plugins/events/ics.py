"""Where an event's ``.ics`` and each language's calendar feed are made (``icalendar``).

Every VEVENT has a stable UID (``<Translation_key>@<uid_domain>``, the same in both languages,
so subscribing to both does not double an event), DTSTART/DTEND with TZID and the matching
VTIMEZONE, LOCATION and STATUS. A draft is never in a calendar (the generator leaves it out).
"""

from icalendar import Calendar, Event, vText

from .item import absolute
from .options import events_options

__all__ = ["calendar", "ics_event"]

ICS_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def ics_event(event, settings, gettext):
    """One VEVENT; the times carry TZID (the VTIMEZONE is added by the calendar).

    DTSTAMP is when the announcement last changed, so an unchanged event gives the same bytes
    on every build (no needless re-uploads, and calendars see no false updates).
    """
    item = Event()
    item.add("uid", f"{event.key}@{events_options(settings)['uid_domain']}")
    item.add("dtstamp", event.revised)
    item.add("dtstart", event.start)
    item.add("dtend", event.end)
    label = {
        "cancelled": gettext("Cancelled"),
        "postponed": gettext("Postponed"),
    }.get(event.status)
    item.add("summary", f"{label}: {event.title}" if label else event.title)
    item.add("location", vText(event.location_text))
    item.add("status", ICS_STATUS.get(event.status, "CONFIRMED"))
    item.add("url", absolute(settings, event.url))
    description = [event.summary] if event.summary else []
    if event.meta("online_url"):
        description.append(gettext("Online: %(url)s") % {"url": event.meta("online_url")})
    description.append(absolute(settings, event.url))
    item.add("description", "\n\n".join(description))
    item.add("categories", [event.kind])
    return item


def calendar(events, name, lang, settings, gettext):
    """The bytes of one calendar named `name` holding `events` (one event's .ics, or a feed)."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.get('SITENAME', 'Alerta Trata')}//events//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(ics_event(event, settings, gettext))
    if events:
        # VTIMEZONE rules covering the events (a year either side), not 1970–2038.
        first = min(e.start for e in events).date().replace(month=1, day=1)
        last = max(e.end for e in events).date().replace(month=12, day=31)
        cal.add_missing_timezones(
            first_date=first.replace(year=first.year - 1),
            last_date=last.replace(year=last.year + 1),
        )
        # Timezones first, by name (icalendar adds them in set order); events keep theirs.
        cal.subcomponents.sort(
            key=lambda part: (part.name != "VTIMEZONE", str(part.get("tzid", "")))
        )
    return cal.to_ical()
