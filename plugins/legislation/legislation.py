"""Legislative comparison: the federal level and the 32 states, criterion by criterion.

Reads ``content/data/legislation.yml`` (laws, criteria and answers) and
``content/data/mx_tilegrid.yml`` (a tile-grid layout of the 32 states), checks them with the
editor-facing checks (every problem names the state code and the field), computes a score,
coverage and tier per entity, and writes per language:

- a comparison page: an accessible table, an inline SVG tile map and the states most in need
  of reform (only from entities with enough known answers);
- a methodology page, a historical PROTEJA-era page (2007–2009) and one page per entity;

plus one CSV and one JSON download of the whole dataset. Unknown answers are never guessed:
they are excluded from the score and counted in the coverage; a record whose criteria nobody has
assessed yet says so in one line, and a page that holds no confirmed fact stays out of search.
Every fact about a law carries its source and the date it was checked. Editors' flags
(``verify``, ``verify_note``) reach the pages and downloads of the preview build only.

Settings: ``LEGISLATION`` (see DEFAULTS).
"""

import csv
import io
import json
import os
import re
from datetime import datetime

from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator
from pelican.utils import slugify

from alerta import data
from alerta.i18n import languages, page_lang, required_languages
from alerta.report import has_languages, is_preview, register_check
from plugins.pipeline import pipeline

from .dates import format_law_date, parse_law_date, sort_number

__all__ = [
    "CRITERION_STATUSES",
    "LAW_STATUSES",
    "LegislationGenerator",
    "compute",
    "from_csv",
    "register",
    "to_csv",
    "to_json",
]

DEFAULTS = {
    "data": "data/legislation.yml",  # under PATH (content/)
    "tilegrid": "data/mx_tilegrid.yml",
    # Words of the URLs after the language prefix; "default" serves every other language.
    "paths": {
        "es": {"base": "legislacion", "methodology": "metodologia", "history": "historia-proteja"},
        "default": {"base": "legislation", "methodology": "methodology", "history": "proteja-era"},
    },
    # Downloads (language-neutral), relative to the output folder.
    "csv": "legislacion/legislacion.csv",
    "json": "legislacion/legislacion.json",
    # Points per answer; "unknown" is never scored, it lowers the coverage instead.
    "points": {"yes": 2, "partial": 1, "no": 0},
    # Share of criteria that must be known before an entity gets a tier.
    "min_coverage": 0.7,
    # Tiers by score (percentage of the possible points among known answers), best first.
    "tiers": [("1", 75), ("2", 50), ("3", 25), ("4", 0)],
    # Entities with a tier and a score below this are "most in need of reform".
    "reform_below": 50,
    # Tile map geometry, in SVG user units.
    "tile": 46,
    "gap": 4,
}

CRITERION_STATUSES = ("yes", "partial", "no", "unknown")
# "none": no standalone law was found; "replaced": a newer law took its place.
LAW_STATUSES = ("in_force", "repealed", "replaced", "none", "unknown")
LEVELS = ("federal", "state")
INSUFFICIENT = "insufficient"
UNKNOWN = "unknown"
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates of a law may be known only to the month or the year (YYYY-MM, YYYY): see dates.py.
LAW_DATES = ("published", "approved", "in_force_from", "last_reform")
CHECKED = ("source", "note", "verified_on", "verified_by")
LAW_FIELDS = ("name", "status", *LAW_DATES, *CHECKED)
HISTORY_FIELDS = ("name", "status", *LAW_DATES[:3], "repealed", "repealed_by", *CHECKED)
RECORD_FIELDS = {
    "code",
    "level",
    "name",
    "law",
    "history",
    "criteria",
    "as_of",
    "verify",
    "verify_note",
}


# ---------------------------------------------------------------- reading the data files

# The shape of a record, checked before anything reads it (plugins/checks/data.py); the rest,
# unknown fields included, is checked below with messages that name the state and the field.
RECORD = data.Mapping(
    {
        "code": data.Either(data.Str(), data.Int(), expected="a state code"),
        "level": data.Str(),
        "name": data.Either(data.Str(), data.Mapping(other=data.Anything())),
        "history": data.List(),
    },
    other=data.Anything(),
)


