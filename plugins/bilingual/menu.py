"""The site's sections in the order visitors need them, for the menu, the home page and the footer.

``site_menu()`` in every template returns, for the page's language, the sections this build
actually wrote (a section without a page is left out, so nothing links to a missing page) and
which one the current page belongs to:

- ``items``: task order (issue 18): the help line, the directory, pamphlets, then learning
  (articles, events, laws, the film), safe browsing and search. Each has ``key``, ``url``
  (without SITEURL), ``page`` (the Pelican page for pages from ``MENU_PAGES``, else None) and
  ``current``: ``"page"`` on the section's own page, ``"true"`` on a page inside it, else None.
- ``by_key``: the same items by key, for the home page; ``urls``: every section's URL by key,
  with pages that belong to a section (``training``, the events plugin's other page).
- ``footer``: the ``MENU_PAGES`` pages that are not a task (About, Contact); ``footer_sections``:
  the sections of FOOTER_SECTIONS this build wrote (the resource library: for professionals,
  linked from the home page and the footer, so the menu stays one row on a wide screen).
- ``shelters_listed``: how many organisations the directory lists (plugins/shelters puts it in
  the build's facts, ``alerta.build``), so the home page says so when none.
- ``current``: the key and kind of the current section (``"articles:true"``), or ``""``; the
  navigation is rendered once per language and value of it.

Where each section's existence is read: the build's record (``alerta.build.of(context).sections``),
where every feature that writes a section says so, with its URL in each language; no plugin is
imported here.
"""

from types import SimpleNamespace

from jinja2 import pass_context

from alerta import build

# Pages (by Translation_key, listed in MENU_PAGES) and sections, in the order of the menu.
TASK_ORDER = (
    "hotline",
    "shelters",
    "pamphlets",
    "articles",
    "events",
    "legislation",
    "film",
    "safety",
    "search",
)
# Sections linked from the footer, not the menu (key, url).
FOOTER_SECTIONS = ("resources",)
# Listing paths (BILINGUAL paths) whose pages belong to a section without being under its URL.
INSIDE = {"articles": ("categories", "tags"), "events": ("training",)}


def section_urls(ctx, lang, path):
    """{key: url} of the sections this build writes in `lang`; `path(kind)` -> listing path."""
    urls = {"articles": path("articles"), "search": path("search")}
    record = ctx.get(build.KEY)
    for key, by_lang in (record.sections if record is not None else {}).items():
        urls[key] = by_lang.get(lang)
    if urls.get("events"):  # the events plugin writes the training page with the events index
        urls["training"] = path("training")
    return {key: url for key, url in urls.items() if url}


def current_section(items, url, extra):
    """(key, kind) of the item `url` is in: its own page ("page") or a page under it ("true")."""
    if url is None:
        return None, None
    best, best_length = (None, None), -1
    for item in items:
        if url == item.url:
            return item.key, "page"
        for prefix in (item.url, *extra.get(item.key, ())):
            if prefix and url.startswith(prefix) and len(prefix) > best_length:
                best, best_length = (item.key, "true"), len(prefix)
    return best


def make_site_menu(settings, listing_path, here, nav_page):
    """The ``site_menu`` template global, from bilingual's helpers (passed in, not imported)."""

    def path_in(lang):
        def path(kind):
            try:
                return listing_path(settings, lang, kind)
            except KeyError:  # a kind with no path configured: no such section here
                return None

        return path

    @pass_context
    def site_menu(ctx):
        page = here(ctx)
        path = path_in(page.lang)
        sections = section_urls(ctx, page.lang, path)
        menu_pages = list(ctx.get("MENU_PAGES") or [])
        items, footer = [], []
        for key in TASK_ORDER:
            target = nav_page(ctx, key) if key in menu_pages else None
            url = target.url if target is not None else sections.get(key)
            if url:
                items.append(SimpleNamespace(key=key, url=url, page=target, current=None))
        for key in menu_pages:
            target = nav_page(ctx, key) if key not in TASK_ORDER else None
            if target is not None:
                footer.append(target)
        extra = {key: [p for p in map(path, kinds) if p] for key, kinds in INSIDE.items()}
        key, kind = current_section(items, page.url, extra)
        for item in items:
            if item.key == key:
                item.current = kind
        return SimpleNamespace(
            items=items,
            by_key={item.key: item for item in items},
            urls=sections,
            # Directory entries the shelter page lists (it exists before any is confirmed).
            shelters_listed=getattr(ctx.get(build.KEY), "facts", {}).get("shelters_listed", 0),
            footer=footer,
            footer_sections=[
                SimpleNamespace(key=key, url=sections[key])
                for key in FOOTER_SECTIONS
                if sections.get(key)
            ],
            current=f"{key}:{kind}" if key else "",
        )

    return site_menu
