"""Data files (content/data/*.yml): one loader, one YAML dialect, a line for every value.

Every feature reads its data file through `load_data`, so every file is read the same way:

- YAML 1.1 as PyYAML's SafeLoader reads it (``yes``/``on`` are true, ``2026-12-01`` is a date),
  in every file alike; a date that does not exist (``2012-13-01``) stays text, for the
  feature's own check to name it;
- anchors and aliases (``&x`` / ``*x``) are refused while the file is parsed, before anything
  is expanded: a 1 KB "alias bomb" would otherwise take minutes and gigabytes;
- a syntax error, a file that is not UTF-8, too large or too deeply nested, or a key given twice
  is one line, ``file:line: message``; a byte-order mark is fine;
- the line of every value is kept (`Data.lines`, keyed by path: ``("hotlines", 0, "tel")``), so
  every later problem names its line too.

Then a small declarative schema (`Mapping`, `List`, `Str`, `Int`, `Bool`, `Date`, `Url`,
`Text`, `Either`, `Anything`) checks the *shape* of the data (types, allowed values, required
and unknown keys) before a feature's own checks read it, so no file of the wrong shape can
raise: it gets one line per problem, ``file:line: where what is wrong``.
"""

import os

import yaml
from yaml.reader import ReaderError

from . import guards
from .schema import (  # noqa: F401  (the schema is read as data.Mapping, data.Str...)
    Anything,
    Bool,
    Date,
    Either,
    Int,
    List,
    Mapping,
    Spec,
    Str,
    Text,
    Url,
    hint,
    kind_of,
    url_problem,
)

__all__ = [
    "Anything",
    "Bool",
    "Data",
    "Date",
    "Either",
    "Int",
    "List",
    "MAX_BYTES",
    "Mapping",
    "Str",
    "Text",
    "Url",
    "dotted",
    "load_data",
    "url_problem",
]

MAX_BYTES = 2 * 1024 * 1024  # the largest data file today is under 100 KB
MAX_DEPTH = 40  # nesting deeper than this is a mistake (or an attack on the parser's stack)
ALIASES_REFUSED = "YAML anchors and aliases (&x / *x) are not allowed in data files"


class Refused(yaml.YAMLError):
    """A data file refused while it is parsed (alias, anchor, nesting), with its line."""

    def __init__(self, message, mark):
        super().__init__(message)
        self.problem, self.problem_mark = message, mark


class DataLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and deep nesting from the parser's events."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused(ALIASES_REFUSED, event.start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise Refused(f"is nested more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_timestamp(self, node):
        # "2012-13-01" looks like a date but is none: keep the text for the feature's check.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", DataLoader.construct_yaml_timestamp)


class Data:
    """A loaded data file: `value`, the line of every path, and `error()` at that line."""

    def __init__(self, value, lines, shown, report, scalars=None):
        self.value, self.lines, self.shown, self.report = value, lines or {}, shown, report
        self.scalars = scalars or {}  # path -> the scalar as written ("yes", not True)
        self.languages = ("es", "en")
        self.describe = dotted

    def line(self, path):
        """The line of `path`, or of its nearest ancestor that the file has."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path, message):
        self.report.error(self.shown, message, self.line(path))

    def problem(self, path, what):
        """One shape problem: `where what`, e.g. `record x, total t: value must be ...`."""
        self.error(path, f"{self.describe(path)} {what}".strip())


def dotted(path):
    """("totals", 0, "value") -> "totals[1].value:" (positions counted from 1)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else f".{part}"
    return (text.lstrip(".") or "the file") + ":"


def load_data(path, shown, report, root=None):
    """Read one data file; a `Data`, or None after one error line (or when it is absent)."""
    if not os.path.lexists(path):
        return None
    if root is not None and not guards.real_path_inside(path, root):
        return None  # a symlink out of content/: reported by checks.check_real_paths
    if not os.path.isfile(path):
        report.error(shown, "is not a regular file; a data file must be a plain YAML file")
        return None
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)  # /proc files and FIFOs do not tell their size
    if len(raw) > MAX_BYTES:
        report.error(shown, f"is larger than {MAX_BYTES // 2**20} MB; a data file must be smaller")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.error(shown, f"is not UTF-8 text (byte {error.start}); save it as UTF-8", line)
        return None
    loader = None
    try:
        loader = DataLoader(text)
        node = loader.get_single_node()
        if node is None:
            return Data(None, {}, shown, report)
        value = loader.construct_object(node, deep=True)
        lines, scalars, twice = {}, {}, []
        index(node, (), loader.constructed_objects, lines, scalars, twice)
    except yaml.YAMLError as error:
        report.error(shown, syntax_message(error), error_line(error, text))
        return None
    except RecursionError:
        report.error(shown, f"is nested more than {MAX_DEPTH} levels deep")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if twice:
        for line, key, first in twice:
            report.error(shown, f'"{key}" is given twice here (first on line {first})', line)
        return None
    return Data(value, lines, shown, report, scalars)


def syntax_message(error):
    if isinstance(error, Refused):
        return error.problem
    problem = getattr(error, "problem", None)
    if isinstance(error, ReaderError):
        problem = f"character #x{error.character:04x} is not allowed in YAML"
    return f"YAML syntax error: {problem or 'is not valid YAML'}"


def error_line(error, text):
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    if isinstance(error, ReaderError):
        return text[: error.position].count("\n") + 1
    return None


def index(node, path, built, lines, scalars, twice):
    """Walk the node tree beside the constructed data: line of every path, scalars as written,
    and keys given twice in one mapping (YAML keeps the last one silently)."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        scalars[path] = node.value
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            index(item, (*path, position), built, lines, scalars, twice)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = built.get(key_node, key_node.value)
            child = (*path, key)
            if child in lines:
                twice.append((key_node.start_mark.line + 1, key, lines[child]))
                continue
            index(value_node, child, built, lines, scalars, twice)
            lines[child] = key_node.start_mark.line + 1
