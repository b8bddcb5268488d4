"""Build-time benchmark: our build against stock Pelican, Pelican + i18n_subsites, and Hugo.

    python bench/bench.py --pairs 1000            # one size
    python bench/bench.py --sizes 250,1000,4000   # several sizes, with a growth check
    python bench/bench.py --pairs 250 --repeat 5 --keep

For each size it writes a synthetic corpus (bench/make_corpus.py) and times, on that corpus:

- stock:       stock Pelican 4.12, one pass, built-in "simple" theme, no plugins;
- +i18n:       stock Pelican + pelican-i18n-subsites (one subsite per extra language);
- hugo:        a Hugo multilingual site made from the same files (only if `hugo` is on PATH);
- ours cold:   our pelicanconf.py with an empty content cache (the run writes the cache);
- ours warm:   the same command again, nothing changed (the cache is loaded);
- ours touch:  again, after editing the body of one article.

Stock Pelican and i18n_subsites run from their own venv, .bench/venv-stock, made once: Pelican
imports every installed pelican.plugins.* package, so the plugin must never be installed in
the project's venv. Each build is a child process; its wall time and peak RSS come from
os.wait4 (the RSS of the largest process of the build, itself or one it started and waited
for: for ours, from about 1,000 pairs up, that is Pagefind's indexer, which holds the whole
index in memory). Each timing is the median of --repeat runs (default: 3 up to 1,000
pairs, else 1): on a shared 2-core machine one build can take 15 % more or less than the same
build a minute later.
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
import math
import os
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

sys.dont_write_bytecode = True  # importing make_corpus must not leave bench/__pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_corpus  # noqa: E402  (needs the path above)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETTINGS = os.path.join(ROOT, "pelicanconf.py")
OURS_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
STOCK_VENV = os.path.join(ROOT, ".bench", "venv-stock")
STOCK_PACKAGES = ["pelican==4.12.0", "markdown==3.11.3", "pelican-i18n-subsites==1.0.0"]
STOCK_THEME = "simple"  # Pelican's lightest built-in theme: a conservative baseline for us
COLUMNS = ["stock", "i18n", "hugo", "cold", "warm", "touch"]
TITLES = {
    "stock": "stock",
    "i18n": "+i18n_sub",
    "hugo": "hugo",
    "cold": "ours cold",
    "warm": "ours warm",
    "touch": "ours touch",
}
URL_SETTINGS = ("URL", "SAVE_AS", "LANG_URL", "LANG_SAVE_AS")
TARGET_RATIO = 0.5  # ours cold must take at most half the time of stock + i18n_subsites


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


# ---------------------------------------------------------------- stock Pelican


def stock_python():
    """The stock venv's python, installed once; None (after one line saying why) on failure."""
    python = os.path.join(STOCK_VENV, "bin", "python")
    marker = os.path.join(STOCK_VENV, "bench-packages.txt")
    wanted = "\n".join(STOCK_PACKAGES)
    if os.path.exists(marker):
        with open(marker) as handle:
            if handle.read() == wanted:
                return python
    print(f"Installing {', '.join(STOCK_PACKAGES)} into .bench/venv-stock (once)...")
    shutil.rmtree(STOCK_VENV, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", STOCK_VENV],
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *STOCK_PACKAGES],
    ]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True)
        if result.returncode:
            errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
            reason = (errors or result.stderr.strip().splitlines() or ["unknown error"])[-1]
            print(f"stock Pelican: install failed ({reason.strip()}); stock columns skipped")
            shutil.rmtree(STOCK_VENV, ignore_errors=True)
            return None
    with open(marker, "w") as handle:
        handle.write(wanted)
    return python


def custom_templates(corpus):
    """Template names that content files ask for with a `Template:` field (e.g. "hotline")."""
    names = set()
    for kind in ("articles", "pages"):
        for name in os.listdir(os.path.join(corpus, kind)):
            fields, _ = read_markdown(os.path.join(corpus, kind, name))
            if fields.get("template"):
                names.add((kind, fields["template"]))
    return names


def write_template_stubs(corpus, folder):
    """The stock theme lacks our special templates: each becomes its plain page or article."""
    os.makedirs(folder)
    for kind, name in custom_templates(corpus):
        base = "page.html" if kind == "pages" else "article.html"
        with open(os.path.join(folder, f"{name}.html"), "w", encoding="utf-8") as handle:
            handle.write(f'{{% extends "{base}" %}}\n')


