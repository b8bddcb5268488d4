"""Development settings: `pelican content -o output -s pelicanconf.py` builds the whole site."""

import hashlib
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
# Help lines and notices are data, not settings: content/data/hotlines.yml and alerts.yml, read
# by plugins/safety and shown by every template as `HOTLINES` and `ALERTS`.
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
            "search": "buscar",
            "events": "eventos",
            "training": "capacitacion-e-impacto",
            "film": "cortometraje",
            "pamphlets": "folletos",
            "shelters": "refugios",
            "legislation": "legislacion",
            "resources": "recursos",
        },
        "default": {
            "articles": "articles",
            "categories": "categories",
            "tags": "tags",
            "search": "search",
            "events": "events",
            "training": "training-and-impact",
            "film": "film",
            "pamphlets": "pamphlets",
            "shelters": "shelters",
            "legislation": "legislation",
            "resources": "resources",
        },
    },
}

PLUGIN_PATHS = []
# Each plugin connects to the Pelican signal at which its work can run (docs/ARCHITECTURE.md has
# the timeline); Pelican calls the receivers of one signal in this order. What still depends on
# it: plugins.checks first (its "initialized" receivers turn any later stop into one line, and
# its "finalized" one stops a failed build before the final steps), and plugins.atomic last
# (publishconf.py adds precompress just before it): its swap on "deploy" comes after every check
# of the finished site on that signal, such as the confidentiality scan of plugins.shelters.
PLUGINS = [
    "plugins.checks",
    "plugins.parallel_markdown",
    "plugins.template_cache",
    "plugins.safety",
    "plugins.bilingual",
    "plugins.search",
    "plugins.cards",
    "plugins.icons",
    "plugins.images",
    "plugins.legislation",
    "plugins.events",
    "plugins.film",
    "plugins.pamphlets",
    "plugins.resources",
    "plugins.shelters",
    "plugins.editors",
    "plugins.deploy",
    "plugins.sitemap",
    "plugins.atomic",
]

# Legislative comparison (plugins/legislation): data in content/data/legislation.yml, map
# layout in content/data/mx_tilegrid.yml. Scores: yes=2, partial=1, no=0, unknown excluded;
# a tier only when at least `min_coverage` of the criteria are known.
LEGISLATION = {
    "min_coverage": 0.7,
    "tiers": [("1", 75), ("2", 50), ("3", 25), ("4", 0)],
    "reform_below": 50,
}

# Events (plugins/events): content/events/*.md pairs -> pages, .ics files, calendar feeds,
# the events index and the "Training and impact" page. See DEFAULTS in plugins/events/options.py.
EVENTS = {
    "default_timezone": "America/Mexico_City",
    "uid_domain": "alerta-trata",
}

# The film (plugins/film): content/film/*.md pairs with WebVTT captions beside them.
# Click-to-load hosts allowed for `Youtube:` / `Vimeo:`; their frame is allowed by the CSP of
# the film page only. See DEFAULTS in plugins/film/options.py.
FILM = {}

# Pamphlets (content/pamphlets/): PDFs per paper size, QR codes, print packs.
PAMPHLETS = {
    # Paper sizes, in the order the download links show them (the first gives the thumbnail).
    "papers": ["letter", "a4"],
    # Where QR codes point when SITEURL is empty (development); publishconf sets SITEURL.
    "site_url": "",
    # Show progress when more PDFs than this need building.
    "progress_after": 3,
    # PDFs rendered at once (0: one per CPU core, at most 4).
    "workers": 0,
    # Cached PDFs (.cache/pelican/pamphlets/) unused for this many days are removed.
    "cache_days": 60,
}

# Resource library (content/resources/): training modules printed in these papers, attachments
# cleaned of their metadata. Every setting is in DEFAULTS in plugins/resources/resources.py.
RESOURCES = {
    "papers": ["letter", "a4"],
}

# Shelter directory from content/data/shelters.yml. Every setting, with why it has its default,
# is in DEFAULTS in plugins/shelters/entries.py; set here only what this site changes.
SHELTERS = {
    "stale_months": 12,  # an entry not verified for this long is flagged to visitors
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
# Drafts are written in the preview only (publishconf.py empties these), with a note saying so.
DRAFT_URL = "borradores/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
DRAFT_LANG_URL = "{lang}/drafts/{slug}/"
DRAFT_LANG_SAVE_AS = DRAFT_LANG_URL + "index.html"
DRAFT_PAGE_URL = "borradores/paginas/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL + "index.html"
DRAFT_PAGE_LANG_URL = "{lang}/drafts/pages/{slug}/"
DRAFT_PAGE_LANG_SAVE_AS = DRAFT_PAGE_LANG_URL + "index.html"
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
    # Each build makes new environments: no need to stat every template on every use.
    "auto_reload": False,
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.smarty": {"substitutions": {}},
    },
    "output_format": "html5",
}

