"""The film's files in content/: found, kept inside content/, and what they must really be.

A header names its files relative to content/ (``Video: film/corto.webm``); ``content_file``
refuses any path that leaves content/ (by ``..``, an absolute path or a symlink), so a film can
never publish a file from elsewhere on the editor's disk.
"""

import os

from alerta import guards
from alerta.content import folder_files

from .options import film_options

__all__ = [
    "POSTER_TYPES",
    "VIDEO_TYPES",
    "content_file",
    "film_files",
    "media_problem",
    "outside_problem",
]

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}
POSTER_TYPES = (".png", ".jpg", ".jpeg", ".webp")
# What Pillow must find in a poster file (MPO is the JPEG variant many phones write).
POSTER_FORMATS = {"PNG", "JPEG", "MPO", "WEBP"}


def film_files(settings):
    """The film's Markdown files in content/film/, sorted."""
    return folder_files(settings, film_options(settings)["folder"])


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
