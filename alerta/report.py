"""Reporting problems: one line per problem, naming the file (and line), all of them at once.

Every feature reports through a ``Report``; ``plugins.checks`` runs the registered data checks
before anything is read and stops the build (``BuildStopped``) when any problem is an error.
"""

import logging
from dataclasses import dataclass, field

__all__ = [
    "BuildStopped",
    "DATA_CHECKS",
    "Problem",
    "Report",
    "has_languages",
    "is_preview",
    "register_check",
]

# A plain logger, so Pelican's --fatal does not stop at the first problem: we want them all.
_log = logging.Logger("alerta.checks")
_log.parent = logging.getLogger()


class BuildStopped(Exception):
    """Raised once all problems are reported; Pelican turns it into exit status 1."""


@dataclass
class Problem:
    path: str
    line: int | None
    message: str
    level: int = logging.ERROR

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        # One line, whatever a quoted value holds (a data text may have line breaks).
        return f"{where}: {' '.join(self.message.splitlines())}"


@dataclass
class Report:
    """Collects problems from every check of one build."""

    problems: list = field(default_factory=list)
    items: list = field(default_factory=list)  # every content file's header, for reports

    def error(self, path, message, line=None):
        self.problems.append(Problem(path, line, message, logging.ERROR))

    def warning(self, path, message, line=None):
        self.problems.append(Problem(path, line, message, logging.WARNING))

    @property
    def errors(self):
        return [p for p in self.problems if p.level >= logging.ERROR]

    def emit(self):
        for problem in self.problems:
            _log.log(problem.level, "%s", problem)


def is_preview(settings):
    """True in the editors' preview (pelicanconf.py), False in the publish build (publishconf.py).

    The preview shows drafts, editors' notes and the editors' report; the publish build holds
    finished, confirmed content only."""
    return bool(settings.get("PREVIEW", True))


def has_languages(value, languages):
    """True when a data text `{es: ..., en: ...}` has non-empty text in every language."""
    return isinstance(value, dict) and all(str(value.get(code) or "").strip() for code in languages)


# Features append callables `check(settings, report)` for their data files; plugins.checks runs
# them, after its own content checks, before anything is read. A check may return what it read
# as facts {name: value}; they go in the build's record (alerta.build.of(context).facts).
DATA_CHECKS = []


def register_check(function):
    if function not in DATA_CHECKS:
        DATA_CHECKS.append(function)
    return function
