"""Development settings: `pelican content -o output -s pelicanconf.py` builds the whole site."""

import os
import sys

# Our plugins live in ./plugins as a package, so the project root must be importable.
ROOT = os.path.dirname(os.path.abspath(__file__))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

SITENAME = "Alerta Trata"
AUTHOR = "Alerta Trata"
SITEURL = ""
PATH = "content"
THEME = os.path.join(ROOT, "theme")
TIMEZONE = "America/Mexico_City"
DEFAULT_LANG = "es"

# Site facts every template reads (`SITE.name`, `SITE.tagline[lang]`, ...).
# The hotline numbers come from content/data/hotlines.yml and are added as SITE["hotlines"].
SITE = {
    "name": "Alerta Trata",
    "tagline": {
        "es": "Información y ayuda contra la trata de personas en México",
        "en": "Information and help against human trafficking in Mexico",
    },
    "partners": [
        "Consejo Ciudadano para la Seguridad y Justicia de la Ciudad de México",
    ],
    # Quick exit goes to a neutral, non-personalised page: the national weather service.
    "quick_exit_url": "https://smn.conagua.gob.mx/es/",
}

# Languages, in switcher order. The first is the default (`DEFAULT_LANG`), served at the root.
# Adding a language = one entry here + one catalog in theme/translations/<code>/.
LANGUAGES = {
    "es": {"name": "Español", "html_lang": "es-MX", "locale": "es_MX", "prefix": ""},
    "en": {"name": "English", "html_lang": "en", "locale": "en", "prefix": "en/"},
}

# Listing pages written per language by plugins/bilingual (paths after the language prefix).
BILINGUAL = {
    "paths": {
        "es": {
            "articles": "articulos",
            "categories": "categorias",
            "tags": "etiquetas",
            "shelters": "refugios",
        },
        "default": {
            "articles": "articles",
            "categories": "categories",
            "tags": "tags",
            "shelters": "shelters",
        },
    },
}

PLUGIN_PATHS = []
# "plugins.shelters" stays the last plugin before "plugins.sitemap": after the whole site is
# written it scans every output file for confidential shelter locations (plugins/shelters).
PLUGINS = [
    "plugins.checks",
    "plugins.safety",
    "plugins.bilingual",
    "plugins.shelters",
    "plugins.sitemap",
]

# Shelter directory from content/data/shelters.yml (defaults in plugins/shelters/shelters.py).
SHELTERS = {
    "data": "data/shelters.yml",
    "stale_months": 12,
    # False: stale or unverified entries are listed as notices and do not stop strict builds.
    "stale_is_warning": False,
    "paths": {
        "es": {"state": "estado", "service": "servicio"},
        "default": {"state": "state", "service": "service"},
    },
}

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
IGNORE_FILES = [".#*", "*~", "_*", "README*"]

# Pairs share `Translation_key`, so Spanish and English slugs can differ.
ARTICLE_TRANSLATION_ID = "translation_key"
PAGE_TRANSLATION_ID = "translation_key"

ARTICLE_URL = "articulos/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = "{lang}/articles/{slug}/"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL + "index.html"

# Pelican's own listings mix languages; plugins/bilingual writes per-language ones instead.
DIRECT_TEMPLATES = []
INDEX_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""

# One Atom feed per language: feeds/es.atom.xml, feeds/en.atom.xml.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = "feeds/{lang}.atom.xml"
TRANSLATION_FEED_RSS = None

DEFAULT_PAGINATION = False
SUMMARY_MAX_LENGTH = 40
RELATIVE_URLS = False
SLUGIFY_SOURCE = "title"

JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.smarty": {"substitutions": {}},
    },
    "output_format": "html5",
}

CACHE_PATH = os.path.join(ROOT, ".cache", "pelican")

# Translation keys of the pages linked from every page's navigation, in order.
MENU_PAGES = ["hotline", "safety", "about", "contact"]

# Nothing loads from another host; the same policy is sent as a header by deploy/nginx.conf.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; frame-src 'none'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)

# Feeds need absolute links; in development they point at `invoke serve`.
FEED_DOMAIN = "http://127.0.0.1:8000"