def read_yaml(path, shown, report, root=None):
    """A data file through the shared loader (one YAML dialect, the line of every value):
    a `Data`, or None after one error line."""
    return data.load_data(path, shown, report, root)


def word(value, path, where):
    """A status as the editor wrote it: YAML reads `yes`/`no` as true/false (in every data
    file alike), so the text in the file tells `yes` from `on` or `true`."""
    if isinstance(value, bool):
        written = where.scalars.get(tuple(path))
        return written if written is not None else ("yes" if value else "no")
    return value


# ---------------------------------------------------------------- small parsers


def is_unknown(value):
    return value is None or (isinstance(value, str) and value.strip().lower() == UNKNOWN)


def parse_date(value):
    """A YYYY-MM-DD text -> date; `unknown`/empty -> None; anything else -> ValueError."""
    if is_unknown(value):
        return None
    text = str(value).strip()
    if not DATE_RE.match(text):
        raise ValueError(text)
    return datetime.strptime(text, "%Y-%m-%d").date()


def is_true(value):
    return value is True or (isinstance(value, str) and value.strip().lower() in ("yes", "true"))


def texts(value, langs):
    """A data text -> {lang: text} in every language (plain text counts for all)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {code: str(value.get(code) or "").strip() for code in langs}
    return {code: str(value).strip() for code in langs}


# ---------------------------------------------------------------- checking the data


def check_criteria(data, where, langs):
    criteria, seen = [], set()
    items = data.get("criteria")
    if not isinstance(items, list) or not items:
        where.error(("criteria",), '"criteria:" must be a list with at least one criterion')
        return criteria
    for position, item in enumerate(items):
        path = ("criteria", position)
        if not isinstance(item, dict):
            where.error(path, f"criterion #{position + 1}: must be a mapping (key, name, ...)")
            continue
        key = str(item.get("key") or "")
        if not KEY_RE.match(key):
            where.error(
                (*path, "key"),
                f'criterion #{position + 1}: key "{key}" must be lower-case letters, digits and _',
            )
            continue
        if key in seen:
            where.error((*path, "key"), f"criterion {key}: key is given twice")
            continue
        seen.add(key)
        for name in ("name", "description"):
            if not has_languages(item.get(name), langs):
                where.error(
                    (*path, name), f"criterion {key}: {name} needs text in " + " and ".join(langs)
                )
        criteria.append(
            {
                "key": key,
                "name": texts(item.get("name"), langs),
                "description": texts(item.get("description"), langs),
            }
        )
    return criteria


def check_law(law, path, who, where, langs, fields=LAW_FIELDS, label="law"):
    """Normalise one law mapping; every problem names the entity and the field."""
    if not isinstance(law, dict):
        where.error(path, f"{who}: {label} must be a mapping ({', '.join(fields)})")
        return None
    result = {}
    for name in law:
        if name not in fields:
            where.error((*path, name), f"{who}: {label}.{name} is not a known field")
    status = str(law.get("status", UNKNOWN)).strip()
    if status not in LAW_STATUSES:
        where.error(
            (*path, "status"),
            f'{who}: {label}.status "{status}" is not one of: ' + ", ".join(LAW_STATUSES),
        )
    result["status"] = status
    for name in ("name", "repealed_by"):
        if name in fields:
            value = law.get(name)
            result[name] = None if is_unknown(value) else str(value).strip()
    for name in (*LAW_DATES, "repealed"):
        if name not in fields:
            continue
        value = law.get(name)
        try:
            result[name] = None if is_unknown(value) else parse_law_date(str(value).strip())
        except ValueError:
            where.error(
                (*path, name),
                f'{who}: {label}.{name} "{value}" is not a date '
                "(use YYYY-MM-DD, or YYYY-MM or YYYY when only that is known, or unknown)",
            )
            result[name] = None
    result["sources"] = check_sources(law.get("source"), (*path, "source"), who, label, where)
    result["source"] = result["sources"][0] if result["sources"] else None
    for name in ("note", "verified_by"):
        value = law.get(name)
        if value is not None and not has_languages(texts(value, langs), langs):
            where.error((*path, name), f"{who}: {label}.{name} needs text in every language")
        result[name] = texts(value, langs)
    try:
        result["verified_on"] = parse_date(law.get("verified_on"))
    except ValueError:
        where.error(
            (*path, "verified_on"),
            f'{who}: {label}.verified_on "{law.get("verified_on")}" is not a date (YYYY-MM-DD)',
        )
        result["verified_on"] = None
    # A fact on the site is only as good as its source: say where and when it was checked.
    states_a_fact = result.get("name") or status != UNKNOWN or any(result.get(d) for d in LAW_DATES)
    if states_a_fact and not result["sources"]:
        where.error(path, f"{who}: {label}.source is missing (a link to where the facts are from)")
    if states_a_fact and is_unknown(law.get("verified_on")):
        where.error(path, f"{who}: {label}.verified_on is missing (the date the source was read)")
    return result


def check_sources(value, path, who, label, where):
    """`source:` is one https:// link or a list of them; `unknown` means none."""
    if is_unknown(value):
        return []
    items = value if isinstance(value, list) else [value]
    sources = []
    for position, item in enumerate(items):
        text = str(item).strip()
        # https://, or http:// where the source has nothing better; never javascript: & co.
        if not URL_RE.match(text) or data.url_problem(text, ("https", "http")):
            where.error(
                (*path, position) if isinstance(value, list) else path,
                f'{who}: {label + "." if label else ""}source "{item}" is not a URL '
                "(start it with https://)",
            )
            continue
        sources.append(text)
    return sources


