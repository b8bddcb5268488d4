"""Problems stay one line in the terminal (Pelican's rich handler broke them into columns)."""

import io
import logging

from rich.console import Console
from rich.logging import RichHandler

from alerta.console import OneLineHandler, use_one_line_handler

PROBLEM = (
    'content/articles/senales.es.md:2: Date "31/02/2026" is not a date (use YYYY-MM-DD); '
    "and a long tail so that it is wider than any narrow terminal"
)


def test_a_long_problem_is_one_line_in_an_80_column_terminal():
    out = io.StringIO()
    handler = OneLineHandler(Console(file=out, width=80, color_system=None))
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.emit(logging.LogRecord("alerta", logging.ERROR, __file__, 1, PROBLEM, None, None))
    assert out.getvalue() == f"ERROR    {PROBLEM}\n"


def test_the_rich_handler_is_swapped_and_plain_is_left_alone():
    root = logging.getLogger()
    before = list(root.handlers)
    rich = RichHandler(console=Console(file=io.StringIO()))
    plain = logging.StreamHandler(io.StringIO())
    try:
        root.addHandler(rich)
        root.addHandler(plain)
        use_one_line_handler()
        assert rich not in root.handlers and plain in root.handlers
        assert any(isinstance(h, OneLineHandler) for h in root.handlers)
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
