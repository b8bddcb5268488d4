"""Events: pages in both languages, calendars, the index split, JSON-LD and the training page."""

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import CONTENT, html_files
from events_fixture import build_events_site

from alerta.guards import jsonld
from plugins.events.times import parse_local
from plugins.events.training_page import bar_chart, historical_records


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_events_site(tmp_path_factory.mktemp("events"))


MSI_PAGE = (
    "https://www.msiworldwide.com/project/fighting-human-trafficking-and-aiding-victims-in-mexico/"
)


def read(path):
    return Path(path).read_text(encoding="utf-8")


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def source_events(content):
    """{translation key: (start UTC, end UTC)} from the Markdown sources."""
    result = {}
    for path in sorted((Path(content) / "events").glob("*.md")):
        fields = dict(line.split(":", 1) for line in read(path).split("\n\n", 1)[0].splitlines())
        fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
        if fields.get("status", "").lower() == "draft":
            continue  # a draft is in no calendar, not even in the preview
        tz = ZoneInfo(fields.get("timezone") or "America/Mexico_City")
        result[fields["translation_key"]] = tuple(
            parse_local(fields[name]).replace(tzinfo=tz).astimezone(UTC)
            for name in ("start", "end")
        )
    return result


def plain(text):
    """CLDR uses narrow and thin no-break spaces around AM/PM and dashes; compare words."""
    return re.sub(r"[\s\u202f\u2009\u00a0]+", " ", text)


def calendars(output):
    return sorted(p for p in Path(output).rglob("*.ics"))


# ---------------------------------------------------------------- calendars


@pytest.mark.parametrize("which", ["bundled", "fixture"])
def test_every_ics_parses_and_times_round_trip_in_utc(which, built_site, site):
    output = built_site if which == "bundled" else site
    content = CONTENT if which == "bundled" else site.parent / "content"
    expected = source_events(content)
    files = calendars(output)
    assert len(files) == 2 * len(expected) + 2  # one per event and language, one feed each
    for path in files:
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        events = list(cal.walk("VEVENT"))
        zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
        assert events or not expected, path  # the bundled examples are drafts: empty feeds
        for event in events:
            key = str(event["UID"]).split("@")[0]
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert (start.astimezone(UTC), end.astimezone(UTC)) == expected[key], path
            assert event["DTSTART"].params["TZID"] in zones, "VTIMEZONE for every TZID"
            assert event["DTEND"].params["TZID"] in zones
            assert event.decoded("DTSTAMP").tzinfo is not None
            assert str(event["LOCATION"]).strip()
            assert str(event["SUMMARY"]).strip()
            assert str(event["URL"]).startswith("http")


def test_each_language_has_a_feed_with_every_event(site):
    for feed in ("eventos/calendario.ics", "en/events/calendar.ics"):
        cal = icalendar.Calendar.from_ical((site / feed).read_bytes())
        uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
        assert len(uids) == 7, feed
        assert cal["X-WR-CALNAME"]


def test_calendar_statuses_and_language(site):
    cal = icalendar.Calendar.from_ical((site / "eventos/cancelado/cancelado.ics").read_bytes())
    (event,) = cal.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Cancelado: ")
    cal = icalendar.Calendar.from_ical((site / "en/events/cancelled/cancelled.ics").read_bytes())
    assert str(next(iter(cal.walk("VEVENT")))["SUMMARY"]).startswith("Cancelled: ")
    # The same event has the same UID in both languages: subscribing to both does not double it.
    es = icalendar.Calendar.from_ical((site / "eventos/foro/foro.ics").read_bytes())
    en = icalendar.Calendar.from_ical((site / "en/events/forum/forum.ics").read_bytes())
    assert next(iter(es.walk("VEVENT")))["UID"] == next(iter(en.walk("VEVENT")))["UID"]


