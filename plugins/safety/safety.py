"""Visitor safety data: help lines and site-wide notices, and dialable-number checks.

Reads ``content/data/hotlines.yml`` and ``content/data/alerts.yml`` into ``SITE["hotlines"]``
and ``SITE["alerts"]`` (active notices only), and rejects anywhere in content or data a dead
number format ("01 800 …") or a ``tel:`` link that cannot be dialled.

Each help line may name the ``sources`` its details were checked in (https links) and the day
they were checked (``verified_on``); the hotline page shows them, so visitors can check too.
"""

import os
import re
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from plugins.bilingual.bilingual import required_languages
from plugins.checks import checks

__all__ = ["dialable", "register"]

# "01" with no digit before it (the look-behind comes after the literal "01", so the search
# jumps from one "01" to the next instead of trying every character), then 800.
DEAD_NUMBER = re.compile(r"01(?<!\d01)[\s.\-]*800(?!\d)")
TEL_LINK = re.compile(r"tel:([^\s)\"'>\]]+)")
# E.164 (+ and 8–15 digits), Mexico's 3-digit service numbers, or a 10-digit national number.
DIALABLE = re.compile(r"^(\+[1-9]\d{7,14}|\d{3}|\d{10})$")
SEPARATORS = re.compile(r"[\s.\-()]")
LEVELS = {"info", "warning"}


def dialable(value):
    """True when a tel: target can be dialled from a phone (visual separators allowed)."""
    return bool(DIALABLE.match(SEPARATORS.sub("", str(value))))


def source_links(line, ident, shown, today, report):
    """`sources` + `verified_on` of one line -> [{"url", "name"}], or None when missing/bad.

    Both or neither: a source is only worth showing with the day it was read, and a date
    without a source proves nothing. Links must be https (they are shown to visitors)."""
    sources, checked = line.get("sources"), line.get("verified_on")
    if sources is None and checked is None:
        return None
    if sources is None or checked is None:
        missing = "verified_on" if sources is not None else "sources"
        report.error(shown, f"hotline {ident}: sources and verified_on go together; add {missing}")
        return None
    if not isinstance(sources, list) or not sources:
        report.error(shown, f"hotline {ident}: sources must be a list of https:// links")
        return None
    links = []
    for url in sources:
        try:
            host = urlsplit(url).hostname if str(url).startswith("https://") else None
        except (AttributeError, TypeError, ValueError):  # not text, or a malformed address
            host = None
        if not host or not isinstance(url, str) or any(c.isspace() for c in url):
            report.error(shown, f'hotline {ident}: source "{url}" is not an https:// link')
            return None
        links.append({"url": url, "name": host.removeprefix("www.")})
    try:
        if isinstance(checked, datetime):  # YAML reads "2026-12-01 10:00" as a datetime
            raise ValueError(checked)
        day = parse_day(checked)
    except (TypeError, ValueError):
        report.error(
            shown, f'hotline {ident}: verified_on "{checked}" is not a date (use YYYY-MM-DD)'
        )
        return None
    if day > today:
        report.error(shown, f"hotline {ident}: verified_on {day} is in the future")
        return None
    line["verified_on"] = day
    return links


def check_hotlines(data, shown, languages, report, today=None):
    lines = (data or {}).get("hotlines")
    if not isinstance(lines, list) or not lines:
        report.error(shown, '"hotlines:" must be a list with at least one line')
        return []
    result = []
    for index, line in enumerate(lines, start=1):
        ident = line.get("id", f"#{index}") if isinstance(line, dict) else f"#{index}"
        if not isinstance(line, dict):
            report.error(shown, f"hotline {ident}: each entry must be a mapping")
            continue
        for field in ("name", "short"):
            if not checks.has_languages(line.get(field), languages):
                report.error(
                    shown, f"hotline {ident}: {field} needs text in " + " and ".join(languages)
                )
        if not dialable(line.get("tel", "")):
            report.error(
                shown,
                f'hotline {ident}: tel "{line.get("tel")}" is not dialable '
                "(use +52 and 10 digits, or a 3-digit service number)",
            )
        digits = re.sub(r"\D", "", str(line.get("number", "")))
        if not digits or not re.sub(r"\D", "", str(line.get("tel", ""))).endswith(digits):
            report.error(
                shown,
                f'hotline {ident}: number "{line.get("number")}" does not '
                f'match tel "{line.get("tel")}"',
            )
        whatsapp = line.get("whatsapp")
        if whatsapp and not dialable("+" + str(whatsapp.get("wa", ""))):
            report.error(
                shown,
                f"hotline {ident}: whatsapp.wa must be the full number in "
                "digits with country code, e.g. 5215555555555",
            )
        line["source_links"] = source_links(line, ident, shown, today or date.today(), report)
        result.append(line)
    if not any(line.get("primary") for line in result):
        report.error(shown, "one hotline must have primary: true (shown first on every page)")
    return result


