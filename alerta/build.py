"""What the features of one build tell each other, in one typed record.

Pelican gives every generator of a build the same ``context`` dictionary; ``of(context)`` is this
build's ``Build`` record in it, made on first use. Features write pages through ``write_page``,
which renders through Pelican's writer and records the page for the sitemap (``listings``) and,
when the page needs a wider Content-Security-Policy, for the hosts' headers (``csp``). Facts one
feature publishes for the templates of others go in ``facts`` under a documented name:

- ``facts["shelters_listed"]``: how many shelters the published directory lists (the home page
  says so when none).
- ``facts["hotlines"]`` / ``facts["alerts"]``: the checked help lines of content/data/hotlines.yml
  and the active notices of alerts.yml (plugins/safety; templates read them as ``HOTLINES`` and
  ``ALERTS``; ``help_lines(context)`` gives one country's lines, as printed things show them).
- ``facts["report"]``: the checks' Report of this build (plugins/checks; the editors' report).
- ``facts["shelter_directory"]``: the directory the shelters' data check read, once per build.
- ``facts["legislation"]``: the checked and scored law comparison (plugins/legislation), or None.

Sections: a feature that writes a section of the site (events, the film, pamphlets, laws, the
shelter directory) says so in ``generate_context`` with ``add_section(context, key, urls)``,
``urls`` being the section's URL in each language it is written in. The menu, the home page and
the search page read ``of(context).sections``, the one place that says "this section exists,
here is its URL" (Pelican calls every generator's generate_context before any page is written).

Steps that run once every page is written (``finalized`` and the later signals of
pelican-granular-signals) are handed the Pelican object only: ``context_of(pelican)`` is the
context its generators shared (recorded by ``track``, a ``generator_init`` receiver).
"""

import os
from dataclasses import dataclass, field

__all__ = [
    "Build",
    "Listing",
    "add_section",
    "context_of",
    "help_lines",
    "of",
    "track",
    "write_page",
]

KEY = "alerta_build"


@dataclass(frozen=True)
class Listing:
    """A page written by a feature (not one of Pelican's articles or pages), for the sitemap."""

    url: str
    lang: str
    alternates: dict


@dataclass
class Build:
    listings: list = field(default_factory=list)  # [Listing]
    csp: dict = field(default_factory=dict)  # page URL -> its Content-Security-Policy
    facts: dict = field(default_factory=dict)  # name -> value (see the module's docstring)
    sections: dict = field(default_factory=dict)  # section key -> {lang: URL}, as written

    def listed(self, url, lang, alternates):
        self.listings.append(Listing(url, lang, dict(alternates)))


def of(context):
    """This build's record (one per context: one per build)."""
    record = context.get(KEY)
    if record is None:
        record = context[KEY] = Build()
    return record


def help_lines(context, country="MX"):
    """The help lines of one country (content/data/hotlines.yml, checked and published to the
    facts by plugins/safety), in the file's order: what a pamphlet or a module prints."""
    lines = of(context).facts.get("hotlines") or []
    return [line for line in lines if line.get("country") == country]


def add_section(context, key, urls):
    """Section `key` ("events") is written, at `urls` ({lang: URL}; languages without it are
    left out)."""
    of(context).sections[key] = {lang: url for lang, url in urls.items() if url}


def write_page(
    generator, writer, url, template, lang, alternates, *, listed=True, csp=None, **variables
):
    """Render `template` to `url` (a folder URL gets index.html) in `lang`, and record it.

    `alternates` maps each language to the URL of this page in it; `listed=False` keeps the
    page out of the sitemap (a print pack, a draft); `csp`, a policy for this page only."""
    save_as = url + "index.html" if url.endswith("/") or not url else url
    writer.write_file(
        save_as,
        generator.get_template(template),
        generator.context,
        page_lang=lang,
        alternates=alternates,
        page_url=url,
        **variables,
    )
    record = of(generator.context)
    if listed:
        record.listed(url, lang, alternates)
    if csp:
        record.csp[url] = csp
    return save_as


_CONTEXTS = {}  # output folder -> the context of the last build that wrote there


def track(generator):
    """``generator_init`` receiver: remember which context writes into which output folder."""
    _CONTEXTS[os.path.abspath(generator.output_path)] = generator.context


def context_of(pelican):
    """The context of the build `pelican` is running (None before its generators exist)."""
    return _CONTEXTS.get(os.path.abspath(pelican.output_path))
