"""One event in one language (``EventItem``), its absolute links and its schema.org JSON-LD.

The event page (theme/templates/event.html), the calendars (ics.py) and the training record
(training_page.py) all read an event through this one object.
"""

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican.contents import Page

from alerta.pages import PageItem

__all__ = ["EventItem", "absolute", "event_jsonld"]

SCHEMA_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}


@dataclass
class EventItem(PageItem):
    """One event in one language, with everything its templates and calendars need."""

    page: Page
    lang: str
    key: str
    slug: str
    start: datetime  # aware, in the event's timezone
    end: datetime
    tz: ZoneInfo
    kind: str
    status: str
    url: str
    ics_url: str
    alternates: dict = field(default_factory=dict)
    # Status: draft (preview only): shown with an editors' note, never in a calendar or .ics.
    draft: bool = False

    @property
    def summary(self):
        summary = self.page.metadata.get("summary")
        return Markup(summary).striptags() if summary else ""

    @property
    def revised(self):
        """When the announcement last changed (its `modified` date, else its file's), in UTC."""
        modified = self.page.metadata.get("modified")
        if isinstance(modified, datetime):
            if modified.tzinfo is None:
                modified = modified.replace(tzinfo=self.tz)
            return modified.astimezone(UTC).replace(microsecond=0)
        return datetime.fromtimestamp(int(os.path.getmtime(self.page.source_path)), UTC)

    @property
    def start_utc(self):
        return self.start.astimezone(UTC)

    @property
    def end_utc(self):
        return self.end.astimezone(UTC)

    @property
    def location_text(self):
        parts = [self.meta("venue"), self.meta("address"), self.meta("state")]
        return ", ".join(part for part in parts if part)

    @property
    def attendance(self):
        officials, public = self.meta("attendance_officials"), self.meta("attendance_public")
        if not officials and not public:
            return None
        return {"officials": int(officials or 0), "public": int(public or 0)}


def absolute(settings, url):
    """Calendars and JSON-LD need absolute links: SITEURL, else FEED_DOMAIN (development)."""
    siteurl = settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""
    return f"{siteurl.rstrip('/')}/{url}"


def event_jsonld(event, settings, langs):
    """The page's schema.org ``Event`` (escaped for its script by the ``jsonld`` filter)."""
    place = {
        "@type": "Place",
        "name": event.meta("venue"),
        "address": {
            "@type": "PostalAddress",
            "addressRegion": event.meta("state"),
            "addressCountry": "MX",
        },
    }
    if event.meta("address"):
        place["address"]["streetAddress"] = event.meta("address")
    online = event.meta("online_url")
    locations = [place] + ([{"@type": "VirtualLocation", "url": online}] if online else [])
    mode = "MixedEventAttendanceMode" if online else "OfflineEventAttendanceMode"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.start.isoformat(),
        "endDate": event.end.isoformat(),
        "eventStatus": SCHEMA_STATUS.get(event.status, SCHEMA_STATUS["scheduled"]),
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": locations if online else place,
        "inLanguage": langs[event.lang]["html_lang"],
        "url": absolute(settings, event.url),
    }
    if event.summary:
        data["description"] = event.summary
    if event.meta("audience"):
        data["audience"] = {"@type": "Audience", "audienceType": event.meta("audience")}
    return data
