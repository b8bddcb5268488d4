"""Render the articles on two cores: a forked copy of the build writes half of them.

After Markdown, rendering the article pages is the largest part of a cold build, and Pelican
does it on one core. When there are many articles, this plugin forks the build just before
they are written: the copy renders the second half and exits, while the build renders the first
half. Both run Pelican's own loop, each passing only its half of the loop's writes to the writer,
so the loop's code is not copied here and every signal is still sent for every article. A fork
shares the whole context (articles, templates, settings) without copying or pickling it, and the
pages are the same bytes either way (a test builds the fixture site both ways and compares every
file).

What rendering changes besides the files is handed back to the build:

- the writer's list of written files, so a later page that would overwrite one is still caught;
- what plugins record per page (the social cards a page books): a plugin calls
  ``share_state(start_child, collect, merge)``; ``start_child()`` runs first in the copy, what
  ``collect()`` returns there is given to ``merge()`` in the build;
- an error (or a warning made fatal by ``--fatal warnings``) is raised in the build.

The split is skipped, and Pelican's own loop used, when it cannot be exact or safe: fewer
articles than ``min_pages``, one core, not Linux (forking a process that has loaded system
libraries is unsafe on macOS, and Windows has no fork), threads other than Pelican's status
line (a live-reload server), relative URLs (Pelican then updates the shared context page by
page), or two articles with one path.

Settings: ``PARALLEL_RENDER = {"enabled": True, "min_pages": 200}``.
"""

import logging
import multiprocessing
import os
import pickle
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import chain, count

from pelican.generators import ArticlesGenerator
from pelican.utils import sanitised_join
from rich.live import _RefreshThread  # Pelican's status line (rich is pinned with Pelican)

from alerta import workers

__all__ = ["process_pool", "register", "share_state"]

logger = logging.getLogger(__name__)


DEFAULTS = {"enabled": True, "min_pages": 200}
SHARED = []  # (start_child, collect, merge) registered by plugins with per-page state
STOCK_GENERATE_ARTICLES = ArticlesGenerator.generate_articles


def share_state(start_child, collect, merge):
    """Hand a plugin's per-page state from the forked copy back to the build (see above)."""
    if (start_child, collect, merge) not in SHARED:
        SHARED.append((start_child, collect, merge))


def all_articles(generator):
    """Pelican's order (ArticlesGenerator.generate_articles)."""
    return list(
        chain(
            generator.translations,
            generator.articles,
            generator.hidden_translations,
            generator.hidden_articles,
        )
    )


def can_split(generator, writer, articles):
    opts = {**DEFAULTS, **generator.settings.get("PARALLEL_RENDER", {})}
    if not (
        opts["enabled"]
        and len(articles) >= opts["min_pages"]
        and (os.cpu_count() or 1) > 1
        and can_fork()
        and not generator.settings["RELATIVE_URLS"]
    ):
        return False
    paths = [sanitised_join(writer.output_path, article.save_as) for article in articles]
    taken = writer._written_files | writer._overridden_files
    return len(set(paths)) == len(paths) and not taken.intersection(paths)


def generate_articles(self, write):
    """ArticlesGenerator.generate_articles, with the second half written by a forked copy.

    Both processes run Pelican's own loop (so every signal is still sent for every article in
    the build); each hands only its half of the loop's write calls to the writer.
    """
    writer = getattr(write, "func", None) and getattr(write.func, "__self__", None)
    articles = all_articles(self)
    if writer is None or not can_split(self, writer, articles):
        STOCK_GENERATE_ARTICLES(self, write)
        return
    half = len(articles) // 2

    def write_half(second):
        calls = count()

        def write_some(*args, **kwargs):
            if (next(calls) >= half) == second:
                write(*args, **kwargs)

        return write_some

    logger.debug("articles: %d rendered here, %d by a forked copy", half, len(articles) - half)
    child, results = fork(
        lambda: render_in_child(lambda: STOCK_GENERATE_ARTICLES(self, write_half(True)), writer)
    )
    try:
        STOCK_GENERATE_ARTICLES(self, write_half(False))
    finally:
        outcome = collect_child(child, results)
    kind, value = outcome
    if kind == "error":
        raise value
    written, overridden, states = value
    writer._written_files |= written
    writer._overridden_files |= overridden
    for (_start, _collect, merge), state in zip(SHARED, states, strict=True):
        merge(state)


