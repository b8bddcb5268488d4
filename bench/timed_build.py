"""Run one Pelican build and write where its time went, per part, as JSON.

    python bench/timed_build.py TIMES.json -- <pelican's own arguments>

The bench runs our cold build once more through this file to print its breakdown. Only public
interfaces are wrapped, in this process alone (the project's code is not changed):

- every receiver of every Pelican signal (blinker's ``Signal.receivers_for``), by its module;
- every generator's ``generate_context`` and ``generate_output`` (wrapped on the instance,
  from the ``generator_init`` signal), by the generator's module;
- Pelican's ``Readers.read_file`` (reading a content file), ``markdown.Markdown.convert``
  (Markdown), ``jinja2.Template.render`` (templates) and ``Writer.write_file`` (writing).

Time is exclusive: a Markdown conversion inside a reader counts as Markdown, not as reading; a
page a plugin writes counts as templates and writing, the rest of that receiver as the plugin.
What no wrapper covers (start-up, Pelican's own bookkeeping) is reported as the remainder of
the wall time. Each thread keeps its own stack, so work a plugin runs in a background thread
is counted too (and may overlap the main thread's); work in worker processes or in Pagefind's
own process is counted as the waiting of the part that started it.
"""

import functools
import json
import sys
import threading
import time
from collections import defaultdict

TOTALS = defaultdict(float)
CALLS = defaultdict(int)
_stacks = threading.local()


def timed(part, function):
    """`function`, its exclusive wall time added to TOTALS[part]."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        stack = getattr(_stacks, "frames", None)
        if stack is None:
            stack = _stacks.frames = []
        stack.append(0.0)  # time spent in parts nested inside this one
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            nested = stack.pop()
            TOTALS[part] += elapsed - nested
            CALLS[part] += 1
            if stack:
                stack[-1] += elapsed

    wrapper.__bench_timed__ = True
    return wrapper


def owner(function):
    """The module a receiver or a generator comes from ("plugins.cards.cards", "pelican...")."""
    target = getattr(function, "__func__", function)
    return getattr(target, "__module__", None) or type(function).__module__


def install():
    import blinker
    import jinja2
    import markdown
    from pelican import readers, signals, writers

    receivers_for = blinker.Signal.receivers_for

    def timed_receivers(self, sender):
        for receiver in receivers_for(self, sender):
            if getattr(receiver, "__bench_timed__", False) or owner(receiver) == __name__:
                yield receiver  # already timed, or this file's own hook
            else:
                yield timed(owner(receiver), receiver)

    blinker.Signal.receivers_for = timed_receivers

    def time_generator(generator):
        part = owner(type(generator))
        for name in ("generate_context", "generate_output"):
            method = getattr(generator, name, None)
            if method is not None:
                setattr(generator, name, timed(part, method))

    signals.generator_init.connect(time_generator, weak=False)
    readers.Readers.read_file = timed("reading files", readers.Readers.read_file)
    markdown.Markdown.convert = timed("Markdown", markdown.Markdown.convert)
    jinja2.Template.render = timed("templates (Jinja)", jinja2.Template.render)
    writers.Writer.write_file = timed("writing files", writers.Writer.write_file)


def main(argv):
    target, separator, *arguments = argv
    if separator != "--":
        sys.exit(__doc__.split("\n\n")[1])
    start = time.perf_counter()
    install()
    from pelican import main as pelican_main

    status = 0
    try:
        pelican_main(arguments)
    except SystemExit as stop:
        status = stop.code or 0
    finally:
        wall = time.perf_counter() - start
        parts = {part: {"seconds": TOTALS[part], "calls": CALLS[part]} for part in TOTALS}
        with open(target, "w", encoding="utf-8") as handle:
            json.dump({"wall": wall, "parts": parts}, handle, indent=1)
    sys.exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])
