"""sitemap.xml with an `xhtml:link rel="alternate" hreflang` for every translated URL.

pelican-sitemap 1.2.2 writes `ref=` instead of `href=` in its alternate links, so this small
writer replaces it. It lists published articles and pages and every page the features wrote
through ``alerta.build.write_page`` (listings, events, the directory...); it leaves out the 404
page and anything under ``SITEMAP["exclude"]``.

It is written on the "sitemap" signal of pelican-granular-signals, sent after ``finalized``:
every page is written by then, whatever the order of PLUGINS, and the compressed copies
(publishconf.py) are made afterwards, so sitemap.xml gets one too.
"""

import os
from xml.sax.saxutils import quoteattr

import blinker
import pelican.plugins.granular_signals
from pelican import signals

from alerta import build
from alerta.options import options
from alerta.report import is_preview

__all__ = ["register", "write_sitemap"]

DEFAULTS = {
    # URL prefixes left out of sitemap.xml and disallowed in robots.txt.
    "exclude": ["_editors/"],
}

HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def absolute(siteurl, url):
    return f"{siteurl.rstrip('/')}/{url}"


def url_entry(siteurl, url, alternates, langs, default_lang, lastmod=None):
    lines = [f"<url><loc>{absolute(siteurl, url)}</loc>"]
    if lastmod:
        lines.append(f"<lastmod>{lastmod.date().isoformat()}</lastmod>")
    if len(alternates) > 1:
        for code, target in alternates.items():
            hreflang = langs.get(code, {}).get("html_lang", code)
            lines.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} '
                f"href={quoteattr(absolute(siteurl, target))}/>"
            )
        if default_lang in alternates:
            lines.append(
                '<xhtml:link rel="alternate" hreflang="x-default" '
                f"href={quoteattr(absolute(siteurl, alternates[default_lang]))}/>"
            )
    lines.append("</url>")
    return "".join(lines)


def write_sitemap(pelican):
    """sitemap.xml and robots.txt, once every page of the build is written."""
    context = build.context_of(pelican)
    if context is None:
        return  # the run stopped before its generators were made
    settings = pelican.settings
    opts = options(settings, "SITEMAP", DEFAULTS)
    excluded = tuple(opts["exclude"])
    siteurl = settings.get("SITEURL", "")
    langs = settings.get("LANGUAGES", {})
    default = settings["DEFAULT_LANG"]
    entries = []
    for obj in content(context):
        if not obj.url.startswith(excluded):
            lastmod = getattr(obj, "modified", None) or getattr(obj, "date", None)
            entries.append(url_entry(siteurl, obj.url, obj.alternates, langs, default, lastmod))
    for listing in build.of(context).listings:
        if not listing.url.startswith(excluded):
            entries.append(url_entry(siteurl, listing.url, listing.alternates, langs, default))
    output = pelican.output_path
    with open(os.path.join(output, "sitemap.xml"), "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n".join(entries) + "\n</urlset>\n")
    write_robots(output, settings, siteurl, opts["exclude"])


def write_robots(output, settings, siteurl, excluded):
    if not is_preview(settings):
        # The publish build has no editors' report: naming its folder would only point at it.
        excluded = [prefix for prefix in excluded if prefix != "_editors/"]
    lines = ["User-agent: *", *(f"Disallow: /{prefix}" for prefix in excluded)]
    lines.append(f"Sitemap: {absolute(siteurl, 'sitemap.xml')}")
    with open(os.path.join(output, "robots.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def content(context):
    for name in ("articles", "pages"):
        for obj in context.get(name, []):
            yield obj
            yield from obj.translations


def check_settings(pelican):
    """A typo in SITEMAP stops the build at its start, before anything is written."""
    options(pelican.settings, "SITEMAP", DEFAULTS)


def register():
    pelican.plugins.granular_signals.register()
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(build.track)
    blinker.signal("sitemap").connect(write_sitemap)
