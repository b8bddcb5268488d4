"""The short film: a page per language, self-hosted and captioned, private by default.

A film is a Markdown pair in ``content/film/`` (body = synopsis and notes). Each language's
file names its own WebVTT captions (``Captions: film/cortometraje.es.vtt``); the page offers
every language's track, the page language's as default, and prints the full transcript of
both languages from those same files. The video file (``Video:``) and poster (``Poster:``)
are copied from content/ and served from this site; with no video file the page shows the
poster, the transcript and a "video pending" note. With no poster, one is drawn with Pillow.

A publish build (``PREVIEW = False``) leaves out a film with nothing to play (no video file,
no ``Youtube:`` or ``Vimeo:``): no page, menu entry (the build's "film" section), sitemap or
search entry.

``Youtube:`` or ``Vimeo:`` adds a click-to-load facade: nothing is requested from that
company until the visitor presses play (the poster is ours), then the privacy-mode player
(youtube-nocookie.com, Vimeo with dnt=1) is embedded. Only that page's Content Security
Policy allows that one frame host; every other page keeps ``frame-src 'none'``.

Checks (file and line): missing or unparsable WebVTT (header, cue timings), captions in one
language only (a warning), a missing video or poster file, a malformed video id or duration,
a file named outside content/ (``../``, a symlink), a poster that does not decode as an image
(it is published re-encoded, without EXIF/GPS) and a video whose first bytes are not its kind.

Where things are:

- ``options.py``: the ``FILM`` setting (DEFAULTS; an unknown key stops the build); the
  section's folder is ``BILINGUAL["paths"]["film"]``;
- ``checks.py``: a film's header checked, before anything is read;
- ``captions.py``: the WebVTT captions parsed and checked, and the transcript made from them;
- ``media.py``: the video, poster and captions files: inside content/, and really what they say;
- ``csp.py``: the click-to-load player and the film page's Content-Security-Policy;
- ``poster.py``: the poster re-encoded without metadata, or drawn;
- ``item.py``: one film in one language (``FilmItem``), its duration and language names;
- ``publish.py``: what a publish build leaves out (a film with nothing to play);
- ``generator.py``: the generator that reads the films, copies their files, writes the pages.
"""

from pelican import signals

from alerta import publish_gate
from alerta.content import CONTENT_TYPES
from alerta.report import register_check

from .captions import caption_number_problems, parse_vtt, transcript
from .checks import FIELDS, check_film, check_films
from .csp import film_csp
from .generator import FilmGenerator
from .options import DEFAULTS, film_options
from .publish import left_out_of_publish

__all__ = [
    "DEFAULTS",
    "FilmGenerator",
    "caption_number_problems",
    "check_film",
    "check_films",
    "film_csp",
    "film_options",
    "left_out_of_publish",
    "parse_vtt",
    "register",
    "transcript",
]


def get_generators(_pelican):
    return FilmGenerator


def register():
    CONTENT_TYPES[DEFAULTS["folder"]] = FIELDS
    register_check(check_films)
    publish_gate.register_unpublished_kind(DEFAULTS["folder"], left_out_of_publish)
    signals.get_generators.connect(get_generators)
