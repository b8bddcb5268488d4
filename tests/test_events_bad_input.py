"""Bad event and film input: one clear line naming the file (and line), never a traceback.

The table runs the build's checks in-process (see conftest.build_problems); two real builds
prove the line, the exit status and that the previous output is left as it was.
"""

import pytest
from conftest import (
    build_problems,
    make_content,
    one_clear_line,
    one_problem,
    pelican,
    previous_output,
    tree,
)
from events_fixture import FILM_FILES, VTT_ES, film, pair

EVENTS = pair("foro", "foro", "forum")
ES = "events/foro.es.md"


def with_es(**fields):
    """The event pair with the Spanish file's fields changed."""
    return {**EVENTS, **{ES: pair("foro", "foro", "forum", **fields)[ES]}}


CASES = {
    "end before start": (
        with_es(End="2026-03-14 09:00"),
        "content/events/foro.es.md:7:",
        'End "2026-03-14 09:00" is not after Start "2026-03-14 10:00"',
    ),
    "end equal to start": (
        with_es(End="2026-03-14 10:00"),
        "content/events/foro.es.md:7:",
        "is not after Start",
    ),
    "unknown timezone": (
        with_es(Timezone="Mexico/Centro"),
        "content/events/foro.es.md:11:",
        'Timezone "Mexico/Centro" is unknown',
    ),
    "timezone that is a path": (
        with_es(Timezone="../../etc/passwd"),
        "content/events/foro.es.md:11:",
        'Timezone "../../etc/passwd" is unknown',
    ),
    "start that does not parse": (
        with_es(Start="14/03/2026 10am"),
        "content/events/foro.es.md:6:",
        'Start "14/03/2026 10am" is not a date and time (use YYYY-MM-DD HH:MM',
    ),
    "impossible date": (
        with_es(Start="2026-02-30 10:00"),
        "content/events/foro.es.md:6:",
        'Start "2026-02-30 10:00" is not a date and time',
    ),
    "local time skipped by the clock change": (
        with_es(Timezone="America/Tijuana", Start="2027-03-14 02:30", End="2027-03-14 04:00"),
        "content/events/foro.es.md:6:",
        'Start "2027-03-14 02:30" does not exist in America/Tijuana',
    ),
    "attendance on a forum (warning, strict)": (
        with_es(Attendance_public="12"),
        "content/events/foro.es.md:11:",
        "attendance is only counted for Kind: training",
    ),
    "unknown kind": (
        with_es(Kind="conference"),
        "content/events/foro.es.md:5:",
        'Kind "conference" is unknown (use one of: forum, training, workshop)',
    ),
    "unknown status": (
        with_es(Status="moved"),
        "content/events/foro.es.md:11:",
        'Status "moved" is unknown (use scheduled, cancelled, postponed or draft)',
    ),
    "missing venue": (
        with_es(Venue=None),
        "content/events/foro.es.md:1:",
        '"Venue:" is missing',
    ),
    "translations disagree on the time": (
        {
            **EVENTS,
            "events/forum.en.md": pair("foro", "foro", "forum", Start="2026-03-14 11:00")[
                "events/forum.en.md"
            ],
        },
        "content/events/forum.en.md:6:",
        "Start differs from its translation content/events/foro.es.md",
    ),
    "registration phone not dialable": (
        with_es(Registration_phone="01 55 1234"),
        "content/events/foro.es.md:11:",
        'Registration_phone "01 55 1234" is not dialable',
    ),
    "online link that is not a link": (
        with_es(Online_url="zoom 123"),
        "content/events/foro.es.md:11:",
        'Online_url "zoom 123" is not a web link',
    ),
    "attendance that is not a number": (
        with_es(Attendance_public="unos 30"),
        "content/events/foro.es.md:11:",
        'Attendance_public "unos 30" must be a whole number',
    ),
    "missing WebVTT file": (
        {**FILM_FILES, "film/corto.es.md": film("Corto", "es", "corto", "film/nada.es.vtt")},
        "content/film/corto.es.md:5:",
        'Captions file "film/nada.es.vtt" was not found',
    ),
    "WebVTT without its header": (
        {**FILM_FILES, "film/corto.es.vtt": VTT_ES.replace("WEBVTT", "WEBVTX")},
        "content/film/corto.es.vtt:1:",
        'is not WebVTT: the first line must be "WEBVTT"',
    ),
    "WebVTT cue timing that does not parse": (
        {
            **FILM_FILES,
            "film/corto.es.vtt": VTT_ES.replace(
                "00:00:02.000 --> 00:00:04.000", "00:00:02,000 --> 00:00:04,000"
            ),
        },
        "content/film/corto.es.vtt:6:",
        'cue timing "00:00:02,000 --> 00:00:04,000" does not parse',
    ),
    "WebVTT cue that ends before it starts": (
        {
            **FILM_FILES,
            "film/corto.es.vtt": VTT_ES.replace(
                "00:00:02.000 --> 00:00:04.000", "00:00:04.000 --> 00:00:02.000"
            ),
        },
        "content/film/corto.es.vtt:6:",
        "cue ends before it starts",
    ),
    "captions in one language only (warning, strict)": (
        {**FILM_FILES, "film/short.en.md": film("Short", "en", "short", None)},
        "content/film/corto.es.md:1:",
        'film "film" has captions in es only (missing: en)',
    ),
    "video id given as a link": (
        {
            **FILM_FILES,
            "film/corto.es.md": FILM_FILES["film/corto.es.md"].replace(
                "Duration:", "Youtube: https://youtu.be/dQw4w9WgXcQ\nDuration:"
            ),
        },
        "content/film/corto.es.md:6:",
        'Youtube "https://youtu.be/dQw4w9WgXcQ" is not a video id',
    ),
    "duration that does not parse": (
        {
            **FILM_FILES,
            "film/corto.es.md": FILM_FILES["film/corto.es.md"].replace("12:30", "doce minutos"),
        },
        "content/film/corto.es.md:6:",
        'Duration "doce minutos" is not a duration (use MM:SS)',
    ),
    "training total that is not a number": (
        {
            "data/trainings.yml": "historical:\n  - id: x\n    programme: {es: P, en: P}\n"
            "    period: {es: '2006', en: '2006'}\n    source: {es: S, en: S}\n"
            "    totals:\n      - id: t\n        label: {es: T, en: T}\n"
            "        value: '14,000'\n"
        },
        "content/data/trainings.yml:",
        "record x, total t: value must be a whole number",
    ),
}


