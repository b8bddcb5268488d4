"""The pages: the comparison, the methodology, the PROTEJA-era view and one page per entity, in
every language, plus the CSV and JSON downloads; and the templates' helpers.

``LegislationGenerator`` reads the dataset itself (dataset.py) while Pelican gathers the
context, and writes every page through ``alerta.build.write_page``, which records it for the
sitemap. Templates get ``legislation_path(kind, slug)`` (None when the site has no
legislation.yml, so menus leave the section out) and the ``law_date`` filter.
"""

import os

from jinja2 import pass_context
from pelican.generators import Generator

from alerta import build
from alerta.build import add_section, write_page
from alerta.files import atomic_write
from alerta.i18n import languages, page_lang, required_languages
from alerta.report import BuildStopped, Report, is_preview

from .dataset import read_dataset
from .dates import format_law_date
from .downloads import to_csv, to_json
from .options import legislation_options
from .tilegrid import tile_map
from .urls import Urls

__all__ = ["LegislationGenerator", "install_globals"]

# Page kind -> template (theme/templates/<name>.html).
TEMPLATES = {
    "index": "legislation",
    "methodology": "legislation_methodology",
    "history": "legislation_history",
    "record": "legislation_record",
}


class LegislationGenerator(Generator):
    """Comparison, methodology, history and per-entity pages per language; CSV and JSON."""

    dataset = None

    def generate_context(self):
        facts = build.of(self.context).facts
        if "legislation" in facts:  # read and checked once, by the data check
            self.dataset = facts["legislation"]
        else:  # a site without plugins.checks: read here, a problem stops the build the same way
            report = Report()
            self.dataset = read_dataset(self.settings, report)
            if report.errors:
                report.emit()
                raise BuildStopped(f"{len(report.errors)} problem(s) in the legislation data")
        self.urls = Urls(self.settings) if self.dataset else None
        if self.urls:  # for the menu and the search page (alerta.build's sections)
            langs = languages(self.settings)
            add_section(self.context, "legislation", {code: self.urls(code) for code in langs})

    def generate_output(self, writer):
        dataset = self.dataset
        if not dataset:
            return
        options = dataset["options"]
        urls = self.urls

        def write(kind, lang, slug=None, **variables):
            url, alternates = urls(lang, kind, slug), urls.alternates(kind, slug)
            write_page(
                self, writer, url, TEMPLATES[kind], lang, alternates, leg=dataset, **variables
            )

        for lang in languages(self.settings):
            common = {
                "tilemap": tile_map(dataset, urls, lang),
                "downloads": {"csv": options["csv"], "json": options["json"]},
            }
            for kind in ("index", "methodology", "history"):
                write(kind, lang, **common)
            for record in dataset["records"]:
                write("record", lang, record["slug"], record=record)
        required = required_languages(self.settings)
        editors = is_preview(self.settings)
        atomic_write(
            os.path.join(self.output_path, options["csv"]), to_csv(dataset, required, editors)
        )
        atomic_write(
            os.path.join(self.output_path, options["json"]), to_json(dataset, required, editors)
        )


def install_globals(generator):
    """`legislation_path(kind, slug=None)` and `law_date` in every template, in the page's
    language."""
    settings = generator.settings
    options = legislation_options(settings)
    present = os.path.exists(os.path.join(settings["PATH"], options["data"]))
    urls = Urls(settings) if present else None

    @pass_context
    def legislation_path(ctx, kind="index", slug=None):
        return urls(page_lang(ctx), kind, slug) if urls else None

    @pass_context
    def law_date(ctx, value):
        """A law's date with only the parts the source gives (day, or month, or year)."""
        if not value:
            return ""
        return format_law_date(value, languages(settings)[page_lang(ctx)]["locale"])

    generator.env.globals["legislation_path"] = legislation_path
    generator.env.filters["law_date"] = law_date