def render_in_child(render, writer):
    """In the copy: `render()`, then return what the build needs to know (or the error)."""
    before = (set(writer._written_files), set(writer._overridden_files))
    try:
        for start_child, _collect, _merge in SHARED:
            start_child()
        render()
        states = [collect() for _start, collect, _merge in SHARED]
        return "ok", (
            writer._written_files - before[0],
            writer._overridden_files - before[1],
            states,
        )
    except BaseException as error:  # noqa: BLE001 - raised again in the build
        return "error", error


def thread_locks():
    """The locks the build's other threads take, or None when one of them is not known.

    The only other thread a build normally has is rich's refresh of Pelican's "Generating..."
    status line. A fork copies no thread but every lock: holding that display's locks while
    forking makes sure the copy gets none of them half-taken.
    """
    locks = []
    for thread in threading.enumerate():
        if thread is threading.current_thread():
            continue
        live = getattr(thread, "live", None) if isinstance(thread, _RefreshThread) else None
        # In the order the thread takes them; rich's private names, so checked, not assumed.
        console = getattr(live, "console", None)
        pair = [getattr(live, "_lock", None), getattr(console, "_lock", None)]
        if None in pair:
            return None
        locks += pair
    return locks


def can_fork():
    """Forking copies the build as it is: only on Linux (see the module's docstring), and only
    with no thread but the known ones."""
    return sys.platform.startswith("linux") and thread_locks() is not None


@contextmanager
def forking():
    """Hold the locks of the build's other threads while the block forks (see thread_locks)."""
    locks = thread_locks() or []
    for lock in locks:
        lock.acquire()
    try:
        yield
    finally:
        for lock in reversed(locks):
            lock.release()


def process_pool(workers, background=False, initializer=None, initargs=()):
    """A ProcessPoolExecutor for the build's heavy work. Its workers are forked copies of the
    build when that is safe, so they need not import and set everything up again (a third
    less work for the social cards); otherwise, as in a live-reload server, they start afresh.

    `background` work (cards, the confidentiality scan) runs at a lower priority, so that what
    the build waits for first (rendering pages, then Pagefind) gets the cores it needs.
    """
    method = "fork" if can_fork() else "spawn"
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(os.getpid(), BACKGROUND_NICENESS if background else 0, initializer, initargs),
    )
    if method == "fork":
        with forking():
            pool.submit(int)  # a "fork" pool starts all of its workers on its first task
    return pool


BACKGROUND_NICENESS = 10


def _start_worker(parent, niceness, initializer, initargs):
    workers.start_worker(parent)  # never outlive the build (140 MB each)
    if niceness:
        os.nice(niceness)
    if initializer is not None:
        initializer(*initargs)


def fork(work):
    """Run `work()` in a forked process; return (pid, read end of the pipe of its result)."""
    parent = os.getpid()
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    with forking():
        pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    code = 0
    try:
        workers.start_worker(parent)
        outcome = work()
        try:
            payload = pickle.dumps(outcome)
        except Exception:  # noqa: BLE001 - an error that cannot be pickled: keep its text
            payload = pickle.dumps(("error", RuntimeError(str(outcome[1]))))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # noqa: BLE001 - nothing may escape the copy
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # no cleanup: the build's own exit handlers must not run twice


def collect_child(pid, read_end):
    """Wait for the copy; its ("ok", state) or ("error", exception)."""
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        code = os.waitstatus_to_exitcode(status)
        return "error", RuntimeError(f"the process rendering half the articles failed ({code})")
    return pickle.loads(payload)


def register():
    # Pelican's generator classes are fixed, so the method itself is replaced; it falls back
    # to Pelican's own whenever the split would not be exact.
    ArticlesGenerator.generate_articles = generate_articles
