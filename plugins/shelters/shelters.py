"""Shelter directory: confidential by default, filterable without JavaScript, leak-checked.

Reads ``content/data/shelters.yml`` (schema in its header), validates it before anything is
written (every problem is one line naming the entry id and the field), and writes per language:

- the directory index (every entry; a small script adds live filtering),
- one static page per state and per service that has entries (filters that work with JS off),
- schema.org JSON-LD for *public* entries only.

The directory grows one confirmed entry at a time: a publish build (``PREVIEW = False``) leaves
out every entry without ``verified_on``, with one information line each, as if it were not in
the file (no card, page, filter, count or search text). The editors' preview shows them all. With
no confirmed entry, the index alone is written and sends visitors to the national line.

Confidentiality: ``address`` and ``geo`` are copied into the pages' data only for entries with
``public: true``. For every other entry they never leave the data file, and the build proves it:
after Pelican has finished writing (after the ``finalized`` signal has reached every receiver),
`confidentiality_check` scans every output file, looking inside compressed and derived files
(see ``leakcheck.py``), for the address and coordinates of each confidential entry. A hit stops
the build with one line per file naming the file and the entry id (never the value), and the
leaking file is deleted so it cannot be published by mistake.

The scan runs as a "deploy" step of plugins.pipeline: after every page, index and PDF is
written and after pelican-precompress has made the compressed copies, and before plugins.atomic
swaps the new output in. So a leak stops the build while the public ``output/`` is still the
previous, checked one. Keep "plugins.shelters" before "plugins.atomic" in PLUGINS, and never
remove it: it is the site's confidentiality guarantee.

Settings: ``SHELTERS`` (see DEFAULTS); the directory's URL word per language comes from
``BILINGUAL["paths"][lang]["shelters"]`` (``lang_path('shelters')`` in templates).
"""

import difflib
import hashlib
import json
import logging
import os
import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import yaml
from babel import Locale
from dateutil.relativedelta import relativedelta
from pelican.generators import Generator

from alerta import data, guards, numbers, publish_gate
from alerta.console import inform as _inform
from alerta.i18n import languages, required_languages
from alerta.report import BuildStopped, has_languages, is_preview, register_check
from alerta.sections import listing_path
from plugins.pipeline import pipeline
from plugins.shelters import leakcheck

__all__ = [
    "SERVICES",
    "STATES",
    "ShelterGenerator",
    "confidential_needles",
    "confidentiality_check",
    "register",
]

DEFAULTS = {
    # The data file, relative to the content folder (PATH).
    "data": "data/shelters.yml",
    # An entry whose verified_on is older than this is flagged to visitors and editors.
    "stale_months": 12,
    # True: stale or never-verified entries are build warnings (fatal in strict builds).
    # False (default): they are listed as notices, so a stale shelter never blocks an urgent
    # safety update from being published; visitors see the flag either way.
    "stale_is_warning": False,
    # URL words after the directory path, per language ("default" for the others).
    "paths": {
        "es": {"state": "estado", "service": "servicio"},
        "default": {"state": "state", "service": "service"},
    },
    # Directory word when BILINGUAL["paths"] has no "shelters" entry.
    "directory": {"es": "refugios", "default": "shelters"},
}

# Mexico's 32 federal entities: INEGI code -> official INEGI name and display names.
# An entry's `state` may be the code (9, "09") or any of these names (case and accents ignored).
STATES = {
    "01": {"inegi": "Aguascalientes"},
    "02": {"inegi": "Baja California"},
    "03": {"inegi": "Baja California Sur"},
    "04": {"inegi": "Campeche"},
    "05": {"inegi": "Coahuila de Zaragoza", "es": "Coahuila"},
    "06": {"inegi": "Colima"},
    "07": {"inegi": "Chiapas"},
    "08": {"inegi": "Chihuahua"},
    "09": {"inegi": "Ciudad de México", "en": "Mexico City", "also": ["CDMX", "Distrito Federal"]},
    "10": {"inegi": "Durango"},
    "11": {"inegi": "Guanajuato"},
    "12": {"inegi": "Guerrero"},
    "13": {"inegi": "Hidalgo"},
    "14": {"inegi": "Jalisco"},
    "15": {
        "inegi": "México",
        "es": "Estado de México",
        "en": "State of Mexico",
        "also": ["Edomex"],
    },
    "16": {"inegi": "Michoacán de Ocampo", "es": "Michoacán"},
    "17": {"inegi": "Morelos"},
    "18": {"inegi": "Nayarit"},
    "19": {"inegi": "Nuevo León"},
    "20": {"inegi": "Oaxaca"},
    "21": {"inegi": "Puebla"},
    "22": {"inegi": "Querétaro"},
    "23": {"inegi": "Quintana Roo"},
    "24": {"inegi": "San Luis Potosí"},
    "25": {"inegi": "Sinaloa"},
    "26": {"inegi": "Sonora"},
    "27": {"inegi": "Tabasco"},
    "28": {"inegi": "Tamaulipas"},
    "29": {"inegi": "Tlaxcala"},
    "30": {"inegi": "Veracruz de Ignacio de la Llave", "es": "Veracruz"},
    "31": {"inegi": "Yucatán"},
    "32": {"inegi": "Zacatecas"},
}

