"""Read Markdown on every core, and reuse one Markdown converter per process.

Pelican converts files one by one and builds a new ``Markdown`` object for each, which is
most of a cold build. As soon as the articles generator exists, this plugin starts converting
every file that Pelican's content cache cannot serve, in a process pool, while the build runs
its content checks and Pelican reads; the Markdown reader takes each result when Pelican asks
for it (see ``Ahead``). The HTML and metadata are exactly those of the stock reader (a test
builds the fixture site both ways and compares every file).

Python-Markdown also tries every inline pattern on every run of text (smarty adds 18 patterns
in a second pass), and offers every block to a dozen block processors, which is most of a
conversion. Our converter skips a pattern when the text lacks what its expression needs to
match (a quote, a dash, a bracket), and a block processor when the block lacks what its test
needs (a "#", a "|", a ">"): only patterns and processors whose exact expression is known here
are ever skipped, so the output cannot change.

Settings: ``PARALLEL_MARKDOWN = {"enabled": True, "workers": 0, "min_files": 40}``
(``workers: 0`` means one per core; below ``min_files`` files a pool is not worth starting).
"""

import collections
import logging
import os
import threading
from concurrent.futures import Future

from markdown import Markdown, blockprocessors, inlinepatterns, util
from markdown.blockparser import BlockParser
from markdown.extensions import abbr, def_list, footnotes, smarty, tables
from markdown.treeprocessors import InlineProcessor
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

from plugins.parallel_render import parallel_render

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

# Block processors whose test cannot pass (or whose run gives the block back untouched) on a
# block containing none of these strings, keyed by class and expression as upstream writes them
# (for the default tab length of 4): a processor that changes upstream is never skipped.
BLOCK_NEEDS = {
    (blockprocessors.HashHeaderProcessor, blockprocessors.HashHeaderProcessor.RE.pattern): ("#",),
    (blockprocessors.SetextHeaderProcessor, blockprocessors.SetextHeaderProcessor.RE.pattern): (
        "\n=",
        "\n-",
    ),
    (blockprocessors.HRProcessor, blockprocessors.HRProcessor.RE): ("-", "_", "*"),
    (blockprocessors.OListProcessor, r"^[ ]{0,3}\d+\.[ ]+(.*)"): (".",),
    (blockprocessors.UListProcessor, r"^[ ]{0,3}[*+-][ ]+(.*)"): ("*", "+", "-"),
    (blockprocessors.BlockQuoteProcessor, blockprocessors.BlockQuoteProcessor.RE.pattern): (">",),
    (blockprocessors.ReferenceProcessor, blockprocessors.ReferenceProcessor.RE.pattern): ("]:",),
    (def_list.DefListProcessor, def_list.DefListProcessor.RE.pattern): (":",),
    (footnotes.FootnoteBlockProcessor, footnotes.FootnoteBlockProcessor.RE.pattern): ("[^",),
    (abbr.AbbrBlockprocessor, abbr.AbbrBlockprocessor.RE.pattern): ("*[",),
    (tables.TableProcessor, None): ("|",),  # a table's header and separator rows need pipes
}

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


def block_needs(processor):
    """What a block must contain for `processor` to take it, as alternatives; None: always try."""
    expression = getattr(processor, "RE", None)
    expression = getattr(expression, "pattern", expression)
    return BLOCK_NEEDS.get((type(processor), expression))


class SkippingBlockParser(BlockParser):
    """Python-Markdown's block parser, minus the processors that cannot take the block at hand.

    The stock loop (``parseBlocks``) offers each block to every processor in turn until one
    takes it; this one passes over a processor whose test needs a string the block lacks, as
    the stock loop passes over one whose test fails. What the block holds is looked up once
    per block (again only if a processor that declined put a different block first).
    """

    def parseBlocks(self, parent, blocks):  # noqa: N802 - upstream's name
        processors = [(processor, block_needs(processor)) for processor in self.blockprocessors]
        parts = sorted({part for _, need in processors if need for part in need})
        while blocks:
            block, present = None, None
            for processor, need in processors:
                if blocks[0] is not block:
                    block = blocks[0]
                    present = frozenset(part for part in parts if part in block)
                if need is not None and present.isdisjoint(need):
                    continue
                # A processor whose run returns False declined the block: try the next one.
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break


def fast_markdown(config):
    """A Markdown converter whose block and inline passes skip what cannot match."""
    md = Markdown(**config)
    if type(md.parser) is BlockParser:
        md.parser.__class__ = SkippingBlockParser
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


