"""A small site with events and a film, shared by the event, film and browser tests."""

from conftest import FIXTURE_FILES, make_content, pelican


def event(title, lang, key, slug, **fields):
    values = {
        "Title": title,
        "Lang": lang,
        "Translation_key": key,
        "Slug": slug,
        "Kind": "forum",
        "Start": "2026-03-14 10:00",
        "End": "2026-03-14 13:00",
        "Venue": "Centro Cultural" if lang == "es" else "Cultural Centre",
        "Address": "Calle 1",
        "State": "Ciudad de México" if lang == "es" else "Mexico City",
    }
    values.update(fields)
    header = "\n".join(f"{name}: {value}" for name, value in values.items() if value is not None)
    return f"{header}\n\nTexto del evento.\n"


def pair(key, es_slug, en_slug, es_title=None, en_title=None, **fields):
    return {
        f"events/{es_slug}.es.md": event(es_title or f"Evento {key}", "es", key, es_slug, **fields),
        f"events/{en_slug}.en.md": event(en_title or f"Event {key}", "en", key, en_slug, **fields),
    }


VTT_ES = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Ana>Hola, esto es una prueba.\n\n"
    "00:00:02.000 --> 00:00:04.000\n<v Ana>Segunda línea & más.\n"
)
VTT_EN = (
    "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\n<v Ana>Hello, this is a test.\n\n"
    "2\n00:00:02.000 --> 00:00:04.000\nSecond line.\n"
)


def film(title, lang, slug, captions, **fields):
    values = {
        "Title": title,
        "Lang": lang,
        "Translation_key": "film",
        "Slug": slug,
        "Captions": captions,
        "Duration": "12:30",
        "Credits": "Dirección: Nadie; Producción: Prueba" if lang == "es" else "Director: Nobody",
        "Summary": "Un cortometraje de prueba." if lang == "es" else "A test short film.",
    }
    values.update(fields)
    header = "\n".join(f"{name}: {value}" for name, value in values.items() if value is not None)
    return f"{header}\n\nSinopsis.\n"


FILM_FILES = {
    "film/corto.es.md": film("Corto de prueba", "es", "corto", "film/corto.es.vtt"),
    "film/short.en.md": film("Test short", "en", "short", "film/corto.en.vtt"),
    "film/corto.es.vtt": VTT_ES,
    "film/corto.en.vtt": VTT_EN,
}

EVENT_FILES = {
    # Past forum, with its Babel-formatted date checked in both languages.
    **pair("forum", "foro", "forum", "Foro de marzo", "March forum"),
    # Future training in another timezone.
    **pair(
        "future",
        "futuro",
        "future",
        Kind="training",
        Start="2099-06-05 09:30",
        End="2099-06-05 17:00",
        Timezone="America/Tijuana",
        Registration_phone="+52 55 1234 5678",
        Registration_url="https://example.org/registro",
    ),
    # Future, cancelled.
    **pair(
        "cancelled",
        "cancelado",
        "cancelled",
        Start="2099-07-01 10:00",
        End="2099-07-01 12:00",
        Status="cancelled",
    ),
    # Past trainings with attendance: they feed the training page.
    **pair(
        "t1",
        "cap-1",
        "train-1",
        Kind="training",
        Start="2025-02-10 09:00",
        End="2025-02-10 14:00",
        State="Chiapas",
        Attendance_officials="30",
        Attendance_public="12",
    ),
    **pair(
        "t2",
        "cap-2",
        "train-2",
        Kind="training",
        Start="2025-05-10 09:00",
        End="2025-05-11 14:00",
        State="Chiapas",
        Attendance_officials="20",
    ),
    **pair(
        "t3",
        "cap-3",
        "train-3",
        Kind="training",
        Start="2025-06-10 09:00",
        End="2025-06-10 14:00",
        State="Oaxaca",
        Attendance_public="40",
    ),
    # A title that tries to close the JSON-LD script.
    **pair(
        "tricky",
        "raro",
        "tricky",
        "Foro & más",
        "Forum & more",
        Venue="Sala </script><script>alert(1)</script> & B",
        Start="2099-08-01 10:00",
        End="2099-08-01 12:00",
    ),
}


def build_events_site(base, youtube="dQw4w9WgXcQ", video=True):
    """Build the fixture site into base/output; return that folder."""
    files = {**FIXTURE_FILES, **EVENT_FILES, **FILM_FILES}
    if youtube:
        for name in ("film/corto.es.md", "film/short.en.md"):
            files[name] = files[name].replace("Duration:", f"Youtube: {youtube}\nDuration:")
    if video:
        for name in ("film/corto.es.md", "film/short.en.md"):
            files[name] = files[name].replace("Duration:", "Video: film/corto.webm\nDuration:")
    content = make_content(base / "content", files)
    if video:
        (content / "film" / "corto.webm").write_bytes(TINY_WEBM)
    result = pelican(content, base / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output"


# Not a playable video: the tests only need a file for <video> to point at.
TINY_WEBM = b"\x1a\x45\xdf\xa3placeholder"
