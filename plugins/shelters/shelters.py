"""Shelter directory: confidential by default, filterable without JavaScript, leak-checked.

Reads ``content/data/shelters.yml`` (schema in its header), validates it before anything is
written, and writes per language the directory index, one static page per state and per service
that has entries, and schema.org JSON-LD for *public* entries only. A confidential entry's
address and coordinates never leave the data file, and the build proves it by scanning every
output file before the output is published.

Where things are:

- entries.py: the data file, read once per build (settings, validation, what a build lists);
- fields.py: one field of an entry (texts, phones, e-mail, place, date, languages);
- places.py: Mexico's 32 states (codes, names, URL words);
- labels.py: the service vocabulary and its labels (from the theme's catalogs) and URL words;
- pages.py: the directory's pages and filters (and the JSON-LD);
- confidential.py: the confidentiality scan; leakcheck.py, leak_needles.py, leak_normalise.py:
  the scanner it uses.

Settings: ``SHELTERS`` (see entries.DEFAULTS; an unknown key stops the build); the directory's
URL word per language comes from ``BILINGUAL["paths"][lang]["shelters"]``. For other plugins'
templates, the build's facts (alerta.build) hold ``shelters_listed``.
"""

import blinker
import pelican.plugins.granular_signals
from pelican import signals

from alerta import publish_gate
from alerta.report import register_check

from .confidential import confidential_needles, confidentiality_check
from .entries import DEFAULTS, check_shelters, directory
from .labels import SERVICES, service_labels
from .pages import ShelterGenerator
from .places import STATES, resolve_state, slug, state_names

__all__ = [
    "DEFAULTS",
    "SERVICES",
    "STATES",
    "ShelterGenerator",
    "check_shelters",
    "confidential_needles",
    "confidentiality_check",
    "directory",
    "register",
    "resolve_state",
    "service_labels",
    "slug",
    "state_names",
]


def get_generators(_pelican):
    return ShelterGenerator


def register():
    register_check(check_shelters)
    # An entry nobody has confirmed yet (no `verified_on`) is left out of the publish build, so
    # its editors' notes do not stop it.
    publish_gate.register_unpublished("shelters.yml", lambda entry: not entry.get("verified_on"))
    signals.get_generators.connect(get_generators)
    # "deploy": after every page, index, PDF and compressed copy is written, and before
    # plugins.atomic (later in PLUGINS) swaps the new output in. Never remove it.
    pelican.plugins.granular_signals.register()
    blinker.signal("deploy").connect(confidentiality_check)