@pytest.mark.parametrize("files, where, message", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_clear_line(tmp_path, files, where, message):
    problems, stops = build_problems(make_content(tmp_path / "content", files))
    one_problem(problems, message, where)
    assert stops, problems


@pytest.mark.parametrize("case", ["end before start", "WebVTT without its header"])
def test_a_real_build_stops_with_one_clear_line_and_keeps_the_output(tmp_path, case):
    files, where, message = CASES[case]
    content = make_content(tmp_path / "content", files)
    output, before = previous_output(tmp_path / "output")
    result = pelican(content, output, strict=True)
    one_clear_line(result, message, where)
    assert tree(output) == before


def test_captions_in_one_language_is_only_a_warning_outside_strict_mode(tmp_path):
    files = {**FILM_FILES, "film/short.en.md": film("Short", "en", "short", None)}
    result = pelican(make_content(tmp_path / "content", files), tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "has captions in es only" in result.stdout + result.stderr
    html = (tmp_path / "output/en/film/short/index.html").read_text(encoding="utf-8")
    assert "Hola, esto es una prueba." in html  # the Spanish transcript is still offered


def test_missing_video_file_is_tolerated(tmp_path):
    """Video: naming a file not there yet is a warning; the page says the video is pending."""
    files = {
        **FILM_FILES,
        "film/corto.es.md": FILM_FILES["film/corto.es.md"].replace(
            "Duration:", "Video: film/pronto.mp4\nDuration:"
        ),
    }
    result = pelican(make_content(tmp_path / "content", files), tmp_path / "output")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert 'content/film/corto.es.md:6: Video file "film/pronto.mp4" is not in content/' in output
    html = (tmp_path / "output/cortometraje/corto/index.html").read_text(encoding="utf-8")
    assert "<video" not in html and "El archivo de video está pendiente" in html
