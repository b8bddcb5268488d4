"""Content files too large, or Markdown nested too deeply, to be read safely.

Python-Markdown reads nested structures recursively: lists nested a few hundred levels deep, or
emphasis a few thousand stars deep, end in a RecursionError (Pelican then drops the file), and
unclosed brackets cost time that grows with the square of their number (5,000 take 5 s). No
real text comes near the limits below, so a file past one is refused with one line, before
Markdown reads it.

The usual file costs a few whole-text searches: lines are looked at one by one only when a
search found something that could be too deep.
"""

import os
import re

__all__ = ["MAX_BYTES", "MAX_NESTING", "nesting_problem", "size_problem"]

MAX_BYTES = 1_000_000  # the longest article today is under 20 KB
MAX_NESTING = 50  # quotes, lists, emphasis or brackets, one inside the other

# A line whose start could hold more than MAX_NESTING quotes or list levels: each level takes
# at least one of these characters (">", "- ", "1. ", four spaces).
# (Searched after a newline, and matched at the start, rather than with ^: five times faster.)
_DEEP_START = re.compile(rf"[ \t>*+\-0-9.)]{{{MAX_NESTING + 1},}}")
_DEEP_LINE = re.compile("\n" + _DEEP_START.pattern)
_LONG_RUN = re.compile(rf"[*_]{{{MAX_NESTING + 1},}}")
_START_TOKEN = re.compile(r"[ \t]+|>|(?:[*+-]|\d{1,9}[.)])(?=[ \t]|$)")
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$")  # a horizontal rule: not nesting
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
# Brackets, and emphasis marks that open (after a space, before a letter: `*a`) or close
# (`a*`): `*a *b *c ... c* b* a*` nests as deeply as a run of stars does.
_INLINE = re.compile(
    r"(\[)|(\])|(?<!\S)([*_]+)(?=\S)|(?<=\S)([*_]+)(?!\S)|(\n[ \t]*\n)"  # 5: paragraph end
)
_OPENING_PAIRS = [space + mark for space in " \t\n" for mark in "*_"]
_FENCE_LINE = re.compile(r"^[ \t]*(?:```|~~~).*$", re.MULTILINE)
_OPENED = {1: "[ brackets", 3: "* or _ emphasis marks"}


def size_problem(path):
    """Why a content file is too large to read, or None (`path` is a real file in content/)."""
    size = os.path.getsize(path)
    if size <= MAX_BYTES:
        return None
    return (
        f"is {size / 1_000_000:.1f} MB; a content file may have at most "
        f"{MAX_BYTES // 1_000_000} MB of text: split it into several pages"
    )


def start_depth(line):
    """Quotes and list levels at the start of a line: `> > - x` is 3, eight spaces and `- x` 3."""
    depth = width = position = 0
    after_marker = False
    while match := _START_TOKEN.match(line, position):
        token = match.group()
        if token[0] in " \t":
            # The space that ends a marker is not indentation.
            width += len(token.expandtabs(4)) - after_marker
        else:
            depth += 1
        after_marker = token[0] not in " \t"
        position = match.end()
    return depth + width // 4


def nesting_problem(text, first_line=1):
    """(line, message) for the first place Markdown would nest more than MAX_NESTING deep, or
    None. Lines before `first_line` (the metadata) and fenced code are not Markdown."""
    deep_start = _DEEP_START.match(text) or _DEEP_LINE.search(text)
    long_run = "*" * (MAX_NESTING + 1) in text or "_" * (MAX_NESTING + 1) in text
    if deep_start or long_run:
        fenced = False
        for number, line in enumerate(text.splitlines(), start=1):
            if number < first_line:
                continue
            if _FENCE.match(line):
                fenced = not fenced
            if fenced or _RULE.match(line):
                continue
            if deep_start and start_depth(line) > MAX_NESTING:
                return number, (
                    f"Markdown nested {start_depth(line)} levels deep (quotes or lists); "
                    f"at most {MAX_NESTING} can be read: flatten it"
                )
            run = _LONG_RUN.search(line) if long_run else None
            if run:
                return number, (
                    f"a run of {len(run.group())} * or _ would be read as emphasis nested that "
                    f"deep; at most {MAX_NESTING} can be read: write fewer, or escape them (\\*)"
                )
    # Each open bracket is a "[", each opening mark a "*" or "_" after a space (or first on a
    # line): with no more of them than the limit, nothing can be open deeper.
    if text.count("[") > MAX_NESTING or (
        text.count("*") + text.count("_") > MAX_NESTING
        and sum(map(text.count, _OPENING_PAIRS)) + 1 > MAX_NESTING
    ):
        return inline_problem(text, first_line)
    return None


def markdown_parts(text, first_line):
    """(offset, text) of the body's parts outside fenced code."""
    offset = 0
    for _ in range(first_line - 1):
        offset = text.find("\n", offset) + 1 or len(text)
    if "```" not in text and "~~~" not in text:
        yield offset, text[offset:]
        return
    fenced = False
    for fence in _FENCE_LINE.finditer(text, offset):
        if not fenced:
            yield offset, text[offset : fence.start()]
        fenced = not fenced
        offset = fence.end()
    if not fenced:
        yield offset, text[offset:]


def inline_problem(text, first_line):
    """Brackets or emphasis marks open more than MAX_NESTING deep in one paragraph."""
    for offset, part in markdown_parts(text, first_line):
        opened = {1: 0, 3: 0}  # brackets, emphasis marks
        for match in _INLINE.finditer(part):
            group = match.lastindex
            if group == 5:
                opened = {1: 0, 3: 0}  # a paragraph ends: nothing carries over
            elif group in opened:
                opened[group] += 1
                if opened[group] > MAX_NESTING:
                    number = text.count("\n", 0, offset + match.start()) + 1
                    return number, (
                        f"more than {MAX_NESTING} {_OPENED[group]} open at once in one "
                        "paragraph; close them, or escape them with \\"
                    )
            elif opened[group - 1]:
                opened[group - 1] -= 1
    return None
