"""sitemap.xml with an `xhtml:link rel="alternate" hreflang` for every translated URL.

pelican-sitemap 1.2.2 writes `ref=` instead of `href=` in its alternate links, so this small
writer replaces it. It lists published articles and pages and the per-language listings that
plugins/bilingual wrote; it leaves out the 404 page and anything under ``SITEMAP["exclude"]``.
"""

import os
from xml.sax.saxutils import quoteattr

from pelican.generators import Generator

from alerta.report import is_preview
from plugins.pipeline import pipeline

__all__ = ["SitemapGenerator", "register"]

DEFAULTS = {"exclude": ["_editors/"]}

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


class SitemapGenerator(Generator):
    """Runs after the listings generator, so it sees every page the site has."""

    def generate_output(self, writer):
        settings = {**DEFAULTS, **self.settings.get("SITEMAP", {})}
        siteurl = self.settings.get("SITEURL", "")
        langs = self.settings.get("LANGUAGES", {})
        default = self.settings["DEFAULT_LANG"]
        entries = []
        for obj in self.content():
            if not obj.url.startswith(tuple(settings["exclude"])):
                lastmod = getattr(obj, "modified", None) or getattr(obj, "date", None)
                entries.append(url_entry(siteurl, obj.url, obj.alternates, langs, default, lastmod))
        for listing in self.context.get("alerta_listings", []):
            if not listing["url"].startswith(tuple(settings["exclude"])):
                entries.append(
                    url_entry(siteurl, listing["url"], listing["alternates"], langs, default)
                )
        path = os.path.join(self.output_path, "sitemap.xml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(HEADER + "\n".join(entries) + "\n</urlset>\n")
        self.write_robots(siteurl, settings["exclude"])

    def write_robots(self, siteurl, excluded):
        if not is_preview(self.settings):
            # The publish build has no editors' report: naming its folder would only point at it.
            excluded = [prefix for prefix in excluded if prefix != "_editors/"]
        lines = ["User-agent: *", *(f"Disallow: /{prefix}" for prefix in excluded)]
        lines.append(f"Sitemap: {absolute(siteurl, 'sitemap.xml')}")
        with open(os.path.join(self.output_path, "robots.txt"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")

    def content(self):
        for name in ("articles", "pages"):
            for obj in self.context.get(name, []):
                yield obj
                yield from obj.translations


def get_generators(_pelican):
    return SitemapGenerator


def register():
    pipeline.add_generator(get_generators(None))
