"""Atomic output: build into a folder beside output/ and swap it in only on success.

Every run writes into ``<output>.new``. When the whole run succeeded, including every check
that runs on the finished site, ``<output>`` is replaced by it in two renames. When anything
fails, ``<output>`` stays byte-for-byte as it was and the half-built folder is left aside.

The swap happens on the "deploy" signal of pelican-granular-signals, which Pelican sends after
"finalized" and after the "compress" step of pelican-precompress: the swapped-in folder is
complete, compressed files included. Checks of the finished site connect to "deploy" too, from
plugins listed before this one, so they run first.
"""

import logging
import os
import shutil

import pelican.plugins.granular_signals
from pelican import signals

from plugins.pipeline import pipeline

__all__ = ["register"]

logger = logging.getLogger(__name__)


def staging_path(final):
    return final.rstrip(os.sep) + ".new"


def redirect_output(pelican):
    """At the start of each run: point Pelican and every plugin at the staging folder."""
    final = getattr(pelican, "_alerta_final_output", None) or pelican.output_path
    pelican._alerta_final_output = final
    staging = staging_path(final)
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    # A fresh folder each run: the output holds exactly what this build made, plus what
    # OUTPUT_RETENTION asks to keep (such as a .git folder a deploy tool put there).
    for name in pelican.settings.get("OUTPUT_RETENTION", []):
        kept = os.path.join(final, name)
        if os.path.isdir(kept):
            shutil.copytree(kept, os.path.join(staging, name), symlinks=True)
        elif os.path.exists(kept):
            shutil.copy2(kept, staging)
    pelican.output_path = staging
    pelican.settings["OUTPUT_PATH"] = staging


def swap_in(pelican):
    """At the very end of a successful run: replace the output folder in two renames."""
    final = getattr(pelican, "_alerta_final_output", None)
    if not final:
        return
    staging, old = staging_path(final), final.rstrip(os.sep) + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(final):
        os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    pelican.output_path = final
    pelican.settings["OUTPUT_PATH"] = final


def share_with_context(generator):
    """Pelican copied the settings into the context before this run began: update it too."""
    generator.context["OUTPUT_PATH"] = generator.output_path


def on_get_generators(pelican):
    redirect_output(pelican)
    return None  # no generator of our own: this signal is just the start of each run


def register():
    pelican.plugins.granular_signals.register()
    signals.get_generators.connect(on_get_generators)
    signals.generator_init.connect(share_with_context)
    pipeline.add_step("deploy", swap_in)
