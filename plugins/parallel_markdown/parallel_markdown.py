"""Read Markdown on every core, and reuse one Markdown converter per process.

Pelican converts files one by one and builds a new ``Markdown`` object for each, which is
most of a cold build. Before the articles generator reads anything, this plugin converts every
file that Pelican's content cache cannot serve, in a process pool, and hands the results to
the Markdown reader when Pelican asks for them. The HTML and metadata are exactly those of the
stock reader (a test builds the fixture site both ways and compares every file).

Python-Markdown also tries every inline pattern on every run of text (smarty adds 18 patterns
in a second pass), which is most of a conversion. Our converter skips a pattern when the text
lacks what its expression needs to match (a quote, a dash, a bracket): only patterns whose
exact expression is known here are ever skipped, so the output cannot change.

Settings: ``PARALLEL_MARKDOWN = {"enabled": True, "workers": 0, "min_files": 40}``
(``workers: 0`` means one per core; below ``min_files`` files a pool is not worth starting).
"""

import logging
import os
from concurrent.futures import ProcessPoolExecutor

from markdown import Markdown, inlinepatterns, util
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor
from pelican import signals
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

__all__ = ["FastMarkdownReader", "fast_markdown", "register"]

logger = logging.getLogger(__name__)

DEFAULTS = {"enabled": True, "workers": 0, "min_files": 40}

# Inline expressions that cannot match a text containing none of these strings, keyed by the
# expression itself: one that changes upstream is no longer found here, and is never skipped.
NEEDS = {
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also REFERENCE_RE
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnotes' reference
    r"(?<!\.)\.{3}(?!\.)": ("...",),  # smarty's ellipsis
    r"(?<!-)---(?!-)": ("---",),  # smarty's em dash
    r"(?<!-)--(?!-)": ("--",),  # smarty's en dash
    **dict.fromkeys(
        [
            smarty.singleQuoteStartRe,
            smarty.singleQuoteSetsRe,
            smarty.doubleQuoteSetsRe2,
            smarty.decadeAbbrRe,
            smarty.openingSingleQuotesRegex,
            smarty.closingSingleQuotesRegex,
            smarty.closingSingleQuotesRegex2,
            smarty.remainingSingleQuotesRegex,
        ],
        ("'",),
    ),
    **dict.fromkeys(
        [
            smarty.doubleQuoteStartRe,
            smarty.doubleQuoteSetsRe,
            smarty.singleQuoteSetsRe2,
            smarty.openingDoubleQuotesRegex,
            smarty.closingDoubleQuotesRegex,
            smarty.closingDoubleQuotesRegex2,
            smarty.remainingDoubleQuotesRegex,
        ],
        ('"',),
    ),
}

_converted = {}  # absolute path -> (html, raw metadata), filled before Pelican reads
_worker_markdown = None


def settings_for(settings):
    return {**DEFAULTS, **settings.get("PARALLEL_MARKDOWN", {})}


def markdown_config(settings):
    """Pelican's Markdown configuration, with the meta extension it always adds."""
    config = dict(settings["MARKDOWN"])
    extensions = list(config.get("extensions", []))
    for name in config.get("extension_configs", {}):
        if name not in extensions:
            extensions.append(name)
    if "markdown.extensions.meta" not in extensions:
        extensions.append("markdown.extensions.meta")
    config["extensions"] = extensions
    return config


def needs(pattern):
    """What a text must contain for `pattern` to match, as alternatives; None: always try it."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):  # emphasis: `*` or `_`
        return tuple(pattern.tokens)
    if isinstance(pattern, inlinepatterns.InlineProcessor):
        return NEEDS.get(pattern.pattern)
    return None


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline pass, minus the patterns that cannot match the text at hand.

    It replaces the stock loop over patterns (``__handleInline``): the same patterns in the same
    order, except that one whose expression needs a character absent from the text is passed
    over, exactly as the stock loop passes over a pattern that found no match. What the text
    holds is looked up once per text: a match only ever replaces text with a placeholder
    (``\\x02...\\x03``), so a needed character absent at first never appears later.
    """

    def run(self, tree, ancestors=None):
        self.needs = [needs(pattern) for pattern in self.inlinePatterns]
        self.parts = sorted({part for need in self.needs if need for part in need})
        self.plans = {}  # (first pattern, parts present) -> the patterns to try, in order
        return super().run(tree, ancestors)

    def plan(self, first, present):
        key = (first, present)
        if key not in self.plans:
            self.plans[key] = [
                index
                for index in range(first, len(self.needs))
                if self.needs[index] is None or not present.isdisjoint(self.needs[index])
            ]
        return self.plans[key]

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        present = frozenset(part for part in self.parts if part in data)
        apply = self._InlineProcessor__applyPattern
        for index in self.plan(patternIndex, present):
            pattern, matched, start = self.inlinePatterns[index], True, 0
            while matched:  # after a match, the same pattern again on what follows it
                data, matched, start = apply(pattern, data, index, start)
        return data