def check_answer(value, path, who, key, where, langs):
    """One criterion answer: a status word, or {status, note, verify}."""
    answer = value if isinstance(value, dict) else {"status": value}
    written = word(answer.get("status"), (*path, "status") if answer is value else path, where)
    status = str(written if written is not None else UNKNOWN).strip().lower()
    if status not in CRITERION_STATUSES:
        where.error(
            path if not isinstance(value, dict) else (*path, "status"),
            f'{who}: criteria.{key} status "{written}" is not one of: '
            + ", ".join(CRITERION_STATUSES),
        )
        status = UNKNOWN
    note = answer.get("note")
    if note is not None and not has_languages(texts(note, langs), langs):
        where.error((*path, "note"), f"{who}: criteria.{key}.note needs text in every language")
    for name in answer:
        if name not in ("status", "note", "verify"):
            where.error((*path, name), f"{who}: criteria.{key}.{name} is not a known field")
    return {"status": status, "note": texts(note, langs), "verify": is_true(answer.get("verify"))}


def check_record(item, position, criteria, layout, where, langs, slug_subs):
    path = ("entities", position)
    if not isinstance(item, dict):
        where.error(path, f"entity #{position + 1}: must be a mapping (code, name, law, ...)")
        return None
    if not RECORD.check(item, path, where):
        return None  # the wrong shape is reported; the checks below need the right one
    code = str(item.get("code") or "").strip()
    level = str(item.get("level") or "state").strip()
    who = f"{'federal' if level == 'federal' else 'state'} {code or f'#{position + 1}'}"
    if not code:
        where.error(path, f"{who}: code is missing")
        return None
    if level not in LEVELS:
        where.error((*path, "level"), f'{who}: level "{level}" is not one of: federal, state')
        return None
    if level == "state" and layout and code not in layout["tiles"]:
        where.error(
            (*path, "code"),
            f'{who}: code "{code}" is not one of the 32 state codes in the tile grid '
            "(ISO 3166-2:MX without MX-, e.g. AGU, CMX, YUC)",
        )
    for name in item:
        if name not in RECORD_FIELDS:
            where.error((*path, name), f"{who}: {name} is not a known field (is it misspelt?)")
    name = texts(item.get("name"), langs)
    if not name or not has_languages(name, langs):
        where.error((*path, "name"), f"{who}: name is missing")
    law = check_law(item.get("law", {}), (*path, "law"), who, where, langs)
    history = []
    for number, old in enumerate(item.get("history") or []):
        old_path = (*path, "history", number)
        entry = check_law(old, old_path, who, where, langs, fields=HISTORY_FIELDS, label="history")
        if entry:
            history.append(entry)
    answers = item.get("criteria") or {}
    if not isinstance(answers, dict):
        where.error((*path, "criteria"), f"{who}: criteria must be a mapping (key: status)")
        answers = {}
    defined = [c["key"] for c in criteria]
    for key in answers:
        if key not in defined:
            where.error(
                (*path, "criteria", key),
                f"{who}: criteria.{key} is not a defined criterion (defined: "
                + ", ".join(defined)
                + ")",
            )
    result_answers = {}
    for key in defined:
        if key not in answers:
            where.error(
                (*path, "criteria"), f"{who}: criteria.{key} is missing (write {key}: unknown)"
            )
        result_answers[key] = check_answer(
            answers.get(key), (*path, "criteria", key), who, key, where, langs
        )
    try:
        as_of = parse_date(item.get("as_of"))
        if as_of is None:
            where.error((*path, "as_of"), f"{who}: as_of is missing (YYYY-MM-DD)")
    except ValueError:
        where.error(
            (*path, "as_of"), f'{who}: as_of "{item.get("as_of")}" is not a date (use YYYY-MM-DD)'
        )
        as_of = None
    verify_note = item.get("verify_note")
    if verify_note is not None and not has_languages(texts(verify_note, langs), langs):
        where.error((*path, "verify_note"), f"{who}: verify_note needs text in every language")
    slug = (
        "federal"
        if level == "federal"
        else slugify(name[langs[0]] if name else code, regex_subs=slug_subs)
    )
    if not slug and name and has_languages(name, langs):
        where.error(
            (*path, "name"),
            f'{who}: name "{name[langs[0]]}" gives an empty page address; write it with letters',
        )
        return None
    return {
        "code": code,
        "level": level,
        "slug": slug,
        "name": name,
        "law": law or {f: None for f in LAW_FIELDS} | {"status": UNKNOWN, "sources": []},
        "history": history,
        "criteria": result_answers,
        "as_of": as_of,
        "verify": is_true(item.get("verify")),
        "verify_note": texts(verify_note, langs),
        "_path": path,
    }


