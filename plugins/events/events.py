"""Forums, trainings and workshops: event pages, calendars and the training record.

An event is a Markdown pair in ``content/events/`` (one file per language sharing
``Translation_key``). This plugin checks every event header before Pelican reads anything,
then writes per language:

- one page per event (Babel-formatted date and time in the page's locale, schema.org
  ``Event`` JSON-LD, a visible mark when the event is cancelled or postponed);
- one ``.ics`` per event and one calendar feed with every event, made with ``icalendar``
  (UID, DTSTAMP, DTSTART/DTEND with TZID and the matching VTIMEZONE, LOCATION, STATUS);
- an events index split into upcoming and past at build time (``theme/js/events.js`` moves
  events that have ended since the build into "past" in the visitor's browser);
- the "Training and impact" page: historical totals from ``content/data/trainings.yml`` plus
  the attendance recorded on past ``Kind: training`` events, as tables and a small inline
  SVG bar chart drawn at build time.

An event with ``Status: draft`` is in the editors' preview only, with an editors' note, and
never in a calendar feed, an ``.ics`` file, the sitemap or the training record; a publish build
does not read it at all.

Settings: ``EVENTS`` (see ``DEFAULTS``). Section paths come from ``BILINGUAL["paths"]``
(``events``, ``training``), else from ``DEFAULTS["paths"]``.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_interval, format_skeleton, get_timezone_name
from babel.numbers import format_decimal
from icalendar import Calendar, Event, vText
from markupsafe import Markup
from pelican.contents import Page
from pelican.generators import Generator

from alerta.content import (
    COMMON_FIELDS,
    CONTENT_EXTENSIONS,
    CONTENT_TYPES,
    YEARS,
    read_header,
    readable,
    split_name,
)
from alerta.guards import jsonld  # one JSON-LD escaping for every page
from alerta.i18n import catalog_for, languages
from alerta.numbers import dialable, phone_problem
from alerta.pages import PageItem
from alerta.report import is_preview, register_check
from alerta.sections import listing_path
from plugins.pipeline import pipeline

from .trainings import QUALIFIERS, check_trainings

__all__ = ["EventsGenerator", "jsonld", "parse_local", "register"]

DEFAULTS = {
    "folder": "events",
    "default_timezone": "America/Mexico_City",
    "kinds": ("forum", "training", "workshop"),
    # First one is the default when `Status:` is left out; "draft" is never published.
    "statuses": ("scheduled", "cancelled", "postponed", "draft"),
    # Babel skeletons for the time range: 24-hour clock in Spanish, 12-hour in English.
    "time_skeleton": {"es": "Hm", "default": "hm"},
    "paths": {
        "es": {"events": "eventos", "training": "capacitacion-e-impacto"},
        "default": {"events": "events", "training": "training-and-impact"},
    },
    # Calendar file names inside each language's events folder.
    "feed_name": {"es": "calendario.ics", "default": "calendar.ics"},
    # UIDs are "<Translation_key>@<uid_domain>": stable across builds and languages.
    "uid_domain": "alerta-trata",
    "trainings_data": "trainings.yml",
}
FIELDS = {
    "required": {"title", "lang", "start", "end", "kind", "venue", "state"},
    "optional": COMMON_FIELDS
    | {
        "timezone",
        "address",
        "accessibility",
        "audience",
        "registration_url",
        "registration_phone",
        "online_url",
        "attendance_officials",
        "attendance_public",
    },
}
DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$")
SCHEMA_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}
ICS_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


# ---------------------------------------------------------------- helpers


def options(settings):
    return {**DEFAULTS, **settings.get("EVENTS", {})}


def by_lang(mapping, lang):
    """A {lang: value, "default": value} setting -> the value for `lang`."""
    return mapping.get(lang, mapping.get("default"))


def section_path(settings, lang, kind):
    """`eventos/` or `en/events/`: BILINGUAL paths when set, else this plugin's defaults."""
    try:
        return listing_path(settings, lang, kind)
    except KeyError:
        words = by_lang(options(settings)["paths"], lang)
        return languages(settings)[lang]["prefix"] + words[kind] + "/"


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


def is_web_link(value):
    parsed = urlparse(str(value))
    return parsed.scheme in ("https", "http") and bool(parsed.netloc)


# ---------------------------------------------------------------- checks


def event_files(settings):
    folder = os.path.join(settings["PATH"], options(settings)["folder"])
    if not os.path.isdir(folder):
        return []
    return sorted(
        os.path.join(folder, name)
        for name in os.listdir(folder)
        if name.endswith(CONTENT_EXTENSIONS)
        and not name.startswith(("_", "."))
        # too large, or a link out of content/: reported by the content checks, never read
        and readable(os.path.join(folder, name), settings["PATH"])
    )


