"""Where each content file will be written, and what it must not replace.

Pelican lets a page's `Slug:`, `Save_as:` or `URL:` name any path of the site. A slug of `en`
writes the English home page's path, `refugios` the shelter directory's, `.` the home page;
`Save_as: index.html` replaces the home page without a word, `Save_as: sw.js` the offline
service worker. So before anything is read, every content file's output path (and link, when
`URL:` gives one) is worked out from the settings, and one that would replace a file the site
writes itself, land in a folder another part of the site writes, or meet another content file
is one line naming both.

The site's own files and folders come from the settings (BILINGUAL["paths"], the feeds, the
search bundle, the theme's static folder, drafts...) and from `RESERVED`; a plugin that writes
somewhere else adds its folder with `reserve()`.
"""

import posixpath
import string
from datetime import datetime

from pelican.utils import slugify

__all__ = ["RESERVED", "check_collisions", "output_path", "reserve", "site_paths"]

# Files at the top of the site (and, with "*", of each language's folder), with what they are.
RESERVED = {
    "*index.html": "the home page",
    "*404.html": 'the "page not found" page',
    "*manifest.webmanifest": "the app manifest",
    "_headers": "the security headers file",
    "_redirects": "the redirects file",
    "sw.js": "the offline service worker",
    "robots.txt": "the robots file",
    "sitemap.xml": "the sitemap",
    "favicon.ico": "the site icon",
}
# Folders the plugins write (relative to the site), with what is there.
RESERVED_FOLDERS = {
    "cards": "the social cards",
    "icons": "the site icons",
    "_editors": "the editors' report",
    "feeds": "the news feeds",
}
# Sections of BILINGUAL["paths"] where a content type writes its own pages.
OWNERS = {
    "articles": "articles",
    "events": "events",
    "film": "film",
    "pamphlets": "pamphlets",
    "resources": "resources",
}
_EXTRA = []  # functions settings -> {folder: what}, from reserve()
LABELS = {"url": "URL", "save_as": "Save_as", "slug": "Slug", "title": "Title"}


def reserve(function):
    """A plugin that writes into a folder of its own: `function(settings)` returns
    {folder: "what is there"}, and no content file may be written inside it."""
    if function not in _EXTRA:
        _EXTRA.append(function)
    return function


def normal(path):
    """`./en//x/` -> `en/x/index.html`: the file a path or URL is written to."""
    path = path.replace("\\", "/").strip()
    if not path or path.endswith("/"):
        path += "index.html"
    path = posixpath.normpath(path.lstrip("/"))
    return "index.html" if path in (".", "") else path


def folder_of(pattern):
    """The fixed folder at the start of a path setting: `borradores/{slug}/` -> `borradores`."""
    fixed = pattern.split("{", 1)[0]
    return fixed.rsplit("/", 1)[0] if "/" in fixed else ""


def words_for(mapping, lang):
    return {**mapping.get("default", {}), **mapping.get(lang, {})}


def site_paths(settings):
    """({file: what}, {folder: (what, owner kinds)}) that the site writes itself."""
    files, folders = {}, {}
    languages = settings.get("LANGUAGES") or {settings["DEFAULT_LANG"]: {"prefix": ""}}
    bilingual = (settings.get("BILINGUAL") or {}).get("paths", {})
    for lang, language in languages.items():
        prefix = language.get("prefix", "")
        for name, what in RESERVED.items():
            if name.startswith("*"):
                files[normal(prefix + name[1:])] = what
            elif not prefix:
                files[name] = what
        for key, word in words_for(bilingual, lang).items():
            folder = normal(prefix + word + "/").removesuffix("/index.html")
            what = f"the {key} section"
            files[f"{folder}/index.html"] = what
            owners = {OWNERS[key]} if key in OWNERS else set()
            folders.setdefault(folder, (what, set()))[1].update(owners)
    search = (settings.get("SEARCH") or {}).get("bundle", "pagefind")
    extra = {
        search: "the search index",
        settings.get("THEME_STATIC_DIR", "theme"): "the theme's files",
        **RESERVED_FOLDERS,
        **{path: "the site's images" for path in settings.get("STATIC_PATHS", [])},
    }
    for function in _EXTRA:
        extra.update(function(settings))
    for folder, what in extra.items():
        folders.setdefault(folder.strip("/"), (what, set()))
    # Drafts go to folders of their own, written by the articles and pages.
    for name in ("DRAFT", "DRAFT_LANG", "DRAFT_PAGE", "DRAFT_PAGE_LANG"):
        pattern = settings.get(f"{name}_SAVE_AS") or ""
        for lang in languages:
            folder = folder_of(pattern.replace("{lang}", lang))
            if folder:
                folders.setdefault(folder, ("the drafts", set()))[1].update({"articles", "pages"})
    return files, folders


