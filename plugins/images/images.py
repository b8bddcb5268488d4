"""Publishes content images re-encoded with Pillow, with every byte of metadata left behind.

Photos straight from a phone carry GPS coordinates, the camera's serial number and more: a
photo taken at a shelter would publish where it is. So no content image ever reaches
``output/`` as its original file:

- Before Pelican reads anything, every published image (everything under ``STATIC_PATHS``,
  plus every image a Markdown file shows) is checked: it must decode, be a supported format
  and stay under the size limit; every image in Markdown needs alt text or an explicit
  ``{.decorative}`` marker. Each problem is one line naming the file (and line).
- ``STATIC_PATHS`` (content/images/) hold images only, and the few other kinds in
  ``OTHER_FILES`` (PDF) when their first bytes say they are that kind: an HTML or JavaScript
  file there would run on the site's own origin. The same holds for any file a ``{static}``
  or ``{attach}`` link publishes (say, content/data/shelters.yml). Images and links must stay
  inside content/ (no ``../`` out of it), and nothing is ever written outside the output.
- Pelican's static copy never sees the images (they are taken out of its list), and this
  plugin writes them itself: orientation applied first (``ImageOps.exif_transpose``), colours
  converted to sRGB, then only the pixels are copied into a brand-new image, so EXIF, GPS,
  XMP, IPTC, maker notes, ICC profiles and comments cannot follow. Each is written at a few
  widths (never wider than the source) in WebP and in JPEG (PNG for graphics/transparency).
- ``<img>`` tags in articles and pages become ``<picture>`` with ``srcset``/``sizes``, explicit
  ``width``/``height``, and ``loading="lazy"`` on every image but the first of the page.
- Results are cached by content hash (``IMAGES["cache"]``): a rebuild re-encodes nothing.
- Last, the whole output folder is audited: any image file there that still carries EXIF,
  XMP or a comment (a theme image, say) stops the build.

Settings: ``IMAGES`` (see DEFAULTS).
"""

import fnmatch
import hashlib
import html
import io
import json
import logging
import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from urllib.parse import unquote

from pelican import signals
from pelican.generators import Generator
from PIL import Image, ImageOps, UnidentifiedImageError

from alerta import guards
from alerta.content import CONTENT_EXTENSIONS, INTERNAL_REF, content_files
from alerta.guards import clean_image, has_alpha
from alerta.report import BuildStopped, Report, register_check
from plugins.pipeline import pipeline

__all__ = ["ImagesGenerator", "clean_image", "register", "resolve_reference"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Widths written for each image (a source narrower than one of them stops the list there).
    "widths": [320, 480, 640, 960, 1280, 1920],
    # The width of the plain `src` fallback (the largest written width up to this one).
    "default_width": 960,
    # How wide images are shown: our content column is 42rem on wider screens.
    "sizes": "(min-width: 44rem) 42rem, 100vw",
    # Bigger files are refused: export a smaller one.
    "max_bytes": 20 * 1024 * 1024,
    "webp_quality": 80,
    "jpeg_quality": 82,
    # Processed files are kept here, named by the hash of the source bytes (default: in
    # CACHE_PATH, beside Pelican's own cache).
    "cache": None,
    # The CSS class that marks an image as decorative (alt text deliberately empty).
    "decorative_class": "decorative",
}
# Formats Pillow reports that we publish. MPO is the JPEG variant many phones write.
SUPPORTED = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
SUPPORTED_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# Files we recognise as images but do not publish: each is reported, never copied.
OTHER_EXTENSIONS = {
    ".heic",
    ".heif",
    ".avif",
    ".tif",
    ".tiff",
    ".bmp",
    ".svg",
    ".ico",
    ".jxl",
    ".psd",
    ".dng",
    ".cr2",
    ".nef",
    ".arw",
}
IMAGE_EXTENSIONS = SUPPORTED_EXTENSIONS | OTHER_EXTENSIONS
# Other files published from STATIC_PATHS or by {static}/{attach} links, as they are (their
# first bytes are checked: see plugins/checks/guards.py SIGNATURES).
OTHER_FILES = {".pdf": "PDF"}
# Bump when the encoding changes, so cached files are made again.
PIPELINE_VERSION = "1"
MIME = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSION = {"webp": ".webp", "jpeg": ".jpg", "png": ".png"}
PLACEHOLDER = re.compile(r"^(?:\{(static|attach|filename)\}|\|(static|attach|filename)\|)")
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)

