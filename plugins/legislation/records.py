"""Checking one record of legislation.yml: its criteria, its law and history, its answers.

Every problem names the entity and the field (``state JAL: law.source is missing``) at the line
of the file it is on, and a record is normalised for the pages while it is checked: texts in
every language, dates parsed (see dates.py), answers as words (see values.py).
"""

import re

from pelican.utils import slugify

from alerta import data
from alerta.report import has_languages

from .dates import parse_law_date
from .values import (
    CRITERION_STATUSES,
    LAW_STATUSES,
    UNKNOWN,
    answer_word,
    is_flag,
    is_unknown,
    parse_date,
    texts,
)

__all__ = [
    "LAW_DATES",
    "check_answer",
    "check_criteria",
    "check_law",
    "check_record",
    "check_sources",
    "record_label",
]

LEVELS = ("federal", "state")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$")
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


# The shape of a record, checked before anything reads it (alerta.data); the rest,
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


def check_criteria(dataset, where, langs):
    """The criteria, defined once: key, name and description in every language."""
    criteria, seen = [], set()
    items = dataset.get("criteria")
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
    """One criterion answer: a status word, or {status, note, verify} (see values.py)."""
    answer = value if isinstance(value, dict) else {"status": value}
    status_path = (*path, "status") if answer is value else path
    given = answer.get("status")
    written = where.scalars.get(tuple(status_path)) if isinstance(given, bool) else given
    status = answer_word(given, written)
    if status not in CRITERION_STATUSES:
        where.error(
            status_path,
            f'{who}: criteria.{key} status "{str(written).strip()}" is not one of: '
            + ", ".join(CRITERION_STATUSES),
        )
        status = UNKNOWN
    note = answer.get("note")
    if note is not None and not has_languages(texts(note, langs), langs):
        where.error((*path, "note"), f"{who}: criteria.{key}.note needs text in every language")
    for name in answer:
        if name not in ("status", "note", "verify"):
            where.error((*path, name), f"{who}: criteria.{key}.{name} is not a known field")
    return {"status": status, "note": texts(note, langs), "verify": is_flag(answer.get("verify"))}


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
        "verify": is_flag(item.get("verify")),
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