# The fixed service vocabulary: key (what editors write) -> label and URL slug per language.
SERVICES = {
    "shelter": {
        "es": ("Refugio", "refugio"),
        "en": ("Shelter", "shelter"),
    },
    "legal": {
        "es": ("Asesoría jurídica", "asesoria-juridica"),
        "en": ("Legal advice", "legal-advice"),
    },
    "psychological": {
        "es": ("Atención psicológica", "atencion-psicologica"),
        "en": ("Psychological support", "psychological-support"),
    },
    "medical": {
        "es": ("Atención médica", "atencion-medica"),
        "en": ("Medical care", "medical-care"),
    },
    "repatriation": {
        "es": ("Repatriación y retorno seguro", "repatriacion"),
        "en": ("Repatriation and safe return", "repatriation"),
    },
    "children": {
        "es": ("Atención a niñas, niños y adolescentes", "infancia"),
        "en": ("Support for children and adolescents", "children"),
    },
    "men": {
        "es": ("Atención a hombres", "hombres"),
        "en": ("Support for men", "men"),
    },
    "lgbti": {
        "es": ("Atención a personas LGBTI+", "lgbti"),
        "en": ("Support for LGBTI+ people", "lgbti"),
    },
    "migrants": {
        "es": ("Atención a personas migrantes", "migrantes"),
        "en": ("Support for migrants", "migrants"),
    },
}

FIELDS = {
    "id",
    "name",
    "state",
    "municipality",
    "services",
    "populations",
    "languages",
    "phones",
    "whatsapp",
    "email",
    "hours",
    "description",
    "verified_on",
    "address",
    "geo",
    "public",
    "verify",
    "verify_note",
}
REQUIRED = ("id", "name", "state", "services", "description")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Mexico's extent, with a margin (islands included): coordinates outside it are a typo,
# most often lat and lon swapped or a lost minus sign.
MEXICO = {"lat": (14.0, 33.0), "lon": (-119.0, -86.0)}

# A plain logger, so that stale-entry notices do not trip `--fatal warnings` (see DEFAULTS).
_notices = logging.Logger("alerta.shelters")
_notices.parent = logging.getLogger()
log = logging.getLogger(__name__)


# ---------------------------------------------------------------- settings and vocabulary


def options(settings):
    return {**DEFAULTS, **settings.get("SHELTERS", {})}


def data_path(settings):
    return os.path.join(settings["PATH"], options(settings)["data"])


def _fold(text):
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace(".", " ").split())


def state_names(code, lang):
    info = STATES[code]
    return info.get(lang) or info.get("es") or info["inegi"]


def _state_index():
    index = {}
    for code, info in STATES.items():
        index[code] = code
        index[str(int(code))] = code
        for name in [info["inegi"], info.get("es"), info.get("en"), *info.get("also", [])]:
            if name:
                index[_fold(name)] = code
    return index


STATE_INDEX = _state_index()


def resolve_state(value):
    """INEGI code (9, "09") or exact name -> "09"; None when unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    return STATE_INDEX.get(value.strip()) or STATE_INDEX.get(_fold(value))


def service_label(key, lang, fallback="en"):
    entry = SERVICES[key]
    return (entry.get(lang) or entry.get(fallback) or (key, key))[0]


def service_slug(key, lang, fallback="en"):
    entry = SERVICES[key]
    return (entry.get(lang) or entry.get(fallback) or (key, key))[1]


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")


def language_name(code, locale):
    """CLDR's name of a language, capitalised for a list of facts ("Español", "English")."""
    try:
        name = Locale.parse(locale.replace("-", "_")).languages.get(code)
    except (ValueError, TypeError):
        return None
    return name[:1].upper() + name[1:] if name else None


