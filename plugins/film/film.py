"""The short film: a page per language, self-hosted and captioned, private by default.

A film is a Markdown pair in ``content/film/`` (body = synopsis and notes). Each language's
file names its own WebVTT captions (``Captions: film/cortometraje.es.vtt``); the page offers
every language's track, the page language's as default, and prints the full transcript of
both languages from those same files. The video file (``Video:``) and poster (``Poster:``)
are copied from content/ and served from this site; with no video file the page shows the
poster, the transcript and a "video pending" note. With no poster, one is drawn with Pillow.

A publish build (``PREVIEW = False``) leaves out a film with nothing to play (no video file,
no ``Youtube:`` or ``Vimeo:``): no page, menu entry (``FILM_NAV``), sitemap or search entry.

``Youtube:`` or ``Vimeo:`` adds a click-to-load facade: nothing is requested from that
company until the visitor presses play (the poster is ours), then the privacy-mode player
(youtube-nocookie.com, Vimeo with dnt=1) is embedded. Only that page's Content Security
Policy allows that one frame host; every other page keeps ``frame-src 'none'``.

Checks (file and line): missing or unparsable WebVTT (header, cue timings), captions in one
language only (a warning), a missing video or poster file, a malformed video id or duration,
a file named outside content/ (``../``, a symlink), a poster that does not decode as an image
(it is published re-encoded, without EXIF/GPS) and a video whose first bytes are not its kind.
"""

import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import timedelta

from babel import Locale, UnknownLocaleError
from babel.dates import format_timedelta
from babel.lists import format_list
from markupsafe import Markup
from pelican.contents import Page
from pelican.generators import Generator

from alerta import guards, numbers, publish_gate
from alerta.console import inform as _inform
from alerta.content import (
    COMMON_FIELDS,
    CONTENT_EXTENSIONS,
    CONTENT_TYPES,
    read_header,
    readable,
    split_name,
)
from alerta.i18n import languages
from alerta.pages import PageItem
from alerta.report import BuildStopped, is_preview, register_check
from alerta.sections import listing_path
from plugins.pipeline import pipeline

__all__ = ["FilmGenerator", "parse_vtt", "register"]

DEFAULTS = {
    "folder": "film",
    "paths": {"es": "cortometraje", "default": "film"},
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
FIELDS = {
    "required": {"title", "lang"},
    "optional": COMMON_FIELDS
    | {"captions", "duration", "credits", "video", "poster", "youtube", "vimeo"},
}
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}
POSTER_TYPES = (".png", ".jpg", ".jpeg", ".webp")
# What Pillow must find in a poster file (MPO is the JPEG variant many phones write).
POSTER_FORMATS = {"PNG", "JPEG", "MPO", "WEBP"}
TIMING_RE = re.compile(
    r"^((?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})[ \t]+-->[ \t]+((?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})"
    r"([ \t].*)?$"
)
DURATION_RE = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)$")
TAG_RE = re.compile(r"<[^>]+>")
VOICE_RE = re.compile(r"^<v(?:\.[\w.-]+)?[ \t]+([^>]+)>")


# ---------------------------------------------------------------- WebVTT


@dataclass
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""
    line: int = 0  # of its first line of text, for problems found in the text


@dataclass
class Captions:
    cues: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (line, message)


def seconds(stamp):
    parts = [float(part) for part in stamp.split(":")]
    return sum(value * 60**power for power, value in enumerate(reversed(parts)))


