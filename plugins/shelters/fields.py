"""One field of a shelter entry at a time: texts in every language, contact details, place,
date and languages.

Each ``check_*`` reads one field of an entry as editors wrote it, reports what is wrong through
``EntryProblems`` (one line, ``shelter "<id>", <field>: <message>``, at the field's line) and
returns the field's visitor-safe value, or None. ``entries.check_entry`` puts them together.
"""

import re
from datetime import date, datetime

from babel import Locale

from alerta import numbers

__all__ = [
    "EntryProblems",
    "check_date",
    "check_email",
    "check_geo",
    "check_languages",
    "check_phones",
    "check_text",
    "check_verify_flag",
    "check_whatsapp",
    "language_name",
]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Mexico's extent, with a margin (islands included): coordinates outside it are a typo,
# most often lat and lon swapped or a lost minus sign.
MEXICO = {"lat": (14.0, 33.0), "lon": (-119.0, -86.0)}


class EntryProblems:
    """Reports problems of one entry as `shelter "<id>", <field>: <message>` at its line."""

    def __init__(self, report, shown, ident, lines):
        self.report, self.shown, self.ident = report, shown, ident
        self.entry_line, self.lines = lines
        self.count = 0

    def error(self, field, message):
        self.count += 1
        line = self.lines.get(field.split("[")[0].split(".")[0], self.entry_line)
        self.report.error(self.shown, f'shelter "{self.ident}", {field}: {message}', line)


def _missing(value, langs):
    if not isinstance(value, dict):
        return list(langs)
    return [code for code in langs if not str(value.get(code) or "").strip()]


def check_text(entry, field, langs, problems, required=False):
    value = entry.get(field)
    if value is None and not required:
        return None
    missing = _missing(value, langs)
    if missing:
        if not isinstance(value, dict):
            problems.error(field, "write it in every language, e.g. {es: ..., en: ...}")
        else:
            problems.error(field, "missing text in " + " and ".join(f'"{c}"' for c in missing))
        return None
    return {code: str(text).strip() for code, text in value.items() if text}


def _detail(value, key):
    """A contact detail may be a plain value or {<key>: value, verify: true, ...}."""
    if isinstance(value, dict):
        return value.get(key), value
    return value, {}


def check_verify_flag(extra, field, problems):
    flag = extra.get("verify", False)
    if not isinstance(flag, bool):
        problems.error(field, "verify must be true or false")
        return False
    return flag


def check_phones(entry, problems, langs):
    value = entry.get("phones")
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    phones = []
    for index, item in enumerate(value, start=1):
        field = f"phones[{index}]"
        number, extra = _detail(item, "number")
        pending = check_verify_flag(extra, field, problems)
        unknown = set(extra) - {"number", "tel", "label", "verify"}
        if unknown:
            problems.error(
                field, f"unknown key {sorted(map(str, unknown))[0]!r} (use number, label, verify)"
            )
        label = check_text(extra, "label", langs, problems) if "label" in extra else None
        if number in (None, "") and pending:
            phones.append({"number": None, "tel": None, "label": label, "pending": True})
            continue
        tel, why = numbers.phone_problem(number) if isinstance(number, str | int) else (None, "")
        if not tel:
            problems.error(
                field,
                f'"{number}" is not a phone number that can be dialled: '
                + (why or numbers.WRITE_NATIONAL),
            )
            continue
        phones.append(
            {
                "number": None if pending else str(number).strip(),
                "tel": None if pending else tel,
                "label": label,
                "pending": pending,
            }
        )
    return phones


def check_whatsapp(entry, problems):
    value = entry.get("whatsapp")
    if value is None:
        return None
    number, extra = _detail(value, "number")
    pending = check_verify_flag(extra, "whatsapp", problems)
    if number in (None, "") and pending:
        return {"number": None, "wa": None, "pending": True}
    tel, why = numbers.phone_problem(number) if isinstance(number, str | int) else (None, "")
    if not tel or len(tel) < 9:
        problems.error(
            "whatsapp",
            f'"{number}" is not a WhatsApp number: ' + (why or numbers.WRITE_NATIONAL),
        )
        return None
    if pending:
        return {"number": None, "wa": None, "pending": True}
    return {"number": str(number).strip(), "wa": tel.lstrip("+"), "pending": False}


def check_email(entry, problems):
    value = entry.get("email")
    if value is None:
        return None
    address, extra = _detail(value, "address")
    pending = check_verify_flag(extra, "email", problems)
    if address in (None, "") and pending:
        return {"address": None, "pending": True}
    if not isinstance(address, str) or not EMAIL_RE.match(address.strip()):
        problems.error("email", f'"{address}" is not an e-mail address')
        return None
    return {"address": None if pending else address.strip(), "pending": pending}


def check_geo(entry, problems):
    value = entry.get("geo")
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"lat", "lon"} or len(value) != 2:
        problems.error("geo", "write it as {lat: 19.4326, lon: -99.1332}")
        return None
    result = {}
    for axis, (low, high), (world_low, world_high) in (
        ("lat", MEXICO["lat"], (-90, 90)),
        ("lon", MEXICO["lon"], (-180, 180)),
    ):
        number = value[axis]
        try:
            if isinstance(number, bool):
                raise ValueError
            number = float(number)
        except (TypeError, ValueError, OverflowError):
            problems.error(f"geo.{axis}", f'"{number}" is not a number')
            return None
        if not world_low <= number <= world_high:
            problems.error(
                f"geo.{axis}",
                f"{number} is out of range ({axis} must be between {world_low} and {world_high})",
            )
            return None
        if not low <= number <= high:
            problems.error(
                f"geo.{axis}",
                f"{number} is out of range for Mexico ({axis} between {low} and {high}; "
                "are lat and lon swapped, or is a minus sign missing?)",
            )
            return None
        result[axis] = value[axis]
    return result


def check_date(entry, problems, today):
    value = entry.get("verified_on")
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            if not DATE_RE.match(str(value).strip()):
                raise ValueError
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            problems.error("verified_on", f'"{value}" is not a date (use YYYY-MM-DD)')
            return None
    if value > today:
        problems.error("verified_on", f"{value.isoformat()} is in the future")
        return None
    return value


def check_languages(entry, problems, langs, locales):
    value = entry.get("languages")
    if value is None:
        return []
    if not isinstance(value, list):
        problems.error("languages", "write a list, e.g. [es, en]")
        return []
    result = []
    for index, item in enumerate(value, start=1):
        if isinstance(item, dict):
            text = check_text({"x": item}, "x", langs, _Renamed(problems, f"languages[{index}]"))
            if text:
                result.append(text)
            continue
        code = str(item).strip()
        names = {lang: language_name(code, locale) for lang, locale in locales.items()}
        if not all(names.values()):
            problems.error(
                f"languages[{index}]",
                f'"{code}" is not a language code known in every site language (use e.g. es, '
                "en, zap; for other languages write the name: {es: Tsotsil, en: Tzotzil})",
            )
            continue
        result.append(names)
    return result


class _Renamed:
    def __init__(self, problems, field):
        self.problems, self.field = problems, field

    def error(self, _field, message):
        self.problems.error(self.field, message)


def language_name(code, locale):
    """CLDR's name of a language, capitalised for a list of facts ("Español", "English")."""
    try:
        name = Locale.parse(locale.replace("-", "_")).languages.get(code)
    except (ValueError, TypeError):
        return None
    return name[:1].upper() + name[1:] if name else None