# ---------------------------------------------------------------- reading the data file


# The shape of an entry, checked before anything reads it (plugins/checks/data.py): values of
# the wrong type (a list inside `services`, a mapping as `name`) are one line each.
# Everything else is checked by check_entry, with the messages editors know.
SHELTER = data.Mapping(
    {"services": data.Either(data.List(data.Str()), data.Str())},
    other=data.Anything(),
)
SHELTERS = data.Mapping({"shelters": data.Anything()})


def shelter_label(loaded):
    """`shelter "casa", services[1]:`, as EntryProblems names a field."""

    def describe(path):
        if len(path) < 2 or path[0] != "shelters":
            return data.dotted(path)
        entry = loaded.value["shelters"][path[1]]
        ident = entry.get("id") if isinstance(entry, dict) else None
        ident = ident if isinstance(ident, str) and ident else f"#{path[1] + 1}"
        rest = data.dotted(path[2:]) if len(path) > 2 else ""
        return f'shelter "{ident}"' + (f", {rest}" if rest else ":")

    return describe


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


def _texts(value, langs):
    return isinstance(value, dict) and has_languages(value, langs)


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


def check_entry(entry, problems, settings, today):
    """Validate one entry; return its visitor-safe model (never a confidential location)."""
    langs = required_languages(settings)
    locales = {code: info["locale"] for code, info in languages(settings).items()}
    unknown = sorted(set(entry) - FIELDS)
    for name in unknown:
        close = difflib.get_close_matches(str(name), FIELDS, n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        problems.error(name, f"unknown field{hint}")
    for name in REQUIRED:
        if entry.get(name) in (None, "", []):
            problems.error(name, "is missing (required)")
    name = entry.get("name")
    if name is not None and not isinstance(name, str):
        problems.error("name", "write the name as plain text")

    state = None
    if entry.get("state") not in (None, ""):
        state = resolve_state(entry["state"])
        if state is None:
            close = difflib.get_close_matches(
                _fold(entry["state"]), [k for k in STATE_INDEX if not k.isdigit()], n=1
            )
            hint = f' (did you mean "{STATES[STATE_INDEX[close[0]]]["inegi"]}"?)' if close else ""
            problems.error(
                "state",
                f'"{entry["state"]}" is not one of Mexico\'s 32 states{hint}; write its INEGI '
                'code (01-32) or its exact name, e.g. "Ciudad de México"',
            )

    services = entry.get("services") or []
    if not isinstance(services, list):
        services = [services]
    for index, key in enumerate(services, start=1):
        if key not in SERVICES:
            problems.error(
                f"services[{index}]",
                f'"{key}" is not a known service (use: {", ".join(SERVICES)})',
            )
    services = [key for key in dict.fromkeys(services) if key in SERVICES]

    for flag in ("public", "verify"):
        if flag in entry and not isinstance(entry[flag], bool):
            problems.error(flag, "must be true or false")
    public = entry.get("public") is True

    address = entry.get("address")
    address_pending = False
    if isinstance(address, dict):
        address_pending = check_verify_flag(address, "address", problems)
        address = address.get("text")
    if address is not None and not isinstance(address, str):
        problems.error("address", 'write the address as text (or {text: "...", verify: true})')
        address = None

    model = {
        "id": entry.get("id"),
        "name": name,
        "state": state,
        "municipality": str(entry.get("municipality") or "").strip() or None,
        "services": services,
        "description": check_text(entry, "description", langs, problems, required=True),
        "populations": check_text(entry, "populations", langs, problems),
        "hours": check_text(entry, "hours", langs, problems),
        "verify_note": check_text(entry, "verify_note", langs, problems),
        "languages": check_languages(entry, problems, langs, locales),
        "phones": check_phones(entry, problems, langs),
        "whatsapp": check_whatsapp(entry, problems),
        "email": check_email(entry, problems),
        "verified_on": check_date(entry, problems, today),
        "public": public,
        "verify": entry.get("verify") is True,
    }
    geo = check_geo(entry, problems)
    # The one place location data enters the model: only for public entries.
    if public:
        model["address"] = None if address_pending else (address or None)
        model["address_pending"] = address_pending
        model["geo"] = geo
    else:
        model["address"] = model["geo"] = None
        model["address_pending"] = False
    return model


def check_shelters(settings, report):
    """Validate the data file before anything is written; keep the safe model for the pages."""
    site = settings.setdefault("SITE", {})
    site["shelter_directory"] = False
    settings["_SHELTER_ENTRIES"] = []
    path = data_path(settings)
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    shown = os.path.relpath(path, base)
    if not os.path.exists(path):
        return
    errors_before = len(report.errors)
    loaded = data.load_data(path, shown, report, settings["PATH"])
    if loaded is None or loaded.value is None:
        return
    entries = loaded.value.get("shelters") if isinstance(loaded.value, dict) else None
    if not isinstance(entries, list):
        loaded.error(
            ("shelters",), 'the file must have a "shelters:" list (see the example at its top)'
        )
        return
    SHELTERS.check(loaded.value, (), loaded)
    loaded.describe = shelter_label(loaded)
    tz = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    today = datetime.now(tz).date()
    field_lines = {}  # entry position -> {field: line}, for EntryProblems
    for key, line in loaded.lines.items():
        if len(key) == 3 and key[0] == "shelters":
            field_lines.setdefault(key[1], {})[key[2]] = line
    seen = {}
    models = []
    for position, entry in enumerate(entries):
        path = ("shelters", position)
        entry_lines = (loaded.line(path), field_lines.get(position, {}))
        if not isinstance(entry, dict):
            report.error(
                shown, f"entry #{position + 1} must be a mapping of fields", entry_lines[0]
            )
            continue
        if not SHELTER.check(entry, path, loaded):
            continue  # the wrong shape is reported; check_entry needs the right one
        ident = entry.get("id")
        problems = EntryProblems(report, shown, ident or f"#{position + 1}", entry_lines)
        if ident is not None and (not isinstance(ident, str) or not ID_RE.match(ident)):
            problems.error("id", "use lower-case letters, digits and hyphens, e.g. casa-esperanza")
        elif ident in seen:
            problems.error("id", f"is already used by the entry on line {seen[ident]}")
        elif ident:
            seen[ident] = entry_lines[0]
        model = check_entry(entry, problems, settings, today)
        model["line"] = entry_lines[0]
        models.append(model)
    if len(report.errors) > errors_before:
        return  # nothing is published from a directory with errors
    opts = options(settings)
    limit = today - relativedelta(months=opts["stale_months"])
    preview = is_preview(settings)
    published = []
    for model in models:
        model["stale"] = model["verified_on"] is not None and model["verified_on"] < limit
        if model["verified_on"] is not None or preview:
            published.append(model)
        if model["stale"]:
            notice = (
                f'shelter "{model["id"]}", verified_on: {model["verified_on"].isoformat()} is '
                f"more than {opts['stale_months']} months ago; call them, check every detail, "
                "then update verified_on"
            )
        elif model["verified_on"] is None and not preview:
            # The directory grows one confirmed entry at a time: the others wait in the preview.
            _inform(
                f'{shown}:{model["line"]}: shelter "{model["id"]}" has no verified_on: '
                "left out of the publish build"
            )
            continue
        elif model["verified_on"] is None:
            notice = (
                f'shelter "{model["id"]}", verified_on: not verified yet; call them, check '
                "every detail, then add verified_on"
            )
        else:
            continue
        if opts["stale_is_warning"]:
            report.warning(shown, notice, model["line"])
        else:
            _notices.warning("%s:%s: %s", shown, model["line"], notice)
    published.sort(key=lambda m: (_fold(state_names(m["state"], "es")), _fold(m["name"])))
    settings["_SHELTER_ENTRIES"] = published
    # The directory page exists as soon as the file has entries, even when none is published
    # yet: it then sends visitors to the national line instead of listing organisations.
    site["shelter_directory"] = bool(models)


# ---------------------------------------------------------------- pages


def directory_path(settings, lang):
    try:
        return listing_path(settings, lang, "shelters")
    except KeyError:
        words = options(settings)["directory"]
        return languages(settings)[lang]["prefix"] + words.get(lang, words["default"]) + "/"


def sub_word(settings, lang, kind):
    paths = options(settings)["paths"]
    return paths.get(lang, paths["default"]).get(kind, paths["default"][kind])


def jsonld(entries, lang, page_url, siteurl):
    """schema.org data for the public entries on a page; confidential ones are never in it."""
    graph = []
    for entry in entries:
        if not entry["public"]:
            continue
        item = {
            "@type": "Organization",
            "@id": f"{siteurl}/{page_url}#shelter-{entry['id']}",
            "name": entry["name"],
            "description": entry["description"].get(lang) or entry["description"].get("es"),
            "areaServed": {"@type": "State", "name": STATES[entry["state"]]["inegi"]},
        }
        phones = [p["tel"] for p in entry["phones"] if not p["pending"]]
        if phones:
            item["telephone"] = phones[0] if len(phones) == 1 else phones
        if entry["email"] and not entry["email"]["pending"]:
            item["email"] = entry["email"]["address"]
        if entry["address"]:
            item["address"] = {
                "@type": "PostalAddress",
                "streetAddress": entry["address"],
                "addressLocality": entry["municipality"] or "",
                "addressRegion": STATES[entry["state"]]["inegi"],
                "addressCountry": "MX",
            }
        if entry["geo"]:
            item["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": entry["geo"]["lat"],
                "longitude": entry["geo"]["lon"],
            }
        graph.append(item)
    if not graph:
        return None
    # `<`, `>` and `&` escaped: a name such as "<!--<script>" cannot change how the page reads.
    return guards.jsonld({"@context": "https://schema.org", "@graph": graph}, indent=None)


class ShelterGenerator(Generator):
    """Index, per-state and per-service pages of the directory, in every language."""

    def generate_output(self, writer):
        if not self.settings.get("SITE", {}).get("shelter_directory"):
            return
        # In a publish build, only the entries with verified_on (see check_shelters); maybe none.
        entries = self.settings.get("_SHELTER_ENTRIES") or []
        langs = languages(self.settings)
        written = self.context.setdefault("alerta_listings", [])
        template = self.get_template("shelters")
        bases = {code: directory_path(self.settings, code) for code in langs}
        state_codes = sorted(
            {e["state"] for e in entries}, key=lambda c: _fold(state_names(c, "es"))
        )
        service_keys = [key for key in SERVICES if any(key in e["services"] for e in entries)]

        def state_url(code, lang):
            words = sub_word(self.settings, lang, "state")
            return f"{bases[lang]}{words}/{slug(state_names(code, 'es'))}/"

        def service_url(key, lang):
            fallback = langs[lang]["fallback"] or "en"
            words = sub_word(self.settings, lang, "service")
            return f"{bases[lang]}{words}/{service_slug(key, lang, fallback)}/"

        for lang in langs:
            fallback = langs[lang]["fallback"] or "en"
            states = [
                {
                    "code": code,
                    "label": state_names(code, lang),
                    "url": state_url(code, lang),
                    "count": sum(e["state"] == code for e in entries),
                }
                for code in state_codes
            ]
            services = [
                {
                    "key": key,
                    "label": service_label(key, lang, fallback),
                    "url": service_url(key, lang),
                    "count": sum(key in e["services"] for e in entries),
                }
                for key in service_keys
            ]
            labels = {
                "states": {s["code"]: s["label"] for s in states},
                "services": {s["key"]: s for s in services},
            }
            pages = [(bases[lang], bases, entries, None)]
            for state in states:
                alternates = {code: state_url(state["code"], code) for code in langs}
                chosen = [e for e in entries if e["state"] == state["code"]]
                pages.append((state["url"], alternates, chosen, {"kind": "state", **state}))
            for service in services:
                alternates = {code: service_url(service["key"], code) for code in langs}
                chosen = [e for e in entries if service["key"] in e["services"]]
                pages.append((service["url"], alternates, chosen, {"kind": "service", **service}))
            for url, alternates, chosen, current in pages:
                writer.write_file(
                    url + "index.html",
                    template,
                    self.context,
                    page_lang=lang,
                    alternates=alternates,
                    page_url=url,
                    shelters=chosen,
                    shelter_total=len(entries),
                    shelter_filter=current,
                    shelter_states=states,
                    shelter_services=services,
                    shelter_labels=labels,
                    shelter_index=bases[lang],
                    shelter_jsonld=jsonld(chosen, lang, url, self.settings.get("SITEURL", "")),
                )
                written.append({"url": url, "lang": lang, "alternates": alternates})


# ---------------------------------------------------------------- confidentiality guarantee


def confidential_needles(settings):
    """The secrets to look for: address and geo of every entry that is not `public: true`.

    Read straight from the data file (not from anything the build made), so that the check
    does not depend on the code it checks.
    """
    path = data_path(settings)
    if not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise BuildStopped(f"the confidentiality check cannot read {path}") from error
    needles = []
    for position, entry in enumerate((data or {}).get("shelters") or [], start=1):
        if not isinstance(entry, dict) or entry.get("public") is True:
            continue
        owner = str(entry.get("id") or f"#{position}")
        address = entry.get("address")
        if isinstance(address, dict):
            address = address.get("text")
        if address:
            needles += leakcheck.address_needles(owner, address)
        geo = entry.get("geo")
        if isinstance(geo, dict) and geo.get("lat") is not None and geo.get("lon") is not None:
            try:
                needles += leakcheck.geo_needles(owner, geo["lat"], geo["lon"])
            except (TypeError, ValueError):
                continue  # rejected by the data check before anything was written
    return needles


def confidentiality_check(pelican):
    """Scan every output file; on a hit delete the file and stop the build (exit status 1)."""
    settings = pelican.settings
    needles = confidential_needles(settings)
    output = pelican.output_path
    if not needles or not os.path.isdir(output):
        return
    # Name files as in the folder that would have been published (plugins.atomic stages it).
    final = getattr(pelican, "_alerta_final_output", None) or output
    # Files whose exact bytes were scanned clean for the same locations are not scanned again.
    fingerprint = hashlib.sha256(repr(sorted(map(repr, needles))).encode()).hexdigest()[:16]
    memo = os.path.join(settings["CACHE_PATH"], "leakcheck", fingerprint + ".json")
    try:
        with open(memo, encoding="utf-8") as handle:
            clean = set(json.load(handle))
    except (OSError, ValueError):
        clean = set()
    clean_now = set()
    # Folders still being written in the background (the search index, the cards) are
    # scanned each once its work is done; everything else meanwhile.
    pending = pipeline.pending_folders()
    rounds = [(None, set(pending))] + [({folder}, set()) for folder in pending]
    hits, unreadable = [], []
    for include, exclude in rounds:
        if include is not None:
            pipeline.finish_background(sorted(include))
        found, cannot = leakcheck.scan_tree(
            output,
            needles,
            os.path.basename(final.rstrip("/")),
            clean,
            clean_now,
            workers=os.cpu_count() or 1,
            folders=(include, exclude),
        )
        hits += found
        unreadable += cannot
    # The memo keeps this build's files only, and is left alone when nothing changed.
    if not hits and not unreadable and clean_now != clean:
        os.makedirs(os.path.dirname(memo), exist_ok=True)
        with open(memo, "w", encoding="utf-8") as handle:
            json.dump(sorted(clean_now), handle)
    for hit in hits:
        real = os.path.join(output, hit.file)
        if hit.file and os.path.isfile(real):
            os.remove(real)
        _notices.error(
            '%s: contains the confidential %s of shelter "%s"; the file was deleted',
            hit.path,
            hit.field,
            hit.owner,
        )
    for item in unreadable:
        _notices.error(
            "%s: %s, so it cannot be checked for confidential shelter data",
            item.path,
            item.reason,
        )
    if hits or unreadable:
        raise BuildStopped(
            f"confidentiality check failed: {len(hits)} leak(s), {len(unreadable)} file(s) "
            "that cannot be checked, listed above; do not publish this output"
        )


def get_generators(_pelican):
    return ShelterGenerator


def register():
    register_check(check_shelters)
    # An entry nobody has confirmed yet (no `verified_on`) is left out of the publish build, so
    # its editors' notes do not stop it.
    publish_gate.register_unpublished("shelters.yml", lambda entry: not entry.get("verified_on"))
    pipeline.add_generator(ShelterGenerator)
    pipeline.add_step("deploy", pipeline.alongside(confidentiality_check))