def test_dtstamp_is_the_last_revision_so_unchanged_calendars_keep_their_bytes(site):
    """DTSTAMP comes from the source file (not the build clock), zones come in a fixed order."""
    source = site.parent / "content" / "events"
    for path in calendars(site):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
        assert zones == sorted(zones), path
        revisions = {int(p.stat().st_mtime) for p in source.glob("*.md")}
        for event in cal.walk("VEVENT"):
            assert int(event.decoded("DTSTAMP").timestamp()) in revisions, path


def test_vtimezone_matches_the_event_timezone(site):
    cal = icalendar.Calendar.from_ical((site / "eventos/futuro/futuro.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Tijuana"]
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(
        2099, 6, 5, 9, 30, tzinfo=ZoneInfo("America/Tijuana")
    )


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize(
    "path, expected",
    [
        ("eventos/foro/index.html", "sábado, 14 de marzo de 2026, 10:00–13:00 h (hora central)"),
        (
            "en/events/forum/index.html",
            "Saturday, March 14, 2026, 10:00\u202fAM\u2009–\u20091:00\u202fPM (Central Time)",
        ),
        (
            "eventos/futuro/index.html",
            "viernes, 5 de junio de 2099, 09:30–17:00 h (hora del Pacífico)",
        ),
        (
            "eventos/cap-2/index.html",
            "del sábado, 10 de mayo de 2025, 09:00 h al domingo, 11 de mayo de 2025, 14:00 h "
            "(hora central)",
        ),
        (
            "en/events/train-2/index.html",
            "Saturday, May 10, 2025, 9:00\u202fAM to Sunday, May 11, 2025, 2:00\u202fPM "
            "(Central Time)",
        ),
    ],
)
def test_dates_are_formatted_by_babel_in_the_page_language(site, path, expected):
    text = main(read(site / path))
    times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', text)
    assert times, path
    assert plain(times[0][1]) == plain(expected)
    assert datetime.fromisoformat(times[0][0]).tzinfo is not None


def test_event_page_facts_and_language(site):
    html = read(site / "en/events/future/index.html")
    assert '<html lang="en">' in html
    assert 'href="tel:+525512345678"' in html
    assert 'href="https://example.org/registro"' in html
    assert "/en/events/future/future.ics" in html
    assert 'hreflang="es-MX" href="/eventos/futuro/"' in html


def test_cancelled_events_stay_visible_and_marked(site):
    index = main(read(site / "eventos/index.html"))
    upcoming = index.split('data-events="upcoming"')[1].split("</ul>")[0]
    assert "/eventos/cancelado/" in upcoming
    assert "app-event-status--cancelled" in upcoming and ">Cancelado<" in upcoming
    page = main(read(site / "en/events/cancelled/index.html"))
    assert "This event has been cancelled" in page
    assert "cancelled.ics" not in page  # nothing to add to a calendar


def test_index_splits_upcoming_and_past_at_build_time(site):
    index = main(read(site / "en/events/index.html"))
    upcoming = index.split('data-events="upcoming"')[1].split("</ul>")[0]
    past = index.split('data-events="past"')[1].split("</ul>")[0]
    assert re.findall(r'href="/en/events/([^/]+)/"', upcoming) == ["future", "cancelled", "tricky"]
    # Newest first.
    assert re.findall(r'href="/en/events/([^/]+)/"', past) == [
        "forum",
        "train-3",
        "train-2",
        "train-1",
    ]
    for end in re.findall(r'data-event-end="([^"]+)"', upcoming):
        assert datetime.fromisoformat(end) > datetime.now(UTC)
    assert re.search(r"/theme/js/events\.[0-9a-f]{10}\.js", read(site / "en/events/index.html"))


def test_jsonld_is_a_schema_org_event_and_cannot_close_its_script(site):
    html = read(site / "eventos/raro/index.html")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    assert "<" not in scripts[0] and ">" not in scripts[0] and "&" not in scripts[0]
    data = json.loads(scripts[0])
    assert data["@type"] == "Event"
    assert data["location"]["name"] == "Sala </script><script>alert(1)</script> & B"
    assert data["startDate"] == "2099-08-01T10:00:00-06:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["inLanguage"] == "es-MX"
    cancelled = re.search(
        r'ld\+json">(.*?)</script>', read(site / "en/events/cancelled/index.html"), re.S
    )
    assert json.loads(cancelled.group(1))["eventStatus"] == "https://schema.org/EventCancelled"


def test_jsonld_escapes():
    assert str(jsonld({"a": "</script>&"})) == '{\n "a": "\\u003c/script\\u003e\\u0026"\n}'


def test_event_pages_are_in_the_sitemap_with_hreflang(site):
    sitemap = read(site / "sitemap.xml")
    assert "/eventos/foro/</loc>" in sitemap and "/en/events/forum/</loc>" in sitemap
    assert "/capacitacion-e-impacto/</loc>" in sitemap


def test_navigation_links_to_events(site):
    assert 'href="/eventos/">Eventos<' in read(site / "index.html")
    assert 'href="/en/events/">Events<' in read(site / "en/index.html")


# ---------------------------------------------------------------- training and impact


def test_training_page_totals_by_state(site):
    html = main(read(site / "capacitacion-e-impacto/index.html"))
    assert '<th scope="row">Sesiones de capacitación</th><td>3</td>' in html
    assert '<th scope="row">Servidores públicos capacitados</th><td>50</td>' in html
    assert '<th scope="row">Chiapas</th><td>2</td><td>50</td><td>12</td>' in html
    assert '<th scope="row">Oaxaca</th><td>1</td><td>0</td><td>40</td>' in html
    # One chart only: sessions by state. The historical totals count different things
    # (people trained, victims assisted), so they are never bars on one axis.
    assert html.count("<svg") == 1
    historical = html.split('id="recorded"', 1)[0]
    assert "<svg" not in historical


def test_training_page_shows_only_published_historical_totals(built_site):
    for path, trained, assisted in (
        ("capacitacion-e-impacto/index.html", "más de 14,000", "casi 65,000"),
        ("en/training-and-impact/index.html", "more than 14,000", "almost 65,000"),
    ):
        html = main(read(built_site / path))
        assert "2006–2009" in html and "PROTEJA" in html
        assert "AED" in html and "MSI" in html  # never "USAID/MSI" alone
        cells = re.findall(r"<td>([^<]*)</td>", html)
        # Worded as the source words them ("almost"), never more precise.
        assert cells == [trained, assisted], "no finer figures than the published totals"
        assert MSI_PAGE in html  # the source, linked
        assert "app-verify" not in html and "Attendance_" not in html
        assert "<svg" not in html  # unrelated totals are not plotted on one axis


@pytest.mark.parametrize(
    "qualifier, expected",
    [("almost", "almost 1,500"), ("about", "about 1,500"), ("more_than", "more than 1,500")],
)
def test_historical_total_keeps_the_sources_qualifier(qualifier, expected):
    data = {
        "historical": [
            {
                "programme": "P",
                "period": "2000",
                "source": "S",
                "totals": [{"label": "L", "value": 1500, "qualifier": qualifier}],
            }
        ]
    }
    (record,) = historical_records(data, "en", "en", lambda text: text, lambda value: value)
    assert [total["display"] for total in record.totals] == [expected]


def test_bar_chart_scales_to_the_largest_value():
    chart = bar_chart(
        [{"label": "A", "value": 10, "display": "10"}, {"label": "B", "value": 5, "display": "5"}]
    )
    assert [row["width"] for row in chart["rows"]] == [200, 100]
    assert chart["width"] >= 200 + 8


def test_no_style_attributes_and_no_inline_scripts(site):
    for path in html_files(site):
        html = read(path)
        assert " style=" not in html, path
        for attributes in re.findall(r"<script([^>]*)>", html):
            assert "src=" in attributes or 'type="application/ld+json"' in attributes, path
