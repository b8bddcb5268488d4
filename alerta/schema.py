"""The shape of a data file: a small declarative schema checked before a feature reads it.

`Mapping`, `List`, `Str`, `Int`, `Bool`, `Date`, `Url`, `Text`, `Either` and `Anything` check
types, allowed values, required and unknown keys of the data `alerta.data.load_data` read, so
no file of the wrong shape can raise: it gets one line per problem, ``file:line: where what is
wrong``.
"""

import difflib
from datetime import date, datetime
from urllib.parse import urlsplit

__all__ = [
    "Anything",
    "Bool",
    "Date",
    "Either",
    "Int",
    "List",
    "Mapping",
    "Spec",
    "Str",
    "Text",
    "Url",
    "hint",
    "kind_of",
    "url_problem",
]


def kind_of(value):
    """How an editor would name what they wrote: "a list", "the number 5", "true"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return "text"


def hint(word, choices):
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


class Spec:
    """A rule for one value. `check` reports problems through `data.problem` and returns True
    when the value has the expected shape (callers skip values that do not)."""

    expected = "a value"

    def accepts(self, value):  # the Python type alone, for Either
        return True

    def check(self, value, path, data):
        if not self.accepts(value):
            data.problem(path, f"must be {self.expected}, not {kind_of(value)}")
            return False
        return self.more(value, path, data)

    def more(self, value, path, data):
        return True


class Anything(Spec):
    """Any value: the feature's own check reads it (and names its problems)."""


class Str(Spec):
    expected = "text"

    def __init__(self, choices=None, nonempty=False):
        self.choices, self.nonempty = choices, nonempty

    def accepts(self, value):
        return isinstance(value, str)

    def more(self, value, path, data):
        if self.nonempty and not value.strip():
            data.problem(path, "is empty")
            return False
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(self.choices)
            data.problem(path, f'"{value}" is not one of: {allowed}{hint(value, self.choices)}')
            return False
        return True


class Int(Spec):
    expected = "a whole number"

    def __init__(self, minimum=None):
        self.minimum = minimum

    def accepts(self, value):
        return isinstance(value, int) and not isinstance(value, bool)

    def more(self, value, path, data):
        if self.minimum is not None and value < self.minimum:
            data.problem(path, f"must be {self.minimum} or more")
            return False
        return True


class Bool(Spec):
    expected = "true or false"

    def accepts(self, value):
        return isinstance(value, bool)


class Date(Spec):
    """A day, YYYY-MM-DD (YAML reads it as a date; a day that does not exist stays text)."""

    expected = "a date (YYYY-MM-DD)"

    def accepts(self, value):
        return isinstance(value, date) and not isinstance(value, datetime)

    def check(self, value, path, data):
        if not self.accepts(value):
            data.problem(path, f'"{value}" is not a date (use YYYY-MM-DD)')
            return False
        return True


def url_problem(value, schemes=("https",)):
    """Why `value` cannot be a link shown to visitors, or None. Only the allowed schemes (https;
    http where a source has nothing better), never javascript:, data:, vbscript: or others."""
    if not isinstance(value, str):
        return f"must be a link, not {kind_of(value)}"
    shown = ", ".join(f"{scheme}://" for scheme in schemes)
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return f'"{value.strip()}" is not a link (it has a space or a control character)'
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme not in schemes or not value.startswith(parts.scheme + "://"):
        return f'"{value}" is not an {shown} link'
    if not host or "." not in host:
        return f'"{value}" is not an {shown} link (it has no site name)'
    return None


class Url(Spec):
    expected = "an https:// link"

    def __init__(self, schemes=("https",)):
        self.schemes = schemes

    def accepts(self, value):
        return isinstance(value, str)

    def more(self, value, path, data):
        problem = url_problem(value, self.schemes)
        if problem:
            data.problem(path, problem)
        return problem is None


class Text(Spec):
    """A text in every site language: {es: ..., en: ...}."""

    expected = "a text in every language, e.g. {es: ..., en: ...}"

    def accepts(self, value):
        return isinstance(value, dict)

    def more(self, value, path, data):
        langs = data.languages
        for code, text in value.items():
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                data.problem((*path, code), f"in {code} must be text, not {kind_of(text)}")
                return False
        missing = [code for code in langs if not str(value.get(code) or "").strip()]
        if missing:
            data.problem(path, "needs text in " + " and ".join(missing))
            return False
        return True


class List(Spec):
    expected = "a list"

    def __init__(self, item=None, min_items=0):
        self.item, self.min_items = item or Anything(), min_items

    def accepts(self, value):
        return isinstance(value, list)

    def more(self, value, path, data):
        if len(value) < self.min_items:
            data.problem(path, f"must list at least {self.min_items}")
            return False
        results = [self.item.check(item, (*path, n), data) for n, item in enumerate(value)]
        return all(results)


class Mapping(Spec):
    """Keys with their own rule; `required` keys; other keys are refused ("did you mean"),
    or, with `other`, each checked by that rule."""

    expected = "a mapping (key: value lines)"

    def __init__(self, fields=None, required=(), other=None):
        self.fields, self.required, self.other = fields or {}, required, other

    def accepts(self, value):
        return isinstance(value, dict)

    def more(self, value, path, data):
        good = True
        for name in self.required:
            if value.get(name) in (None, "", [], {}):
                data.problem((*path, name), "is missing (required)")
                good = False
        for key, item in value.items():
            if not isinstance(key, str):  # `1:` or `yes:` as a field name
                data.error(
                    (*path, key), f"{data.describe(path)} {kind_of(key)} is not a field name"
                )
                good = False
                continue
            rule = self.fields.get(key, self.other)
            if rule is None:
                data.problem((*path, key), f"is not a known field{hint(key, self.fields)}")
                good = False
            elif item is not None and not rule.check(item, (*path, key), data):
                good = False
        return good


class Either(Spec):
    """The first rule whose type fits, e.g. a phone as text or as {number: ..., verify: ...}."""

    def __init__(self, *rules, expected=None):
        self.rules = rules
        self.expected = expected or " or ".join(rule.expected for rule in rules)

    def accepts(self, value):
        return any(rule.accepts(value) for rule in self.rules)

    def more(self, value, path, data):
        rule = next(rule for rule in self.rules if rule.accepts(value))
        return rule.check(value, path, data)
