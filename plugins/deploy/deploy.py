"""What a real host needs: hashed asset names, headers and redirects files, an offline worker.

- ``asset("css/site.css")`` in templates gives ``theme/css/site.<hash>.css``: the name changes
  when the content does, so hosts can cache assets for a year.
- ``_headers`` and ``_redirects`` (Netlify / Cloudflare Pages style) from ``SECURITY_HEADERS``
  and ``LANGUAGES``; ``deploy/nginx.conf`` carries the same headers (a test compares them).
  ``_headers`` also gives the pages that need a wider Content-Security-Policy (search, the film:
  ``alerta.build.of(context).csp``) their own; it is written on ``finalized``, when every page
  is, whatever the order of PLUGINS.
- ``sw.js``: a tiny service worker for offline use BY CHOICE. It is registered only when a
  visitor presses "save" on the hotline page (theme/js/offline.js), and answers, when the
  network fails, only for the pages of ``OFFLINE_PAGES`` (every language) and the files of
  ``OFFLINE_ASSETS`` that the visitor saved. Nothing else, and nothing on a first visit.
"""

import hashlib
import json
import os
import shutil
from functools import lru_cache

from pelican import signals
from pelican.generators import Generator

from alerta import build
from alerta.i18n import languages
from alerta.pages import all_items
from alerta.report import is_preview

__all__ = ["DeployGenerator", "hashed_name", "register"]

HASHED = (".css", ".js")


@lru_cache(maxsize=256)
def _digest(path, mtime):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:10]


def hashed_name(theme, relative):
    """`css/site.css` -> `css/site.<10 hex>.css`, from the file's content."""
    source = os.path.join(theme, "static", relative)
    stem, ext = os.path.splitext(relative)
    return f"{stem}.{_digest(source, os.path.getmtime(source))}{ext}"


def install_asset_helper(generator):
    theme, static_dir = generator.settings["THEME"], generator.settings["THEME_STATIC_DIR"]

    names = {}  # per build: the theme does not change while the pages are rendered

    def asset(relative):
        if relative not in names:
            names[relative] = f"{static_dir}/{hashed_name(theme, relative)}"
        return names[relative]

    generator.env.globals["asset"] = asset


# Editors' tools: in the preview build only.
PREVIEW_ONLY = {"js/preview.js"}


def theme_assets(theme):
    static = os.path.join(theme, "static")
    for dirpath, _dirs, files in os.walk(static):
        for name in sorted(files):
            if name.endswith(HASHED):
                yield os.path.relpath(os.path.join(dirpath, name), static)


class DeployGenerator(Generator):
    """Hashed copies of CSS and JS, _redirects and sw.js (offline by choice)."""

    def generate_output(self, writer):
        theme, out = self.settings["THEME"], self.output_path
        static_dir = self.settings["THEME_STATIC_DIR"]
        assets = []
        for relative in theme_assets(theme):
            if relative in PREVIEW_ONLY and not is_preview(self.settings):
                continue
            target = os.path.join(out, static_dir, hashed_name(theme, relative))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(theme, "static", relative), target)
            assets.append(f"{static_dir}/{hashed_name(theme, relative)}")
        write_text(out, "_redirects", redirects_file(self.settings))
        pages = self.offline_pages()
        kept = [
            f"{static_dir}/{hashed_name(theme, relative)}"
            for relative in self.settings.get("OFFLINE_ASSETS", [])
        ]
        offline = sorted(set(pages) | set(kept))
        version = hashlib.sha256("\n".join(offline + assets).encode()).hexdigest()[:10]
        writer.write_file(
            "sw.js",
            self.get_template("sw.js"),
            self.context,  # sw.js.html
            offline_urls=json.dumps(["/" + url for url in offline]),
            cache_version=version,
        )

    def offline_pages(self):
        keys = set(self.settings.get("OFFLINE_PAGES", []))
        pages = all_items(self.context.get("pages", []))
        return [page.url for page in pages if getattr(page, "translation_key", None) in keys]


def write_text(output, name, text):
    with open(os.path.join(output, name), "w", encoding="utf-8") as handle:
        handle.write(text)


def page_policy(policy):
    """A page's CSP as a header: the meta policy plus what only a header can say."""
    return f"{policy}; frame-ancestors 'none'"


def headers_file(settings, page_csp):
    """Netlify/Cloudflare `_headers`: the site-wide headers, then pages with a wider CSP."""
    lines = ["/*", *(f"  {name}: {value}" for name, value in settings["SECURITY_HEADERS"].items())]
    for url, policy in sorted(page_csp.items()):
        lines += [
            f"/{url}",
            "  ! Content-Security-Policy",
            f"  Content-Security-Policy: {page_policy(policy)}",
        ]
    static_dir = settings["THEME_STATIC_DIR"]
    lines += [f"/{static_dir}/*", "  Cache-Control: public, max-age=31536000, immutable"]
    lines += ["/sw.js", "  Cache-Control: no-cache"]
    return "\n".join(lines) + "\n"


def redirects_file(settings):
    """Each language's 404 page for the addresses under its prefix, the default one last."""
    lines = []
    for _code, info in languages(settings).items():
        if info["prefix"]:
            lines.append(f"/{info['prefix']}*  /{info['prefix']}404.html  404")
    lines.append("/*  /404.html  404")
    return "\n".join(lines) + "\n"


def write_headers(pelican):
    """`_headers`, once every page (and the CSP it needs) is written."""
    context = build.context_of(pelican)
    if context is not None:
        page_csp = build.of(context).csp
        write_text(pelican.output_path, "_headers", headers_file(pelican.settings, page_csp))


def get_generators(_pelican):
    return DeployGenerator


def register():
    signals.generator_init.connect(install_asset_helper)
    signals.generator_init.connect(build.track)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(write_headers)