def record_label(entities):
    """`state JAL: history` for a shape problem of a record, as the checks below say it."""

    def describe(path):
        if len(path) < 2 or path[0] != "entities":
            return data.dotted(path)
        item = entities[path[1]]
        code = str(item.get("code") or "").strip() if isinstance(item, dict) else ""
        level = item.get("level") if isinstance(item, dict) else None
        who = f"{'federal' if level == 'federal' else 'state'} {code or f'#{path[1] + 1}'}"
        return f"{who}: {data.dotted(path[2:])[:-1]}" if len(path) > 2 else f"{who}:"

    return describe


def check_layout(path, shown, report, root=None):
    where = read_yaml(path, shown, report, root)
    if where is None:
        return None
    grid = where.value
    if not isinstance(grid, dict) or not isinstance(grid.get("tiles"), dict):
        where.error((), '"tiles:" must map each state code to [column, row]')
        return None
    columns, rows = grid.get("columns"), grid.get("rows")
    whole = data.Int().accepts
    if not (whole(columns) and whole(rows) and columns > 0 and rows > 0):
        where.error(("columns",), '"columns:" and "rows:" must be whole numbers')
        return None
    tiles, taken = {}, {}
    for code, place in grid["tiles"].items():
        ok = (
            isinstance(place, list)
            and len(place) == 2
            and all(data.Int().accepts(n) for n in place)
            and 0 <= place[0] < columns
            and 0 <= place[1] < rows
        )
        if not ok:
            where.error(
                ("tiles", str(code)),
                f"state {code}: tile must be [column, row] inside the {columns}×{rows} grid",
            )
            continue
        if tuple(place) in taken:
            where.error(
                ("tiles", str(code)), f"state {code}: tile {place} is already {taken[tuple(place)]}"
            )
        taken[tuple(place)] = code
        tiles[str(code)] = tuple(place)
    if len(grid["tiles"]) != 32:
        where.error(("tiles",), f"the grid must have 32 tiles, one per state ({len(tiles)} given)")
    return {"columns": columns, "rows": rows, "tiles": tiles}