def parse_vtt(text):
    """Parse WebVTT enough to be sure a browser will show it: header, timings, order.

    Returns Captions(cues, problems); problems are (line number, message), empty when valid.
    """
    result = Captions()
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT([ \t].*)?$", lines[0]):
        result.problems.append((1, 'is not WebVTT: the first line must be "WEBVTT"'))
        return result
    number, previous = 1, 0.0
    while number < len(lines):
        # A block: lines up to the next blank line.
        if not lines[number].strip():
            number += 1
            continue
        start = number
        block = []
        while number < len(lines) and lines[number].strip():
            block.append(lines[number])
            number += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        timing_at = 1 if len(block) > 1 and "-->" in block[1] and "-->" not in block[0] else 0
        match = TIMING_RE.match(block[timing_at].strip())
        if not match:
            result.problems.append(
                (
                    start + timing_at + 1,
                    f'cue timing "{block[timing_at].strip()[:40]}" does not parse '
                    "(use 00:00:01.000 --> 00:00:04.000)",
                )
            )
            continue
        begin, end = seconds(match.group(1)), seconds(match.group(2))
        line = start + timing_at + 1
        if end <= begin:
            result.problems.append((line, "cue ends before it starts"))
            continue
        if begin < previous:
            result.problems.append(
                (line, "cue starts before the previous cue (keep them in order)")
            )
        previous = begin
        body = block[timing_at + 1 :]
        if not body:
            result.problems.append((line, "cue has no text"))
            continue
        raw = "\n".join(body)
        voice = VOICE_RE.match(raw)
        text_only = TAG_RE.sub("", raw).replace("&amp;", "&").replace("&lt;", "<")
        speaker = voice.group(1) if voice else ""
        result.cues.append(Cue(begin, end, text_only.replace("&gt;", ">"), speaker, line + 1))
    if not result.cues and not result.problems:
        result.problems.append((1, "has no cues"))
    return result


def transcript(cues):
    """Paragraphs for the page: consecutive cues of one speaker join into one paragraph."""
    paragraphs = []
    for cue in cues:
        if paragraphs and cue.speaker == paragraphs[-1]["speaker"] and cue.speaker:
            paragraphs[-1]["text"] += " " + " ".join(cue.text.split())
        else:
            paragraphs.append(
                {"speaker": cue.speaker, "text": " ".join(cue.text.split()), "start": cue.start}
            )
    for paragraph in paragraphs:
        whole = int(paragraph["start"])
        paragraph["time"] = f"{whole // 60:02d}:{whole % 60:02d}"
    return paragraphs


def caption_number_problems(captions):
    """(line, message) for each dead phone number said in a caption: viewers dial what
    they read, so captions follow the same number rules as the pages."""
    return [
        (cue.line + offset, dead.message)
        for cue in captions.cues
        for offset, text in enumerate(cue.text.split("\n"))
        for dead in numbers.dead_numbers(text)
    ]


# ---------------------------------------------------------------- checks


def options(settings):
    return {**DEFAULTS, **settings.get("FILM", {})}


def film_files(settings):
    folder = os.path.join(settings["PATH"], options(settings)["folder"])
    if not os.path.isdir(folder):
        return []
    return sorted(
        os.path.join(folder, name)
        for name in os.listdir(folder)
        if name.endswith(CONTENT_EXTENSIONS)
        and not name.startswith(("_", "."))
        # too large, or a link out of content/: reported by the checks, never opened
        and readable(os.path.join(folder, name), settings["PATH"])
    )


def parse_duration(value):
    match = DURATION_RE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=secs)


def content_file(settings, value):
    """A path given in a header, relative to content/ -> absolute path, or None when it is
    outside content/: by `..` or an absolute path, or by a symlink (its real path counts)."""
    root = os.path.abspath(settings["PATH"])
    path = os.path.normpath(os.path.join(root, str(value).strip()))
    if path == root or "\x00" in path or not guards.is_inside(path, root):
        return None  # (no file name has a NUL: outside_problem says so)
    return path if guards.real_path_inside(path, root) else None


def outside_problem(settings, label, given):
    """The message for a header path content_file refused, or None for a symlink in content/
    that leads outside (the content check names the symlink itself)."""
    root = os.path.abspath(settings["PATH"])
    if "\x00" in str(given):
        return f'{label} "{str(given).replace(chr(0), "")}" has a NUL character: not a file name'
    if guards.is_inside(os.path.normpath(os.path.join(root, str(given).strip())), root):
        return None
    return f'{label} "{given}" is outside content/; put the file in content/film/ and name it here'


