"""Scores, tiers and the summaries of the comparison, computed from the checked records.

An answer scores its points (LEGISLATION["points"]: yes 2, partial 1, no 0); ``unknown`` is
never scored: it is left out of the score and lowers the coverage (known / total) instead. An
entity gets a tier only when enough of its criteria are known (``min_coverage``); the "most in
need of reform" list holds only entities with a tier, so nobody is ranked on guesses.
"""

from .dates import sort_number
from .records import LAW_DATES
from .values import UNKNOWN

__all__ = ["INSUFFICIENT", "compute", "score", "tier"]

INSUFFICIENT = "insufficient"


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
