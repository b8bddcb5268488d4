"""What the "Training and impact" page shows: the recorded sessions, the published totals.

- ``training_record``: sessions, officials and public trained, by state, from past, held
  ``Kind: training`` events with attendance, and a bar chart of sessions by state, drawn at
  build time (``bar_chart``, rendered by components/bar_chart.html);
- ``historical_records``: the historical totals of ``content/data/trainings.yml`` (checked by
  trainings.py), worded as their source words them ("almost 65,000").
"""

from types import SimpleNamespace

from babel.numbers import format_decimal

from .trainings import QUALIFIERS

__all__ = ["bar_chart", "historical_records", "training_record"]


def bar_chart(rows, bars=200, bar=22, gap=30, char=7.5):
    """Geometry for a horizontal bar chart drawn by components/bar_chart.html.

    `rows`: [{"label": str, "value": int, "display": str}]. Bars are scaled to the largest
    value (longest bar `bars` px); each row has its label above its bar and the displayed
    value after it. The width fits the longest text (about `char` px a character at 13px),
    so nothing is cut off; on narrow screens the drawing scales down as a whole.
    """
    top = max((row["value"] for row in rows), default=0) or 1
    widest_label = max((len(row["label"]) for row in rows), default=0) * char
    widest_value = max((len(row["display"]) for row in rows), default=0) * char
    width = round(max(widest_label, bars + 8 + widest_value)) + 4
    shapes = []
    for index, row in enumerate(rows):
        y = index * (bar + gap) + 18
        length = max(2, round(bars * row["value"] / top))
        shapes.append({**row, "y": y, "width": length, "label_y": y - 5, "value_x": length + 6})
    return {"width": width, "height": len(rows) * (bar + gap) + 8, "bar": bar, "rows": shapes}


def number(value, locale):
    return format_decimal(value, locale=locale)


def training_record(events, lang, locale):
    """Totals from past, held (not cancelled or postponed) trainings with attendance."""
    sessions = [
        e
        for e in events
        if e.lang == lang
        and e.kind == "training"
        and e.attendance
        and e.status == "scheduled"
        and getattr(e, "past", False)  # attendance counts once the training has taken place
    ]
    by_state = {}
    for event in sessions:
        row = by_state.setdefault(
            event.meta("state"), {"state": event.meta("state"), "sessions": 0}
        )
        row["sessions"] += 1
        row.setdefault("officials", 0)
        row.setdefault("public", 0)
        row["officials"] += event.attendance["officials"]
        row["public"] += event.attendance["public"]
    states = sorted(by_state.values(), key=lambda row: (-row["sessions"], row["state"]))
    totals = {
        "sessions": len(sessions),
        "officials": sum(row["officials"] for row in states),
        "public": sum(row["public"] for row in states),
    }
    chart = bar_chart(
        [
            {
                "label": row["state"],
                "value": row["sessions"],
                "display": number(row["sessions"], locale),
            }
            for row in states
        ]
    )
    return SimpleNamespace(sessions=sessions, states=states, totals=totals, chart=chart)


def historical_records(data, lang, locale, gettext, translate):
    """The checked trainings.yml (or None) -> its records for the page in `lang`.

    `gettext` translates theme strings (the qualifiers), `translate` a data text
    ``{es: ..., en: ...}`` (alerta.i18n.tr)."""
    records = []
    for record in (data or {}).get("historical", []):
        totals = []
        for total in record.get("totals") or []:
            shown = number(total["value"], locale)
            wording = QUALIFIERS[total.get("qualifier", "exactly")]
            if wording:
                shown = gettext(wording) % {"number": shown}
            totals.append(
                {"label": translate(total["label"]), "value": total["value"], "display": shown}
            )
        records.append(
            SimpleNamespace(
                id=record.get("id", ""),
                programme=translate(record["programme"]),
                period=translate(record["period"]),
                source=translate(record["source"]),
                source_url=record.get("source_url", ""),
                verify=record.get("verify") or "",
                # A table, never one chart: the totals count different things (people trained,
                # victims assisted), so bars on one axis would invite a false comparison.
                totals=totals,
            )
        )
    return records
