"""The downloads: the whole dataset as one CSV and one JSON file, for journalists' tools.

Both hold the same records (``from_csv`` reads the CSV back to the JSON's records, which a test
checks); the editors' flags (``verify``, ``verify_note``) are in the preview's files only.
"""

import csv
import io
import json

from .records import LAW_DATES
from .scoring import INSUFFICIENT

__all__ = ["from_csv", "to_csv", "to_json"]


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
