"""Compile each theme template once per build, and not at all when it has not changed.

Pelican gives every generator its own Jinja environment, and this site has a dozen generators,
so each compiled the shared templates (base, partials, components) again: about a tenth of a
cold build. Every environment gets one bytecode cache in ``CACHE_PATH/jinja``; Jinja checks
each entry against the template's source, so an edited template is compiled afresh.
"""

import os

from jinja2 import FileSystemBytecodeCache
from pelican import signals

__all__ = ["register"]

_caches = {}  # folder -> cache, shared by the generators of a build (and of later builds)


def bytecode_cache(settings):
    folder = os.path.join(os.path.abspath(settings["CACHE_PATH"]), "jinja")
    if folder not in _caches:
        os.makedirs(folder, exist_ok=True)
        _caches[folder] = FileSystemBytecodeCache(folder)
    return _caches[folder]


def share_cache(generator):
    generator.env.bytecode_cache = bytecode_cache(generator.settings)


def register():
    signals.generator_init.connect(share_cache)