def media_problem(name, path, given):
    """Why an existing poster or video file cannot be published, or None."""
    if name == "poster" and guards.image_format(path) not in POSTER_FORMATS:
        return f'Poster "{given}" does not decode as a PNG, JPEG or WebP image; export it again'
    if name == "video" and not guards.signature_matches(path):
        kind = os.path.splitext(path)[1].lower()
        return f'Video "{given}" is not really a {kind} video (its first bytes say otherwise)'
    return None


def check_film(fields, shown, base, settings, report):
    opts = options(settings)

    def value(name):
        return fields.get(name, ("", 1))

    captions, line = value("captions")
    if captions:
        path = content_file(settings, captions)
        vtt_shown = os.path.relpath(path, base) if path else captions
        if not path:
            outside = outside_problem(settings, "Captions file", captions)
            if outside:
                report.error(shown, outside, line)
        elif not os.path.isfile(path):
            report.error(shown, f'Captions file "{captions}" was not found in content/', line)
        elif not path.endswith(".vtt"):
            report.error(shown, f'Captions file "{captions}" must be a WebVTT file (.vtt)', line)
        else:
            try:
                with open(path, encoding="utf-8") as handle:
                    parsed = parse_vtt(handle.read())
            except UnicodeDecodeError:
                parsed = Captions(problems=[(1, "is not UTF-8 text; save it as UTF-8")])
            for problem_line, message in parsed.problems + caption_number_problems(parsed):
                report.error(vtt_shown, f"{message} (captions named in {shown})", problem_line)
    for name, types in (("video", tuple(VIDEO_TYPES)), ("poster", POSTER_TYPES)):
        given, line = value(name)
        if not given:
            continue
        path = content_file(settings, given)
        if not path:
            outside = outside_problem(settings, name.capitalize(), given)
            if outside:
                report.error(shown, outside, line)
        elif not given.lower().endswith(types):
            report.error(
                shown, f'{name.capitalize()} "{given}" must be a {"/".join(types)} file', line
            )
        elif not os.path.isfile(path):
            report.warning(
                shown,
                f'{name.capitalize()} file "{given}" is not in content/ yet; '
                "the page says it is pending",
                line,
            )
        elif media_problem(name, path, given):
            report.error(shown, media_problem(name, path, given), line)
    for name, host in opts["hosts"].items():
        given, line = value(name)
        if given and not re.fullmatch(host["id"], given):
            report.error(
                shown,
                f'{name.capitalize()} "{given}" is not a video id (only the id, not the link)',
                line,
            )
    if value("youtube")[0] and value("vimeo")[0]:
        report.error(shown, "give Youtube or Vimeo, not both", value("vimeo")[1])
    duration, line = value("duration")
    if duration:
        try:
            parse_duration(duration)
        except ValueError:
            report.error(shown, f'Duration "{duration}" is not a duration (use MM:SS)', line)


def left_out_of_publish(item, settings):
    """For the publish gate: True when a film file has nothing to play, so the publish build
    leaves it out (see FilmGenerator.playable_only) and its `Verify:` note does not stop it.
    A video file may come from the other language's file; a YouTube/Vimeo id may not."""
    if any(item["fields"].get(name) for name in options(settings)["hosts"]):
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


def check_films(settings, report):
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    langs = list(languages(settings))
    groups = {}
    for path in film_files(settings):
        shown = os.path.relpath(path, base)
        try:
            with open(path, encoding="utf-8") as handle:
                header, failure = read_header(handle.read())
        except UnicodeDecodeError:
            continue  # reported by the content check
        if failure:
            continue
        check_film(header.fields, shown, base, settings, report)
        stem, _lang = split_name(path)
        key = header.fields.get("translation_key", (stem, 1))[0]
        lang = header.fields.get("lang", ("", 1))[0]
        has_captions = bool(header.fields.get("captions", ("", 1))[0])
        groups.setdefault(key, []).append((shown, lang, has_captions))
    for key, items in groups.items():
        captioned = [lang for _shown, lang, has in items if has]
        if len(captioned) < len(langs):
            missing = ", ".join(code for code in langs if code not in captioned)
            have = ", ".join(captioned) or "no language"
            report.warning(
                items[0][0],
                f'film "{key}" has captions in {have} only (missing: {missing}); '
                'every language needs its WebVTT file ("Captions:")',
                1,
            )