def stock_settings(ours, work, plugins=()):
    """Stock settings: our URLs and Markdown, Pelican's own theme and listings, `plugins` only."""
    copied = [
        *("SITENAME", "AUTHOR", "SITEURL", "TIMEZONE", "DEFAULT_LANG", "FEED_DOMAIN"),
        *("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS", "SLUGIFY_SOURCE", "MARKDOWN"),
        *("ARTICLE_TRANSLATION_ID", "PAGE_TRANSLATION_ID"),
        *("DEFAULT_PAGINATION", "SUMMARY_MAX_LENGTH"),
        *(f"{kind}_{what}" for kind in ("ARTICLE", "PAGE") for what in URL_SETTINGS),
    ]
    lines = [f"{name} = {ours[name]!r}" for name in copied]
    lines += [
        f"THEME = {STOCK_THEME!r}",
        f"THEME_TEMPLATES_OVERRIDES = [{os.path.join(work, 'templates')!r}]",
        # Always explicit: with PLUGINS unset, Pelican would load i18n_subsites by itself.
        f"PLUGINS = {list(plugins)!r}",
        # One Atom feed per language, as ours writes; Pelican's own listings stay (mixed-language).
        "FEED_ALL_ATOM = CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None",
        f"TRANSLATION_FEED_ATOM = {ours['TRANSLATION_FEED_ATOM']!r}",
        f"CACHE_PATH = {os.path.join(work, 'stock-cache')!r}",
    ]
    return "\n".join(lines) + "\n"


def i18n_settings(ours, work, locale_dir):
    """The one-pass settings plus i18n_subsites: one subsite per non-default language."""
    others = [code for code in ours["LANGUAGES"] if code != ours["DEFAULT_LANG"]]
    subsites = {
        code: {
            "SITENAME": f"{ours['SITENAME']} ({code})",
            # A subsite's own language is its default, so it uses ARTICLE_URL, not *_LANG_URL;
            # these keep ours's /en/articles/<slug>/ scheme.
            "ARTICLE_URL": "articles/{slug}/",
            "ARTICLE_SAVE_AS": "articles/{slug}/index.html",
        }
        for code in others
    }
    return (
        stock_settings(ours, work, plugins=["pelican.plugins.i18n_subsites"])
        # The plugin's README requires the i18n extension; it then loads each subsite's catalog.
        + "JINJA_ENVIRONMENT = {'extensions': ['jinja2.ext.i18n']}\n"
        + f"I18N_GETTEXT_LOCALEDIR = {locale_dir!r}\n"
        + f"I18N_SUBSITES = {subsites!r}\n"
    )


def write_empty_catalogs(locale_dir, languages):
    """An empty messages.mo per language: without one the plugin logs an error per subsite
    (the simple theme has no strings to translate, so empty is a faithful catalog)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    for code in languages:
        folder = os.path.join(locale_dir, code, "LC_MESSAGES")
        os.makedirs(folder)
        with open(os.path.join(folder, "messages.mo"), "wb") as handle:
            write_mo(handle, Catalog(locale=code))


# ---------------------------------------------------------------- Hugo


HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8">'
        "<title>{{ .Title }} · {{ .Site.Title }}</title></head><body><nav>"
        '{{ range .AllTranslations }}<a href="{{ .RelPermalink }}">{{ .Lang }}'
        '</a> {{ end }}</nav><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>'
        '{{ .Content }}<ul>{{ range .GetTerms "tags" }}'
        '<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}'
        "</ul>{{ end }}\n"
    ),
    "index.html": (
        '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>'
        '{{ range where .Site.RegularPages "Section" "articles" }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}'
        "</ul>{{ end }}\n"
    ),
}


def read_markdown(path):
    """Our header format -> ({lowercase key: value}, body)."""
    with open(path, encoding="utf-8") as handle:
        header, _, body = handle.read().partition("\n\n")
    fields = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields, body


def our_url(ours, kind, fields):
    """The URL our settings give a file, so Hugo's copies can keep the same links."""
    prefix = "ARTICLE" if kind == "articles" else "PAGE"
    lang = fields["lang"]
    pattern = ours[f"{prefix}_URL"] if lang == ours["DEFAULT_LANG"] else ours[f"{prefix}_LANG_URL"]
    return "/" + pattern.format(slug=fields["slug"], lang=lang)


