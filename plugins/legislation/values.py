"""How the values of legislation.yml are read: answers, flags, dates and texts.

The file is read by the project's one loader (``alerta.data``) in its one dialect, YAML 1.1, as
every data file is: unquoted ``yes``/``no``/``true``/``false``/``on``/``off`` are booleans there,
``"yes"`` in quotes is text. A criterion's answer is not a boolean, though, but one of four
words (yes, partial, no, unknown), so this module reads it by **the word written in the file**,
quoted or not, in any case, and one rule covers both spellings of the same answer:

- ``yes``, ``"yes"``, ``Yes``, ``true`` and ``"true"`` are the answer *yes*;
- ``no``, ``"no"``, ``false`` and ``"false"`` are the answer *no*;
- ``partial`` and ``unknown`` are themselves (an empty answer is *unknown*);
- anything else, ``on``/``off`` included (a YAML boolean, but no answer to a question about a
  law), is refused with the word as written.

An editors' flag (``verify``) is a yes/no setting read as the publish gate reads it
(``alerta.publish_gate``): true, yes or on (quoted or not), or any other text (a note), marks
something pending; false, no, off, an empty text or no value at all do not.
"""

import re
from datetime import datetime

__all__ = [
    "CRITERION_STATUSES",
    "LAW_STATUSES",
    "UNKNOWN",
    "answer_word",
    "is_flag",
    "is_unknown",
    "parse_date",
    "texts",
]

CRITERION_STATUSES = ("yes", "partial", "no", "unknown")
# "none": no standalone law was found; "replaced": a newer law took its place.
LAW_STATUSES = ("in_force", "repealed", "replaced", "none", "unknown")
UNKNOWN = "unknown"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The spellings of a boolean that are also an answer (see the module's docstring).
ANSWER_SPELLINGS = {"true": "yes", "false": "no"}
NOT_PENDING = ("", "false", "no", "off", "null", "~")


def is_unknown(value):
    return value is None or (isinstance(value, str) and value.strip().lower() == UNKNOWN)


def answer_word(value, written=None):
    """A criterion's answer as one of CRITERION_STATUSES, or the word as written (to be refused).

    `written` is the scalar as the file spells it (`Data.scalars`): it tells `yes` from `on`,
    which YAML 1.1 reads as the same boolean."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        text = written if written is not None else ("yes" if value else "no")
    else:
        text = str(value)
    word = text.strip().lower()
    return ANSWER_SPELLINGS.get(word, word) or UNKNOWN


def is_flag(value):
    """True when an editors' flag (`verify`) marks something pending (see the docstring)."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    if isinstance(value, str):
        return value.strip().lower() not in NOT_PENDING
    return True  # a number, list or mapping under `verify` is a note too


def parse_date(value):
    """A YYYY-MM-DD text -> date; `unknown`/empty -> None; anything else -> ValueError."""
    if is_unknown(value):
        return None
    text = str(value).strip()
    if not DATE_RE.match(text):
        raise ValueError(text)
    return datetime.strptime(text, "%Y-%m-%d").date()


def texts(value, langs):
    """A data text -> {lang: text} in every required language (plain text counts for all).

    Templates show it through the `tr` filter (alerta.i18n.tr), so a language that declares a
    fallback reads the text of its fallback."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {code: str(value.get(code) or "").strip() for code in langs}
    return {code: str(value).strip() for code in langs}
