"""Markdown to HTML with one converter per process and configuration, reset between files.

Pelican builds a new ``Markdown`` object for every file it reads, which costs as much as
converting a short article. Here a converter is made once per configuration (in the build, and
in each worker of the pool that converts ahead) and reset before each file: ``reset()`` clears
everything a document leaves behind (footnotes, abbreviations, the table of contents, ``Meta``),
and the fuzz test and the site comparison in tests/test_speedups.py check that the output is
that of a fresh converter. The converter itself comes from ``speedups.converter``: the faster
one on the Markdown version it was tested with, stock Markdown on any other.
"""

import json

from .speedups import converter

__all__ = ["convert", "convert_chunk", "convert_text", "markdown_config"]

_CONVERTERS = {}  # (configuration as JSON, with the meta extension) -> converter


def markdown_config(settings):
    """Pelican's Markdown configuration, with the meta extension it always adds (as
    pelican.readers.MarkdownReader does to its settings)."""
    config = dict(settings["MARKDOWN"])
    extensions = list(config.get("extensions", []))
    for name in config.get("extension_configs", {}):
        if name not in extensions:
            extensions.append(name)
    if "markdown.extensions.meta" not in extensions:
        extensions.append("markdown.extensions.meta")
    config["extensions"] = extensions
    return config


def reused(config, meta=True):
    """This process's converter for `config`, reset; without `meta`, one that reads no
    metadata block (for metadata fields that are Markdown themselves, as Pelican does)."""
    key = (json.dumps(config, sort_keys=True, default=repr), meta)
    md = _CONVERTERS.get(key)
    if md is None:
        md = _CONVERTERS[key] = converter(config)
        if not meta:
            md.preprocessors.deregister("meta")
    md.reset()
    return md


def convert_text(text, config, meta=True):
    """`text` -> (html, raw metadata: name -> list of values)."""
    md = reused(config, meta)
    html = md.convert(text)
    return html, {name: list(values) for name, values in getattr(md, "Meta", {}).items()}


def convert(path, config):
    """A Markdown file -> (html, raw metadata), read as Pelican reads it (a BOM is dropped)."""
    with open(path, encoding="utf-8-sig") as handle:
        return convert_text(handle.read(), config)


def convert_chunk(paths, config):
    """Worker processes' task: {path: (html, raw metadata), or None when it failed (the reader
    converts that file again in the build, and reports its error as usual)}."""
    results = {}
    for path in paths:
        try:
            results[path] = convert(path, config)
        except Exception:  # noqa: BLE001 - read again in the build, which reports it
            results[path] = None
    return results
