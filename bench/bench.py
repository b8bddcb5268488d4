"""Build-time benchmark: our build against stock Pelican, Pelican + i18n_subsites, and Hugo.

    python bench/bench.py --pairs 1000            # one size (what `invoke bench` runs)
    python bench/bench.py --sizes 250,1000,4000   # several sizes, with a growth check
    python bench/bench.py --pairs 20 --repeat 1   # a quick check that every column builds

For each size it writes two synthetic corpora (bench/make_corpus.py): the generated article
pairs with copies of our data files and pages ("synthetic"), and the same pairs added to a copy
of the whole bundled site in content/ ("+ bundled site": its articles, events, film, pamphlets).
`--corpus synthetic` or `--corpus bundled` times one of them only. On each it times:

- stock:       stock Pelican 4.12, one pass, no plugins;
- +i18n:       stock Pelican + pelican-i18n-subsites (one subsite per extra language);
- hugo:        a Hugo multilingual site made from the same files (only if `hugo` is on PATH);
- ours cold:   our pelicanconf.py with an empty content cache (the run writes the cache);
- ours warm:   the same command again, nothing changed (the cache is loaded);
- ours touch:  again, after editing the body of one article.

Then it builds ours cold once more through bench/timed_build.py and prints where that build's
time goes (cards, Pagefind, the leak scan, Markdown, templates, writing...).

The stock columns are what a Pelican user would write (bench/stock_pelican.py):
`pelican-quickstart`'s settings, Pelican's "simple" theme, and our URLs and Markdown settings.
What they share with ours: the corpus; ARTICLE_/PAGE_ URL, SAVE_AS, LANG_URL and LANG_SAVE_AS;
slugs from titles; translations paired by Translation_key; MARKDOWN (its extensions);
ARTICLE_PATHS, PAGE_PATHS, STATIC_PATHS; SUMMARY_MAX_LENGTH; one Atom feed per language; the
site's name, author, URL, time zone and default language. Every difference from ours:

- Listings: stock writes Pelican's own (index, archives, one listing per category, tag and
  author), 10 articles a page as quickstart writes (DEFAULT_PAGINATION = 10); one pass mixes the
  languages, i18n_subsites writes them once per language. Ours writes its own listings per
  language (plugins/bilingual: home, articles, categories, tags), unpaginated
  (DEFAULT_PAGINATION = False), and no author pages or archives.
- Theme: Pelican's "simple" theme (a few small templates, no CSS, no strings to translate);
  templates our content asks for with `Template:` become stubs of its page or article
  template. Ours is theme/ (partials, components, every string through gettext, and the
  JINJA_ENVIRONMENT of pelicanconf.py; stock keeps Pelican's default, plus the i18n extension
  i18n_subsites requires, with an empty catalog per language).
- Plugins: none in stock; i18n_subsites only in +i18n (its subsite settings keep our
  /en/articles/<slug>/ scheme). Ours runs every plugin in pelicanconf.py's PLUGINS: the
  content checks before anything is read, per-language listings, Open Graph cards, icons,
  images, the Pagefind search index, the sitemap, events, film, pamphlets (PDFs), the shelter
  directory, the law comparison, the editors' report, the leak scan of every output file and
  the atomic swap of the output folder.
- The bundled site: stock has no generator for events/, film/, pamphlets/ or the data files,
  so of it stock builds the articles and pages only; ours builds all of it (the pamphlets'
  PDFs, the directory, the law comparison): work counted against ours.
- Cache and strictness: stock runs as Pelican does by default, without its content cache;
  ours cold starts from an empty cache and writes it, warm and touch load it; ours runs with
  `--fatal warnings`, stock without.

Each build is a child process; its wall time and peak RSS come from os.wait4 (the RSS of the
largest process of the build, itself or one it started and waited for: for ours, from about
1,000 pairs up, that is Pagefind's indexer, which holds the whole index in memory). Each timing
is the median of --repeat runs (default: 3 up to 1,000 pairs, else 1): on a shared 2-core
machine one build can take 15 % more or less than the same build a minute later.
Everything is built in a temporary folder that is removed at the end (unless --keep); the only
thing written in the project is .bench/venv-stock. Every build writes into folders of its own,
and none is deleted before the end: on ext4 without a journal (the machine this project is
developed on), the kernel does not reuse an inode freed in the last minutes and hunts past
each one when creating a file, so a build right after a large deletion spends seconds of
system time that belong to the deletion, not to the build (measured: Pagefind alone, run four
times in a row into a folder deleted each time, went from 1.1 to 4.5 s of system time).
"""

