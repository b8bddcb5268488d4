"""The FILM setting: its defaults, and nothing unknown.

``film_options(settings)`` is ``FILM`` (pelicanconf.py) over ``DEFAULTS``; a key that is not in
``DEFAULTS`` stops the build with one line and a "did you mean" (``alerta.options``). The
section's folder is not set here but in ``BILINGUAL["paths"]["film"]``, like every section of
the site (``alerta.sections.section_path``).
"""

from alerta.options import options

__all__ = ["DEFAULTS", "film_options"]

DEFAULTS = {
    "folder": "film",
    "poster_size": (640, 360),
    # Click-to-load players: embed URL (privacy mode), page link for visitors without
    # JavaScript, and the company named in the facade.
    "hosts": {
        "youtube": {
            "id": r"[A-Za-z0-9_-]{11}",
            "embed": "https://www.youtube-nocookie.com/embed/{id}?autoplay=1&rel=0",
            "link": "https://www.youtube.com/watch?v={id}",
            "frame_src": "https://www.youtube-nocookie.com",
            "company": "YouTube (Google)",
        },
        "vimeo": {
            "id": r"\d{6,12}",
            "embed": "https://player.vimeo.com/video/{id}?dnt=1&autoplay=1",
            "link": "https://vimeo.com/{id}",
            "frame_src": "https://player.vimeo.com",
            "company": "Vimeo",
        },
    },
}


def film_options(settings):
    """`DEFAULTS` updated with `settings["FILM"]`; an unknown key stops the build."""
    return options(settings, "FILM", DEFAULTS)
