"""The film generator: reads content/film/, copies the film's files and writes its pages.

Each page offers every language's caption track (the page language's as default) and prints
both transcripts; the video and poster are served from this site (poster.py); a page with a
YouTube/Vimeo facade gets its own Content-Security-Policy (csp.py), recorded with the page by
``alerta.build.write_page`` for the hosts' headers.
"""

import os
import shutil

from markupsafe import Markup
from pelican.contents import Page
from pelican.generators import Generator

from alerta import guards
from alerta.build import add_section, write_page
from alerta.content import split_name
from alerta.i18n import languages
from alerta.report import BuildStopped, is_preview
from alerta.sections import section_path

from .captions import read_cues, transcript
from .csp import facade, film_csp
from .item import FilmItem, duration_text, language_name, parse_duration
from .media import VIDEO_TYPES, content_file, film_files
from .options import film_options
from .poster import clean_poster, draw_poster
from .publish import playable_only

__all__ = ["FilmGenerator"]


class FilmGenerator(Generator):
    """Reads content/film/, copies its files and writes the film pages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.films = []

    # ------------------------------------------------------------ reading

    def generate_context(self):
        langs = languages(self.settings)
        for path in film_files(self.settings):
            film = self.read_film(path)
            if film is not None:
                self.films.append(film)
        groups = {}
        for film in self.films:
            groups.setdefault(film.key, {})[film.lang] = film
        for film in self.films:
            twins = groups[film.key]
            film.alternates = {code: twins[code].url for code in langs if code in twins}
            self.add_captions(film, twins, langs)
            self.add_video(film, twins)
        if not is_preview(self.settings):
            self.films = playable_only(self.films, self.settings)
        nav = {}
        for film in self.films:
            nav.setdefault(film.lang, film.url)  # the first film of each language
        # For the menu and the search page (alerta.build's sections).
        add_section(self.context, "film", nav)

    def read_film(self, path):
        """One film file -> its FilmItem (None for a draft)."""
        page = self.readers.read_file(
            base_path=self.path,
            path=os.path.relpath(path, self.path),
            content_class=Page,
            context=self.context,
        )
        if str(page.metadata.get("status", "published")).lower() == "draft":
            return None
        lang = page.metadata.get("lang", self.settings["DEFAULT_LANG"])
        stem, _ = split_name(path)
        url = f"{section_path(self.settings, lang, 'film')}{page.slug}/"
        film = FilmItem(page, lang, page.metadata.get("translation_key", stem), url)
        if film.meta("duration"):
            film.duration = parse_duration(film.meta("duration"))
        film.facade = facade(film, film_options(self.settings)["hosts"])
        return film

    def add_captions(self, film, twins, langs):
        """Every language's track and transcript, from each translation's own WebVTT file."""
        for code in langs:
            twin = twins.get(code)
            if twin and twin.meta("captions"):
                source = content_file(self.settings, twin.meta("captions"))
                film.captions[code] = {
                    "source": source,
                    "src": f"{film.url}captions.{code}.vtt",
                    "lang": langs[code]["html_lang"],
                    "srclang": code,
                    "name": langs[code]["name"],
                    # "inglés" on the Spanish page, "Spanish" on the English one.
                    "language": language_name(code, langs[film.lang]["locale"]),
                    "paragraphs": transcript(read_cues(source)),
                }

    def add_video(self, film, twins):
        """The film's video file: its own, else its translation's; pending when neither."""
        video = film.meta("video") or next(
            (t.meta("video") for t in twins.values() if t.meta("video")), ""
        )
        source = content_file(self.settings, video) if video else None
        if source and os.path.isfile(source):
            extension = os.path.splitext(source)[1].lower()
            film.video = {
                "source": source,
                "src": f"{film.url}{film.page.slug}{extension}",
                "type": VIDEO_TYPES[extension],
            }
            film.video_pending = False

    # ------------------------------------------------------------ writing

    def generate_output(self, writer):
        opts = film_options(self.settings)
        policy = self.settings.get("CONTENT_SECURITY_POLICY", "")
        langs = languages(self.settings)
        for film in self.films:
            poster = film.meta("poster")
            poster_source = content_file(self.settings, poster) if poster else None
            if poster_source and os.path.isfile(poster_source):
                film.poster = clean_poster(poster_source, f"{film.url}poster", self.target)
            else:
                film.poster = f"{film.url}poster.png"
                draw_poster(
                    self.target(film.poster),
                    film.title,
                    self.settings.get("SITENAME", ""),
                    tuple(opts["poster_size"]),
                )
            for caption in film.captions.values():
                self.copy(caption["source"], caption["src"])
            if film.video:
                self.copy(film.video["source"], film.video["src"])
            frame_src = film.facade["frame_src"] if film.facade else ""
            page_csp = film_csp(policy, frame_src)
            write_page(
                self,
                writer,
                film.url,
                "film",
                film.lang,
                film.alternates,
                # Hosts must send this page's wider policy too (plugins/deploy, _headers).
                csp=page_csp if frame_src else None,
                film=film,
                page_description=Markup(film.page.metadata.get("summary", "")).striptags(),
                page_csp=page_csp,
                duration_text=duration_text(film.duration, langs[film.lang]["locale"]),
            )

    def target(self, url):
        """Where to write `url`; the build stops rather than write outside the output (the URL
        comes from content: a slug, a file name)."""
        target = guards.output_file(self.output_path, url)
        if target is None:
            raise BuildStopped(
                f'film: "{url}" would be written outside the output folder; nothing was '
                "written there (check the film's Slug:)"
            )
        return target

    def copy(self, source, url):
        target = self.target(url)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)