import argparse
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

sys.dont_write_bytecode = True  # importing the modules below must not leave bench/__pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_report  # noqa: E402  (needs the path above)
import hugo_site  # noqa: E402
import make_corpus  # noqa: E402
import stock_pelican  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETTINGS = os.path.join(ROOT, "pelicanconf.py")
OURS_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
TIMED_BUILD = os.path.join(ROOT, "bench", "timed_build.py")


class BuildFailed(Exception):
    pass


@dataclass
class Run:
    seconds: float
    rss_mib: float


# ---------------------------------------------------------------- running one build


def run_measured(command, cwd, log_path):
    """Run one build; return its wall time and peak RSS (os.wait4 reports it per child)."""
    # No .pyc files written: nothing may land in the project folder during a benchmark.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "200"}
    with open(log_path, "ab") as log:
        log.write(("\n$ " + " ".join(command) + "\n").encode())
        log.flush()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, not Popen
    if process.returncode:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            tail = "".join(log.readlines()[-15:])
        raise BuildFailed(f"{command[0]} exited with {process.returncode}:\n{tail}")
    return Run(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def ours_command(corpus, out, cache, python=(OURS_PYTHON, "-m", "pelican")):
    extra = {"CACHE_PATH": cache, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    # Warnings are fatal: the corpus must build cleanly. Pelican keeps only the last -e,
    # so every override goes after a single one.
    overrides = [f"{key}={json.dumps(value)}" for key, value in extra.items()]
    return [*python, *pelican_arguments(corpus, out, SETTINGS)] + [
        *("--fatal", "warnings", "-e", *overrides)
    ]


def pelican_command(python, corpus, out, settings):
    return [python, "-m", "pelican", *pelican_arguments(corpus, out, settings)]


def pelican_arguments(corpus, out, settings):
    return [corpus, "-o", out, "-s", settings, "--log-handler", "plain"]


def touch_one(corpus_pairs, attempt):
    """Edit one article's body (a different one each attempt), as an editor saving a file."""
    path = corpus_pairs[(attempt * 7919) % len(corpus_pairs)][0]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nTexto editado en la prueba {attempt + 1}.\n")


# ---------------------------------------------------------------- one size, one corpus


def stock_jobs(ours, base, corpus, out, stock):
    """{column: command} of the stock columns, their settings written into `base`."""
    locale_dir = os.path.join(base, "locale")
    stock_pelican.write_empty_catalogs(locale_dir, ours["LANGUAGES"])
    stock_pelican.write_template_stubs(corpus, os.path.join(base, "templates"))
    jobs = {}
    for name, text in (
        ("stock", stock_pelican.stock_settings(ours, base)),
        ("i18n", stock_pelican.i18n_settings(ours, base, locale_dir)),
    ):
        settings = os.path.join(base, f"{name}conf.py")
        with open(settings, "w", encoding="utf-8") as handle:
            handle.write(text)
        jobs[name] = pelican_command(stock, corpus, out, settings)
    return jobs


def bench_size(pairs, corpus_kind, repeat, ours, work, stock, hugo):
    """Build one corpus and time every tool on it; return ({column: [Run, ...]}, breakdown)
    where breakdown is (timed_build.py's JSON, wall time) of one more cold build of ours."""
    base = os.path.join(work, f"{pairs}-{corpus_kind}")
    corpus = os.path.join(base, "content")
    written = make_corpus.make_corpus(corpus, pairs, bundled=corpus_kind == "bundled")
    log = os.path.join(base, "builds.log")
    out, cache = os.path.join(base, "out"), os.path.join(base, "cache")
    jobs = stock_jobs(ours, base, corpus, out, stock) if stock else {}
    if hugo:
        site = os.path.join(base, "hugo")
        hugo_site.hugo_site(ours, corpus, site)
        jobs["hugo"] = [hugo, "--quiet", "--source", site, "-d", out, "--cacheDir", cache]
    runs = {column: [] for column in bench_report.COLUMNS}
    for attempt in range(repeat):
        # Every build gets folders of its own, and nothing is deleted until the end (see the
        # module's docstring): no run pays for the files the previous one left.
        for name, command in jobs.items():
            folder = os.path.join(base, f"{name}-{attempt}")
            renamed = {out: folder, cache: f"{folder}-cache"}
            command = [renamed.get(part, part) for part in command]
            runs[name].append(run_measured(command, base, log))
        ours_out = os.path.join(base, f"ours-{attempt}")
        ours_cache = os.path.join(base, f"ours-cache-{attempt}")
        for name in ("cold", "warm", "touch"):
            if name == "touch":
                touch_one(written, attempt)
            runs[name].append(run_measured(ours_command(corpus, ours_out, ours_cache), base, log))
        done = [f"{bench_report.TITLES[c]} {r[-1].seconds:.1f}s" for c, r in runs.items() if r]
        where = f"{pairs} pairs, {bench_report.CORPORA[corpus_kind]}"
        print(f"  {where}, run {attempt + 1}/{repeat}: " + ", ".join(done))
    return runs, timed_cold_build(corpus, base, log)


def timed_cold_build(corpus, base, log):
    """One more cold build of ours, through timed_build.py: (its parts as JSON, wall time)."""
    times = os.path.join(base, "timed-parts.json")
    timer = (OURS_PYTHON, TIMED_BUILD, times, "--")
    command = ours_command(corpus, os.path.join(base, "ours-timed"), base + "-timed-cache", timer)
    run = run_measured(command, base, log)
    with open(times, encoding="utf-8") as handle:
        return json.load(handle), run.seconds


# ---------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1000, help="translated article pairs")
    parser.add_argument("--sizes", help="comma-separated pair counts (instead of --pairs)")
    parser.add_argument(
        "--repeat", type=int, help="runs per timing (default 3, or 1 above 1,000 pairs)"
    )
    parser.add_argument(
        "--corpus",
        choices=["both", *bench_report.CORPORA],
        default="both",
        help="the synthetic pairs alone, added to the bundled site, or both (default)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.pairs]
    args.corpora = list(bench_report.CORPORA) if args.corpus == "both" else [args.corpus]
    return args


def main(argv=None):
    args = parse_args(argv)
    ours = runpy.run_path(SETTINGS)  # the stock settings copy our URLs and Markdown from here
    stock = stock_pelican.stock_python()
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo: not installed, skipped")
    work = tempfile.mkdtemp(prefix="alerta-bench-")
    results, breakdowns = {}, {}
    try:
        for pairs in args.sizes:
            repeat = args.repeat or (1 if pairs > 1000 else 3)
            for corpus in args.corpora:
                key = (pairs, corpus)
                results[key], breakdowns[key] = bench_size(
                    pairs, corpus, repeat, ours, work, stock, hugo
                )
    except BuildFailed as error:
        keep = "" if args.keep else " (rerun with --keep to look at the corpus and logs)"
        sys.exit(f"Build failed{keep}: {error}")
    finally:
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    bench_report.print_table(results)
    bench_report.print_verdicts(results)
    bench_report.print_growth(results)
    for key, (times, wall) in breakdowns.items():
        bench_report.print_breakdown(key, times, wall)


if __name__ == "__main__":
    main()
