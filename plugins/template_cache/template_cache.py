"""Compile each theme template once per build, and not at all when nothing it depends on changed.

Pelican gives every generator its own Jinja environment, and this site has a dozen generators,
so each compiled the shared templates (base, partials, components) again: about a tenth of a
cold build. Every environment gets one bytecode cache in ``CACHE_PATH/jinja``.

Jinja checks each cached entry against the template's source only, but the compiled code also
depends on how the environment compiles: ``JINJA_ENVIRONMENT`` (``trim_blocks``, delimiters,
extensions...), the filters and tests that exist, the i18n extension's style, Jinja's own
version. So every entry's key also carries a fingerprint of those (``fingerprint``), taken from
the environment when the template is loaded: changing any of them compiles afresh, without
``invoke clean``.
"""

import hashlib
import json
import os

import jinja2
from jinja2 import FileSystemBytecodeCache
from pelican import signals

__all__ = ["KeyedBytecodeCache", "fingerprint", "register"]

# What an Environment compiles with (its documented attributes): delimiters, whitespace, the
# i18n extension's style (``install_gettext_callables(newstyle=...)``), escaping, async mode.
COMPILE_ATTRIBUTES = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "is_async",
    "newstyle_gettext",
)


def stable(value, depth=0):
    """`value` as JSON-able data that is the same in every build (a function by its name and
    what it closes over: select_autoescape(["html"]) and (["xml"]) are one function with
    different cells)."""
    if depth > 4:  # a closure over itself, or a deep object: its type must do
        return type(value).__name__
    if isinstance(value, dict):
        return {str(key): stable(item, depth + 1) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, list | tuple | set | frozenset):
        items = [stable(item, depth + 1) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if callable(value):
        name = f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', value)}"
        cells = []
        for cell in getattr(value, "__closure__", None) or ():
            try:
                cells.append(cell.cell_contents)
            except ValueError:  # a cell not yet filled
                cells.append(None)
        defaults = getattr(value, "__defaults__", None)
        return [name, stable(cells, depth + 1), stable(defaults, depth + 1)]
    return repr(value)


def settings_part(settings):
    """What the site's settings say about compiling templates."""
    return {
        "jinja": jinja2.__version__,
        "theme": os.path.abspath(settings["THEME"]),
        "overrides": [os.path.abspath(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])],
        "environment": stable(settings.get("JINJA_ENVIRONMENT", {})),
        **{
            name: sorted(settings.get(name) or {})
            for name in ("JINJA_FILTERS", "JINJA_GLOBALS", "JINJA_TESTS")
        },
    }


def fingerprint(environment, settings):
    """A digest of everything besides a template's source that its compiled code depends on."""
    described = {
        "settings": settings_part(settings),
        "extensions": sorted(environment.extensions),
        "filters": sorted(environment.filters),
        "tests": sorted(environment.tests),
        **{name: stable(getattr(environment, name, None)) for name in COMPILE_ATTRIBUTES},
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


class KeyedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file bytecode cache, with the environment's fingerprint in every key."""

    def __init__(self, folder, settings):
        super().__init__(folder)
        self.settings = settings

    def get_bucket(self, environment, name, filename, source):
        keyed = f"{fingerprint(environment, self.settings)}:{name}"
        return super().get_bucket(environment, keyed, filename, source)


def share_cache(generator):
    """``generator_init``: the generator's environment keeps its compiled templates in
    ``CACHE_PATH/jinja``, shared with the build's other generators."""
    folder = os.path.join(os.path.abspath(generator.settings["CACHE_PATH"]), "jinja")
    os.makedirs(folder, exist_ok=True)
    generator.env.bytecode_cache = KeyedBytecodeCache(folder, generator.settings)


def register():
    signals.generator_init.connect(share_cache)
