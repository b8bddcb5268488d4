"""The events generator: reads content/events/ and writes every page and calendar of the section.

Per language: one page per event, one ``.ics`` per announced event (ics.py), the language's
calendar feed, the events index (upcoming and past at build time) and the "Training and
impact" page (training_page.py). Pages go through ``alerta.build.write_page``, which records
them for the sitemap; a draft's page is in the preview only and never listed.
"""

import os
from datetime import UTC, datetime

from pelican.contents import Page
from pelican.generators import Generator

from alerta.build import add_section, write_page
from alerta.content import split_name
from alerta.guards import jsonld  # one JSON-LD escaping for every page
from alerta.i18n import catalog, languages, tr
from alerta.numbers import phone_problem
from alerta.report import Report, is_preview
from alerta.sections import section_path

from .checks import event_files
from .ics import calendar
from .item import EventItem, event_jsonld
from .options import by_lang, events_options
from .times import parse_local, when_text, zone
from .training_page import historical_records, training_record
from .trainings import read_trainings

__all__ = ["EventsGenerator"]


class EventsGenerator(Generator):
    """Reads content/events/, writes event pages, calendars, indexes and the training page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.filters["jsonld"] = jsonld
        # "55 1234 5678" -> "+525512345678": a tel: link every phone dials
        self.env.filters["tel_target"] = lambda number: phone_problem(number)[0] or ""
        self.events = []

    # ------------------------------------------------------------ reading

    def generate_context(self):
        langs = languages(self.settings)
        for path in event_files(self.settings):
            event = self.read_event(path)
            if event is not None:
                self.events.append(event)
        groups = {}
        for event in self.events:
            groups.setdefault(event.key, {})[event.lang] = event
        for event in self.events:
            twins = groups[event.key]
            event.alternates = {code: twins[code].url for code in langs if code in twins}
        self.events.sort(key=lambda e: (e.start_utc, e.key))
        self.now = datetime.now(UTC)
        # For the menu, the home page and the search page (alerta.build's sections).
        add_section(
            self.context,
            "events",
            {code: section_path(self.settings, code, "events") for code in langs},
        )

    def read_event(self, path):
        """One event file -> its EventItem; None for a draft in a publish build."""
        opts = events_options(self.settings)
        page = self.readers.read_file(
            base_path=self.path,
            path=os.path.relpath(path, self.path),
            content_class=Page,
            context=self.context,
        )
        status = str(page.metadata.get("status", opts["statuses"][0])).lower()
        draft = status == "draft"
        if draft and not is_preview(self.settings):
            return None  # a draft is in the editors' preview only
        tz = zone(page.metadata.get("timezone") or opts["default_timezone"])
        lang = page.metadata.get("lang", self.settings["DEFAULT_LANG"])
        stem, _ = split_name(path)
        slug = page.slug
        url = f"{section_path(self.settings, lang, 'events')}{slug}/"
        return EventItem(
            page=page,
            lang=lang,
            key=page.metadata.get("translation_key", stem),
            slug=slug,
            start=parse_local(page.metadata["start"]).replace(tzinfo=tz),
            end=parse_local(page.metadata["end"]).replace(tzinfo=tz),
            tz=tz,
            kind=page.metadata["kind"].lower(),
            # A draft is shown in the preview as the event it would announce.
            status=opts["statuses"][0] if draft else status,
            url=url,
            ics_url=f"{url}{slug}.ics",
            draft=draft,
        )

    # ------------------------------------------------------------ writing

    def generate_output(self, writer):
        langs = languages(self.settings)
        opts = events_options(self.settings)
        index_urls = {code: section_path(self.settings, code, "events") for code in langs}
        training_urls = {code: section_path(self.settings, code, "training") for code in langs}
        feed_urls = {code: index_urls[code] + by_lang(opts["feed_name"], code) for code in langs}
        # Checked by the data check before anything was read; read again here (a small file).
        trainings = read_trainings(self.settings, Report(), name=opts["trainings_data"])
        for lang, info in langs.items():
            gettext = catalog(self.settings, lang).ugettext
            locale = info["locale"]
            events = [e for e in self.events if e.lang == lang]
            for event in events:
                event.when = when_text(event, lang, locale, self.settings, gettext)
                event.past = event.end_utc <= self.now
            for event in events:
                self.write_event(writer, event, langs, gettext, feed_urls, index_urls)
            name = gettext("%(site)s: events") % {"site": self.settings.get("SITENAME", "")}
            announced = [e for e in events if not e.draft]
            self.write_bytes(
                feed_urls[lang], calendar(announced, name, lang, self.settings, gettext)
            )
            upcoming = [e for e in events if not e.past]
            past = sorted((e for e in events if e.past), key=lambda e: e.start_utc, reverse=True)
            write_page(
                self,
                writer,
                index_urls[lang],
                "events",
                lang,
                index_urls,
                upcoming=upcoming,
                past=past,
                feed_url=feed_urls[lang],
                training_url=training_urls[lang],
                built_at=self.now.replace(microsecond=0),
            )
            write_page(
                self,
                writer,
                training_urls[lang],
                "training",
                lang,
                training_urls,
                historical=historical_records(
                    trainings,
                    lang,
                    locale,
                    gettext,
                    lambda value, lang=lang: tr(self.settings, value, lang),
                ),
                record=training_record([e for e in self.events if not e.draft], lang, locale),
                events_url=index_urls[lang],
            )

    def write_event(self, writer, event, langs, gettext, feed_urls, index_urls):
        """The event's page and, unless it is a draft, its .ics."""
        write_page(
            self,
            writer,
            event.url,
            "event",
            event.lang,
            event.alternates,
            listed=not event.draft,
            event=event,
            page_description=event.summary,
            event_jsonld=event_jsonld(event, self.settings, langs),
            feed_url=feed_urls[event.lang],
            events_url=index_urls[event.lang],
        )
        if event.draft:
            return  # a subscriber never gets a draft, even from a preview server
        self.write_bytes(
            event.ics_url, calendar([event], event.title, event.lang, self.settings, gettext)
        )

    def write_bytes(self, url, data):
        # A plain write: the output folder is new each build (plugins.atomic swaps it in), and
        # a published file must keep the umask's mode (alerta.files.atomic_write gives 0600).
        path = os.path.join(self.output_path, url)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