def check_dataset(settings, report):
    """The registered check: validate both files, then keep the dataset for the generator."""
    options = legislation_settings(settings)
    root = settings["PATH"]
    base = os.path.dirname(os.path.abspath(root))
    settings["LEGISLATION_DATA"] = None
    path = os.path.join(root, options["data"])
    if not os.path.exists(path):
        return
    layout_path = os.path.join(root, options["tilegrid"])
    layout_shown = os.path.relpath(layout_path, base)
    if not os.path.exists(layout_path):
        report.error(layout_shown, "is missing: the legislation map is drawn from it")
        return
    layout = check_layout(layout_path, layout_shown, report, root)
    shown = os.path.relpath(path, base)
    where = read_yaml(path, shown, report, root)
    if where is None:
        return
    dataset = where.value
    if not isinstance(dataset, dict):
        where.error((), 'must have "criteria:" and "entities:"')
        return
    langs = required_languages(settings)
    criteria = check_criteria(dataset, where, langs)
    entities = dataset.get("entities")
    if not isinstance(entities, list):
        where.error(("entities",), '"entities:" must be a list (federal level and 32 states)')
        return
    where.describe = record_label(entities)
    # Records whose own problems are reported still exist: no "missing" line for them.
    written = [item for item in entities if isinstance(item, dict)]
    records, first_line = [], {}
    for position, item in enumerate(entities):
        record = check_record(
            item, position, criteria, layout, where, langs, settings["SLUG_REGEX_SUBSTITUTIONS"]
        )
        if record is None:
            continue
        code = record["code"]
        kind = "federal" if record["level"] == "federal" else "state"
        if code in first_line:
            where.error(
                (*record["_path"], "code"),
                f"{kind} {code}: code is given twice (first on line {first_line[code]})",
            )
            continue
        first_line[code] = where.line((*record["_path"], "code"))
        records.append(record)
    federal = [item for item in written if str(item.get("level")).strip() == "federal"]
    if len(federal) != 1:
        where.error(
            ("entities",), f"exactly one entity must have level: federal ({len(federal)} found)"
        )
    if layout:
        present = {str(item.get("code")).strip() for item in written}
        for code in sorted(set(layout["tiles"]) - present):
            where.error(
                ("entities",), f"state {code}: record is missing (write it with unknown answers)"
            )
    slugs = {}
    for record in records:
        reserved = {words["methodology"] for words in options["paths"].values()} | {
            words["history"] for words in options["paths"].values()
        }
        if record["slug"] in slugs or record["slug"] in reserved:
            where.error(
                (*record["_path"], "name"),
                f'{record["code"]}: page name "{record["slug"]}" clashes',
            )
        slugs[record["slug"]] = record["code"]
    proteja = check_proteja(dataset.get("proteja"), where, langs)
    if report.errors:
        return
    settings["LEGISLATION_DATA"] = compute(
        {"criteria": criteria, "records": records, "proteja": proteja, "layout": layout}, options
    )


