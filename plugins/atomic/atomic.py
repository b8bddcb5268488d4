"""Atomic output: build into a folder beside output/ and swap it in only on success.

Every run writes into ``<output>.new``. When the whole run succeeded, including every check
that runs on the finished site, ``<output>`` is replaced by it in two renames. When anything
fails, ``<output>`` stays byte-for-byte as it was and the half-built folder is left aside.

One build at a time: a run holds a lock on ``<output>.lock`` (flock; removed when released)
from before it touches ``<output>.new`` until the swap is done, so two builds never share the
staging folder; a second build stops at once with one line.

Ctrl+C (SIGINT) stops the build with exit status 130 and one line: its processes are ended,
the staging folder is removed and the output is left as it was (Pelican itself would exit 0,
and a ``build && deploy`` script would deploy). The two renames are never interrupted.

The swap happens on the "deploy" signal of pelican-granular-signals, which Pelican sends after
"finalized" and after the "compress" step of pelican-precompress: the swapped-in folder is
complete, compressed files included. Checks of the finished site (the confidentiality scan)
connect to "deploy" too; Pelican calls a signal's receivers in the order of PLUGINS, so this
plugin stays last there (publishconf.py relies on it) and the checks run before the swap.
"""

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import sys
import threading

import blinker
import pelican.plugins.granular_signals
from pelican import signals

from alerta import failures, workers
from alerta.report import BuildStopped

__all__ = ["INTERRUPTED", "lock_path", "register", "staging_path"]

logger = logging.getLogger(__name__)
# A plain logger: Pelican's --fatal would turn an error logged on its own into an exception.
_log = logging.Logger("alerta.atomic")
_log.parent = logging.getLogger()

INTERRUPTED = "Build interrupted: the previous output was left as it was"
INTERRUPT_STATUS = 128 + signal.SIGINT

# The run in progress in this process: its output, lock, pid and Pelican's own SIGINT handler.
RUN = {"final": None, "lock": None, "pid": None, "previous": None, "swapped": False}


def staging_path(final):
    return final.rstrip(os.sep) + ".new"


def lock_path(final):
    return final.rstrip(os.sep) + ".lock"


# ---------------------------------------------------------------- one build at a time


def take_lock(final):
    """Lock `<output>.lock`, or stop the build at once: another build is writing there."""
    if RUN["lock"] is not None and RUN["final"] == final:
        return  # a second run in the same process (live reload) keeps its lock
    release_lock()
    path = lock_path(final)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise BuildStopped(
                f"another build is writing to {final}: wait for it to finish"
            ) from None
        # The build that held it may have removed the file between our open and our lock:
        # a lock on a removed file locks nothing, so try again on the file now there.
        try:
            if os.fstat(descriptor).st_ino == os.stat(path).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    RUN["lock"], RUN["final"] = (descriptor, path), final


def release_lock():
    if RUN["lock"] is None:
        return
    descriptor, path = RUN["lock"]
    RUN["lock"] = None
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)  # while still holding it (see take_lock)
    os.close(descriptor)


# ---------------------------------------------------------------- Ctrl+C


def watch_interrupts():
    """From the start of a run until its swap, Ctrl+C stops the build (see interrupted)."""
    RUN["pid"], RUN["swapped"] = os.getpid(), False
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set a handler (an in-process server's rebuild)
    current = signal.getsignal(signal.SIGINT)
    if current is not interrupted:
        RUN["previous"] = current
        signal.signal(signal.SIGINT, interrupted)


def unwatch_interrupts():
    if signal.getsignal(signal.SIGINT) is interrupted and RUN["previous"] is not None:
        signal.signal(signal.SIGINT, RUN["previous"])
    RUN["previous"] = None


def interrupted(_signum, _frame):
    """Stop the build now, exit status 130, the output as it was. Worker processes forked
    from the build inherit this handler and leave the interrupt to the build."""
    if os.getpid() != RUN["pid"] or RUN["swapped"]:
        return  # a worker, or a build whose new output is already in place
    _log.error("%s", INTERRUPTED)
    # Everything that may still write into the staging folder ends first (Pagefind, pools).
    workers.kill_children()
    if RUN["lock"] is not None:  # the staging folder is ours only while we hold the lock
        shutil.rmtree(staging_path(RUN["final"]), ignore_errors=True)
    release_lock()
    with contextlib.suppress(Exception):
        from pelican.log import console

        console.show_cursor(True)  # Pelican's status line hid it
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    # At once: Python's exit would first wait for the pools' queued work.
    os._exit(INTERRUPT_STATUS)


class RunFailed(logging.Filter):
    """Pelican's last word on a failed run is a "critical" message on its own logger (other
    filters may have taken its traceback off): let go of the folder and of Ctrl+C there, for
    callers that go on (`invoke livereload`)."""

    def filter(self, record):
        if record.levelno >= logging.CRITICAL:
            release_lock()
            unwatch_interrupts()
        return True


# ---------------------------------------------------------------- the run


def redirect_output(pelican):
    """At the start of each run: point Pelican and every plugin at the staging folder."""
    final = getattr(pelican, "_alerta_final_output", None) or pelican.output_path
    pelican._alerta_final_output = final
    watch_interrupts()
    take_lock(final)
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
    failures.stop_if_errors()  # an ERROR logged on the way: the previous output stays
    staging, old = staging_path(final), final.rstrip(os.sep) + ".old"
    shutil.rmtree(old, ignore_errors=True)
    # No interrupt between the two renames: the output would be missing.
    blocked = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if os.path.exists(final):
            os.rename(final, old)
        os.rename(staging, final)
        RUN["swapped"] = True
        release_lock()
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
    shutil.rmtree(old, ignore_errors=True)
    unwatch_interrupts()  # the run is over: Ctrl+C is Pelican's again
    pelican.output_path = final
    pelican.settings["OUTPUT_PATH"] = final


def share_with_context(generator):
    """Pelican copied the settings into the context before this run began: update it too."""
    generator.context["OUTPUT_PATH"] = generator.output_path


def on_get_generators(pelican):
    redirect_output(pelican)
    return None  # no generator of our own: this signal is just the start of each run


def on_initialized(_pelican):
    watch_interrupts()  # as early as a plugin can: nothing is written before get_generators
    target = logging.getLogger("pelican")
    if not any(isinstance(f, RunFailed) for f in target.filters):
        target.addFilter(RunFailed())


def register():
    pelican.plugins.granular_signals.register()
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_get_generators)
    signals.generator_init.connect(share_with_context)
    blinker.signal("deploy").connect(swap_in)
