"""Stock Pelican for the bench: its own venv, and the settings a Pelican user would write.

Stock Pelican and pelican-i18n-subsites run from .bench/venv-stock, made once: Pelican imports
every installed pelican.plugins.* package, so the plugin must never be installed in the
project's venv.
"""

import os
import shutil
import subprocess
import sys

import make_corpus

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STOCK_VENV = os.path.join(ROOT, ".bench", "venv-stock")
STOCK_PACKAGES = ["pelican==4.12.0", "markdown==3.11.3", "pelican-i18n-subsites==1.0.0"]
STOCK_THEME = "simple"  # Pelican's built-in theme without CSS: what a new site starts with
QUICKSTART_PAGINATION = 10  # what `pelican-quickstart` writes when asked to paginate (default)
URL_SETTINGS = ("URL", "SAVE_AS", "LANG_URL", "LANG_SAVE_AS")


def stock_python():
    """The stock venv's python, installed once; None (after one line saying why) on failure."""
    python = os.path.join(STOCK_VENV, "bin", "python")
    marker = os.path.join(STOCK_VENV, "bench-packages.txt")
    wanted = "\n".join(STOCK_PACKAGES)
    if os.path.exists(marker):
        with open(marker) as handle:
            if handle.read() == wanted:
                return python
    print(f"Installing {', '.join(STOCK_PACKAGES)} into .bench/venv-stock (once)...")
    shutil.rmtree(STOCK_VENV, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", STOCK_VENV],
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *STOCK_PACKAGES],
    ]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True)
        if result.returncode:
            errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
            reason = (errors or result.stderr.strip().splitlines() or ["unknown error"])[-1]
            print(f"stock Pelican: install failed ({reason.strip()}); stock columns skipped")
            shutil.rmtree(STOCK_VENV, ignore_errors=True)
            return None
    with open(marker, "w") as handle:
        handle.write(wanted)
    return python


def custom_templates(corpus):
    """Template names that content files ask for with a `Template:` field (e.g. "hotline")."""
    names = set()
    for kind in ("articles", "pages"):
        for name in os.listdir(os.path.join(corpus, kind)):
            fields, _ = make_corpus.read_markdown(os.path.join(corpus, kind, name))
            if fields.get("template"):
                names.add((kind, fields["template"]))
    return names


def write_template_stubs(corpus, folder):
    """The stock theme lacks our special templates: each becomes its plain page or article."""
    os.makedirs(folder)
    for kind, name in custom_templates(corpus):
        base = "page.html" if kind == "pages" else "article.html"
        with open(os.path.join(folder, f"{name}.html"), "w", encoding="utf-8") as handle:
            handle.write(f'{{% extends "{base}" %}}\n')


def stock_settings(ours, work, plugins=()):
    """What a Pelican user would write: `pelican-quickstart`'s settings (10 articles a page),
    Pelican's "simple" theme, our URLs and Markdown, `plugins` only (see bench.py's docstring
    for every difference from ours)."""
    copied = [
        *("SITENAME", "AUTHOR", "SITEURL", "TIMEZONE", "DEFAULT_LANG", "FEED_DOMAIN"),
        *("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS", "SLUGIFY_SOURCE", "MARKDOWN"),
        *("ARTICLE_TRANSLATION_ID", "PAGE_TRANSLATION_ID", "SUMMARY_MAX_LENGTH"),
        *(f"{kind}_{what}" for kind in ("ARTICLE", "PAGE") for what in URL_SETTINGS),
    ]
    lines = [f"{name} = {ours[name]!r}" for name in copied]
    lines += [
        f"DEFAULT_PAGINATION = {QUICKSTART_PAGINATION}",
        f"THEME = {STOCK_THEME!r}",
        f"THEME_TEMPLATES_OVERRIDES = [{os.path.join(work, 'templates')!r}]",
        # Always explicit: with PLUGINS unset, Pelican would load i18n_subsites by itself.
        f"PLUGINS = {list(plugins)!r}",
        # Quickstart's feeds are off; one Atom feed per language, as ours writes.
        "FEED_ALL_ATOM = CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None",
        f"TRANSLATION_FEED_ATOM = {ours['TRANSLATION_FEED_ATOM']!r}",
        f"CACHE_PATH = {os.path.join(work, 'stock-cache')!r}",
    ]
    return "\n".join(lines) + "\n"


def i18n_settings(ours, work, locale_dir):
    """The one-pass settings plus i18n_subsites: one subsite per non-default language."""
    others = [code for code in ours["LANGUAGES"] if code != ours["DEFAULT_LANG"]]
    subsites = {
        code: {
            "SITENAME": f"{ours['SITENAME']} ({code})",
            # A subsite's own language is its default, so it uses ARTICLE_URL, not *_LANG_URL;
            # these keep ours's /en/articles/<slug>/ scheme.
            "ARTICLE_URL": "articles/{slug}/",
            "ARTICLE_SAVE_AS": "articles/{slug}/index.html",
        }
        for code in others
    }
    return (
        stock_settings(ours, work, plugins=["pelican.plugins.i18n_subsites"])
        # The plugin's README requires the i18n extension; it then loads each subsite's catalog.
        + "JINJA_ENVIRONMENT = {'extensions': ['jinja2.ext.i18n']}\n"
        + f"I18N_GETTEXT_LOCALEDIR = {locale_dir!r}\n"
        + f"I18N_SUBSITES = {subsites!r}\n"
    )


def write_empty_catalogs(locale_dir, languages):
    """An empty messages.mo per language: without one the plugin logs an error per subsite
    (the simple theme has no strings to translate, so empty is a faithful catalog)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    for code in languages:
        folder = os.path.join(locale_dir, code, "LC_MESSAGES")
        os.makedirs(folder)
        with open(os.path.join(folder, "messages.mo"), "wb") as handle:
            write_mo(handle, Catalog(locale=code))