def check_proteja(value, where, langs):
    """The PROTEJA project's own account: a count of state laws, a note and its source.

    Its source names no states, so neither does the data (there is no field for them)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        where.error(("proteja",), "proteja must be a mapping (period, states_count, note, ...)")
        return None
    known = ("period", "states_count", "note", "source", "verified_on", "verified_by", "verify")
    for name in value:
        if name not in known:
            where.error(("proteja", name), f"proteja: {name} is not a known field")
    count = value.get("states_count")
    if count is not None and (not data.Int().accepts(count) or count < 0):
        where.error(("proteja", "states_count"), "proteja: states_count must be a whole number")
        count = None
    for name in ("note", "verified_by"):
        if value.get(name) is not None and not has_languages(texts(value[name], langs), langs):
            where.error(("proteja", name), f"proteja: {name} needs text in every language")
    sources = check_sources(value.get("source"), ("proteja", "source"), "proteja", None, where)
    if (value.get("note") is not None or count) and not sources:
        where.error(("proteja",), "proteja: source is missing (a link to where the note is from)")
    try:
        verified_on = parse_date(value.get("verified_on"))
    except ValueError:
        where.error(("proteja", "verified_on"), "proteja: verified_on is not a date (YYYY-MM-DD)")
        verified_on = None
    return {
        "period": str(value.get("period") or ""),
        "states_count": count,
        "verify": is_true(value.get("verify")),
        "note": texts(value.get("note"), langs),
        "sources": sources,
        "verified_on": verified_on,
        "verified_by": texts(value.get("verified_by"), langs),
    }


# ---------------------------------------------------------------- scores and tiers


def score(answers, options):
    """(score %, points, known, total) from criterion answers; unknown answers are excluded."""
    points_for = options["points"]
    known = [a["status"] for a in answers.values() if a["status"] != UNKNOWN]
    points = sum(points_for[status] for status in known)
    best = max(points_for.values()) * len(known)
    percent = round(100 * points / best) if best else None
    return percent, points, len(known), len(answers)


def tier(percent, known, total, options):
    if not total or known / total < options["min_coverage"] or percent is None:
        return INSUFFICIENT
    for name, minimum in options["tiers"]:
        if percent >= minimum:
            return name
    return options["tiers"][-1][0]


def compute(dataset, options):
    """Add score, points, known, total and tier to every record; order and summarise."""
    for record in dataset["records"]:
        percent, points, known, total = score(record["criteria"], options)
        record.update(score=percent, points=points, known=known, total=total)
        record["tier"] = tier(percent, known, total, options)
        record["confirmed"] = has_confirmed_fact(record)
        record["law_sort"] = law_sort(record["law"])
    records = sorted(dataset["records"], key=lambda r: (r["level"] != "federal", r["code"]))
    states = [r for r in records if r["level"] == "state"]
    rated = [r for r in states if r["tier"] != INSUFFICIENT]
    dataset.update(
        records=records,
        federal=next((r for r in records if r["level"] == "federal"), None),
        states=states,
        by_code={r["code"]: r for r in records},
        needs_reform=sorted(
            (r for r in rated if r["score"] < options["reform_below"]),
            key=lambda r: (r["score"], r["code"]),
        ),
        no_law=[r for r in states if r["law"]["status"] == "none"],
        insufficient=[r for r in states if r["tier"] == INSUFFICIENT],
        tier_counts={
            name: sum(1 for r in states if r["tier"] == name)
            for name in [t[0] for t in options["tiers"]] + [INSUFFICIENT]
        },
        as_of=max((r["as_of"] for r in records if r["as_of"]), default=None),
        as_of_first=min((r["as_of"] for r in records if r["as_of"]), default=None),
        options=options,
        min_known=min_known(len(dataset["criteria"]), options),
    )
    return dataset


def law_sort(law):
    """Sort key of the comparison table's law column: the law's first known date."""
    if law["status"] == "none":
        return -1
    dates = [law.get(name) for name in ("published", "approved", "in_force_from")]
    return next((sort_number(d) for d in dates if d), 0)


def has_confirmed_fact(record):
    """True when the record states anything from a source: a law, a date, an answer.

    A page without one only says what is not known yet, so it is kept out of search."""
    law = record["law"]
    return bool(
        law.get("name")
        or law["status"] != UNKNOWN
        or any(law.get(name) for name in LAW_DATES)
        or record["history"]
        or record["known"]
    )


def min_known(total, options):
    """Smallest number of known answers that reaches the minimum coverage."""
    return next(n for n in range(total + 1) if total == 0 or n / total >= options["min_coverage"])


# ---------------------------------------------------------------- downloads


def export_law(law):
    return {
        "name": law.get("name"),
        "status": law["status"],
        **{name: iso(law.get(name)) for name in LAW_DATES},
        "sources": list(law.get("sources") or []),
        "note": law.get("note"),
        "verified_on": iso(law.get("verified_on")),
        "verified_by": law.get("verified_by"),
    }


def export_record(record, criteria, editors=False):
    """One record for the downloads; the editors' flags only in the preview (`editors`)."""

    def answer(key):
        found = record["criteria"][key]
        result = {"status": found["status"], "note": found["note"]}
        return result | ({"verify": found["verify"]} if editors else {})

    data = {
        "code": record["code"],
        "level": record["level"],
        "name": record["name"],
        "law": export_law(record["law"]),
        "criteria": {c["key"]: answer(c["key"]) for c in criteria},
        "as_of": iso(record["as_of"]),
        "score": record["score"],
        "points": record["points"],
        "known": record["known"],
        "total": record["total"],
        "tier": record["tier"],
    }
    if editors:
        data.update(verify=record["verify"], verify_note=record["verify_note"])
    return data


def iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def to_json(dataset, langs, editors=False):
    criteria = dataset["criteria"]
    options = dataset["options"]
    document = {
        "title": "Alerta Trata: anti-trafficking laws of Mexico, federal level and 32 states",
        "as_of": iso(dataset["as_of"]),
        "method": {
            "points": options["points"],
            "unknown": "not assessed yet: excluded from the score; lowers the coverage "
            "(known / total)",
            "score": "round(100 * points / (2 * known))",
            "min_coverage": options["min_coverage"],
            "tiers": {name: minimum for name, minimum in options["tiers"]},
            "insufficient": INSUFFICIENT,
            "dates": "YYYY-MM-DD, or YYYY-MM or YYYY when the source gives only that",
        },
        "languages": langs,
        "criteria": criteria,
        "records": [export_record(r, criteria, editors) for r in dataset["records"]],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def csv_columns(criteria, langs, editors=False):
    columns = ["code", "level", *(f"name_{lang}" for lang in langs)]
    columns += [f"law_{name}" for name in ("name", "status", *LAW_DATES, "sources")]
    columns += [f"law_note_{lang}" for lang in langs] + ["law_verified_on"]
    columns += [f"law_verified_by_{lang}" for lang in langs] + ["as_of"]
    if editors:
        columns += ["verify", *(f"verify_note_{lang}" for lang in langs)]
    columns += ["score", "points", "known", "total", "tier"]
    for criterion in criteria:
        key = criterion["key"]
        columns += [key, *(f"{key}_note_{lang}" for lang in langs)]
        columns += [f"{key}_verify"] if editors else []
    return columns


def to_csv(dataset, langs, editors=False):
    criteria = dataset["criteria"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, csv_columns(criteria, langs, editors), lineterminator="\r\n")
    writer.writeheader()
    for record in dataset["records"]:
        data = export_record(record, criteria, editors)
        law = data["law"]
        row = {"code": data["code"], "level": data["level"]}
        for name in ("name", "status", *LAW_DATES, "verified_on"):
            row[f"law_{name}"] = law[name]
        row["law_sources"] = " ".join(law["sources"])  # a URL never holds a space
        for lang in langs:
            row[f"name_{lang}"] = data["name"][lang]
            row[f"law_note_{lang}"] = (law["note"] or {}).get(lang, "")
            row[f"law_verified_by_{lang}"] = (law["verified_by"] or {}).get(lang, "")
        row.update(
            {name: data[name] for name in ("as_of", "score", "points", "known", "total", "tier")}
        )
        if editors:
            row["verify"] = "true" if data["verify"] else "false"
            for lang in langs:
                row[f"verify_note_{lang}"] = (data["verify_note"] or {}).get(lang, "")
        for key, answer in data["criteria"].items():
            row[key] = answer["status"]
            if editors:
                row[f"{key}_verify"] = "true" if answer["verify"] else "false"
            for lang in langs:
                row[f"{key}_note_{lang}"] = (answer["note"] or {}).get(lang, "")
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def from_csv(text, criteria_keys, langs):
    """Records as in the JSON download, read back from the CSV (for journalists' tools).

    The editors' columns (verify, verify_note) are read when the CSV has them (preview)."""

    def value(text):
        return text if text != "" else None

    def number(text):
        return int(text) if text not in ("", None) else None

    def translated(row, prefix):
        result = {lang: row[f"{prefix}_{lang}"] for lang in langs}
        return result if any(result.values()) else None

    records = []
    for row in csv.DictReader(io.StringIO(text)):
        editors = "verify" in row

        def answer(key, row=row, editors=editors):
            result = {"status": row[key], "note": translated(row, f"{key}_note")}
            return result | ({"verify": row[f"{key}_verify"] == "true"} if editors else {})

        law = {name: value(row[f"law_{name}"]) for name in ("name", "status", *LAW_DATES)}
        law.update(
            sources=row["law_sources"].split(),
            note=translated(row, "law_note"),
            verified_on=value(row["law_verified_on"]),
            verified_by=translated(row, "law_verified_by"),
        )
        record = {
            "code": row["code"],
            "level": row["level"],
            "name": {lang: row[f"name_{lang}"] for lang in langs},
            "law": law,
            "criteria": {key: answer(key) for key in criteria_keys},
            "as_of": value(row["as_of"]),
            "score": number(row["score"]),
            "points": number(row["points"]),
            "known": number(row["known"]),
            "total": number(row["total"]),
            "tier": row["tier"],
        }
        if editors:
            record.update(
                verify=row["verify"] == "true", verify_note=translated(row, "verify_note")
            )
        records.append(record)
    return records


# ---------------------------------------------------------------- URLs and the map


def legislation_settings(settings):
    options = {**DEFAULTS, **(settings.get("LEGISLATION") or {})}
    options["paths"] = {**DEFAULTS["paths"], **options.get("paths", {})}
    return options


def words_for(options, lang):
    return {**options["paths"]["default"], **options["paths"].get(lang, {})}


def url_for(settings, lang, kind, slug=None):
    """URL (no leading slash) of a legislation page: index, methodology, history or record."""
    options = legislation_settings(settings)
    words = words_for(options, lang)
    base = languages(settings)[lang]["prefix"] + words["base"] + "/"
    if kind == "index":
        return base
    if kind == "record":
        return f"{base}{slug}/"
    return f"{base}{words[kind]}/"


def tile_map(dataset, settings, lang):
    """Tiles with position, size and target URL, for components/legislation_map.html."""
    options = dataset["options"]
    layout = dataset["layout"]
    pitch = options["tile"] + options["gap"]
    tiles = []
    for code, (column, row) in sorted(layout["tiles"].items(), key=lambda t: (t[1][1], t[1][0])):
        record = dataset["by_code"][code]
        tiles.append(
            {
                "record": record,
                "x": column * pitch,
                "y": row * pitch,
                "cx": column * pitch + options["tile"] // 2,
                "url": url_for(settings, lang, "record", record["slug"]),
            }
        )
    return {
        "tiles": tiles,
        "size": options["tile"],
        "width": layout["columns"] * pitch - options["gap"],
        "height": layout["rows"] * pitch - options["gap"],
    }


# ---------------------------------------------------------------- pages


class LegislationGenerator(Generator):
    """Comparison, methodology, history and per-entity pages per language; CSV and JSON."""

    def generate_output(self, writer):
        dataset = self.settings.get("LEGISLATION_DATA")
        if not dataset:
            return
        options = dataset["options"]
        langs = languages(self.settings)
        written = self.context.setdefault("alerta_listings", [])

        def urls(kind, slug=None):
            return {code: url_for(self.settings, code, kind, slug) for code in langs}

        def write(kind, template, lang, slug=None, **extra):
            alternates = urls(kind, slug)
            url = alternates[lang]
            writer.write_file(
                url + "index.html",
                self.get_template(template),
                self.context,
                page_lang=lang,
                alternates=alternates,
                page_url=url,
                leg=dataset,
                **extra,
            )
            written.append({"url": url, "lang": lang, "alternates": alternates})

        for lang in langs:
            common = {
                "tilemap": tile_map(dataset, self.settings, lang),
                "downloads": {"csv": options["csv"], "json": options["json"]},
            }
            write("index", "legislation", lang, **common)
            write("methodology", "legislation_methodology", lang, **common)
            write("history", "legislation_history", lang, **common)
            for record in dataset["records"]:
                write("record", "legislation_record", lang, record["slug"], record=record)
        required = required_languages(self.settings)
        editors = is_preview(self.settings)
        for name, text in (
            (options["csv"], to_csv(dataset, required, editors)),
            (options["json"], to_json(dataset, required, editors)),
        ):
            path = os.path.join(self.output_path, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)


def install_globals(generator):
    """`legislation_path(kind, slug=None)` in every template, in the page's language."""
    settings = generator.settings

    @pass_context
    def legislation_path(ctx, kind="index", slug=None):
        if not settings.get("LEGISLATION_DATA"):
            return None
        return url_for(settings, page_lang(ctx), kind, slug)

    @pass_context
    def law_date(ctx, value):
        """A law's date with only the parts the source gives (day, or month, or year)."""
        if not value:
            return ""
        return format_law_date(value, languages(settings)[page_lang(ctx)]["locale"])

    generator.env.globals["legislation_path"] = legislation_path
    generator.env.filters["law_date"] = law_date


def get_generators(_pelican):
    return LegislationGenerator


def register():
    register_check(check_dataset)
    signals.generator_init.connect(install_globals)
    pipeline.add_generator(get_generators(None))
