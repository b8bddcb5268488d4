"""Legislative comparison: the federal level and the 32 states, criterion by criterion.

Reads ``content/data/legislation.yml`` (laws, criteria and answers) and
``content/data/mx_tilegrid.yml`` (a tile-grid layout of the 32 states), checks them with the
editor-facing checks (every problem names the state code and the field), computes a score,
coverage and tier per entity, and writes per language:

- a comparison page: an accessible table, an inline SVG tile map and the states most in need
  of reform (only from entities with enough known answers);
- a methodology page, a historical PROTEJA-era page (2007–2009) and one page per entity;

plus one CSV and one JSON download of the whole dataset. Unknown answers are never guessed:
they are excluded from the score and counted in the coverage; a record whose criteria nobody has
assessed yet says so in one line, and a page that holds no confirmed fact stays out of search.
Every fact about a law carries its source and the date it was checked. Editors' flags
(``verify``, ``verify_note``) reach the pages and downloads of the preview build only.

Where things are:

- ``options.py``: the ``LEGISLATION`` setting (DEFAULTS; an unknown key stops the build);
- ``urls.py``: the pages' URLs (the section's folder is ``BILINGUAL["paths"]["legislation"]``);
- ``values.py``: how answers, flags, dates and texts of the file are read (the yes/no rule);
- ``dates.py``: a law's date known to the day, the month or the year;
- ``records.py``: the checks of one record (criteria, law, history, answers);
- ``tilegrid.py``: the tile map's grid, checked, and the tiles placed;
- ``dataset.py``: both files read and checked as a whole (the registered data check);
- ``scoring.py``: scores, tiers and the summaries;
- ``downloads.py``: the CSV and JSON downloads (and the CSV read back);
- ``pages.py``: the generator that writes the pages, and the templates' helpers.
"""

from pelican import signals

from alerta.report import register_check

from .dataset import check_dataset, read_dataset
from .downloads import from_csv, to_csv, to_json
from .options import DEFAULTS, legislation_options
from .pages import LegislationGenerator, install_globals
from .records import check_answer
from .scoring import compute, score, tier
from .urls import Urls
from .values import CRITERION_STATUSES, LAW_STATUSES, answer_word, is_flag

__all__ = [
    "CRITERION_STATUSES",
    "DEFAULTS",
    "LAW_STATUSES",
    "LegislationGenerator",
    "Urls",
    "answer_word",
    "check_answer",
    "check_dataset",
    "compute",
    "from_csv",
    "is_flag",
    "legislation_options",
    "read_dataset",
    "register",
    "score",
    "tier",
    "to_csv",
    "to_json",
]


def get_generators(_pelican):
    return LegislationGenerator


def register():
    register_check(check_dataset)  # run by plugins.checks at article_generator_init
    signals.generator_init.connect(install_globals)
    signals.get_generators.connect(get_generators)
