"""Pages a feature writes, and the records it keeps of Pelican's pages."""

from itertools import chain

from markupsafe import Markup

__all__ = ["PageItem", "all_items"]


def all_items(originals):
    """Originals plus their translations, each once, in a stable order."""
    seen, result = set(), []
    for item in chain.from_iterable([obj, *obj.translations] for obj in originals):
        if id(item) not in seen:
            seen.add(id(item))
            result.append(item)
    return result


class PageItem:
    """Mixin for a plugin's record of one Pelican page in one language (an event, the film):
    the page's fields and its title as plain text (for calendars, JSON-LD and alt text)."""

    def meta(self, name, default=""):
        value = self.page.metadata.get(name, default)
        return value.strip() if isinstance(value, str) else value

    @property
    def title(self):
        return Markup(self.page.title).striptags()
