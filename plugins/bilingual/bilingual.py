"""One-pass bilingual site on Pelican's native translations.

Gives every page its language (`<html lang>`), its alternates (for hreflang and the language
switcher), theme strings from the page language's gettext catalog, Babel-formatted dates, and
per-language listing pages (home, all articles, categories, tags) and 404 pages.

Translation itself lives in ``alerta.i18n`` (catalogs, ``gettext``, ``tr`` and its one fallback
chain); the template helpers here only pick the page's language.

Settings: ``LANGUAGES`` (code -> name, html_lang, locale, prefix) and ``BILINGUAL["paths"]``
(section folders per language, read by ``alerta.sections.section_path``).
"""

import logging
from functools import lru_cache
from types import SimpleNamespace

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator

from alerta import i18n
from alerta.build import write_page
from alerta.i18n import languages, load_catalogs, page_lang
from alerta.options import SettingsProblem, options, unknown_key_message
from alerta.pages import all_items
from alerta.sections import DEFAULT_PATHS, section_path
from plugins.bilingual.menu import make_site_menu

__all__ = ["ListingsGenerator", "make_template_helpers", "register"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Section folders: {"es": {"events": "eventos", ...}, "default": {...}} (alerta/sections.py).
    "paths": {},
}


def check_settings(pelican):
    """BILINGUAL, checked once at the start: a typo stops the build with "did you mean".

    ``paths`` is keyed by a language of LANGUAGES or "default"; a language may only rename a
    section that has a default folder (otherwise the other languages would have none)."""
    settings = pelican.settings
    paths = options(settings, "BILINGUAL", DEFAULTS)["paths"]
    if not isinstance(paths, dict):
        raise SettingsProblem(f'BILINGUAL["paths"] must be a dictionary, not {paths!r}')
    langs = [*languages(settings), "default"]
    sections = {*DEFAULT_PATHS, *(paths.get("default") or {})}
    for key, words in paths.items():
        if key not in langs:
            raise SettingsProblem(unknown_key_message('BILINGUAL["paths"]', key, langs))
        if key != "default":
            for name in words or {}:
                if name not in sections:
                    where = f'BILINGUAL["paths"]["{key}"]'
                    raise SettingsProblem(unknown_key_message(where, name, sections))


# ---------------------------------------------------------------- template helpers


def make_template_helpers(settings):
    catalogs = load_catalogs(settings)
    langs = languages(settings)
    page_index = [None, {}]  # (pages list it was built from, {(key, lang): page})

    @pass_context
    def gettext(ctx, message):
        return catalogs[page_lang(ctx)].ugettext(message)

    @pass_context
    def ngettext(ctx, singular, plural, number):
        return catalogs[page_lang(ctx)].ungettext(singular, plural, number)

    def gettext_in(lang, message, **variables):
        """A theme string in a given language (for text shown in several languages at once)."""
        return i18n.gettext(settings, lang, message, **variables)

    @pass_context
    def here(ctx):
        """Everything the layout needs about the current page, in one object (made once)."""
        made = ctx.parent.get("_alerta_here")  # the parent dict is this page's own
        if made is None:
            made = ctx.parent["_alerta_here"] = describe_page(ctx)
        return made

    def describe_page(ctx):
        lang = page_lang(ctx)
        obj = ctx.get("article") or ctx.get("page")
        alternates = ctx.get("alternates") or getattr(obj, "alternates", None) or {lang: ""}
        url = ctx.get("page_url") if ctx.get("page_url") is not None else alternates.get(lang, "")
        return SimpleNamespace(
            lang=lang,
            info=langs[lang],
            html_lang=langs[lang]["html_lang"],
            url=url,
            alternates=alternates,
            home=langs[lang]["prefix"],
            switcher=[
                {
                    **langs[code],
                    "url": alternates.get(code, langs[code]["prefix"]),
                    "translated": code in alternates,
                }
                for code in langs
                if code != lang
            ],
            hreflang=[
                (langs[code]["html_lang"], alternates[code]) for code in langs if code in alternates
            ],
            x_default=alternates.get(settings["DEFAULT_LANG"], url),
        )

    @lru_cache(maxsize=4096)  # an article's date appears on many listing pages
    def date_text(value, format, locale):
        return babel_format_date(value, format=format, locale=locale)

    @pass_context
    def format_date(ctx, value, format="long"):
        if not value:
            return ""
        return date_text(value, format, langs[page_lang(ctx)]["locale"])

    @pass_context
    def format_datetime(ctx, value, format="long"):
        return babel_format_datetime(value, format=format, locale=langs[page_lang(ctx)]["locale"])

    @pass_context
    def nav_page(ctx, key):
        """The page with Translation_key `key` in the current language, or None."""
        pages = ctx.get("pages") or []
        if page_index[0] is not pages:
            page_index[:] = [
                pages,
                {
                    (p.translation_key, p.lang): p
                    for p in all_items(pages)
                    if hasattr(p, "translation_key")
                },
            ]
        return page_index[1].get((key, page_lang(ctx)))

    @pass_context
    def translate_data(ctx, value):
        """`{es: ..., en: ...}` from a data file -> the text in the page's language."""
        return i18n.tr(settings, value, page_lang(ctx))

    @pass_context
    def lang_path(ctx, kind):
        return section_path(settings, page_lang(ctx), kind)

    fragments = {}  # (name, language, SITEURL, variant) -> HTML, for this build

    @pass_context
    def same_on_every_page(ctx, name, variant="", *, caller):
        """``{% call same_on_every_page("nav") %}...{% endcall %}``: a part of the layout that
        depends only on the page's language (and SITEURL, which relative URLs make differ per
        page) is rendered once per language and build, then reused: the navigation, footer,
        help lines and quick exit are a third of the work of rendering a page. `variant`: the
        one other thing it depends on (the menu: which section is current)."""
        key = (name, page_lang(ctx), ctx.get("SITEURL"), variant)
        html = fragments.get(key)
        if html is None:
            html = fragments[key] = caller()
        return html

    return SimpleNamespace(
        gettext=gettext,
        ngettext=ngettext,
        globals={
            "here": here,
            "lang_path": lang_path,
            "same_on_every_page": same_on_every_page,
            "nav_page": nav_page,
            "site_menu": make_site_menu(settings, section_path, here, nav_page),
            "gettext_in": gettext_in,
            "LANGS": langs,
        },
        filters={
            "format_date": format_date,
            "format_datetime": format_datetime,
            "tr": translate_data,
        },
    )