def hugo_site(ours, corpus, site):
    """A Hugo multilingual site from the corpus: translationKey pairs, our URL scheme."""
    files, urls = [], {}
    for kind in ("articles", "pages"):
        for name in sorted(os.listdir(os.path.join(corpus, kind))):
            fields, body = read_markdown(os.path.join(corpus, kind, name))
            files.append((kind, name, fields, body))
            urls[f"{kind}/{name}"] = our_url(ours, kind, fields)
    for kind, name, fields, body in files:
        for target, url in urls.items():  # {filename} links -> plain URLs
            body = body.replace(f"{{filename}}/{target}", url)
        front = {
            "title": fields["title"],
            "slug": fields["slug"],
            "translationKey": fields["translation_key"],
            "summary": fields.get("summary", ""),
        }
        if kind == "articles":
            front["date"] = fields["date"].replace(" ", "T") + ":00"
            front["categories"] = [fields["category"]]
            front["tags"] = [tag.strip() for tag in fields["tags"].split(",")]
        path = os.path.join(site, "content", kind, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:  # JSON is valid Hugo front matter
            handle.write(json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + body)
    for name, text in HUGO_LAYOUTS.items():
        path = os.path.join(site, "layouts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(os.path.join(site, "hugo.json"), "w", encoding="utf-8") as handle:
        json.dump(hugo_config(ours), handle, ensure_ascii=False, indent=1)


def hugo_config(ours):
    languages = {}
    for weight, (code, info) in enumerate(ours["LANGUAGES"].items(), start=1):
        default = code == ours["DEFAULT_LANG"]
        article = ours["ARTICLE_URL" if default else "ARTICLE_LANG_URL"].replace("{lang}/", "")
        languages[code] = {
            "weight": weight,
            "label": info["name"],
            "title": ours["SITENAME"],
            # Section -> pattern: the form every Hugo reads (Debian 12 ships 0.111, which
            # predates the per-kind form {"page": {...}}; newer ones read this as pages').
            "permalinks": {
                "articles": "/" + article.replace("{slug}", ":slug"),
                "pages": "/:slug/",
            },
        }
    return {
        "baseURL": ours["FEED_DOMAIN"] + "/",
        "defaultContentLanguage": ours["DEFAULT_LANG"],
        "languages": languages,
        "taxonomies": {"category": "categories", "tag": "tags"},
        # Raw HTML allowed, and links rendered by goldmark itself: Hugo's own link hook (on by
        # default for multilingual sites) rejects tel: links as unsafe.
        "markup": {
            "goldmark": {
                "renderer": {"unsafe": True},
                "renderHooks": {"link": {"useEmbedded": "never"}},
            }
        },
    }


# ---------------------------------------------------------------- one size


def ours_command(corpus, out, cache):
    extra = {"CACHE_PATH": cache, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    # Warnings are fatal: the corpus must build cleanly. Pelican keeps only the last -e,
    # so every override goes after a single one.
    overrides = [f"{key}={json.dumps(value)}" for key, value in extra.items()]
    return pelican_command(OURS_PYTHON, corpus, out, SETTINGS) + [
        *("--fatal", "warnings", "-e", *overrides)
    ]


def pelican_command(python, corpus, out, settings):
    return [python, "-m", "pelican", corpus, "-o", out, "-s", settings, "--log-handler", "plain"]


def touch_one(corpus_pairs, attempt):
    """Edit one article's body (a different one each attempt), as an editor saving a file."""
    path = corpus_pairs[(attempt * 7919) % len(corpus_pairs)][0]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nTexto editado en la prueba {attempt + 1}.\n")


def bench_size(pairs, repeat, ours, work, stock, hugo):
    """Build the corpus once and time every tool on it; return {column: [Run, ...]}."""
    base = os.path.join(work, str(pairs))
    corpus = os.path.join(base, "content")
    written = make_corpus.make_corpus(corpus, pairs)
    log = os.path.join(base, "builds.log")
    out, cache = os.path.join(base, "out"), os.path.join(base, "cache")
    jobs = {}
    if stock:
        locale_dir = os.path.join(base, "locale")
        write_empty_catalogs(locale_dir, ours["LANGUAGES"])
        write_template_stubs(corpus, os.path.join(base, "templates"))
        for name, text in (
            ("stock", stock_settings(ours, base)),
            ("i18n", i18n_settings(ours, base, locale_dir)),
        ):
            settings = os.path.join(base, f"{name}conf.py")
            with open(settings, "w", encoding="utf-8") as handle:
                handle.write(text)
            jobs[name] = pelican_command(stock, corpus, out, settings)
    if hugo:
        site = os.path.join(base, "hugo")
        hugo_site(ours, corpus, site)
        jobs["hugo"] = [hugo, "--quiet", "--source", site, "-d", out, "--cacheDir", cache]
    runs = {column: [] for column in COLUMNS}
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
        print(
            f"  {pairs} pairs, run {attempt + 1}/{repeat}: "
            + ", ".join(f"{TITLES[c]} {r[-1].seconds:.1f}s" for c, r in runs.items() if r)
        )
    return runs


# ---------------------------------------------------------------- report


def median_seconds(runs):
    return statistics.median(run.seconds for run in runs) if runs else None


def cell(value, fmt, width):
    return (fmt.format(value) if value is not None else "–").rjust(width)


def print_table(results):
    header = (
        f"{'N pairs':>8}"
        + "".join(f"{TITLES[c]:>12}" for c in COLUMNS)
        + f"{'RSS ours':>10}{'cold/i18n':>11}{'warm/stock':>12}"
    )
    print("\nBuild time, seconds (median); RSS in MiB")
    print(header)
    print("-" * len(header))
    for pairs, runs in results.items():
        times = {column: median_seconds(runs[column]) for column in COLUMNS}
        rss = max(run.rss_mib for c in ("cold", "warm", "touch") for run in runs[c])
        cold_ratio = times["cold"] / times["i18n"] if times["i18n"] else None
        warm_ratio = times["warm"] / times["stock"] if times["stock"] else None
        print(
            f"{pairs:>8}"
            + "".join(cell(times[c], "{:.2f}", 12) for c in COLUMNS)
            + f"{rss:>10.0f}"
            + cell(cold_ratio, "{:.2f}×", 11)
            + cell(warm_ratio, "{:.2f}×", 12)
        )
    print("\nPeak RSS per build, MiB (largest of the runs)")
    print(f"{'N pairs':>8}" + "".join(f"{TITLES[c]:>12}" for c in COLUMNS))
    for pairs, runs in results.items():
        peaks = {c: max((r.rss_mib for r in runs[c]), default=None) for c in COLUMNS}
        print(f"{pairs:>8}" + "".join(cell(peaks[c], "{:.0f}", 12) for c in COLUMNS))


def print_verdicts(results):
    print()
    for pairs, runs in results.items():
        cold, i18n = median_seconds(runs["cold"]), median_seconds(runs["i18n"])
        if i18n:
            ratio = cold / i18n
            verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
            print(
                f"{pairs} pairs: ours cold / stock+i18n_subsites = {ratio:.2f}× "
                f"(target ≤ {TARGET_RATIO}×: {verdict})"
            )


def growth_exponent(points):
    """Slope of the least-squares line through (log N, log t): 1.0 means linear growth."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def print_growth(results):
    if len(results) < 2:
        print("Growth check: give --sizes with two or more sizes to fit time against N.")
        return
    # Each build pays about a second of start-up, so small sizes pull the exponent below 1.
    print("Growth check (log-log fit of time against N; 1.00 = linear, start-up lowers it):")
    for column in COLUMNS:
        points = [(n, median_seconds(runs[column])) for n, runs in results.items()]
        if all(t for _, t in points):
            print(f"  {TITLES[column]:>11}: time ∝ N^{growth_exponent(points):.2f}")


# ---------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1000, help="translated article pairs")
    parser.add_argument("--sizes", help="comma-separated pair counts (instead of --pairs)")
    parser.add_argument(
        "--repeat", type=int, help="runs per timing (default 3, or 1 above 1,000 pairs)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.pairs]
    return args


def main(argv=None):
    args = parse_args(argv)
    ours = runpy.run_path(SETTINGS)  # the stock settings copy our URLs and Markdown from here
    stock = stock_python()
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo: not installed, skipped")
    work = tempfile.mkdtemp(prefix="alerta-bench-")
    results = {}
    try:
        for pairs in args.sizes:
            repeat = args.repeat or (1 if pairs > 1000 else 3)
            results[pairs] = bench_size(pairs, repeat, ours, work, stock, hugo)
    except BuildFailed as error:
        keep = "" if args.keep else " (rerun with --keep to look at the corpus and logs)"
        sys.exit(f"Build failed{keep}: {error}")
    finally:
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    print_verdicts(results)
    print_growth(results)


if __name__ == "__main__":
    main()
