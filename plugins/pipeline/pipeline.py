"""Run the plugins' generators and final steps in the order of PLUGINS.

Pelican's signals (blinker) call their receivers in no fixed order, yet our steps depend on
order: the sitemap must come after every generator that writes pages, the confidentiality scan
after the compressed copies are made, and the swap of the finished output after everything.
So each plugin hands its generator or step to this module when it registers, which Pelican does
in PLUGINS order, and a single receiver per signal runs them in that order:

- ``add_generator(cls)``: generators, after Pelican's own.
- ``add_step("finalized", fn)``: when every page is written (search index, cards, audits).
- ``add_step("deploy", fn)``: last of all, after pelican-precompress's "compress" step
  (pelican-granular-signals sends "deploy" after "finalized" and "compress").
"""

import blinker
import pelican.plugins.granular_signals
from pelican import signals

__all__ = ["add_generator", "add_step", "register"]

GENERATORS = []
STEPS = {"finalized": [], "deploy": []}


def add_generator(cls):
    if cls not in GENERATORS:  # a plugin may register again (livereload, tests)
        GENERATORS.append(cls)


def add_step(signal, function):
    if function not in STEPS[signal]:
        STEPS[signal].append(function)


def generators(_pelican):
    return tuple(GENERATORS)


def run_finalized(pelican_instance):
    for step in STEPS["finalized"]:
        step(pelican_instance)


def run_deploy(pelican_instance):
    for step in STEPS["deploy"]:
        step(pelican_instance)


def register():
    pelican.plugins.granular_signals.register()
    signals.get_generators.connect(generators)
    signals.finalized.connect(run_finalized)
    blinker.signal("deploy").connect(run_deploy)