def fast_markdown(config):
    """A Markdown converter whose inline passes skip the patterns that cannot match."""
    md = Markdown(**config)
    for name in ("inline", "smarty"):
        if name in md.treeprocessors and type(md.treeprocessors[name]) is InlineProcessor:
            md.treeprocessors[name].__class__ = SkippingInlineProcessor
    return md


def convert(path, config):
    """Markdown file -> (html, raw metadata); one converter per process, reset between files."""
    global _worker_markdown
    if _worker_markdown is None:
        _worker_markdown = fast_markdown(config)
    md = _worker_markdown
    md.reset()
    with open(path, encoding="utf-8-sig") as handle:
        html = md.convert(handle.read())
    return html, {name: list(values) for name, values in getattr(md, "Meta", {}).items()}


def _convert_job(job):
    path, config = job
    try:
        return path, convert(path, config)
    except Exception:  # noqa: BLE001 - the reader will read it again and report it properly
        return path, None


class FastMarkdownReader(MarkdownReader):
    """The stock reader, fed by the pool and reusing one converter when it has to convert."""

    def read(self, source_path):
        self._source_path = source_path
        done = _converted.pop(os.path.abspath(source_path), None)
        if done is None:
            done = convert(source_path, markdown_config(self.settings))
        html, meta = done
        return html, self._parse_metadata(meta)

    def _parse_metadata(self, meta):
        formatted = self.settings["FORMATTED_FIELDS"]
        output = {}
        for name, value in meta.items():
            name = name.lower()
            if name in formatted:
                # A fresh converter without the meta extension, as the stock reader does.
                self._md = Markdown(**self.settings["MARKDOWN"])
                self._md.preprocessors.deregister("meta")
                output[name] = self.process_metadata(name, self._md.convert("\n".join(value)))
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                if len(value) > 1:
                    logger.warning(
                        "Duplicate definition of `%s` for %s. Using first one.",
                        name,
                        self._source_path,
                    )
                output[name] = self.process_metadata(name, value[0])
            elif len(value) > 1:
                output[name] = self.process_metadata(name, value)
            else:
                output[name] = self.process_metadata(name, value[0])
        return output


def use_fast_reader(readers):
    if not settings_for(readers.settings)["enabled"]:
        return
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = FastMarkdownReader


def markdown_files(generator, paths_setting, excludes_setting):
    extensions = tuple(f".{ext}" for ext in MarkdownReader.file_extensions)
    for relative in generator.get_files(
        generator.settings[paths_setting], exclude=generator.settings[excludes_setting]
    ):
        if relative.endswith(extensions):
            yield os.path.abspath(os.path.join(generator.path, relative))


def convert_ahead(generator, paths_setting, excludes_setting):
    """Convert, on every core, the files the content cache will not serve."""
    options = settings_for(generator.settings)
    if not options["enabled"]:
        return
    cache = generator.readers
    todo = [
        path
        for path in markdown_files(generator, paths_setting, excludes_setting)
        if cache.get_cached_data(path, None) is None
    ]
    workers = options["workers"] or os.cpu_count() or 1
    if workers < 2 or len(todo) < options["min_files"]:
        return  # the reader converts them one by one, reusing its converter
    config = markdown_config(generator.settings)
    chunk = max(1, len(todo) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for path, result in pool.map(_convert_job, [(p, config) for p in todo], chunksize=chunk):
            if result is not None:
                _converted[path] = result


def convert_articles(generator):
    _converted.clear()  # a new run: the first generator Pelican creates is the articles one
    convert_ahead(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def convert_pages(generator):
    # Created before any generator reads, so this must not drop the articles' results.
    convert_ahead(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def register():
    signals.readers_init.connect(use_fast_reader)
    signals.article_generator_init.connect(convert_articles)
    signals.page_generator_init.connect(convert_pages)
