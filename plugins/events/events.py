"""Forums, trainings and workshops: event pages, calendars and the training record.

An event is a Markdown pair in ``content/events/`` (one file per language sharing
``Translation_key``). This plugin checks every event header before Pelican reads anything,
then writes per language:

- one page per event (Babel-formatted date and time in the page's locale, schema.org
  ``Event`` JSON-LD, a visible mark when the event is cancelled or postponed);
- one ``.ics`` per event and one calendar feed with every event, made with ``icalendar``
  (UID, DTSTAMP, DTSTART/DTEND with TZID and the matching VTIMEZONE, LOCATION, STATUS);
- an events index split into upcoming and past at build time (``theme/js/events.js`` moves
  events that have ended since the build into "past" in the visitor's browser);
- the "Training and impact" page: historical totals from ``content/data/trainings.yml`` plus
  the attendance recorded on past ``Kind: training`` events, as tables and a small inline
  SVG bar chart drawn at build time.

An event with ``Status: draft`` is in the editors' preview only, with an editors' note, and
never in a calendar feed, an ``.ics`` file, the sitemap or the training record; a publish build
does not read it at all.

Where things are:

- ``options.py``: the ``EVENTS`` setting (DEFAULTS; an unknown key stops the build); the
  section folders are ``BILINGUAL["paths"]["events"]`` and ``["training"]``;
- ``checks.py``: an event's header checked (and its translation's), before anything is read;
- ``trainings.py``: ``content/data/trainings.yml`` checked and read;
- ``times.py``: an event's start and end in its timezone, and the date said in words (Babel);
- ``item.py``: one event in one language (``EventItem``) and its schema.org JSON-LD;
- ``ics.py``: an event's ``.ics`` and each language's calendar feed;
- ``training_page.py``: the training page's totals, table rows and bar chart;
- ``generator.py``: the generator that reads the events and writes every page and calendar.
"""

from pelican import signals

from alerta.content import CONTENT_TYPES
from alerta.report import register_check

from .checks import FIELDS, check_events
from .generator import EventsGenerator
from .options import DEFAULTS, events_options

__all__ = ["DEFAULTS", "EventsGenerator", "check_events", "events_options", "register"]


def add_content_type():
    """What the content checks accept in an event's header (alerta.content.CONTENT_TYPES)."""
    CONTENT_TYPES[DEFAULTS["folder"]] = {
        **FIELDS,
        "statuses": DEFAULTS["statuses"],
        "date_format": "YYYY-MM-DD HH:MM, local time at the venue, or YYYY-MM-DD",
    }


def get_generators(_pelican):
    return EventsGenerator


def register():
    add_content_type()
    register_check(check_events)
    signals.get_generators.connect(get_generators)
