"""What a publish build leaves out: a film with nothing to play.

A publish build (``PREVIEW = False``) keeps a film only with its own video file, or with a
YouTube/Vimeo id; any other film has no page, menu entry (the build's "film" section), sitemap
or search entry, and one information line each. The publish gate asks ``left_out_of_publish``
so that such a film's ``Verify:`` note does not stop the build.
"""

import os

from alerta.console import inform
from alerta.content import read_header, split_name

from .media import content_file, film_files
from .options import film_options

__all__ = ["left_out_of_publish", "playable_only"]


def left_out_of_publish(item, settings):
    """For the publish gate: True when a film file has nothing to play, so the publish build
    leaves it out (see playable_only) and its `Verify:` note does not stop it.
    A video file may come from the other language's file; a YouTube/Vimeo id may not."""
    if any(item["fields"].get(name) for name in film_options(settings)["hosts"]):
        return False
    videos = [item["fields"].get("video")]
    for path in film_files(settings):
        with open(path, encoding="utf-8", errors="replace") as handle:
            header, _failure = read_header(handle.read())
        stem, _lang = split_name(path)
        if header and header.fields.get("translation_key", (stem, 1))[0] == item["key"]:
            videos.append(header.fields.get("video", ("", 1))[0])
    for video in filter(None, videos):
        path = content_file(settings, video)
        if path and os.path.isfile(path):
            return False
    return True


def playable_only(films, settings):
    """The films of a publish build: those with something to play; their alternates keep
    only the pages that are written."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    kept = [film for film in films if film.video or film.facade]
    for film in films:
        if not (film.video or film.facade):
            inform(
                f'{os.path.relpath(film.page.source_path, base)}: film "{film.key}" has '
                "nothing to play (no Video: file, Youtube: or Vimeo:): left out of the "
                "publish build"
            )
    urls = {film.url for film in kept}
    for film in kept:
        film.alternates = {code: url for code, url in film.alternates.items() if url in urls}
    return kept
