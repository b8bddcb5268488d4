"""Project tasks: `invoke --list` is the menu."""

import os
import shlex
import shutil
import sys

from invoke import task

ROOT = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable
OUTPUT = os.path.join(ROOT, "output")
CONTENT = os.path.join(ROOT, "content")
TRANSLATIONS = os.path.join(ROOT, "theme", "translations")
POT = os.path.join(TRANSLATIONS, "messages.pot")
HOST, PORT = "127.0.0.1", 8000


def pelican_command(
    settings="pelicanconf.py", output=OUTPUT, content=CONTENT, strict=False, extra=""
):
    fatal = "warnings" if strict else "errors"
    return (
        f"{shlex.quote(PYTHON)} -m pelican {shlex.quote(content)} -o {shlex.quote(output)} "
        f"-s {shlex.quote(os.path.join(ROOT, settings))} --fatal {fatal} "
        f"--log-handler plain {extra}"
    )


@task(
    help={
        "strict": "treat warnings (such as a missing translation) as errors",
        "content": "the content folder to build (default: content/)",
    }
)
def build(c, strict=False, content=CONTENT):
    """Build the site into output/ (atomically: a failed build leaves output/ untouched)."""
    result = c.run(pelican_command(content=content, strict=strict), warn=True, pty=False)
    if not result.ok:
        sys.exit(result.exited or 1)


@task(
    help={
        "target": "folder, rsync, gh-pages or s3 (default: PUBLISH['target'] in publishconf.py)",
        "dest": "where to: a folder, an rsync destination, a git remote or an s3:// bucket",
        "repo": "gh-pages only: the git repository holding the branch (default: this one)",
        "build": "build first (--no-build deploys the output folder as it is)",
        "output": "the output folder to build and deploy (default: output/)",
        "content": "the content folder to build (default: content/)",
    }
)
def publish(c, target="", dest="", repo=ROOT, build=True, output=OUTPUT, content=CONTENT):
    """Build strictly with publishconf.py, then deploy output/ atomically to the target."""
    from pelican.settings import read_settings

    from alerta.publish_gate import deploy_problems

    settings = read_settings(os.path.join(ROOT, "publishconf.py"))
    options = settings["PUBLISH"]
    target = target or options["target"]
    if target not in ("folder", "rsync", "gh-pages", "s3"):
        sys.exit(f"Unknown target {target!r}: use folder, rsync, gh-pages or s3")
    problems = deploy_problems(settings)
    if problems:
        print("\n".join(f"publishconf.py: {problem}" for problem in problems), file=sys.stderr)
        sys.exit("Publishing stopped: nothing was built or deployed.")
    if build:
        command = pelican_command("publishconf.py", output=output, content=content, strict=True)
        result = c.run(command, warn=True, pty=False)
        if not result.ok:
            sys.exit("Publishing stopped: the strict build failed, nothing was deployed.")
    source = os.path.abspath(output).rstrip("/") + "/"
    if target == "folder":
        deploy_to_folder(source, dest or options["folder"])
    elif target == "rsync":
        c.run(
            f"rsync -az --delete --delay-updates --checksum {shlex.quote(source)} "
            f"{shlex.quote(dest or options['rsync'])}",
            pty=False,
        )
    elif target == "gh-pages":
        with c.cd(repo):
            c.run(
                f"{shlex.quote(PYTHON)} -m ghp_import --no-jekyll --push --force "
                f"--branch {options['gh_pages_branch']} "
                f"--remote {shlex.quote(dest or options['gh_pages_remote'])} "
                f"--message 'Publish the site' {shlex.quote(source)}",
                pty=False,
            )
    else:
        if not shutil.which("aws"):
            sys.exit("The s3 target needs the AWS command-line tool (`aws`); see README.")
        c.run(
            f"aws s3 sync {shlex.quote(source)} {shlex.quote(dest or options['s3'])} --delete",
            pty=False,
        )
    print(f"Published to {target}: {dest or options.get(target, options.get('folder'))}")


