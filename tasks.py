"""Project tasks: `invoke --list` is the menu."""

import contextlib
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

    def rebuild():
        args = shlex.split(pelican_command(extra="-e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true"))
        with contextlib.suppress(SystemExit):  # problems are printed; keep watching
            pelican_main(args[2:])

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


@task(help={"k": "only tests whose name matches this pytest expression"})
def test(c, k=""):
    """Run the whole test suite (builds, browsers, checks)."""
    selection = f"-k {shlex.quote(k)}" if k else ""
    c.run(f"{shlex.quote(PYTHON)} -m pytest {selection}", pty=False)


@task
def lint(c):
    """Check Python style and formatting with ruff."""
    c.run(f"{shlex.quote(PYTHON)} -m ruff check .", pty=False)
    c.run(f"{shlex.quote(PYTHON)} -m ruff format --check .", pty=False)


@task(help={"pairs": "number of translated article pairs (default 1000)"})
def bench(c, pairs=1000):
    """Time our build against stock Pelican + i18n_subsites on a synthetic site."""
    c.run(
        f"{shlex.quote(PYTHON)} {os.path.join(ROOT, 'bench', 'bench.py')} --pairs {pairs}",
        pty=False,
    )


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
