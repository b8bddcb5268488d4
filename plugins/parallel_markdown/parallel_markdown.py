"""Read Markdown faster: on every core, with one converter per process, and (on the Markdown
version they were tested with) with the speed-ups of ``speedups``.

Pelican converts files one by one and builds a new ``Markdown`` object for each, which is most
of a cold build. As soon as the articles generator exists, this plugin starts converting every
file that Pelican's content cache cannot serve, in a pool of worker processes (``ahead``), while
the build runs its content checks and Pelican reads; the Markdown reader (``reader``) takes each
result when Pelican asks for it, and converts the others itself with a converter it reuses
(``converting``). The HTML and metadata are exactly those of the stock reader: a test builds a
site both ways and compares every file, and another fuzzes the converter against stock.

Where a private name of Markdown is touched: ``speedups`` only, and only on the version pinned
in requirements.txt.

Settings: ``PARALLEL_MARKDOWN = {"enabled": True, "workers": 0, "min_files": 1000}``
(``enabled: False``: Pelican's own reader; ``workers: 0`` means one per core but one; below
``min_files`` files to convert a pool is not worth starting).
"""

import os

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader as StockReader

from alerta.options import options

from .ahead import AHEAD
from .converting import markdown_config
from .reader import MarkdownReader

__all__ = ["register"]

# Measured at 200 article pairs (400 files, 0.8 s of conversion) on 2 cores: two spawned
# workers cost 2.5 s of CPU and took under 1 s off the build's own process, so the pool is
# kept for large sites only.
DEFAULTS = {"enabled": True, "workers": 0, "min_files": 1000}


def settings_for(settings):
    return options(settings, "PARALLEL_MARKDOWN", DEFAULTS)


def use_reader(readers):
    """``readers_init``: our reader for the extensions Pelican gives its own Markdown reader."""
    if not settings_for(readers.settings)["enabled"]:
        return
    for extension in StockReader.file_extensions:
        if readers.reader_classes.get(extension) is StockReader:
            readers.reader_classes[extension] = MarkdownReader


def markdown_files(generator, paths_setting, excludes_setting):
    extensions = tuple(f".{ext}" for ext in StockReader.file_extensions)
    for relative in generator.get_files(
        generator.settings[paths_setting], exclude=generator.settings[excludes_setting]
    ):
        if relative.endswith(extensions):
            yield os.path.abspath(os.path.join(generator.path, relative))


def convert_ahead(generator):
    """``generator_init``: start converting, on every core, the files the content cache will
    not serve."""
    if isinstance(generator, ArticlesGenerator):
        settings = ("ARTICLE_PATHS", "ARTICLE_EXCLUDES")
    elif isinstance(generator, PagesGenerator):
        settings = ("PAGE_PATHS", "PAGE_EXCLUDES")
    else:
        return
    opts = settings_for(generator.settings)
    if not opts["enabled"]:
        return
    cache = generator.readers
    todo = [
        path
        for path in markdown_files(generator, *settings)
        if cache.get_cached_data(path, None) is None
    ]
    workers = opts["workers"] or (os.cpu_count() or 1) - 1  # a core left to the build
    if workers < 1 or len(todo) < opts["min_files"]:
        return  # the reader converts them one by one, reusing its converter
    AHEAD.start(todo, markdown_config(generator.settings), workers)


def register():
    signals.readers_init.connect(use_reader)
    signals.initialized.connect(AHEAD.reset)  # a build that stopped early left one behind
    # Sent before article_generator_init, whose receivers (the checks) run meanwhile.
    signals.generator_init.connect(convert_ahead)
    signals.all_generators_finalized.connect(AHEAD.reset)
