"""Site search with Pagefind, one index per language, built by the plain ``pelican`` command.

- ``SearchGenerator`` writes one search page per language (``buscar/``, ``en/search/``, from
  ``BILINGUAL["paths"]``). With JavaScript off it is a plain page with no form (a form that
  cannot search would only put the words typed into the browser's history): it says why search
  needs JavaScript and links the sections and every category and tag of that language. With
  JavaScript on, ``theme/js/search.js`` puts the search box in place (from a ``<template>``) and
  starts the Pagefind UI (served from our own ``output/pagefind/``) with strings from data
  attributes, in the page language.
- Pagefind needs WebAssembly, which a strict CSP blocks, so only the search pages get
  ``'wasm-unsafe-eval'`` in ``script-src`` (through the ``page_csp`` template variable); every
  other page keeps the site's strict policy.
- When every page is written (``signals.finalized``), Pagefind's command line indexes the
  output (or the index made for the same pages is reused from the cache).
  Only content templates carry ``data-pagefind-body``, so listings are not indexed, and
  Pagefind splits the index by ``<html lang>``: a Spanish page never answers an English search.
  The shelter directory's index page is indexed too (name, place, services and public contact
  of each entry: what its cards show), each entry's name heading a sub-result at its anchor.

Settings: ``SEARCH`` (see DEFAULTS).
"""

import functools
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

from pelican import signals
from pelican.generators import Generator

from alerta import workers
from alerta.build import write_page
from alerta.files import link_tree
from alerta.i18n import languages
from alerta.options import options as read_options
from alerta.pages import all_items
from alerta.report import BuildStopped
from alerta.sections import section_path

__all__ = ["SearchGenerator", "csp_with", "register"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Folder of the Pagefind bundle in output/.
    "bundle": "pagefind",
    # Elements Pagefind must not index, inside the content (CSS selectors).
    "exclude_selectors": ["[data-pagefind-ignore]", ".app-share", ".app-verify"],
    # What only the search pages add to the site's Content-Security-Policy.
    "csp_additions": {"script-src": ["'wasm-unsafe-eval'"]},
}


def options(settings):
    """SEARCH over DEFAULTS; a key that is not a setting stops the build ("did you mean")."""
    return read_options(settings, "SEARCH", DEFAULTS)


def csp_with(policy, additions):
    """The policy with extra sources added to some directives (created if absent)."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    names = [part.split()[0] for part in directives]
    for name, sources in additions.items():
        if name in names:
            index = names.index(name)
            present = directives[index].split()
            directives[index] = " ".join(present + [s for s in sources if s not in present])
        else:
            directives.append(" ".join([name, *sources]))
            names.append(name)
    return "; ".join(directives)


def search_path(settings, lang):
    try:
        return section_path(settings, lang, "search")
    except KeyError:
        return languages(settings)[lang]["prefix"] + "search/"


class SearchGenerator(Generator):
    """One search page per language."""

    def generate_output(self, writer):
        opts = options(self.settings)
        langs = languages(self.settings)
        urls = {code: search_path(self.settings, code) for code in langs}
        policy = csp_with(self.settings.get("CONTENT_SECURITY_POLICY", ""), opts["csp_additions"])
        articles = all_items(self.context.get("articles", []))
        for code in langs:
            mine = [a for a in articles if a.lang == code]
            write_page(
                self,
                writer,
                urls[code],
                "search",
                code,
                urls,
                # Hosts send the same, wider policy for this page (see plugins/deploy).
                csp=policy,
                page_csp=policy,
                search_bundle=opts["bundle"],
                search_categories=self.terms(mine, code, "categories"),
                search_tags=self.terms(mine, code, "tags"),
            )

    def terms(self, articles, lang, kind):
        """[(name, url, count)] of one language's categories or tags, by name."""
        found = {}
        for article in articles:
            values = [article.category] if kind == "categories" else getattr(article, "tags", [])
            for term in values:
                found.setdefault(term.slug, [term.name, 0])[1] += 1
        base = section_path(self.settings, lang, kind)
        return sorted(
            ((name, f"{base}{slug}/", count) for slug, (name, count) in found.items()),
            key=lambda item: item[0].casefold(),
        )


def pagefind_command(output, bundle, exclude):
    """Pagefind's command line (the binary of the pinned ``pagefind[bin]``, run through its
    Python package), indexing every page of `output` into `bundle`."""
    command = [sys.executable, "-m", "pagefind", "--site", output, "--output-path", bundle]
    for selector in exclude:
        command += ["--exclude-selectors", selector]
    return [*command, "--quiet"]