def parse_day(value):
    if isinstance(value, date):
        return value
    return datetime.strptime(str(value), "%Y-%m-%d").date()


def check_alerts(data, shown, languages, today, report):
    alerts = (data or {}).get("alerts") or []
    active = []
    for index, alert in enumerate(alerts, start=1):
        ident = alert.get("id", f"#{index}") if isinstance(alert, dict) else f"#{index}"
        if not isinstance(alert, dict):
            report.error(shown, f"alert {ident}: each entry must be a mapping")
            continue
        try:
            expires = parse_day(alert.get("expires"))
        except (TypeError, ValueError):
            report.error(
                shown,
                f'alert {ident}: expires "{alert.get("expires")}" is not a date (use YYYY-MM-DD)',
            )
            continue
        if not checks.has_languages(alert.get("message"), languages):
            report.error(
                shown,
                f"alert {ident}: message needs a translation in every "
                "language: " + ", ".join(languages),
            )
            continue
        level = alert.get("level", "warning")
        if level not in LEVELS:
            report.error(shown, f'alert {ident}: level "{level}" is unknown (info or warning)')
            continue
        if expires >= today:
            active.append({**alert, "expires": expires, "level": level})
    return active


def scan_numbers(root, base, report):
    """Dead formats and undialable tel: links, anywhere in content or data."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith((".md", ".markdown", ".yml", ".yaml", ".html")):
                continue
            path = os.path.join(dirpath, name)
            shown = os.path.relpath(path, base)
            try:
                with open(path, encoding="utf-8") as handle:
                    whole = handle.read()
            except UnicodeDecodeError:
                continue  # reported by the content check
            if "tel:" not in whole and not DEAD_NUMBER.search(whole):
                continue  # the usual case, found without going line by line
            for number, text in enumerate(whole.splitlines(), start=1):
                if DEAD_NUMBER.search(text):
                    report.error(
                        shown,
                        '"01 800" numbers no longer work in Mexico; write the '
                        "10 digits, e.g. 800 5533 000",
                        number,
                    )
                for target in TEL_LINK.findall(text):
                    if not dialable(target):
                        report.error(
                            shown,
                            f"tel:{target} is not dialable (use tel:+52 and "
                            "10 digits, or tel:911 / tel:089)",
                            number,
                        )


def check_safety(settings, report):
    root = settings["PATH"]
    base = os.path.dirname(os.path.abspath(root))
    languages = required_languages(settings)
    data_dir = os.path.join(root, "data")
    site = settings.setdefault("SITE", {})

    today = datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()
    path = os.path.join(data_dir, "hotlines.yml")
    shown = os.path.relpath(path, base)
    if not os.path.exists(path):
        report.error(shown, "is missing: every page shows the help lines it lists")
        site["hotlines"] = []
    else:
        data = checks.load_yaml(path, shown, report)
        site["hotlines"] = check_hotlines(data, shown, languages, report, today)

    path = os.path.join(data_dir, "alerts.yml")
    site["alerts"] = check_alerts(
        checks.load_yaml(path, os.path.relpath(path, base), report),
        os.path.relpath(path, base),
        languages,
        today,
        report,
    )
    scan_numbers(root, base, report)


def register():
    checks.register_check(check_safety)