def deploy_to_folder(source, dest):
    """Copy beside the destination, then swap it in with two renames."""
    dest = os.path.abspath(dest)
    fresh, old = dest + ".new", dest + ".old"
    for path in (fresh, old):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(source, fresh, symlinks=True)
    if os.path.exists(dest):
        os.rename(dest, old)
    os.rename(fresh, dest)
    shutil.rmtree(old, ignore_errors=True)


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000/ (Ctrl+C to stop)."""
    c.run(
        f"{shlex.quote(PYTHON)} -m pelican --listen --bind {HOST} --port {PORT} "
        f"-o {shlex.quote(OUTPUT)} -s {shlex.quote(os.path.join(ROOT, 'pelicanconf.py'))}",
        pty=False,
    )


@task
def livereload(c):
    """Rebuild on every save (with Pelican's content cache) and reload the browser."""
    from livereload import Server
    from pelican import main as pelican_main

    from plugins.checks.checks import LAST_REPORT
    from plugins.editors.editors import problem_list, write_problems

    extra = "-e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true EDITOR_PREVIEW=true"

    def rebuild():
        args = shlex.split(pelican_command(extra=extra))
        try:
            pelican_main(args[3:])
        except SystemExit:
            # The build stopped and output/ kept the last good site: show why in its banner.
            if LAST_REPORT:
                write_problems(OUTPUT, problem_list(LAST_REPORT[0]))

    rebuild()
    server = Server()
    for pattern in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(os.path.join(ROOT, pattern), rebuild)
    server.serve(host=HOST, port=PORT, root=OUTPUT)


@task
def clean(c):
    """Remove output/ and the build caches."""
    for path in ("output", "output.new", "output.old", ".cache"):
        shutil.rmtree(os.path.join(ROOT, path), ignore_errors=True)


# The fast lane: every test but those that drive a browser or build a whole site more than once
# (markers in pyproject.toml; tests/conftest.py marks whole modules by name).
FAST = "not browser and not slow"


def pytest_command(python=PYTHON, fast=False, k="", markers=""):
    selection = markers or (FAST if fast else "")
    return " ".join(
        [
            f"{shlex.quote(python)} -m pytest",
            f"-m {shlex.quote(selection)}" if selection else "",
            f"-k {shlex.quote(k)}" if k else "",
        ]
    ).strip()


@task(
    help={
        "k": "only tests whose name matches this pytest expression",
        "fast": "leave out browser tests and whole-site rebuilds (under 5 minutes on 2 cores)",
    }
)
def test(c, k="", fast=False):
    """Run the whole test suite (builds, browsers, checks); --fast for the quick lane."""
    c.run(pytest_command(fast=fast, k=k), pty=False)


# `invoke test-latest`: a throwaway venv with the project's requirements, then the newest
# release of each library whose internals the project leans on.
LATEST = ("pelican", "markdown", "jinja2", "rich")
LATEST_VENV = os.path.join(ROOT, ".cache", "latest-venv")


def latest_commands(venv=LATEST_VENV, python=PYTHON, k=""):
    """The commands of `invoke test-latest`, in order (none of them touches .venv/)."""
    new_python = os.path.join(venv, "bin", "python")
    pip = f"{shlex.quote(new_python)} -m pip install --quiet --disable-pip-version-check"
    requirements = os.path.join(ROOT, "requirements-dev.txt")
    names = ", ".join(f'"{name}"' for name in LATEST)
    versions = (
        f'import importlib.metadata as m; print(*(n + " " + m.version(n) for n in ({names})))'
    )
    return [
        f"{shlex.quote(python)} -m venv --clear {shlex.quote(venv)}",
        f"{pip} -r {shlex.quote(requirements)}",
        f"{pip} --upgrade {' '.join(LATEST)}",
        f"{shlex.quote(new_python)} -c {shlex.quote(versions)}",
        # The fast lane, and the Markdown speed-ups' fuzz against stock Markdown (`upgrade`).
        pytest_command(new_python, k=k, markers=f"({FAST}) or upgrade"),
    ]


@task(
    name="test-latest",
    help={
        "k": "only tests whose name matches this pytest expression",
        "dry_run": "print the commands instead of running them",
    },
)
def test_latest(c, k="", dry_run=False):
    """Run the fast lane and the speed-up fuzz with the newest Pelican, Markdown, Jinja2, rich."""
    for command in latest_commands(k=k):
        if dry_run:
            print(command)
        else:
            c.run(command, pty=False)


@task
def lint(c):
    """Check Python style and formatting with ruff."""
    c.run(f"{shlex.quote(PYTHON)} -m ruff check .", pty=False)
    c.run(f"{shlex.quote(PYTHON)} -m ruff format --check .", pty=False)


@task(
    help={
        "pairs": "number of translated article pairs (default 1000)",
        "repeat": "runs per timing (default: 3 up to 1,000 pairs, else 1)",
        "corpus": "synthetic, bundled (the pairs added to content/) or both (default)",
    }
)
def bench(c, pairs=1000, repeat=0, corpus="both"):
    """Time our build against stock Pelican + i18n_subsites; print where ours spends its time."""
    script = os.path.join(ROOT, "bench", "bench.py")
    repeat = f"--repeat {repeat}" if repeat else ""
    c.run(
        f"{shlex.quote(PYTHON)} {shlex.quote(script)} --pairs {pairs} {repeat} "
        f"--corpus {shlex.quote(corpus)}",
        pty=False,
    )


@task
def lighthouse(c):
    """Lighthouse scores of the publish build's main pages (installs Lighthouse with npm once)."""
    c.run(f"{shlex.quote(PYTHON)} {os.path.join(ROOT, 'bench', 'lighthouse.py')}", pty=False)


@task(
    name="translations-status",
    help={"content": "the content folder to report on (default: content/)"},
)
def translations_status(c, content=CONTENT):
    """Print every item's translations: present, missing, or older than the other side."""
    from pelican.settings import read_settings

    from plugins.checks.checks import Report, check_content
    from plugins.editors.editors import catalog_gaps, status_table, translation_status

    settings = read_settings(os.path.join(ROOT, "pelicanconf.py"), override={"PATH": content})
    report = Report()
    check_content(settings, report)
    langs = list(settings["LANGUAGES"])
    print(status_table(translation_status(report.items, langs, ROOT), langs))
    for lang, ids in catalog_gaps(settings["THEME"]).items():
        if ids:
            print(f"\nTheme strings untranslated or fuzzy in {lang}:")
            print("\n".join(f"  {message}" for message in ids))


# `invoke new TYPE`: which archetype, which content folder, and the words in each language.
NEW_TYPES = {
    "article": "articles",
    "page": "pages",
    "event": "events",
    "pamphlet": "pamphlets",
    "resource": "resources",
}
NEW_WORDS = {
    "es": {
        "category": "Información",
        "tags": "trata",
        "sources": "Fuentes",
        "summary": "Resumen en una o dos frases.",
        "verify": "Qué falta verificar.",
        "body": "Escriba aquí el texto.",
        "venue": "Por confirmar",
        "audience": "Público en general",
        "section": "Sección",
    },
    "en": {
        "category": "Information",
        "tags": "trafficking",
        "sources": "Sources",
        "summary": "A one or two sentence summary.",
        "verify": "What is still to verify.",
        "body": "Write the text here.",
        "venue": "To be confirmed",
        "audience": "General public",
        "section": "Section",
    },
}


@task(
    help={
        "kind": "article, page, event, pamphlet or resource (shelters: see invoke new-shelter)",
        "title": "the title, in the language given by --lang",
        "lang": "the language of this title (its twins get the other languages)",
        "content": "the content folder (default: content/)",
    }
)
def new(c, kind, title, lang="es", content=CONTENT):
    """Create a content file and its translation twins, every field filled in (drafts)."""
    from datetime import date

    from pelican.settings import read_settings
    from pelican.utils import slugify

    if kind not in NEW_TYPES:
        sys.exit(f"Unknown type {kind!r}: use one of {', '.join(NEW_TYPES)}")
    settings = read_settings(os.path.join(ROOT, "pelicanconf.py"))
    if lang not in settings["LANGUAGES"]:
        sys.exit(f"Unknown language {lang!r}: use one of {', '.join(settings['LANGUAGES'])}")
    key = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    folder = os.path.join(content, NEW_TYPES[kind])
    with open(os.path.join(ROOT, "archetypes", f"{kind}.md"), encoding="utf-8") as handle:
        archetype = handle.read()
    others = [code for code in settings["LANGUAGES"] if code != lang]
    for code in [lang, *others]:
        path = os.path.join(folder, f"{key}.{code}.md")
        if os.path.exists(path):
            sys.exit(f"{os.path.relpath(path)} already exists: choose another title")
    for code in [lang, *others]:
        words = NEW_WORDS.get(code, NEW_WORDS["en"])
        text = archetype.format(
            title=title if code == lang else f"[{code}] {title}",
            slug=key if code == lang else f"{key}-{code}",
            date=date.today().isoformat(),
            lang=code,
            key=key,
            **words,
        )
        path = os.path.join(folder, f"{key}.{code}.md")
        os.makedirs(folder, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"created {os.path.relpath(path)}")


@task(name="translations-extract")
def translations_extract(c):
    """Extract theme strings into theme/translations/messages.pot."""
    c.run(
        f"{shlex.quote(PYTHON)} -m babel.messages.frontend extract -F babel.cfg -o {POT} "
        "--no-location --sort-output --project 'Alerta Trata' .",
        pty=False,
    )


@task(name="translations-update", pre=[translations_extract])
def translations_update(c):
    """Merge new theme strings into every language's messages.po."""
    c.run(
        f"{shlex.quote(PYTHON)} -m babel.messages.frontend update -i {POT} -d {TRANSLATIONS} "
        "--ignore-obsolete",
        pty=False,
    )


@task(name="translations-compile")
def translations_compile(c):
    """Compile every messages.po into messages.mo (the build also does this by itself)."""
    compile_translations()


def compile_translations():
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for lang in sorted(os.listdir(TRANSLATIONS)):
        po = os.path.join(TRANSLATIONS, lang, "LC_MESSAGES", "messages.po")
        if os.path.exists(po):
            with open(po, "rb") as source, open(po[:-2] + "mo", "wb") as target:
                write_mo(target, read_po(source, locale=lang))
