"""The URLs of the legislation pages, in every language.

The section's folder is ``alerta.sections.section_path(settings, lang, "legislation")``, from
``BILINGUAL["paths"]`` like every section of the site (``legislacion/``, ``en/legislation/``);
inside it, the comparison is the folder's index, the methodology and PROTEJA-era pages are named
by ``LEGISLATION["paths"]`` and each entity's page by its slug (``en/legislation/jalisco/``).
"""

from alerta.i18n import languages
from alerta.options import SettingsProblem
from alerta.sections import section_path

from .options import legislation_options

__all__ = ["Urls"]


class Urls:
    """`urls(lang, kind, slug)`: the URL (no leading slash) of a page of the section, where
    kind is index, methodology, history or record; worked out once per build."""

    def __init__(self, settings):
        paths = legislation_options(settings)["paths"]
        self.bases, self.words = {}, {}
        for lang in languages(settings):
            try:
                self.bases[lang] = section_path(settings, lang, "legislation")
            except KeyError:
                raise SettingsProblem(
                    f'BILINGUAL["paths"] names no folder for the legislation section in {lang}: '
                    'add "legislation": "..." under "default" (or "' + lang + '") in pelicanconf.py'
                ) from None
            self.words[lang] = {**paths["default"], **paths.get(lang, {})}

    def __call__(self, lang, kind="index", slug=None):
        base = self.bases[lang]
        if kind == "index":
            return base
        if kind == "record":
            return f"{base}{slug}/"
        return f"{base}{self.words[lang][kind]}/"

    def alternates(self, kind="index", slug=None):
        """{lang: URL} of one page in every language."""
        return {lang: self(lang, kind, slug) for lang in self.bases}
