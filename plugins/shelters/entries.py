"""The data file, read once per build: validated before anything is written, and the entries a
build publishes.

``check_shelters`` runs with the other data checks (alerta.report.register_check), before
Pelican reads any content: every problem of content/data/shelters.yml is one line naming the
entry id and the field (see fields.py), all of them at once, and nothing is written. It keeps
what it read in the build's facts for the pages (``directory``), so the file is read once.

The directory grows one confirmed entry at a time: a publish build (``PREVIEW = False``) leaves
out every entry without ``verified_on``, with one information line each, as if it were not in
the file. The editors' preview shows them all.
"""

import difflib
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from alerta import data
from alerta.console import inform as _inform
from alerta.i18n import languages, required_languages
from alerta.options import options
from alerta.report import BuildStopped, Report, is_preview

from .fields import (
    EntryProblems,
    check_date,
    check_email,
    check_geo,
    check_languages,
    check_phones,
    check_text,
    check_verify_flag,
    check_whatsapp,
)
from .labels import SERVICES
from .places import STATE_INDEX, STATES, fold, resolve_state, state_names

__all__ = [
    "DEFAULTS",
    "Directory",
    "check_entry",
    "check_shelters",
    "data_path",
    "directory",
    "shelter_settings",
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

# A plain logger, so that stale-entry notices do not trip `--fatal warnings` (see DEFAULTS).
_notices = logging.Logger("alerta.shelters")
_notices.parent = logging.getLogger()


# ---------------------------------------------------------------- settings


def shelter_settings(settings):
    """SHELTERS over DEFAULTS; an unknown key stops the build with "did you mean"."""
    result = options(settings, "SHELTERS", DEFAULTS)
    given = settings.get("SHELTERS") or {}
    for key in ("paths", "directory"):  # keyed by language: any site language may be added
        if isinstance(given.get(key), dict):
            result[key] = {**DEFAULTS[key], **given[key]}
    return result


def data_path(settings):
    return os.path.join(settings["PATH"], shelter_settings(settings)["data"])


# ---------------------------------------------------------------- one entry


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
                fold(entry["state"]), [k for k in STATE_INDEX if not k.isdigit()], n=1
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


# ---------------------------------------------------------------- the file


def read_directory(settings, report):
    """The data file, validated, as a Directory; None when it has problems (in `report`)."""
    path = data_path(settings)
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    shown = os.path.relpath(path, base)
    if not os.path.exists(path):
        return Directory([], False)
    errors_before = len(report.errors)
    loaded = data.load_data(path, shown, report, settings["PATH"])
    if loaded is None or loaded.value is None:
        return None if len(report.errors) > errors_before else Directory([], False)
    entries = loaded.value.get("shelters") if isinstance(loaded.value, dict) else None
    if not isinstance(entries, list):
        loaded.error(
            ("shelters",), 'the file must have a "shelters:" list (see the example at its top)'
        )
        return None
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
        return None  # nothing is published from a directory with errors
    published = published_entries(settings, report, shown, models, today)
    published.sort(key=lambda m: (fold(state_names(m["state"], "es")), fold(m["name"])))
    # The directory page exists as soon as the file has entries, even when none is published
    # yet: it then sends visitors to the national line instead of listing organisations.
    return Directory(published, bool(models))


def published_entries(settings, report, shown, models, today):
    """The entries this build lists (in a publish build, the confirmed ones); notices about
    stale and unconfirmed entries."""
    opts = shelter_settings(settings)
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
    return published


@dataclass(frozen=True)
class Directory:
    """What the data file gives this build's pages."""

    entries: list  # the entries to list, sorted by state and name (maybe none)
    exists: bool  # the file has entries: the directory page is written, even with none listed


def check_shelters(settings, report):
    """The data check, run before anything is written. What it read goes in the build's facts
    (alerta.build): ``shelter_directory``, the Directory the pages list, read once per build;
    ``shelters_listed``, how many entries it lists (the home page says so when none)."""
    found = read_directory(settings, report)
    if found is None:
        return None
    return {"shelter_directory": found, "shelters_listed": len(found.entries)}


def directory(settings, facts):
    """This build's Directory: from the facts of the data check, or, when it did not run (a
    site without plugins.checks), read here, where a problem stops the build the same way."""
    found = facts.get("shelter_directory")
    if isinstance(found, Directory):
        return found
    report = Report()
    found = read_directory(settings, report)
    report.emit()
    if found is None or report.errors:
        raise BuildStopped(f"{len(report.errors)} problem(s) in the shelter directory, above")
    facts["shelters_listed"] = len(found.entries)
    return found
