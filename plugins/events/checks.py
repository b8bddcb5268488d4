"""Where an event's header is checked, before Pelican reads anything.

Each file on its own (dates and times that exist in their timezone, a known kind, web links,
a dialable phone, whole numbers of attendance), then each pair of translations (the same when
and what in every language), then ``content/data/trainings.yml`` (trainings.py). Every problem
is one line naming the file and the line.
"""

import re
from datetime import UTC
from urllib.parse import urlparse

from alerta.content import (
    COMMON_FIELDS,
    YEARS,
    folder_files,
    headers,
    split_name,
)
from alerta.numbers import dialable
from alerta.sections import check_sections

from .options import events_options
from .times import parse_local, zone
from .trainings import check_trainings

__all__ = ["FIELDS", "SECTIONS", "check_event", "check_events", "event_files"]

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
# The sections this plugin writes, named in BILINGUAL["paths"].
SECTIONS = ("events", "training")


def is_web_link(value):
    parsed = urlparse(str(value))
    return parsed.scheme in ("https", "http") and bool(parsed.netloc)


def event_files(settings):
    return folder_files(settings, events_options(settings)["folder"])


def check_event(fields, shown, settings, report):
    """Check one event header (fields: name -> (value, line)); return its schedule or None."""
    opts = events_options(settings)
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
    opts = events_options(settings)  # first: a misspelt EVENTS key stops the build here
    check_sections(settings, SECTIONS, report)
    groups = {}
    for path, shown, header in headers(settings, event_files(settings)):
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
    check_trainings(settings, report, name=opts["trainings_data"])