def check_event(fields, shown, settings, report):
    """Check one event header (fields: name -> (value, line)); return its schedule or None."""
    opts = options(settings)
    good = True

    def value(name):
        return fields.get(name, ("", 1))

    times = {}
    for name in ("start", "end"):
        text, line = value(name)
        if not text:
            good = False
            continue  # reported as missing by the content check
        try:
            times[name] = parse_local(text)
        except ValueError:
            good = False
            report.error(
                shown,
                f'{name.capitalize()} "{text}" is not a date and time '
                "(use YYYY-MM-DD HH:MM, local time at the venue)",
                line,
            )
            continue
        first, last = YEARS  # year 1 or 9999 cannot be shifted to UTC
        if not first <= times[name].year <= last:
            good = False
            report.error(
                shown,
                f'{name.capitalize()} "{text}" is out of range (use a year from {first} to {last})',
                line,
            )
    if len(times) == 2 and times["end"] <= times["start"]:
        good = False
        report.error(
            shown,
            f'End "{value("end")[0]}" is not after Start "{value("start")[0]}"',
            value("end")[1],
        )
    tz_name, tz_line = fields.get("timezone", (opts["default_timezone"], 1))
    tz_name = tz_name or opts["default_timezone"]
    if zone(tz_name) is None:
        good = False
        report.error(
            shown,
            f'Timezone "{tz_name}" is unknown (use an IANA name such as America/Mexico_City, '
            "America/Tijuana or America/Cancun)",
            tz_line,
        )
    kind, kind_line = value("kind")
    if kind and kind.lower() not in opts["kinds"]:
        good = False
        report.error(
            shown, f'Kind "{kind}" is unknown (use one of: {", ".join(opts["kinds"])})', kind_line
        )
    for name in ("registration_url", "online_url"):
        text, line = value(name)
        if text and not is_web_link(text):
            report.error(
                shown, f'{name.capitalize()} "{text}" is not a web link (https://...)', line
            )
    phone, line = value("registration_phone")
    if phone and not dialable(phone):
        report.error(
            shown,
            f'Registration_phone "{phone}" is not dialable (use +52 and 10 digits)',
            line,
        )
    for name in ("attendance_officials", "attendance_public"):
        text, line = value(name)
        if text and not re.fullmatch(r"[0-9]{1,9}", text):  # not "²³" (isdigit says yes)
            report.error(shown, f'{name.capitalize()} "{text}" must be a whole number', line)
    officials, public = value("attendance_officials")[0], value("attendance_public")[0]
    if (officials or public) and kind.lower() != "training":
        line = value("attendance_officials" if officials else "attendance_public")[1]
        report.warning(
            shown, "attendance is only counted for Kind: training (the training page)", line
        )
    if not good:
        return None
    tz = zone(tz_name)
    for name in ("start", "end"):
        local = times[name].replace(tzinfo=tz)
        if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != times[name]:
            report.error(
                shown,
                f'{name.capitalize()} "{value(name)[0]}" does not exist in {tz_name} '
                "(the clocks go forward then); use a time outside the change",
                value(name)[1],
            )
            return None
    return {
        "start": times["start"],
        "end": times["end"],
        "timezone": tz_name,
        "kind": kind.lower(),
        "status": value("status")[0].lower() or opts["statuses"][0],
    }


