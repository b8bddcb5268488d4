"""One problem, one line, in the terminal too.

Pelican's default log handler (rich's ``RichHandler``) lays each message out in columns (time,
level, message, source file) and breaks the message column to fit the terminal: in 80 columns a
``file:line: message`` problem took three or four lines, and copying it gave broken lines. This
handler prints the level and the message as one logical line, in the same colours, and lets the
terminal wrap it visually (rich's ``soft_wrap``), so a problem copied from the terminal is one
line. ``--log-handler plain`` is left as it is.
"""

import logging

from rich.logging import RichHandler
from rich.text import Text

__all__ = ["OneLineHandler", "inform", "use_one_line_handler"]

STYLES = {
    logging.DEBUG: "dim",
    logging.INFO: "",
    logging.WARNING: "yellow",
    logging.ERROR: "bold red",
    logging.CRITICAL: "bold red reverse",
}


class OneLineHandler(logging.Handler):
    """Writes `LEVEL message` on the given rich console, never breaking the message."""

    def __init__(self, console, level=logging.NOTSET):
        super().__init__(level)
        self.console = console

    def emit(self, record):
        try:
            message = self.format(record)
            style = STYLES.get(record.levelno, "")
            line = Text(f"{record.levelname:<8} ", style=style or "")
            line.append(message)
            self.console.print(line, soft_wrap=True, highlight=False, markup=False)
        except Exception:  # a handler must never raise (logging's own rule)
            self.handleError(record)


def use_one_line_handler(_pelican=None):
    """Swap Pelican's rich handler on the root logger for a one-line one (same console)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RichHandler):
            replacement = OneLineHandler(handler.console, handler.level)
            replacement.setFormatter(handler.formatter)
            for each in handler.filters:
                replacement.addFilter(each)
            root.removeHandler(handler)
            root.addHandler(replacement)


# Information lines (what a publish build leaves out, and why) are shown at Pelican's default
# level, on a logger of their own: not warnings, which a publish build makes fatal.
_info = logging.Logger("alerta.info", logging.INFO)
_info.parent = logging.getLogger()


def inform(message):
    """One information line on the log; `pelican -q` hides it."""
    if logging.getLogger().level > logging.WARNING:
        return
    record = _info.makeRecord(_info.name, logging.INFO, __file__, 0, "%s", (message,), None)
    if _info.hasHandlers():
        _info.handle(record)
    else:  # `--log-handler plain`: Python's last-resort handler, which drops INFO by itself
        logging.lastResort.handle(record)
