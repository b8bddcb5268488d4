"""A faster Python-Markdown converter, used ONLY on the Markdown version it was fuzzed against.

Python-Markdown tries every inline pattern on every run of text (smarty adds 18 patterns in a
second pass), and offers every block to a dozen block processors: most of a conversion. The
converter made here skips a pattern when the text lacks what its expression needs to match (a
quote, a dash, a bracket), and a block processor when the block lacks what its test needs (a
"#", a "|", a ">"): only patterns and processors whose exact expression is known here are ever
skipped, so the output cannot change. It halves conversion time.

To do so it overrides a name-mangled private method of Markdown's inline processor and swaps the
class of live objects, which is why this is the project's ONE module allowed to touch private
names of a library, and why it does so only when the installed Markdown is exactly
``FUZZED_VERSION``: the version pinned in requirements.txt, against which tests/test_speedups.py
compares thousands of random documents with stock output byte for byte. On any other version
``converter()`` returns a stock ``Markdown`` and says once, in the log, that the speed-ups are
off and why. To move the pin: run the fuzz test on the new version (``invoke test-latest``),
then change ``FUZZED_VERSION`` and requirements.txt together.
"""

import logging
from functools import cache, lru_cache

import markdown
from markdown import Markdown, blockprocessors, inlinepatterns, util
from markdown.blockparser import BlockParser
from markdown.treeprocessors import InlineProcessor

__all__ = ["FUZZED_VERSION", "converter", "enabled", "fast_markdown"]

logger = logging.getLogger(__name__)

FUZZED_VERSION = "3.11.3"
MARKDOWN_VERSION = markdown.__version__  # what the guard reads (a test pretends another one)


def enabled():
    """True when the installed Markdown is the one the speed-ups were fuzzed against."""
    if MARKDOWN_VERSION == FUZZED_VERSION:
        return True
    _say_off(MARKDOWN_VERSION)
    return False


@cache
def _say_off(installed):
    logger.info(
        "Markdown speed-ups off: they were tested with Markdown %s, this is %s; "
        "using stock Markdown (same output, slower)",
        FUZZED_VERSION,
        installed,
    )


def converter(config):
    """A Markdown converter for `config`: the fast one on the fuzzed version, else stock."""
    return fast_markdown(config) if enabled() else Markdown(**config)


# ---------------------------------------------------------------- what each pattern needs


@lru_cache(maxsize=1)
def inline_needs():
    """Inline expressions that cannot match a text containing none of these strings, keyed by
    the expression itself: one that changes upstream is no longer found here, and is never
    skipped. (Built on first use, so importing this module reads no library internals.)"""
    from markdown.extensions import smarty

    return {
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


@lru_cache(maxsize=1)
def block_needs_table():
    """Block processors whose test cannot pass (or whose run gives the block back untouched)
    on a block containing none of these strings, keyed by class and expression as upstream
    writes them (for the default tab length of 4): one that changes upstream is never skipped."""
    from markdown.extensions import abbr, def_list, footnotes, tables

    bp = blockprocessors
    return {
        (bp.HashHeaderProcessor, bp.HashHeaderProcessor.RE.pattern): ("#",),
        (bp.SetextHeaderProcessor, bp.SetextHeaderProcessor.RE.pattern): ("\n=", "\n-"),
        (bp.HRProcessor, bp.HRProcessor.RE): ("-", "_", "*"),
        (bp.OListProcessor, r"^[ ]{0,3}\d+\.[ ]+(.*)"): (".",),
        (bp.UListProcessor, r"^[ ]{0,3}[*+-][ ]+(.*)"): ("*", "+", "-"),
        (bp.BlockQuoteProcessor, bp.BlockQuoteProcessor.RE.pattern): (">",),
        (bp.ReferenceProcessor, bp.ReferenceProcessor.RE.pattern): ("]:",),
        (def_list.DefListProcessor, def_list.DefListProcessor.RE.pattern): (":",),
        (footnotes.FootnoteBlockProcessor, footnotes.FootnoteBlockProcessor.RE.pattern): ("[^",),
        (abbr.AbbrBlockprocessor, abbr.AbbrBlockprocessor.RE.pattern): ("*[",),
        (tables.TableProcessor, None): ("|",),  # a table's header and separator rows need pipes
    }


def needs(pattern):
    """What a text must contain for `pattern` to match, as alternatives; None: always try it."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):  # emphasis: `*` or `_`
        return tuple(pattern.tokens)
    if isinstance(pattern, inlinepatterns.InlineProcessor):
        return inline_needs().get(pattern.pattern)
    return None


def block_needs(processor):
    """What a block must contain for `processor` to take it, as alternatives; None: always try."""
    expression = getattr(processor, "RE", None)
    expression = getattr(expression, "pattern", expression)
    return block_needs_table().get((type(processor), expression))


# ---------------------------------------------------------------- the skipping passes


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
    """A Markdown converter whose block and inline passes skip what cannot match (whatever the
    version: the fuzz test calls it directly; the build goes through ``converter``)."""
    md = Markdown(**config)
    if type(md.parser) is BlockParser:
        md.parser.__class__ = SkippingBlockParser
    for name in ("inline", "smarty"):
        if name in md.treeprocessors and type(md.treeprocessors[name]) is InlineProcessor:
            md.treeprocessors[name].__class__ = SkippingInlineProcessor
    return md