def check_events(settings, report):
    """Every event file's own fields, then that translations agree on when and what."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    groups = {}
    for path in event_files(settings):
        shown = os.path.relpath(path, base)
        try:
            with open(path, encoding="utf-8") as handle:
                header, failure = read_header(handle.read())
        except UnicodeDecodeError:
            continue  # reported by the content check
        if failure:
            continue  # reported by the content check
        schedule = check_event(header.fields, shown, settings, report)
        if schedule:
            stem, _lang = split_name(path)
            key = header.fields.get("translation_key", (stem, 1))[0]
            groups.setdefault(key, []).append((shown, schedule, header.fields))
    for items in groups.values():
        first_shown, first, _fields = items[0]
        for shown, schedule, fields in items[1:]:
            for name in ("start", "end", "timezone", "kind", "status"):
                if schedule[name] != first[name]:
                    line = fields.get(name, ("", 1))[1]
                    report.error(
                        shown,
                        f"{name.capitalize()} differs from its translation {first_shown}; "
                        "both languages must give the same one",
                        line,
                    )
    check_trainings(settings, report, name=options(settings)["trainings_data"])


# ---------------------------------------------------------------- events


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


def when_text(event, lang, locale, settings, gettext):
    """ "sábado, 14 de marzo de 2026, 10:00–13:00 h (hora central)", in the page locale."""
    skeleton = by_lang(options(settings)["time_skeleton"], lang)
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


def absolute(settings, url):
    """Calendars and JSON-LD need absolute links: SITEURL, else FEED_DOMAIN (development)."""
    siteurl = settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""
    return f"{siteurl.rstrip('/')}/{url}"


def event_jsonld(event, settings, langs, gettext):
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


def ics_event(event, settings, gettext):
    """One VEVENT; the times carry TZID (the VTIMEZONE is added by the calendar).

    DTSTAMP is when the announcement last changed, so an unchanged event gives the same bytes
    on every build (no needless re-uploads, and calendars see no false updates).
    """
    item = Event()
    item.add("uid", f"{event.key}@{options(settings)['uid_domain']}")
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


# ---------------------------------------------------------------- training record


def bar_chart(rows, bars=200, bar=22, gap=30, char=7.5):
    """Geometry for a horizontal bar chart drawn by components/bar_chart.html.

    `rows`: [{"label": str, "value": int, "display": str}]. Bars are scaled to the largest
    value (longest bar `bars` px); each row has its label above its bar and the displayed
    value after it. The width fits the longest text (about `char` px a character at 13px),
    so nothing is cut off; on narrow screens the drawing scales down as a whole.
    """
    top = max((row["value"] for row in rows), default=0) or 1
    widest_label = max((len(row["label"]) for row in rows), default=0) * char
    widest_value = max((len(row["display"]) for row in rows), default=0) * char
    width = round(max(widest_label, bars + 8 + widest_value)) + 4
    shapes = []
    for index, row in enumerate(rows):
        y = index * (bar + gap) + 18
        length = max(2, round(bars * row["value"] / top))
        shapes.append({**row, "y": y, "width": length, "label_y": y - 5, "value_x": length + 6})
    return {"width": width, "height": len(rows) * (bar + gap) + 8, "bar": bar, "rows": shapes}


def number(value, locale):
    return format_decimal(value, locale=locale)


def training_record(events, lang, locale, gettext):
    """Totals from past, held (not cancelled or postponed) trainings with attendance."""
    sessions = [
        e
        for e in events
        if e.lang == lang
        and e.kind == "training"
        and e.attendance
        and e.status == "scheduled"
        and getattr(e, "past", False)  # attendance counts once the training has taken place
    ]
    by_state = {}
    for event in sessions:
        row = by_state.setdefault(
            event.meta("state"), {"state": event.meta("state"), "sessions": 0}
        )
        row["sessions"] += 1
        row.setdefault("officials", 0)
        row.setdefault("public", 0)
        row["officials"] += event.attendance["officials"]
        row["public"] += event.attendance["public"]
    states = sorted(by_state.values(), key=lambda row: (-row["sessions"], row["state"]))
    totals = {
        "sessions": len(sessions),
        "officials": sum(row["officials"] for row in states),
        "public": sum(row["public"] for row in states),
    }
    chart = bar_chart(
        [
            {
                "label": row["state"],
                "value": row["sessions"],
                "display": number(row["sessions"], locale),
            }
            for row in states
        ]
    )
    return SimpleNamespace(sessions=sessions, states=states, totals=totals, chart=chart)


def historical_records(data, lang, locale, gettext, translate):
    records = []
    for record in (data or {}).get("historical", []):
        totals = []
        for total in record.get("totals") or []:
            shown = number(total["value"], locale)
            wording = QUALIFIERS[total.get("qualifier", "exactly")]
            if wording:
                shown = gettext(wording) % {"number": shown}
            totals.append(
                {"label": translate(total["label"]), "value": total["value"], "display": shown}
            )
        records.append(
            SimpleNamespace(
                id=record.get("id", ""),
                programme=translate(record["programme"]),
                period=translate(record["period"]),
                source=translate(record["source"]),
                source_url=record.get("source_url", ""),
                verify=record.get("verify") or "",
                # A table, never one chart: the totals count different things (people trained,
                # victims assisted), so bars on one axis would invite a false comparison.
                totals=totals,
            )
        )
    return records


# ---------------------------------------------------------------- generator


class EventsGenerator(Generator):
    """Reads content/events/, writes event pages, calendars, indexes and the training page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.filters["jsonld"] = jsonld
        # "55 1234 5678" -> "+525512345678": a tel: link every phone dials
        self.env.filters["tel_target"] = lambda number: phone_problem(number)[0] or ""
        self.events = []

    def gettext_for(self, lang):
        translations = catalog_for(self.settings["THEME"], lang)
        return translations.ugettext if translations else (lambda text: text)

    def generate_context(self):
        opts = options(self.settings)
        langs = languages(self.settings)
        for path in event_files(self.settings):
            page = self.readers.read_file(
                base_path=self.path,
                path=os.path.relpath(path, self.path),
                content_class=Page,
                context=self.context,
            )
            status = str(page.metadata.get("status", opts["statuses"][0])).lower()
            draft = status == "draft"
            if draft and not is_preview(self.settings):
                continue  # a draft is in the editors' preview only
            tz = zone(page.metadata.get("timezone") or opts["default_timezone"])
            lang = page.metadata.get("lang", self.settings["DEFAULT_LANG"])
            stem, _ = split_name(path)
            slug = page.slug
            base = section_path(self.settings, lang, "events")
            url = f"{base}{slug}/"
            self.events.append(
                EventItem(
                    page=page,
                    lang=lang,
                    key=page.metadata.get("translation_key", stem),
                    slug=slug,
                    start=parse_local(page.metadata["start"]).replace(tzinfo=tz),
                    end=parse_local(page.metadata["end"]).replace(tzinfo=tz),
                    tz=tz,
                    kind=page.metadata["kind"].lower(),
                    # A draft is shown in the preview as the event it would announce.
                    status=opts["statuses"][0] if draft else status,
                    url=url,
                    ics_url=f"{url}{slug}.ics",
                    draft=draft,
                )
            )
        groups = {}
        for event in self.events:
            groups.setdefault(event.key, {})[event.lang] = event
        for event in self.events:
            twins = groups[event.key]
            event.alternates = {code: twins[code].url for code in langs if code in twins}
        self.events.sort(key=lambda e: (e.start_utc, e.key))
        self.now = datetime.now(UTC)
        self.context["alerta_events"] = self.events
        self.context["EVENTS_NAV"] = {
            code: section_path(self.settings, code, "events") for code in langs
        }

    def generate_output(self, writer):
        langs = languages(self.settings)
        opts = options(self.settings)
        stamp = self.now.replace(microsecond=0)
        written = self.context.setdefault("alerta_listings", [])
        index_urls = {code: section_path(self.settings, code, "events") for code in langs}
        training_urls = {code: section_path(self.settings, code, "training") for code in langs}
        feed_urls = {code: index_urls[code] + by_lang(opts["feed_name"], code) for code in langs}

        def write(url, template, lang, alternates, listed=True, **extra):
            writer.write_file(
                url + "index.html",
                self.get_template(template),
                self.context,
                page_lang=lang,
                alternates=alternates,
                page_url=url,
                **extra,
            )
            if listed:
                written.append({"url": url, "lang": lang, "alternates": alternates})

        for lang, info in langs.items():
            gettext = self.gettext_for(lang)
            locale = info["locale"]
            events = [e for e in self.events if e.lang == lang]
            for event in events:
                event.when = when_text(event, lang, locale, self.settings, gettext)
                event.past = event.end_utc <= self.now
            for event in events:
                write(
                    event.url,
                    "event",
                    lang,
                    event.alternates,
                    listed=not event.draft,
                    event=event,
                    page_description=event.summary,
                    event_jsonld=event_jsonld(event, self.settings, langs, gettext),
                    feed_url=feed_urls[lang],
                    events_url=index_urls[lang],
                )
                if event.draft:
                    continue  # a subscriber never gets a draft, even from a preview server
                self.write_bytes(
                    event.ics_url,
                    calendar([event], event.title, lang, self.settings, gettext),
                )
            name = gettext("%(site)s: events") % {"site": self.settings.get("SITENAME", "")}
            announced = [e for e in events if not e.draft]
            self.write_bytes(
                feed_urls[lang], calendar(announced, name, lang, self.settings, gettext)
            )
            upcoming = [e for e in events if not e.past]
            past = sorted((e for e in events if e.past), key=lambda e: e.start_utc, reverse=True)
            write(
                index_urls[lang],
                "events",
                lang,
                index_urls,
                upcoming=upcoming,
                past=past,
                feed_url=feed_urls[lang],
                training_url=training_urls[lang],
                built_at=stamp,
            )
            write(
                training_urls[lang],
                "training",
                lang,
                training_urls,
                historical=historical_records(
                    self.settings.get("ALERTA_TRAININGS"), lang, locale, gettext, self.pick(lang)
                ),
                record=training_record(
                    [e for e in self.events if not e.draft], lang, locale, gettext
                ),
                events_url=index_urls[lang],
            )

    def pick(self, lang):
        """`{es: ..., en: ...}` -> the text in `lang`, else in the default language."""
        default = self.settings["DEFAULT_LANG"]

        def translate(value):
            if not isinstance(value, dict):
                return value
            return value.get(lang) or value.get(default) or ""

        return translate

    def write_bytes(self, url, data):
        path = os.path.join(self.output_path, url)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)


def add_content_type(_pelican):
    statuses = DEFAULTS["statuses"]
    CONTENT_TYPES[DEFAULTS["folder"]] = {
        **FIELDS,
        "statuses": statuses,
        "date_format": "YYYY-MM-DD HH:MM, local time at the venue, or YYYY-MM-DD",
    }


def get_generators(_pelican):
    return EventsGenerator


def register():
    add_content_type(None)
    register_check(check_events)
    pipeline.add_generator(get_generators(None))
