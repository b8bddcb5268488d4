"""Writing files safely, sharing them between the cache and the output, and caching work.

- ``atomic_write(path, data)``: write then rename, so a reader (or an interrupted build) never
  sees half a file;
- ``link_or_copy`` / ``link_tree``: put a cached file into the output as a hard link;
- ``walk``: os.walk, sorted, over some top-level folders only;
- ``Cache(settings, name, version)``: a folder of results keyed by their inputs, under
  CACHE_PATH/<name>/<version>/, so a change of version (of the code that made them, or of a
  library) never serves an old result.
"""

import hashlib
import json
import os
import shutil
import tempfile

__all__ = ["Cache", "atomic_write", "link_or_copy", "link_tree", "walk"]


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _umask()  # read once: os.umask can only be read by setting it


def atomic_write(path, data):
    """Write `data` (bytes or str) to `path` through a temporary file in the same folder.

    The file gets the mode an ordinary `open(path, "w")` would give it (0644 with the usual
    umask), not mkstemp's 0600: a web server must be able to read what the build publishes."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temporary, 0o666 & ~UMASK)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return path


def link_or_copy(source, target):
    """Put `source` at `target` as a hard link (no bytes copied), or a copy across disks.

    Safe for files shared between the cache and the output: every build writes into a fresh
    output folder (plugins.atomic), so nothing rewrites a linked file in place, and the caches
    replace files (atomic_write) rather than rewriting them.
    """
    if os.path.lexists(target):
        os.remove(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return target


def link_tree(source, target):
    """`shutil.copytree`, with hard links where possible (see link_or_copy)."""
    shutil.copytree(source, target, copy_function=link_or_copy, dirs_exist_ok=True)


def walk(root, include=None, exclude=()):
    """os.walk(root), sorted, over the top-level folders `include` only (None: all of them,
    and the files at the top) except those in `exclude`."""
    for depth, (dirpath, dirnames, filenames) in enumerate(os.walk(root)):
        dirnames.sort()
        if depth == 0:  # os.walk gives the top first
            dirnames[:] = [
                d for d in dirnames if (include is None or d in include) and d not in exclude
            ]
            if include is not None:
                filenames = []
        yield dirpath, dirnames, sorted(filenames)


def digest(*parts):
    """A stable key for JSON-able parts (bytes are hashed as they are)."""
    hasher = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            hasher.update(part)
        else:
            hasher.update(json.dumps(part, sort_keys=True, default=str).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


class Cache:
    """Results of one kind of work, keyed by name and by the version of what made them."""

    def __init__(self, settings, name, version):
        base = settings.get("CACHE_PATH") or "cache"
        self.folder = os.path.join(base, name, digest(version)[:16])

    def path(self, key, suffix=""):
        return os.path.join(self.folder, key[:2], key + suffix)

    def get(self, key, suffix=""):
        path = self.path(key, suffix)
        return path if os.path.isfile(path) else None

    def put(self, key, data, suffix=""):
        return atomic_write(self.path(key, suffix), data)