# Summaries are plain text (shown escaped), not Markdown: nothing typed there can become HTML.
FORMATTED_FIELDS = []

# Pelican's content cache: a rebuild re-reads only the files that changed. The folder name
# carries a fingerprint of the Markdown settings, so changing them never serves stale HTML.
# Not gzipped: unpickling through gzip costs ~0.5 s per 1,000 pairs on every rebuild (for
# 8 MB on disk instead of 2), and the fingerprint keeps an old gzipped cache from being read.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "mtime"
GZIP_CACHE = False
CACHE_PATH = os.path.join(
    ROOT,
    ".cache",
    "pelican-"
    + hashlib.sha1(repr((MARKDOWN, FORMATTED_FIELDS, GZIP_CACHE)).encode()).hexdigest()[:10],
)

# Translation keys of the pages every page links to: those the menu's task order names (hotline,
# safety) take their place in the menu (plugins/bilingual/menu.py); the others go in the footer.
MENU_PAGES = ["hotline", "safety", "about", "contact"]

# Nothing loads from another host; the same policy is sent as a header by deploy/nginx.conf.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; frame-src 'none'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)

# Search (plugins/search): Pagefind bundle folder, what it must not index, and what only the
# search pages add to the CSP (Pagefind runs WebAssembly).
SEARCH = {
    "bundle": "pagefind",
    "exclude_selectors": [
        "[data-pagefind-ignore]",
        ".app-share",
        ".app-verify",
        ".app-editor-note",
        ".app-preview-banner",
    ],
    "csp_additions": {"script-src": ["'wasm-unsafe-eval'"]},
}

# Content images (plugins/images): every one is re-encoded without metadata. Processed files
# are cached by content hash in CACHE_PATH/images (cards: CACHE_PATH/cards).
IMAGES = {
    "widths": [320, 480, 640, 960, 1280, 1920],
    "default_width": 960,
    "sizes": "(min-width: 44rem) 42rem, 100vw",
    "max_bytes": 20 * 1024 * 1024,
    "webp_quality": 80,
    "jpeg_quality": 82,
    "decorative_class": "decorative",
}

# Social cards (plugins/cards): 1200x630 PNGs drawn with the DejaVu font in theme/fonts/.
CARDS = {
    "background": "#0b4f6c",
    "og_locales": {"es": "es_MX", "en": "en_US"},
}

# Favicons and manifests (plugins/icons), from one square source image.
ICONS = {
    "source": os.path.join(ROOT, "theme", "icons", "icon.png"),
    "background": "#0b4f6c",
    "theme_color": "#0b4f6c",
    # "browser": not offered as an installed app; a visitor may need to hide this site.
    "display": "browser",
}

# Feeds need absolute links; in development they point at `invoke serve`.
FEED_DOMAIN = "http://127.0.0.1:8000"

# Two builds, two audiences. This file builds the editors' PREVIEW: drafts, editors' notes
# (`Verify:`, `verify: true`), unverified directory entries and the editors' report (_editors/)
# are shown, each note in the "not published" style, under a banner on every page.
# publishconf.py sets PREVIEW = False: the publish build, which contains finished, confirmed
# content only and refuses to run while anything it would publish still carries a note.
PREVIEW = True

# Where visitors send corrections (the contact page shows it). Publishing needs a real address:
# `invoke publish` refuses to run without one, or with an example address.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")

# `invoke livereload` sets this: pages then show the build's problems in a banner.
EDITOR_PREVIEW = False

# Headers every page is served with, by deploy/nginx.conf and the generated _headers file.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=()",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Pages (by Translation_key) and files the offline worker may answer for, in every language,
# once a visitor has saved them (offline by choice: see theme/js/offline.js).
OFFLINE_PAGES = ["hotline", "safety"]
OFFLINE_ASSETS = ["css/site.css", "js/quick-exit.js", "js/offline.js"]
