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

A step may leave work running in the background (``start_background``), such as the search
index, which writes only into its own folder of the output. The steps after it run meanwhile;
before any "deploy" step that did not say it can run alongside (``alongside(fn)``), and at the
end, the build waits for that work. A step that must leave the pending folders out deals with
them later (``when_done(fn)``). If a step fails, work still running is stopped.
"""

import logging
import os
import shutil
import time

import blinker
import pelican.plugins.granular_signals
from pelican import signals

__all__ = [
    "add_generator",
    "add_step",
    "alongside",
    "finish_background",
    "link_or_copy",
    "link_tree",
    "pending_folders",
    "register",
    "start_background",
    "walk",
    "when_done",
]

logger = logging.getLogger(__name__)

GENERATORS = []
STEPS = {"finalized": [], "deploy": []}
ALONGSIDE = set()  # deploy steps that may run while background work goes on
BACKGROUND = {}  # folder of the output -> (finish, stop) of the work writing there
AFTER = {}  # folder -> what to do with it once its work is finished (see when_done)


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


def walk(root, include=None, exclude=()):
    """os.walk(root), sorted, over the top-level folders `include` only (None: all of them,
    and the files at the top) except those in `exclude`: for steps that take the folders still
    being written in the background later (see pending_folders)."""
    for depth, (dirpath, dirnames, filenames) in enumerate(os.walk(root)):
        dirnames.sort()
        if depth == 0:  # os.walk gives the top first
            dirnames[:] = [
                d for d in dirnames if (include is None or d in include) and d not in exclude
            ]
            if include is not None:
                filenames = []
        yield dirpath, dirnames, sorted(filenames)


def generators(_pelican):
    return tuple(GENERATORS)


def alongside(function):
    """Mark a "deploy" step that may run while background work goes on (it must leave the
    folders of ``pending_folders()`` alone until it has called ``finish_background()``)."""
    ALONGSIDE.add(function)
    return function


def start_background(folder, finish, stop):
    """A step left work running that writes only into `folder` (relative to the output).
    `finish()` waits for it and reports its outcome; `stop()` ends it early."""
    BACKGROUND[folder] = (finish, stop)


def pending_folders():
    return sorted(BACKGROUND)


def when_done(folder, function):
    """A step that had to leave out a pending folder: `function()` deals with it once the
    work writing there is finished."""
    AFTER.setdefault(folder, []).append(function)


def finish_background(folders=None):
    """Wait for the work writing in `folders` (default: all), in that order."""
    for folder in sorted(BACKGROUND) if folders is None else folders:
        if folder in BACKGROUND:
            finish, _stop = BACKGROUND.pop(folder)
            finish()
        for function in AFTER.pop(folder, []):
            function()


def stop_background(_sender=None):
    AFTER.clear()
    while BACKGROUND:
        _finish, stop = BACKGROUND.popitem()[1]
        stop()


def run_steps(signal, pelican_instance):
    try:
        for step in STEPS[signal]:
            if signal == "deploy" and step not in ALONGSIDE:
                finish_background()
            run_step(signal, step, pelican_instance)
        if signal == "deploy":
            finish_background()
    except BaseException:
        stop_background()
        raise


def run_step(signal, step, pelican_instance):
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
    signals.initialized.connect(stop_background)  # left by a run that stopped half-way
    signals.finalized.connect(run_finalized)
    blinker.signal("deploy").connect(run_deploy)
