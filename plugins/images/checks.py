"""The check pass: every image that would be published, checked before Pelican reads anything.

Every file under ``STATIC_PATHS`` and every image a Markdown file shows must be a supported
image that decodes and stays under the size limit (or one of the few other kinds, such as PDF,
whose first bytes say they are that kind); images and links must stay inside content/; every
image in Markdown needs alt text or the decorative marker. Each problem is one line naming the
file (and line). What passes is this build's REGISTRY of pictures, which the rest of the
plugin writes and links.
"""

import fnmatch
import hashlib
import json
import os
import re
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from alerta import guards
from alerta.content import CONTENT_EXTENSIONS, INTERNAL_REF, content_files
from alerta.files import atomic_write
from alerta.guards import has_alpha

from .pictures import Picture, cache_folder, plan_widths
from .references import is_decorative, markdown_references, resolve_reference
from .settings import options

__all__ = [
    "CHECKED",
    "REGISTRY",
    "check_images",
    "is_image_name",
    "other_file_problem",
    "shown",
]

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
# first bytes are checked: see alerta/guards.py SIGNATURES).
OTHER_FILES = {".pdf": "PDF"}

# The current build's images: absolute source path -> Picture. Reset for every build.
REGISTRY = {}
# Markdown files whose images the check pass has examined (absolute paths).
CHECKED = set()


def project_base(settings):
    return os.path.dirname(os.path.abspath(settings["PATH"]))


def shown(settings, path):
    return os.path.relpath(path, project_base(settings))


def is_image_name(path):
    return os.path.splitext(path)[1].lower() in IMAGE_EXTENSIONS


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
    meta_path = os.path.join(cache_folder(opts, "meta"), f"{digest}.json")
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
    atomic_write(meta_path, json.dumps({"width": width, "height": height, "fallback": fallback}))
    return digest, width, height, fallback


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