def pages_fingerprint(output, opts):
    """A hash of every page Pagefind would read (the editors' report, with its time, excluded)."""
    digest = hashlib.sha256(repr(sorted(opts.items())).encode())
    for dirpath, dirnames, files in os.walk(output):
        dirnames[:] = sorted(d for d in dirnames if d not in (opts["bundle"], "_editors"))
        for name in sorted(files):
            if name.endswith(".html"):
                path = os.path.join(dirpath, name)
                digest.update(os.path.relpath(path, output).encode())
                with open(path, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()[:16]


# Pagefind's Python API stops its service as soon as the last request is answered, which once
# left files cut short (a .pagefind file at 64 KiB, pagefind-ui.js empty); its command line,
# used here, exits only when done. The bundle is still checked, and made again if damaged.
INDEX_ATTEMPTS = 3
DAMAGED = "it wrote a damaged index: "


def damaged_files(bundle):
    """Files of a Pagefind bundle that are cut short: empty files, its gzip files and its entry
    file."""
    damaged = []
    for dirpath, _dirs, files in os.walk(bundle):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                data = handle.read()
            try:
                if not data:
                    raise ValueError("empty")
                if data[:2] == b"\x1f\x8b":
                    gzip.decompress(data)
                elif name == "pagefind-entry.json":
                    json.loads(data)
            except (EOFError, OSError, zlib.error, ValueError):
                damaged.append(os.path.relpath(path, bundle))
    if not os.path.exists(os.path.join(bundle, "pagefind-entry.json")):
        damaged.append("pagefind-entry.json (missing)")
    return damaged


def build_index(pelican):
    """Index every written page with Pagefind, or reuse the index made for the same pages.

    The build waits for Pagefind here: its bundle must be whole before pelican-precompress
    compresses the output (on "compress", after "finalized") and before the confidentiality
    scan reads it (on "deploy"). Left running alongside the later steps, as it once was, it
    lost that race (no .gz of its files in the publish build) and saved no time that a
    measurement could tell from the noise."""
    opts = options(pelican.settings)
    output = os.path.abspath(pelican.output_path)
    bundle = os.path.join(output, opts["bundle"])
    cached = os.path.join(
        pelican.settings["CACHE_PATH"], "pagefind", pages_fingerprint(output, opts)
    )
    if os.path.isdir(cached):
        link_tree(cached, bundle)
        logger.info("search: pages unchanged, index reused from the cache")
        return
    job = Indexing(pagefind_command(output, bundle, opts["exclude_selectors"]), bundle, cached)
    job.start()
    try:
        job.finish(languages(pelican.settings))
    finally:
        job.stop()  # only when something stopped the build before Pagefind was done


class Indexing:
    """One run of Pagefind's command line: ``start()``, then ``finish()`` (or ``stop()``).

    Its command line, unlike its Python API, exits only once every file is written: the API
    stops its service as soon as the last request is answered, which once left files of the
    bundle cut short. A bundle found damaged anyway is made again, up to INDEX_ATTEMPTS times.
    """

    def __init__(self, command, bundle, cached):
        self.command, self.bundle, self.cached = command, bundle, cached
        self.process = self.log = None

    def start(self):
        shutil.rmtree(self.bundle, ignore_errors=True)
        # A file, not a pipe, so Pagefind never waits for us to read; closed by wait() or stop().
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                self.command,
                stdout=self.log,
                stderr=self.log,
                # Pagefind dies with the build (the death signal outlives its exec).
                preexec_fn=functools.partial(workers.die_with_parent, os.getpid()),  # noqa: PLW1509
            )
        except OSError as error:
            self.process = error

    def wait(self):
        """None when Pagefind wrote a sound bundle, else what went wrong (DAMAGED + files)."""
        if isinstance(self.process, OSError):
            return str(self.process)
        code = self.process.wait()
        self.log.seek(0)
        said = self.log.read().decode("utf-8", "replace").strip()
        self.log.close()
        if code:
            return said.splitlines()[-1] if said else f"exit status {code}"
        damaged = damaged_files(self.bundle)
        return DAMAGED + ", ".join(damaged[:3]) if damaged else None

    def finish(self, langs):
        problem = self.wait()
        for _retry in range(INDEX_ATTEMPTS - 1):
            if not (problem or "").startswith(DAMAGED):
                break
            self.start()
            problem = self.wait()
        if problem:
            # A site without its search index is not published: stop, one line.
            raise BuildStopped(
                f"search: Pagefind could not index the site ({problem[:200]}); "
                "the previous output was left as it was"
            )
        shutil.rmtree(os.path.dirname(self.cached), ignore_errors=True)  # only the newest
        link_tree(self.bundle, self.cached)
        counts = indexed_languages(self.bundle)
        logger.info(
            "search: %d pages indexed (%s)",
            sum(counts.values()),
            ", ".join(f"{code}: {count}" for code, count in sorted(counts.items())),
        )
        for code, info in langs.items():
            if info["html_lang"].lower() not in counts and code not in counts:
                logger.warning(
                    "search: no %s pages were indexed, so search in %s finds nothing",
                    info["html_lang"],
                    info["name"],
                )

    def stop(self):
        if self.process is None or isinstance(self.process, OSError):
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def indexed_languages(bundle):
    """{language: pages indexed} from the bundle's entry file (languages in lower case)."""
    try:
        with open(os.path.join(bundle, "pagefind-entry.json"), encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError):
        return {}
    return {
        re.sub(r"_", "-", code.lower()): info.get("page_count", 0)
        for code, info in entry.get("languages", {}).items()
    }


def get_generators(_pelican):
    return SearchGenerator


def check_settings(pelican):
    """A typo in SEARCH stops the build at its start, before anything is written."""
    options(pelican.settings)


def register():
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(build_index)