def install_helpers(generator):
    """Called for every generator: give its Jinja environment our i18n and helpers."""
    helpers = generator.context.get("_alerta_template_helpers")
    if helpers is None:
        helpers = make_template_helpers(generator.settings)
        generator.context["_alerta_template_helpers"] = helpers
    generator.env.install_gettext_callables(helpers.gettext, helpers.ngettext, newstyle=True)
    generator.env.globals.update(helpers.globals)
    generator.env.filters.update(helpers.filters)


# ---------------------------------------------------------------- alternates


def set_alternates(items, langs):
    """`obj.alternates` maps each language that has this content to its URL, in site order."""
    for item in items:
        # Pelican formats `url` anew on every access; listings read it thousands of times.
        item.override_url = item.url
    for item in items:
        versions = {other.lang: other.url for other in item.translations}
        versions[item.lang] = item.url
        item.alternates = {code: versions[code] for code in langs if code in versions}


def add_alternates(generators):
    langs = None
    for generator in generators:
        for name in ("articles", "pages"):
            if hasattr(generator, name) and hasattr(generator, "translations"):
                langs = langs or languages(generator.settings)
                originals = getattr(generator, name)
                hidden = getattr(generator, f"hidden_{name}", [])
                set_alternates(all_items(originals) + all_items(hidden), langs)


# ---------------------------------------------------------------- listing pages


class ListingsGenerator(Generator):
    """Per-language home, article list, category and tag pages, and the 404 page."""

    def generate_output(self, writer):
        langs = languages(self.settings)
        articles = all_items(self.context.get("articles", []))
        pages = all_items(self.context.get("pages", []))
        by_lang = {code: [a for a in articles if a.lang == code] for code in langs}
        homes = {code: info["prefix"] for code, info in langs.items()}
        lists = {code: section_path(self.settings, code, "articles") for code in langs}

        def write(url, template, lang, alternates, **variables):
            write_page(self, writer, url, template, lang, alternates, **variables)

        for code in langs:
            lang_pages = [p for p in pages if p.lang == code]
            write(homes[code], "index", code, homes, articles=by_lang[code], lang_pages=lang_pages)
            write(lists[code], "articles", code, lists, articles=by_lang[code])
            for kind in ("categories", "tags"):
                for term, items, url, alternates in self.terms(kind, code, by_lang[code]):
                    write(
                        url, "listing", code, alternates, articles=items, term=term, term_kind=kind
                    )
            # Hosts serve each language's 404 for the addresses under its prefix.
            write_page(self, writer, f"{homes[code]}404.html", "404", code, {}, listed=False)

    def terms(self, kind, lang, articles):
        """Yield (term, articles, url, alternates) for each category or tag in `lang`."""
        groups = {}
        for article in articles:
            values = [article.category] if kind == "categories" else getattr(article, "tags", [])
            for term in values:
                groups.setdefault(term.slug, (term, []))[1].append(article)
        for slug, (term, items) in sorted(groups.items()):
            url = f"{section_path(self.settings, lang, kind)}{slug}/"
            alternates = {lang: url}
            if kind == "categories":
                alternates.update(self.category_twins(items, lang))
            yield term, items, url, alternates

    def category_twins(self, items, lang):
        """A category's page in another language, when all its translations agree on one."""
        twins = {}
        for code in languages(self.settings):
            if code == lang:
                continue
            slugs = {t.category.slug for a in items for t in a.translations if t.lang == code}
            if len(slugs) == 1:
                twins[code] = f"{section_path(self.settings, code, 'categories')}{slugs.pop()}/"
        return twins


def get_generators(_pelican):
    return ListingsGenerator


def register():
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(install_helpers)
    signals.all_generators_finalized.connect(add_alternates)
    signals.get_generators.connect(get_generators)
