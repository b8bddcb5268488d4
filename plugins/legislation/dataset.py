"""legislation.yml and mx_tilegrid.yml, read through the shared loader and checked as a whole.

``read_dataset(settings, report)`` checks both files (each problem one line, ``file:line:
message``, all at once) and returns the dataset the pages are made from, scored (scoring.py),
or None when there is no legislation.yml or when a problem was reported. ``check_dataset`` is
the same reading registered as a data check (``alerta.report.register_check``), so the build
stops before anything is written; the generator reads the files again for its pages, so no
setting or context key carries the dataset from one to the other.
"""

import os

from alerta import data
from alerta.i18n import required_languages
from alerta.report import has_languages

from .options import legislation_options
from .records import check_criteria, check_record, check_sources, record_label
from .scoring import compute
from .tilegrid import check_layout
from .urls import Urls
from .values import is_flag, parse_date, texts

__all__ = ["check_dataset", "read_dataset"]


def read_dataset(settings, report):
    """The checked and scored dataset, or None (no legislation.yml, or problems reported)."""
    options = legislation_options(settings)
    root = settings["PATH"]
    base = os.path.dirname(os.path.abspath(root))
    path = os.path.join(root, options["data"])
    if not os.path.exists(path):
        return None
    urls = Urls(settings)  # the section has a folder in every language (else one line, stop)
    problems_before = len(report.errors)  # a report may hold other files' problems too
    layout_path = os.path.join(root, options["tilegrid"])
    layout_shown = os.path.relpath(layout_path, base)
    if not os.path.exists(layout_path):
        report.error(layout_shown, "is missing: the legislation map is drawn from it")
        return None
    layout = check_layout(layout_path, layout_shown, report, root)
    shown = os.path.relpath(path, base)
    where = data.load_data(path, shown, report, root)
    if where is None:
        return None
    dataset = where.value
    if not isinstance(dataset, dict):
        where.error((), 'must have "criteria:" and "entities:"')
        return None
    langs = required_languages(settings)
    criteria = check_criteria(dataset, where, langs)
    entities = dataset.get("entities")
    if not isinstance(entities, list):
        where.error(("entities",), '"entities:" must be a list (federal level and 32 states)')
        return None
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
    # An entity's page may not take the name of the methodology or history page, in any language.
    reserved = {word for words in urls.words.values() for word in words.values()}
    for record in records:
        if record["slug"] in slugs or record["slug"] in reserved:
            where.error(
                (*record["_path"], "name"),
                f'{record["code"]}: page name "{record["slug"]}" clashes',
            )
        slugs[record["slug"]] = record["code"]
    proteja = check_proteja(dataset.get("proteja"), where, langs)
    if len(report.errors) > problems_before:
        return None
    return compute(
        {"criteria": criteria, "records": records, "proteja": proteja, "layout": layout}, options
    )


def check_dataset(settings, report):
    """The registered data check: both files read and checked before anything is written.
    The dataset goes in the build's facts (``legislation``), so the pages do not read it again."""
    return {"legislation": read_dataset(settings, report)}


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
        "verify": is_flag(value.get("verify")),
        "note": texts(value.get("note"), langs),
        "sources": sources,
        "verified_on": verified_on,
        "verified_by": texts(value.get("verified_by"), langs),
    }