def _convert_chunk(paths, config):
    results = {}
    for path in paths:
        try:
            results[path] = convert(path, config)
        except Exception:  # noqa: BLE001 - the reader will read it again and report it properly
            results[path] = None
    return results


class Ahead:
    """Files being converted by worker processes while the build goes on.

    The conversions start as soon as a generator exists, so they overlap the content checks
    and Pelican's own reading; the reader takes each file's result when Pelican asks for it.
    Only a few chunks are handed to the workers at a time (the next one when one is done), so
    a build that stops early, on a failed check, does not wait for the rest before exiting. A
    chunk that fails (a worker died) is read again in the build. The pool is closed once
    every result is taken, or at the latest when reading is over, so no thread or process of
    it is left when the pages are written.
    """

    def __init__(self):
        self.pool = None
        self.lock = threading.Lock()
        self.queue = collections.deque()  # (paths, config, Future) not yet sent to a worker
        self.waiting = {}  # absolute path -> (Future of its chunk, the chunk's paths)
        self.done = {}  # absolute path -> (html, raw metadata), or None: read it here

    def start(self, paths, config, workers):
        if self.pool is None:
            self.pool = parallel_render.process_pool(workers)
        size = max(1, len(paths) // (workers * 8))
        for first in range(0, len(paths), size):
            chunk = paths[first : first + size]
            result = Future()
            self.queue.append((chunk, config, result))
            self.waiting.update(dict.fromkeys(chunk, (result, chunk)))
        for _ in range(workers + 1):
            self.send_next()

    def send_next(self):
        """Hand the next chunk to the pool (also called, from the pool's thread, when a chunk
        is done); its result, or its error, ends up in the chunk's own Future."""
        with self.lock:
            while self.queue:
                chunk, config, result = self.queue.popleft()
                try:
                    running = self.pool.submit(_convert_chunk, chunk, config)
                    break
                except Exception as error:  # noqa: BLE001 - a broken pool: read them here
                    result.set_exception(error)
            else:
                return
        running.add_done_callback(lambda finished: self.settle(finished, result))

    def settle(self, finished, result):
        if finished.cancelled():  # the pool was closed: nothing waits for it any more
            result.cancel()
            return
        error = finished.exception()
        if error is None:
            result.set_result(finished.result())
        else:
            result.set_exception(error)
        self.send_next()

    def take(self, path):
        """The converted file, waiting for its chunk if need be; None: convert it here."""
        entry = self.waiting.get(path)
        if entry is not None:
            result, chunk = entry
            try:
                self.done.update(result.result())
            except Exception as error:  # noqa: BLE001 - the reader converts them itself
                logger.debug("parallel_markdown: a chunk failed (%s); read in the build", error)
            for done in chunk:
                del self.waiting[done]
        if self.pool is not None and not self.waiting:
            self.close()
        return self.done.pop(path, None)

    def close(self):
        """Stop the workers; results already taken stay until the reader asks for them."""
        with self.lock:
            self.queue.clear()
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.pool = None
        self.waiting.clear()

    def reset(self, _sender=None):
        self.close()
        self.done.clear()


AHEAD = Ahead()


class FastMarkdownReader(MarkdownReader):
    """The stock reader, fed by the pool and reusing one converter when it has to convert."""

    def read(self, source_path):
        self._source_path = source_path
        done = AHEAD.take(os.path.abspath(source_path))
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


def convert_ahead(generator):
    """Start converting, on every core, the files the content cache will not serve."""
    if isinstance(generator, ArticlesGenerator):
        settings = ("ARTICLE_PATHS", "ARTICLE_EXCLUDES")
    elif isinstance(generator, PagesGenerator):
        settings = ("PAGE_PATHS", "PAGE_EXCLUDES")
    else:
        return
    options = settings_for(generator.settings)
    if not options["enabled"]:
        return
    cache = generator.readers
    todo = [
        path
        for path in markdown_files(generator, *settings)
        if cache.get_cached_data(path, None) is None
    ]
    workers = options["workers"] or os.cpu_count() or 1
    if workers < 2 or len(todo) < options["min_files"]:
        return  # the reader converts them one by one, reusing its converter
    AHEAD.start(todo, markdown_config(generator.settings), workers)


def register():
    signals.readers_init.connect(use_fast_reader)
    signals.initialized.connect(AHEAD.reset)  # a build that stopped early left one behind
    # Sent before article_generator_init, whose receivers (the checks) run meanwhile.
    signals.generator_init.connect(convert_ahead)
    signals.all_generators_finalized.connect(AHEAD.reset)
