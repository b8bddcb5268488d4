"""Failures the checks could not foresee: one line naming the file, and never a silent loss.

- Pelican logs an ERROR and goes on for some problems ("Could not process ...": the file is
  left out of the site) unless it runs with ``--fatal errors``. `ErrorCount` counts every
  ERROR the "pelican" and "plugins" loggers log during a run, and `stop_if_errors()` (called
  when the pages are written, and by plugins.atomic just before it swaps the output in) stops
  the build, so the previous output stays.
- "Could not process <file>" says neither where nor why: `explain_unread` rewrites it as
  ``content/<file>: could not be read (<error>)``.
- Any other exception that stops the build reaches Pelican's final "critical" message with a
  traceback: `last_resort_line` turns it into one line naming the content file being
  processed, found in the traceback (the innermost Pelican content object, or content file
  path, in its frames) or, failing that, the file Pelican was writing. (`pelican -D` still
  prints the traceback, for whoever fixes the cause.)
"""

import logging
import os
import sys

from pelican import signals
from pelican.contents import Content

__all__ = ["ErrorCount", "explain_unread", "last_resort_line", "register", "stop_if_errors"]

WATCHED = ("pelican", "plugins")  # loggers whose ERRORs mean something was left out
KEPT = "the previous output was left as it was"


class ErrorCount:
    """Counts ERROR records of the WATCHED loggers as they are made (a log record factory:
    a handler would change where the log goes, since Python prints through its last-resort
    handler only when no logger on the way has one)."""

    def __init__(self):
        self.count = 0

    def wrap(self, previous):
        def make_record(*args, **kwargs):
            record = previous(*args, **kwargs)
            name = record.name
            if logging.ERROR <= record.levelno < logging.CRITICAL and any(
                name == watched or name.startswith(watched + ".") for watched in WATCHED
            ):
                self.count += 1
            return record

        make_record.counts_errors = True
        return make_record


COUNTER = ErrorCount()
STATE = {"root": None, "writing": None}  # content folder; the content file being written


def stop_if_errors(_sender=None):
    """Stop the build when an ERROR was logged during this run (strict or not)."""
    count, COUNTER.count = COUNTER.count, 0
    if count:
        from .report import BuildStopped

        raise BuildStopped(
            f"{count} error(s) logged above; Pelican went on without what failed, so nothing "
            "was published"
        )


def shown(path):
    """A content path as editors see it: `content/articles/x.md` (relative to the project)."""
    root = STATE["root"]
    if not root:
        return path
    full = path if os.path.isabs(path) else os.path.join(root, path)
    return os.path.relpath(full, os.path.dirname(os.path.abspath(root)))


def one_line(text, limit=300):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(error):
    return one_line(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)


class explain_unread(logging.Filter):  # noqa: N801 - named for what it does to the record
    """On Pelican's generators logger: "Could not process <file>" -> one line with the reason
    (the filter runs inside Pelican's `except`, where the error is still at hand)."""

    def filter(self, record):
        if record.msg == "Could not process %s" and record.args:
            error = sys.exc_info()[1]
            reason = f" ({describe(error)})" if error else ""
            record.msg, record.args = (
                "%s: could not be read%s; it was left out, so the build stops",
                (shown(str(record.args[0])), reason),
            )
        return True


def _source_of(value, root):
    """The content file behind a value found in a traceback frame, or None."""
    try:
        if isinstance(value, Content):
            return value.source_path
        page = getattr(value, "page", None) if not isinstance(value, str | bytes) else None
        if isinstance(page, Content):
            return page.source_path
        if isinstance(value, str) and root and len(value) < 4096:
            full = os.path.abspath(value if os.path.isabs(value) else os.path.join(root, value))
            if full.startswith(root + os.sep) and os.path.isfile(full):
                return full
    except Exception:  # noqa: BLE001 - a strange object (a template's Undefined): not a file
        return None
    return None


def file_in_traceback(error):
    """The content file the innermost frame of `error` (or of the errors it came from) was
    working on, or None."""
    root = os.path.abspath(STATE["root"]) if STATE["root"] else None
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = []
        trace = error.__traceback__
        while trace is not None:
            frames.append(trace.tb_frame)
            trace = trace.tb_next
        for frame in reversed(frames):
            for value in list(frame.f_locals.values()):
                source = _source_of(value, root)
                if source:
                    return source
        error = error.__cause__ or error.__context__
    return None


def last_resort_line(error):
    """One line for an exception nothing else explained: the file, what happened, and that
    the previous output stays."""
    source = file_in_traceback(error) or STATE["writing"]
    if source:
        return f"{shown(source)}: the build stopped on this file ({describe(error)}); {KEPT}"
    return f"Build stopped: {describe(error)}; {KEPT}"


def writing(_generator, content=None):
    STATE["writing"] = getattr(content, "source_path", None)


def written(_path, context=None):
    STATE["writing"] = None


def start(pelican):
    STATE["root"] = pelican.settings.get("PATH")
    STATE["writing"] = None
    COUNTER.count = 0
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "counts_errors", False):
        logging.setLogRecordFactory(COUNTER.wrap(factory))
    generators = logging.getLogger("pelican.generators")
    if not any(isinstance(f, explain_unread) for f in generators.filters):
        generators.addFilter(explain_unread())


def register():
    signals.initialized.connect(start)
    signals.article_generator_write_article.connect(writing)
    signals.page_generator_write_page.connect(writing)
    signals.content_written.connect(written)