# ---------------------------------------------------------------- generator


@dataclass
class FilmItem(PageItem):
    page: Page
    lang: str
    key: str
    url: str
    captions: dict = field(default_factory=dict)  # lang -> {"src", "cues", "label"}
    alternates: dict = field(default_factory=dict)
    video: dict | None = None
    video_pending: bool = True
    poster: str = ""
    facade: dict | None = None
    duration: timedelta | None = None

    @property
    def credits(self):
        """ "Role: Name; Role: Name" -> [(role, name)]."""
        result = []
        for part in str(self.meta("credits")).split(";"):
            role, colon, name = part.partition(":")
            if part.strip():
                result.append((role.strip(), name.strip()) if colon else ("", role.strip()))
        return result


def language_name(code, locale):
    """The name of language `code` in `locale`, from CLDR (Babel); the code if unknown."""
    try:
        return Locale.parse(locale).languages.get(code, code)
    except (ValueError, UnknownLocaleError):
        return code


def duration_text(duration, locale):
    """12:30 -> "12 minutos y 30 segundos" / "12 minutes and 30 seconds" (exact, by Babel)."""
    if not duration:
        return ""
    total = int(duration.total_seconds())
    parts = [
        format_timedelta(timedelta(seconds=amount * size), format="long", locale=locale)
        for amount, size in ((total // 3600, 3600), (total % 3600 // 60, 60), (total % 60, 1))
        if amount
    ]
    return format_list(parts, locale=locale)


def section_path(settings, lang):
    try:
        return listing_path(settings, lang, "film")
    except KeyError:
        paths = options(settings)["paths"]
        return languages(settings)[lang]["prefix"] + paths.get(lang, paths["default"]) + "/"


def film_csp(policy, frame_src):
    """The site policy with `frame-src 'none'` widened to one host, for one page."""
    if not frame_src:
        return policy
    if "frame-src" in policy:
        return re.sub(r"frame-src[^;]*", f"frame-src {frame_src}", policy)
    return f"{policy}; frame-src {frame_src}"


def draw_poster(path, title, subtitle, size):
    """A plain, legible poster (no external fonts): title and site name on dark blue."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, (11, 79, 108))
    draw = ImageDraw.Draw(image)
    try:
        big, small = ImageFont.load_default(size=34), ImageFont.load_default(size=20)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        big = small = ImageFont.load_default()
    words, lines, line = title.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=big) > width - 80 and line:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    y = height // 2 - 24 * len(lines)
    for text in lines:
        draw.text((40, y), text, fill=(255, 255, 255), font=big)
        y += 44
    draw.text((40, height - 56), subtitle, fill=(255, 191, 71), font=small)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image.save(path, "PNG", optimize=True)


class FilmGenerator(Generator):
    """Reads content/film/, copies its files and writes the film pages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.films = []

    def generate_context(self):
        opts = options(self.settings)
        langs = languages(self.settings)
        for path in film_files(self.settings):
            page = self.readers.read_file(
                base_path=self.path,
                path=os.path.relpath(path, self.path),
                content_class=Page,
                context=self.context,
            )
            if str(page.metadata.get("status", "published")).lower() == "draft":
                continue
            lang = page.metadata.get("lang", self.settings["DEFAULT_LANG"])
            stem, _ = split_name(path)
            url = f"{section_path(self.settings, lang)}{page.slug}/"
            film = FilmItem(page, lang, page.metadata.get("translation_key", stem), url)
            if film.meta("duration"):
                film.duration = parse_duration(film.meta("duration"))
            for name, host in opts["hosts"].items():
                if film.meta(name):
                    film.facade = {
                        "host": name,
                        "company": host["company"],
                        "embed": host["embed"].format(id=film.meta(name)),
                        "link": host["link"].format(id=film.meta(name)),
                        "frame_src": host["frame_src"],
                    }
            self.films.append(film)
        groups = {}
        for film in self.films:
            groups.setdefault(film.key, {})[film.lang] = film
        for film in self.films:
            twins = groups[film.key]
            film.alternates = {code: twins[code].url for code in langs if code in twins}
            for code in langs:
                twin = twins.get(code)
                if twin and twin.meta("captions"):
                    source = content_file(self.settings, twin.meta("captions"))
                    with open(source, encoding="utf-8") as handle:
                        cues = parse_vtt(handle.read()).cues
                    film.captions[code] = {
                        "source": source,
                        "src": f"{film.url}captions.{code}.vtt",
                        "lang": langs[code]["html_lang"],
                        "srclang": code,
                        "name": langs[code]["name"],
                        # "inglés" on the Spanish page, "Spanish" on the English one.
                        "language": language_name(code, langs[film.lang]["locale"]),
                        "paragraphs": transcript(cues),
                    }
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
        if not is_preview(self.settings):
            self.films = self.playable_only(self.films)
        self.context["alerta_films"] = self.films
        nav = {}
        for film in self.films:
            nav.setdefault(film.lang, film.url)  # the first film of each language
        self.context["FILM_NAV"] = nav

    def playable_only(self, films):
        """Publish build: a film page exists only with something to play (its own video file,
        or a YouTube/Vimeo id); the others stay in the preview, with no page, menu entry,
        sitemap entry or search entry, and one information line each."""
        base = os.path.dirname(os.path.abspath(self.settings["PATH"]))
        kept = [film for film in films if film.video or film.facade]
        for film in films:
            if not (film.video or film.facade):
                _inform(
                    f'{os.path.relpath(film.page.source_path, base)}: film "{film.key}" has '
                    "nothing to play (no Video: file, Youtube: or Vimeo:): left out of the "
                    "publish build"
                )
        urls = {film.url for film in kept}
        for film in kept:
            film.alternates = {code: url for code, url in film.alternates.items() if url in urls}
        return kept

    def generate_output(self, writer):
        opts = options(self.settings)
        written = self.context.setdefault("alerta_listings", [])
        policy = self.settings.get("CONTENT_SECURITY_POLICY", "")
        for film in self.films:
            poster = film.meta("poster")
            poster_source = content_file(self.settings, poster) if poster else None
            if poster_source and os.path.isfile(poster_source):
                film.poster = self.clean_poster(poster_source, f"{film.url}poster")
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
            writer.write_file(
                film.url + "index.html",
                self.get_template("film"),
                self.context,
                page_lang=film.lang,
                alternates=film.alternates,
                page_url=film.url,
                film=film,
                page_description=Markup(film.page.metadata.get("summary", "")).striptags(),
                page_csp=film_csp(policy, frame_src),
                duration_text=duration_text(
                    film.duration, languages(self.settings)[film.lang]["locale"]
                ),
            )
            written.append({"url": film.url, "lang": film.lang, "alternates": film.alternates})
            if frame_src:  # hosts must send this page's wider policy too (see plugins/deploy)
                self.context.setdefault("alerta_page_csp", {})[film.url] = film_csp(
                    policy, frame_src
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

    def clean_poster(self, source, stem):
        """The poster re-encoded with its pixels only (no EXIF, GPS, ICC...); returns its URL."""
        from PIL import Image

        with Image.open(source) as image:
            clean = guards.clean_image(image)
        kind, extension = ("PNG", ".png") if clean.mode == "RGBA" else ("JPEG", ".jpg")
        url = stem + extension
        target = self.target(url)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        clean.save(target, kind, optimize=True, **({"quality": 85} if kind == "JPEG" else {}))
        return url


def get_generators(_pelican):
    return FilmGenerator


def register():
    CONTENT_TYPES[DEFAULTS["folder"]] = FIELDS
    register_check(check_films)
    publish_gate.register_unpublished_kind(DEFAULTS["folder"], left_out_of_publish)
    pipeline.add_generator(get_generators(None))