# Markdown: ![alt](src "title"){: .class}, ![alt][ref] + [ref]: src, and raw <img ...>.
MD_INLINE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\(\s*<?(?P<src>[^)\s>]+)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)(?P<attrs>\{[^}\n]*\})?"
)
MD_REFERENCE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\[(?P<ref>[^\]]*)\](?P<attrs>\{[^}\n]*\})?"
)
MD_DEFINITION = re.compile(r"^ {0,3}\[(?P<ref>[^\]]+)\]:\s*<?(?P<src>\S+?)>?(?:\s+.*)?$")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_LINK = re.compile(r"(<a\b[^>]*?\bhref=)(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

# The current build's images: absolute source path -> Picture. Reset for every build.
REGISTRY = {}
# Markdown files whose images the check pass has examined (absolute paths).
CHECKED = set()


# ---------------------------------------------------------------- settings and paths


def options(settings):
    result = {**DEFAULTS, **settings.get("IMAGES", {})}
    cache = result["cache"] or os.path.join(settings["CACHE_PATH"], "images")
    result["cache"] = os.path.abspath(cache)
    return result


def project_base(settings):
    return os.path.dirname(os.path.abspath(settings["PATH"]))


def shown(settings, path):
    return os.path.relpath(path, project_base(settings))


def is_image_name(path):
    return os.path.splitext(path)[1].lower() in IMAGE_EXTENSIONS


def resolve_reference(src, source_file, content_root):
    """An image reference in a content file -> absolute path under content/ (or None).

    ``{static}/images/a.jpg`` and ``/images/a.jpg`` are relative to content/; ``{static}a.jpg``
    and ``a.jpg`` to the folder of the file that shows them. Remote URLs give None.
    """
    src = html.unescape(src.strip())
    match = PLACEHOLDER.match(src)
    if match:
        src = src[match.end() :]
    elif REMOTE.match(src):
        return None
    src = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not src:
        return None
    base = content_root if src.startswith("/") else os.path.dirname(source_file)
    return os.path.normpath(os.path.join(base, src.lstrip("/")))


# ---------------------------------------------------------------- one image


@dataclass
class Picture:
    """One published image: its source, clean size and every file written for it."""

    source: str
    digest: str
    width: int
    height: int
    fallback: str  # "jpeg" or "png"
    output_stem: str  # e.g. images/foto-1a2b3c4d
    widths: list = field(default_factory=list)

    def name(self, width, kind):
        return f"{self.output_stem}-{width}{EXTENSION[kind]}"

    def height_at(self, width):
        return max(1, round(self.height * width / self.width))


def human(size):
    if size >= 1048576:
        return f"{size / 1048576:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def file_digest(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def inspect(path, opts, report, shown_path):
    """Check one image; return (digest, width, height, fallback) or None after reporting."""
    size = os.path.getsize(path)
    limit = opts["max_bytes"]
    if size > limit:
        report.error(
            shown_path,
            f"image is {human(size)}, over the {human(limit)} limit "
            "(IMAGES max_bytes); export a smaller copy",
        )
        return None
    extension = os.path.splitext(path)[1].lower()
    if extension not in SUPPORTED_EXTENSIONS:
        report.error(
            shown_path,
            f'unsupported image format "{extension}"; save it as JPEG, PNG or WebP '
            "(phones: export or share as JPEG)",
        )
        return None
    digest = file_digest(path)
    meta_path = os.path.join(opts["cache"], "meta", f"{digest}.json")
    try:
        with open(meta_path, encoding="utf-8") as handle:
            meta = json.load(handle)
        return digest, meta["width"], meta["height"], meta["fallback"]
    except (OSError, ValueError, KeyError):
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind = image.format
                if kind not in SUPPORTED:
                    report.error(
                        shown_path,
                        f"unsupported image format {kind} (the file name says "
                        f'"{extension}"); save it as JPEG, PNG or WebP',
                    )
                    return None
                image.load()
                upright = ImageOps.exif_transpose(image)
                width, height = upright.size
                alpha = has_alpha(image)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        report.error(shown_path, "image has too many pixels to publish; export a smaller copy")
        return None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        report.error(
            shown_path,
            f"image could not be decoded ({str(error)[:80]}); the file may be damaged "
            "or not really an image: export it again",
        )
        return None
    fallback = "png" if alpha or SUPPORTED[kind] in ("png", "gif") else "jpeg"
    os.makedirs(os.path.dirname(meta_path), exist_ok=True)
    write_atomic(
        meta_path,
        json.dumps({"width": width, "height": height, "fallback": fallback}).encode(),
    )
    return digest, width, height, fallback


def plan_widths(source_width, widths):
    """The widths to write: those narrower than the source, then the source (capped)."""
    chosen = sorted({w for w in widths if w < source_width})
    top = min(source_width, max(widths))
    if top not in chosen:
        chosen.append(top)
    return chosen


def write_atomic(path, data):
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def encode(image, kind, opts):
    buffer = io.BytesIO()
    if kind == "webp":
        image.save(buffer, "WEBP", quality=opts["webp_quality"], method=5)
    elif kind == "jpeg":
        image.save(buffer, "JPEG", quality=opts["jpeg_quality"], optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def cache_key(picture, opts):
    recipe = f"{picture.digest}:{PIPELINE_VERSION}:{opts['webp_quality']}:{opts['jpeg_quality']}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:24]


def render(picture, opts, output_path):
    """Write every file of one picture into output/; return True when it had to be encoded."""
    key = cache_key(picture, opts)
    folder = os.path.join(opts["cache"], "files")
    os.makedirs(folder, exist_ok=True)
    wanted = [(w, kind) for w in picture.widths for kind in ("webp", picture.fallback)]
    cached = {(w, kind): os.path.join(folder, f"{key}-{w}{EXTENSION[kind]}") for w, kind in wanted}
    encoded = False
    if not all(os.path.exists(path) for path in cached.values()):
        with Image.open(picture.source) as original:
            clean = clean_image(original)
        for width in sorted(picture.widths, reverse=True):
            size = (width, picture.height_at(width))
            scaled = clean if size == clean.size else clean.resize(size, Image.LANCZOS)
            for kind in ("webp", picture.fallback):
                write_atomic(cached[(width, kind)], encode(scaled, kind, opts))
        encoded = True
    for (width, kind), path in cached.items():
        target = guards.output_file(output_path, picture.name(width, kind))
        if target is None:  # the checks refuse such a source first: this is the last guard
            raise BuildStopped(
                f"{picture.source}: its copies would be written outside the output folder; "
                "nothing was written there"
            )
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(path, target)
    return encoded


# ---------------------------------------------------------------- the check pass


def markdown_references(text):
    """Yield (line, alt, src, attrs) for every image a Markdown file shows."""
    if "![" not in text and not HTML_IMG.search(text):
        return  # no image at all: the usual case, found without going line by line
    lines = text.splitlines()
    definitions = {}
    for line in lines:
        match = MD_DEFINITION.match(line)
        if match:
            definitions[match.group("ref").strip().lower()] = match.group("src")
    fence = None
    for number, line in enumerate(lines, start=1):
        marker = FENCE.match(line)
        if marker:
            token = marker.group(1)[0]
            fence = None if fence == token else (fence or token)
            continue
        if fence:
            continue
        for match in MD_INLINE.finditer(line):
            yield number, match.group("alt"), match.group("src"), match.group("attrs") or ""
        for match in MD_REFERENCE.finditer(line):
            ref = (match.group("ref") or match.group("alt")).strip().lower()
            if ref in definitions:
                yield number, match.group("alt"), definitions[ref], match.group("attrs") or ""
        for match in HTML_IMG.finditer(line):
            attrs = tag_attributes(match.group(0))
            classes = " ".join(f".{c}" for c in (attrs.get("class") or "").split())
            yield number, attrs.get("alt"), attrs.get("src") or "", classes


def is_decorative(attrs, opts):
    return re.search(rf"(^|[\s{{:])\.{re.escape(opts['decorative_class'])}\b", attrs) is not None


def static_files(settings):
    """Every file Pelican would publish from STATIC_PATHS (IGNORE_FILES and STATIC_EXCLUDES
    left out, as Pelican does), except symlinks that lead outside content/ (the content check
    reports those)."""
    root = settings["PATH"]
    ignores = settings.get("IGNORE_FILES", [])
    excluded = {
        os.path.normpath(os.path.join(root, e)) for e in settings.get("STATIC_EXCLUDES", [])
    }

    def kept(name):
        return not any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    for static in settings.get("STATIC_PATHS", []):
        folder = os.path.join(root, static)
        if os.path.isfile(folder) and kept(os.path.basename(folder)):
            candidates = [folder]
        else:
            candidates = []
            for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
                dirnames[:] = sorted(
                    d
                    for d in dirnames
                    if kept(d)
                    and os.path.normpath(os.path.join(dirpath, d)) not in excluded
                    and guards.real_path_inside(os.path.join(dirpath, d), root)
                )
                candidates += [os.path.join(dirpath, n) for n in sorted(filenames) if kept(n)]
        for path in candidates:
            if guards.real_path_inside(path, root):
                yield os.path.abspath(path)


def other_file_problem(path):
    """Why a file that is not an image cannot be published, or None when it can."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in OTHER_FILES:
        kinds = ", ".join(OTHER_FILES.values())
        return (
            f'"{extension or os.path.basename(path)}" files are not published: only images '
            f"(JPEG, PNG, WebP, GIF) and {kinds} files can be (anything else could run on the "
            "site)"
        )
    if not guards.signature_matches(path):
        return (
            f"is not really a {OTHER_FILES[extension]} file (its first bytes say otherwise); "
            "export it again"
        )
    return None


def static_link_problems(text, source_file, root, static_roots):
    """(line, message) for `{static}`/`{attach}` links to files Pelican would publish as they
    are and should not (a link into content/images/ is checked with that folder's files)."""
    if not INTERNAL_REF.search(text):
        return
    for number, line in enumerate(text.splitlines(), start=1):
        for match in re.finditer(r"[{|](static|attach)[}|]([^)\s\"'>]+)", line):
            target = resolve_reference("{static}" + match.group(2), source_file, root)
            if (
                target is None
                or not os.path.isfile(target)
                or is_image_name(target)
                or target.endswith(CONTENT_EXTENSIONS)  # Pelican never copies sources
                or not guards.is_inside(target, root)  # reported by the content check
                or any(guards.is_inside(target, folder) for folder in static_roots)
            ):
                continue
            problem = other_file_problem(target)
            if problem:
                yield number, f'link to "{match.group(2)}": {problem}; remove the link'


def check_images(settings, report):
    """Validate every published image and every image reference; fill REGISTRY."""
    REGISTRY.clear()
    CHECKED.clear()
    opts = options(settings)
    root = os.path.abspath(settings["PATH"])
    sources = {}
    for path in static_files(settings):
        if is_image_name(path):
            if not os.path.basename(path).startswith("."):
                sources.setdefault(path)
            continue
        problem = other_file_problem(path)
        if problem:
            report.error(shown(settings, path), f"{problem}; remove it from this folder")
    static_roots = [os.path.join(root, static) for static in settings.get("STATIC_PATHS", [])]
    for _kind, path in content_files(settings):
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except UnicodeDecodeError:
            continue  # reported by the content check
        where = shown(settings, path)
        CHECKED.add(os.path.abspath(path))
        for line, message in static_link_problems(text, os.path.abspath(path), root, static_roots):
            report.error(where, message, line)
        for line, alt, src, attrs in markdown_references(text):
            target = resolve_reference(src, os.path.abspath(path), root)
            if target is None:
                report.error(
                    where,
                    f'image "{src[:60]}" is not a file of this site; put the picture under '
                    "content/images/ and link it as {static}/images/<name> "
                    "(nothing may load from other sites)",
                    line,
                )
                continue
            if not guards.is_inside(target, root):
                report.error(
                    where,
                    f'image "{src}" is outside content/; put the picture under content/images/ '
                    "and link it as {static}/images/<name>",
                    line,
                )
                continue
            if not os.path.isfile(target):
                report.error(where, f'image "{src}" does not exist', line)
                continue
            if not guards.real_path_inside(target, root):
                continue  # a symlink leading outside: reported by the content check
            sources.setdefault(target)
            decorative = is_decorative(attrs, opts)
            if decorative and alt and alt.strip():
                report.warning(
                    where,
                    f'image "{src}" is marked decorative but has alt text; remove one of them',
                    line,
                )
            elif not decorative and not (alt or "").strip():
                report.warning(
                    where,
                    f'image "{src}" has no alt text; describe it in the brackets '
                    f"(![what it shows]({src})), or mark it decorative: "
                    f"![]({src}){{.{opts['decorative_class']}}}",
                    line,
                )
    outputs = {}
    for source in sources:
        where = shown(settings, source)
        found = inspect(source, opts, report, where)
        if not found:
            continue
        digest, width, height, fallback = found
        relative = os.path.relpath(source, root)
        stem = os.path.splitext(relative)[0].replace(os.sep, "/")
        picture = Picture(
            source=source,
            digest=digest,
            width=width,
            height=height,
            fallback=fallback,
            output_stem=f"{stem}-{digest[:8]}",
            widths=plan_widths(width, opts["widths"]),
        )
        REGISTRY[source] = picture
        outputs.setdefault(picture.output_stem, source)


# ---------------------------------------------------------------- rewriting the HTML


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs = {}

    def handle_starttag(self, tag, attrs):
        self.attrs = {name: value if value is not None else "" for name, value in attrs}

    handle_startendtag = handle_starttag


def tag_attributes(tag):
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def attribute_text(attrs):
    return "".join(f' {name}="{html.escape(str(value), quote=True)}"' for name, value in attrs)


def picture_html(picture, attrs, first, opts, siteurl):
    def url(width, kind):
        return f"{siteurl}/{picture.name(width, kind)}"

    def srcset(kind):
        return ", ".join(f"{url(w, kind)} {w}w" for w in picture.widths)

    default = max([w for w in picture.widths if w <= opts["default_width"]] or picture.widths[:1])
    largest = picture.widths[-1]
    classes = [c for c in attrs.get("class", "").split() if c != opts["decorative_class"]]
    decorative = opts["decorative_class"] in attrs.get("class", "").split()
    img = [
        ("src", url(default, picture.fallback)),
        ("srcset", srcset(picture.fallback)),
        ("sizes", opts["sizes"]),
        ("width", largest),
        ("height", picture.height_at(largest)),
        ("alt", "" if decorative else attrs.get("alt", "")),
    ]
    for name in ("title", "id"):
        if attrs.get(name):
            img.append((name, attrs[name]))
    if classes:
        img.append(("class", " ".join(classes)))
    if not first:
        img.append(("loading", "lazy"))
    img.append(("decoding", "async"))
    source = [("type", MIME["webp"]), ("srcset", srcset("webp")), ("sizes", opts["sizes"])]
    return f"<picture><source{attribute_text(source)}><img{attribute_text(img)}></picture>"


def rewrite(content, source_file, settings):
    """<img> of our images -> <picture>; links to our images -> the clean full-size file."""
    opts = options(settings)
    root = os.path.abspath(settings["PATH"])
    siteurl = settings.get("SITEURL", "")
    seen = [0]

    def image(match):
        attrs = tag_attributes(match.group(0))
        target = resolve_reference(attrs.get("src", ""), source_file, root)
        picture = REGISTRY.get(target)
        if picture is None:
            return match.group(0)
        seen[0] += 1
        return picture_html(picture, attrs, seen[0] == 1, opts, siteurl)

    def link(match):
        value = html.unescape(match.group(2)[1:-1])
        target = resolve_reference(value, source_file, root)
        picture = REGISTRY.get(target)
        if picture is None:
            return match.group(0)
        return f'{match.group(1)}"{siteurl}/{picture.name(picture.widths[-1], picture.fallback)}"'

    return HTML_IMG.sub(image, HTML_LINK.sub(link, content))


def rewrite_content(instance):
    content = getattr(instance, "_content", None)
    source = getattr(instance, "source_path", None)
    if not content or not source or "<img" not in content and "<a" not in content:
        return
    instance._content = rewrite(content, os.path.abspath(source), instance.settings)


# ---------------------------------------------------------------- output


def drop_static_images(generator):
    """Pelican must never copy a content image: we write clean copies instead. Nor any other
    file the checks would have refused (they ran first: this is the last guard)."""
    root = generator.settings["PATH"]
    for static in generator.staticfiles:
        path = static.source_path
        if not is_image_name(path) and (
            not guards.real_path_inside(path, root) or other_file_problem(path)
        ):
            raise BuildStopped(
                f"{shown(generator.settings, path)}: would be published as it is, and must not "
                "be (outside content/, or not an image or PDF); nothing was written"
            )
    generator.staticfiles[:] = [
        sc for sc in generator.staticfiles if not is_image_name(sc.source_path)
    ]
    statics = generator.context.get("static_content", {})
    for path in [p for p in statics if is_image_name(p)]:
        del statics[path]


class ImagesGenerator(Generator):
    """Writes every registered picture (from the cache when it is already there)."""

    def generate_output(self, writer):
        opts = options(self.settings)
        encoded = sum(render(p, opts, self.output_path) for p in REGISTRY.values())
        if REGISTRY:
            logger.info(
                "images: %d published (%d encoded, %d from cache)",
                len(REGISTRY),
                encoded,
                len(REGISTRY) - encoded,
            )


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_METADATA = {b"eXIf": "EXIF", b"iCCP": "icc_profile", b"tEXt": "PNG text"}
PNG_METADATA |= {b"zTXt": "PNG text", b"iTXt": "PNG text"}


def png_metadata(data):
    """Metadata chunks of a PNG, read from the chunk list (Pillow would decode every pixel
    to find an eXIf chunk after the image data)."""
    found, position = [], len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        label = PNG_METADATA.get(data[position + 4 : position + 8])
        if label and label not in found:
            found.append(label)
        position += 12 + length
    return found


def metadata_in(path):
    """What metadata an output image still carries (empty when it is clean)."""
    with open(path, "rb") as handle:
        head = handle.read(len(PNG_SIGNATURE))
        if head == PNG_SIGNATURE:
            return png_metadata(head + handle.read())
    found = []
    try:
        with Image.open(path) as image:
            if image.getexif():
                found.append("EXIF")
            for key in ("xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"):
                if image.info.get(key):
                    found.append(key)
            if image.format == "PNG" and getattr(image, "text", None):
                found.append("PNG text")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        with open(path, "rb") as handle:
            data = handle.read()
        if b"Exif\x00\x00" in data or b"http://ns.adobe.com/xap/" in data:
            found.append("EXIF/XMP bytes")
    return found


def audit_output(pelican):
    """Last line of defence: no image in output/ may carry metadata, whoever wrote it.
    Folders still being written in the background are audited once they are done."""
    pending = pipeline.pending_folders()
    audit_images(pelican.output_path, exclude=set(pending))
    for folder in pending:
        pipeline.when_done(folder, partial(audit_images, pelican.output_path, include={folder}))


def audit_images(output, include=None, exclude=()):
    """Audit the images under `output`: in the top-level folders `include` only (None: all),
    except those in `exclude`. Any image with metadata stops the build (strict or not): a
    photo's GPS position must never be published, whoever put the file there."""
    # Named as in the finished output (plugins.atomic builds into "<output>.new").
    shown = os.path.basename(os.path.abspath(output)).removesuffix(".new")
    report = Report()
    for dirpath, _dirnames, filenames in pipeline.walk(output, include, exclude):
        for name in filenames:
            if not is_image_name(name) or name.endswith(".ico"):
                continue
            path = os.path.join(dirpath, name)
            found = metadata_in(path)
            if found:
                report.error(
                    os.path.join(shown, os.path.relpath(path, output)),
                    f"carries metadata ({', '.join(found)}); images must come from content/ "
                    "or the icon/card plugins, which strip it (theme/static/ files are "
                    "published as they are: strip it there)",
                )
    if report.errors:
        report.emit()
        raise BuildStopped(
            f"{len(report.errors)} image(s) in the output carry metadata, listed above; "
            "the previous output was left as it was"
        )


class OurAltCheck(logging.Filter):
    """Pelican's own "Empty alt attribute" warning ignores the decorative marker and names
    no line; for the files our check examined, that check has already said what is needed."""

    def filter(self, record):
        if str(record.msg).startswith("Empty alt attribute") and len(record.args or ()) == 2:
            return os.path.abspath(str(record.args[1])) not in CHECKED
        return True


def install_filter(_pelican):
    target = logging.getLogger("pelican.readers")
    if not any(isinstance(f, OurAltCheck) for f in target.filters):
        target.addFilter(OurAltCheck())


def get_generators(_pelican):
    return ImagesGenerator


def register():
    signals.initialized.connect(install_filter)
    register_check(check_images)
    signals.content_object_init.connect(rewrite_content)
    signals.static_generator_finalized.connect(drop_static_images)
    pipeline.add_generator(get_generators(None))
    pipeline.add_step("finalized", audit_output)
