"""Pelican's Markdown reader, converting with one reused converter instead of one per file.

The smallest subclass of ``pelican.readers.MarkdownReader``: ``read`` takes the file's HTML and
raw metadata from the workers that converted it ahead, or converts it here with this process's
converter (``converting``); the metadata is then processed as Pelican's reader does, with its
public ``process_metadata`` and ``DUPLICATES_DEFINITIONS_ALLOWED``.
"""

import logging
import os

from pelican import readers

from .ahead import AHEAD
from .converting import convert, convert_text

__all__ = ["MarkdownReader"]

logger = logging.getLogger(__name__)


class MarkdownReader(readers.MarkdownReader):
    """Pelican's reader (its settings handling, file extensions, messages), reusing one
    converter; the HTML and metadata are the stock reader's (tests/test_speedups.py)."""

    def read(self, source_path):
        converted = AHEAD.take(os.path.abspath(source_path))
        if converted is None:
            converted = convert(source_path, self.settings["MARKDOWN"])
        html, meta = converted
        return html, {
            name.lower(): self.field(name, values, source_path) for name, values in meta.items()
        }

    def field(self, name, values, source_path):
        """One metadata field, as pelican.readers.MarkdownReader reads it."""
        name = name.lower()
        if name in self.settings["FORMATTED_FIELDS"]:
            html, _meta = convert_text("\n".join(values), self.settings["MARKDOWN"], meta=False)
            return self.process_metadata(name, html)
        if len(values) > 1 and not readers.DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
            logger.warning(
                "Duplicate definition of `%s` for %s. Using first one.", name, source_path
            )
        elif len(values) > 1:
            return self.process_metadata(name, values)
        return self.process_metadata(name, values[0])
