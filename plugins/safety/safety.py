"""Visitor safety data: help lines and site-wide notices, and dialable-number checks.

Reads ``content/data/hotlines.yml`` and ``content/data/alerts.yml`` once per build, with the
other data checks (before anything is written), and rejects anywhere in content or data a dead
number format ("01 800 …", "+52 1 …") or a ``tel:`` link that cannot be dialled (the rules are
in alerta/numbers.py, shared by every check that reads numbers).

What it read reaches the rest of the build through one channel: the build's facts
(``alerta.build.of(context).facts["hotlines"]`` and ``["alerts"]``, active notices only), which
every template reads as the Jinja globals ``HOTLINES`` and ``ALERTS`` (``expose``, below). Every
page shows the help lines in its header, so a site without them is not built.

Each help line may name the ``sources`` its details were checked in (https links) and the day
they were checked (``verified_on``); the hotline page shows them, so visitors can check too.
"""

import os
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pelican import signals

from alerta import build, data, numbers
from alerta.i18n import required_languages
from alerta.numbers import dialable
from alerta.report import has_languages, register_check

__all__ = ["dialable", "register"]

LEVELS = {"info", "warning"}


def source_links(line, ident, where, today):
    """`sources` + `verified_on` of one line -> [{"url", "name"}], or None when missing/bad.

    Both or neither: a source is only worth showing with the day it was read, and a date
    without a source proves nothing. Links must be https (they are shown to visitors).
    `where(field, message)` reports at the field's line."""
    sources, checked = line.get("sources"), line.get("verified_on")
    if sources is None and checked is None:
        return None
    if sources is None or checked is None:
        missing = "verified_on" if sources is not None else "sources"
        present = "sources" if sources is not None else "verified_on"
        where(present, f"hotline {ident}: sources and verified_on go together; add {missing}")
        return None
    if not isinstance(sources, list) or not sources:
        where("sources", f"hotline {ident}: sources must be a list of https:// links")
        return None
    links = []
    for position, url in enumerate(sources):
        if data.url_problem(url):
            where(("sources", position), f'hotline {ident}: source "{url}" is not an https:// link')
            return None
        links.append({"url": url, "name": urlsplit(url).hostname.removeprefix("www.")})
    try:
        if isinstance(checked, datetime):  # YAML reads "2026-12-01 10:00" as a datetime
            raise ValueError(checked)
        day = parse_day(checked)
    except (TypeError, ValueError):
        where(
            "verified_on",
            f'hotline {ident}: verified_on "{checked}" is not a date (use YYYY-MM-DD)',
        )
        return None
    if day > today:
        where("verified_on", f"hotline {ident}: verified_on {day} is in the future")
        return None
    line["verified_on"] = day
    return links


# The shape of hotlines.yml, checked before anything reads it (see alerta/data.py).
NUMBER = data.Either(data.Str(), data.Int(), expected="a number written as text")
HOTLINE = data.Mapping(
    {
        "id": data.Str(nonempty=True),
        "primary": data.Bool(),
        "header": data.Bool(),
        "country": data.Str(nonempty=True),
        "name": data.Text(),
        "short": data.Text(),
        "number": NUMBER,
        "tel": NUMBER,
        **{name: data.Text() for name in ("answered_by", "hours", "cost", "languages", "notes")},
        "whatsapp": data.Mapping(
            {"number": NUMBER, "wa": NUMBER, "verify": data.Anything()}, required=("wa",)
        ),
        "sms": data.Mapping(
            {"number": NUMBER, "keyword": data.Either(data.Str(), data.Text())},
            required=("number",),
        ),
        "sources": data.Anything(),  # checked by source_links, with its own messages
        "verified_on": data.Anything(),
        "verify": data.Anything(),  # an editors' note: the publish gate reads it
    }
)


def as_data(value, shown, report, languages, lines=None):
    """A loaded `Data`, or a plain value (in-process callers) wrapped as one."""
    loaded = value if isinstance(value, data.Data) else data.Data(value, lines, shown, report)
    loaded.languages = tuple(languages)
    return loaded


def entry_label(noun, key, loaded):
    """`hotline trata: whatsapp.wa` for a path under `key:`, in the file's own words."""

    def describe(path):
        if len(path) < 2 or path[0] != key:
            return f'"{key}:"' if path else "the file:"
        entry = loaded.value[key][path[1]]
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str | int) or isinstance(ident, bool):
            ident = f"#{path[1] + 1}"
        rest = data.dotted(path[2:])[:-1] if len(path) > 2 else ""
        return f"{noun} {ident}:" + (f" {rest}" if rest else "")

    return describe


