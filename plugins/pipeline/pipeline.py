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

import logging
import os
import shutil
import time

import blinker
import pelican.plugins.granular_signals
from pelican import signals

__all__ = ["add_generator", "add_step", "link_or_copy", "link_tree", "register"]

logger = logging.getLogger(__name__)

GENERATORS = []
STEPS = {"finalized": [], "deploy": []}


def add_generator(cls):
    if cls not in GENERATORS:  # a plugin may register again (livereload, tests)
        GENERATORS.append(cls)


def add_step(signal, function):
    if function not in STEPS[signal]:
        STEPS[signal].append(function)


def link_or_copy(source, target):
    """Put `source` at `target` as a hard link (no bytes copied), or a copy across disks.

    Safe for files shared between the cache and the output: every build writes into a fresh
    output folder (plugins.atomic), so nothing rewrites a linked file in place, and the caches
    replace files (write then rename) rather than rewriting them.
    """
    if os.path.lexists(target):
        os.remove(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return target


def link_tree(source, target):
    """`shutil.copytree`, with hard links where possible (see link_or_copy)."""
    shutil.copytree(source, target, copy_function=link_or_copy, dirs_exist_ok=True)


def generators(_pelican):
    return tuple(GENERATORS)


def run_steps(signal, pelican_instance):
    for step in STEPS[signal]:
        start = time.perf_counter()
        step(pelican_instance)
        logger.debug(
            "%s step %s.%s: %.2f s",
            signal,
            step.__module__,
            step.__name__,
            time.perf_counter() - start,
        )


def run_finalized(pelican_instance):
    run_steps("finalized", pelican_instance)


def run_deploy(pelican_instance):
    run_steps("deploy", pelican_instance)


def register():
    pelican.plugins.granular_signals.register()
    signals.get_generators.connect(generators)
    signals.finalized.connect(run_finalized)
    blinker.signal("deploy").connect(run_deploy)