class _Values(dict):
    """Values for a path setting; a field the file does not give is left empty."""

    def __missing__(self, key):
        return ""


def setting_for(kind, lang, status, settings):
    """Pelican's path setting for an article or page (drafts and other languages included)."""
    klass = {"articles": "ARTICLE", "pages": "PAGE"}[kind]
    if status == "draft":
        klass = "DRAFT" if kind == "articles" else "DRAFT_PAGE"
    lang_part = "" if lang == settings["DEFAULT_LANG"] else "_LANG"
    return klass, lang_part


def output_path(item, settings, key="SAVE_AS"):
    """The file `item` (a content check's item) is written to (key "SAVE_AS") or linked at
    ("URL"), normalised; None when it is not written (a draft in the publish build)."""
    fields, kind, lang = item["fields"], item["kind"], item["lang"]
    status = (fields.get("status") or "published").lower()
    explicit = fields.get(key.lower())
    if kind in ("articles", "pages"):
        if explicit:
            return normal(explicit)
        klass, lang_part = setting_for(kind, lang, status, settings)
        pattern = settings.get(f"{klass}{lang_part}_{key}") or ""
        if not pattern:
            return None
        values = _Values({name: value for name, value in fields.items()})
        values.update(slug=item["slug"], lang=lang or settings["DEFAULT_LANG"])
        values["category"] = slugify(fields.get("category", ""))
        try:
            values["date"] = datetime.fromisoformat(fields.get("date", "").replace(" ", "T"))
        except ValueError:
            values["date"] = datetime.now()
        try:
            return normal(string.Formatter().vformat(pattern, (), values))
        except (ValueError, KeyError, IndexError, AttributeError, TypeError):
            return None  # a pattern these values cannot fill: Pelican's own checks apply
    # Plugin content types write `<section>/<slug>/`; in the publish build no draft.
    if status == "draft" and not settings.get("PREVIEW", True):
        return None
    words = words_for((settings.get("BILINGUAL") or {}).get("paths", {}), lang)
    section = words.get(kind)
    prefix = (settings.get("LANGUAGES") or {}).get(lang, {}).get("prefix", "")
    if not section:
        return None
    return normal(f"{prefix}{section}/{item['slug']}/")


def what_decides(item, key):
    """The field (and its line) that decides where `item` goes: Save_as/URL, Slug or Title."""
    for name in (key.lower(), "slug", "title"):
        if item["fields"].get(name) or name == "title":
            return name, item["fields"].get(name, ""), item["lines"].get(name, 1)
    return "title", "", 1  # not reached


def without_case(files, folders):
    """site_paths() keyed without case: on macOS and Windows `EN/` is the English home."""
    return (
        {name.casefold(): (name, what) for name, what in files.items()},
        {name.casefold(): (name, *rest) for name, rest in folders.items()},
    )


def reserved_problem(path, kind, files, folders):
    """Why a content file of `kind` may not be written at `path`, or None (`files` and
    `folders` as without_case returns them)."""
    key = path.casefold()
    if key in files:
        return f"{path}, which is {files[key][1]}"
    parts = key.split("/")
    for depth in range(len(parts) - 1, 0, -1):
        name, what, owners = folders.get("/".join(parts[:depth]), (None, None, {kind}))
        if kind not in owners:
            return f"{path}, inside {name}/, where the site writes {what}"
    return None


def check_collisions(items, settings, report):
    """Every content file's path against the site's own files and folders and each other."""
    files, folders = without_case(*site_paths(settings))
    written = {}
    for key in ("SAVE_AS", "URL"):
        for item in items:
            if key == "URL" and not item["fields"].get("url"):
                continue  # its links follow its path, checked as SAVE_AS
            path = output_path(item, settings, key)
            if path is None or path.split("/")[0] == "..":
                continue  # not written, or out of the site (check_file says so)
            name, value, line = what_decides(item, key)
            label = LABELS[name]
            given = f'{label} "{value}"'
            verb = "links to" if key == "URL" else "would write"
            problem = reserved_problem(path, item["kind"], files, folders)
            if problem:
                report.error(
                    item["path"],
                    f"{given} {verb} {problem}; choose another {label}",
                    line,
                )
                continue
            same = path.casefold()  # one file on macOS and Windows
            other = written.setdefault(same, item) if key == "SAVE_AS" else written.get(same)
            if other is not None and other is not item and not same_slug(item, other):
                report.error(
                    item["path"],
                    f"{given} {verb} {path}, which {other['path']} writes too; "
                    f"give one of them its own {label}",
                    line,
                )


def same_slug(item, other):
    """Already reported by the slug check (same type, language and slug, no Save_as)."""
    return (
        (item["kind"], item["lang"], item["slug"]) == (other["kind"], other["lang"], other["slug"])
        and not item["fields"].get("save_as")
        and not other["fields"].get("save_as")
    )