def check_hotlines(loaded, shown, languages, report, today=None, lines=None):
    """Every help line, shape first; each problem at its line. Returns the good lines."""
    loaded = as_data(loaded, shown, report, languages, lines)
    items = loaded.value.get("hotlines") if isinstance(loaded.value, dict) else None
    if not isinstance(items, list) or not items:
        loaded.error(("hotlines",), '"hotlines:" must be a list with at least one line')
        return []
    loaded.describe = entry_label("hotline", "hotlines", loaded)
    result, primaries, seen = [], [], {}
    for index, line in enumerate(items):
        path = ("hotlines", index)
        if not HOTLINE.check(line, path, loaded):
            continue  # the wrong shape is reported; the checks below need the right one

        def where(field, message, path=path):
            loaded.error((*path, *(field if isinstance(field, tuple) else (field,))), message)

        ident = line.get("id", f"#{index + 1}")
        if ident in seen:
            where("id", f"hotline {ident}: id is given twice (first on line {seen[ident]})")
        seen.setdefault(ident, loaded.line((*path, "id")))
        for field in ("name", "short"):
            if not has_languages(line.get(field), languages):
                where(field, f"hotline {ident}: {field} needs text in " + " and ".join(languages))
        for field, message in numbers.hotline_problems(line):
            where(field, f"hotline {ident}: {message}")
        line["source_links"] = source_links(line, ident, where, today or date.today())
        if line.get("primary"):
            primaries.append((ident, path))
        result.append(line)
    if not any(isinstance(line, dict) and line.get("primary") for line in items):
        loaded.error(
            ("hotlines",), "one hotline must have primary: true (shown first on every page)"
        )
    for ident, path in primaries[1:]:
        loaded.error(
            (*path, "primary"),
            f"hotline {ident}: primary: true is already given to hotline {primaries[0][0]}; "
            "exactly one line is shown first on every page",
        )
    return result


def parse_day(value):
    if isinstance(value, date):
        return value
    return datetime.strptime(str(value), "%Y-%m-%d").date()


ALERT = data.Mapping(
    {
        "id": data.Either(data.Str(nonempty=True), data.Int()),
        "level": data.Str(),  # its allowed words are named below, with the alert's id
        "expires": data.Anything(),
        "message": data.Anything(),
    }
)
ALERTS = data.Mapping({"alerts": data.List()})


def check_alerts(loaded, shown, languages, today, report):
    """Active notices; every problem at its line."""
    loaded = as_data(loaded, shown, report, languages)
    if loaded.value is None:
        return []
    if not isinstance(loaded.value, dict):
        loaded.error((), 'must be a mapping with "alerts:", a list of notices (or [])')
        return []
    if not ALERTS.check(loaded.value, (), loaded):
        return []
    loaded.describe = entry_label("alert", "alerts", loaded)
    active = []
    for index, alert in enumerate(loaded.value.get("alerts") or []):
        path = ("alerts", index)
        if not ALERT.check(alert, path, loaded):
            continue
        ident = alert.get("id", f"#{index + 1}")
        try:
            expires = parse_day(alert.get("expires"))
        except (TypeError, ValueError):
            loaded.error(
                (*path, "expires"),
                f'alert {ident}: expires "{alert.get("expires")}" is not a date (use YYYY-MM-DD)',
            )
            continue
        if not has_languages(alert.get("message"), languages):
            loaded.error(
                (*path, "message"),
                f"alert {ident}: message needs a translation in every "
                "language: " + ", ".join(languages),
            )
            continue
        level = alert.get("level", "warning")
        if level not in LEVELS:
            loaded.error(
                (*path, "level"), f'alert {ident}: level "{level}" is unknown (info or warning)'
            )
            continue
        if expires >= today:
            active.append({**alert, "expires": expires, "level": level})
    return active


def check_safety(settings, report):
    """The registered data check; returns the facts it read (see the module's docstring)."""
    root = settings["PATH"]
    base = os.path.dirname(os.path.abspath(root))
    languages = required_languages(settings)
    data_dir = os.path.join(root, "data")

    today = datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()
    path = os.path.join(data_dir, "hotlines.yml")
    shown = os.path.relpath(path, base)
    hotlines = []
    if not os.path.lexists(path):
        report.error(shown, "is missing: every page shows the help lines it lists")
    else:
        loaded = data.load_data(path, shown, report, root)
        hotlines = check_hotlines(loaded, shown, languages, report, today) if loaded else []

    path = os.path.join(data_dir, "alerts.yml")
    shown = os.path.relpath(path, base)
    loaded = data.load_data(path, shown, report, root)
    alerts = check_alerts(loaded, shown, languages, today, report) if loaded else []
    numbers.scan_files(root, base, report)
    return {"hotlines": hotlines, "alerts": alerts}


def expose(generators):
    """``HOTLINES`` and ``ALERTS`` in every template of the build, set here only: once every
    generator has read its content (the data checks ran before that), before any page is
    written."""
    for generator in generators:
        facts = build.of(generator.context).facts
        generator.env.globals["HOTLINES"] = facts.get("hotlines", [])
        generator.env.globals["ALERTS"] = facts.get("alerts", [])


def register():
    register_check(check_safety)
    signals.all_generators_finalized.connect(expose)
