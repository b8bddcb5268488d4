"""Shared fixtures: real Pelican builds into tmp folders, the build's checks in-process, and a
local web server."""

import functools
import http.server
import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH = ROOT / "publishconf.py"


# Marks given here rather than in each file (see the markers in pyproject.toml). `slow` is a test
# that builds one site more than once (a rebuild, or the preview and then the publish build of
# the same content): `invoke test --fast` leaves those out. `upgrade` guards code tied to exact
# library versions: `invoke test-latest` adds it to the fast lane.
MODULE_MARKS = {
    "test_rebuild.py": ["slow"],  # the whole bundled site, built twice
    "test_publish_drafts.py": ["slow"],  # one site built as the preview and as the publish build
    "test_speedups.py": ["upgrade"],  # the Markdown speed-ups, fuzzed against stock Markdown
}
FIXTURE_MARKS = {
    "canary_site": ["slow"],  # the whole bundled site once more, with canaries planted
    "cached_builds": ["slow"],  # a pamphlet site built three times with one cache
}
TEST_MARKS = {
    "test_build_process.py::test_two_builds_into_one_folder_publish_one_whole_build": ["slow"],
    "test_editors.py::test_new_twins_of_every_kind_build_cleanly_as_drafts_and_published": ["slow"],
    "test_images.py::test_rebuild_reuses_the_cache": ["slow"],
    "test_speedups.py::test_parallel_reading_and_cache_give_identical_output": ["slow"],
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = f"{item.path.name}::{getattr(item, 'originalname', item.name)}"
        marks = [*MODULE_MARKS.get(item.path.name, []), *TEST_MARKS.get(name, [])]
        for fixture in getattr(item, "fixturenames", ()):
            marks += FIXTURE_MARKS.get(fixture, [])
        for mark in marks:
            item.add_marker(mark)


def pelican(content, output, strict=False, settings=SETTINGS, overrides=None):
    """Run the real `pelican` command; return the finished process (text output)."""
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-o",
        str(output),
        "-s",
        str(settings),
        "--log-handler",
        "plain",
        "--fatal",
        "warnings" if strict else "errors",
    ]
    # Each build keeps its own content cache, beside its output.
    overrides = {"CACHE_PATH": f"{output}.cache", **(overrides or {})}
    # One -e for all: Pelican keeps only the last -e it is given.
    command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())]
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def one_clear_line(result, message, where=None):
    """A failed build that reported `message` on exactly one line, without a traceback;
    that line starts with `where` (the file, and its line) when given. Returns the line."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if message in line]
    assert len(lines) == 1, output
    if where is not None:
        assert lines[0].startswith(where), output
    return lines[0]


@functools.cache
def registered_plugins(settings=SETTINGS):
    """Register every plugin of `settings` once, as a build does, so that the content types and
    data checks they add (alerta.report.DATA_CHECKS) are those of a real build."""
    from pelican.settings import read_settings

    names = read_settings(str(settings))["PLUGINS"]
    for name in names:
        importlib.import_module(name).register()
    return tuple(names)


def build_problems(content, settings=SETTINGS, strict=True):
    """What a build of `content` reports before it reads anything, run in-process (a tenth of a
    second instead of a Pelican process): the checks plugins.checks runs at the start of every
    build, in its order, then the publish gate in a publish build. Returns (lines, stops):
    every problem as its one line `file:line: message`, and whether the build would stop
    (an error, or any warning with --fatal warnings)."""
    from pelican.settings import read_settings

    from alerta import publish_gate
    from alerta.report import DATA_CHECKS, Report, is_preview
    from plugins.checks.checks import check_content, check_real_paths, check_unchecked_formats

    registered_plugins(settings)
    site = read_settings(str(settings), override={"PATH": str(content)})
    report = Report()
    for check in (check_real_paths, check_unchecked_formats, check_content, *DATA_CHECKS):
        check(site, report)
    if not is_preview(site):
        publish_gate.check_publishable(site, report)
    stops = bool(report.errors) or (strict and bool(report.problems))
    return [str(problem) for problem in report.problems], stops


def one_problem(problems, message, where):
    """`message` is on exactly one of the `problems` lines, which starts with `where` (the file,
    and its line) and holds no line break. Returns that line."""
    assert all("\n" not in line and "\r" not in line for line in problems), problems
    lines = [line for line in problems if message in line]
    assert len(lines) == 1, problems
    assert lines[0].startswith(where), problems
    return lines[0]


def tree(folder):
    """Every file under folder with its bytes, to prove a failed build changed nothing."""
    folder = Path(folder)
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def previous_output(folder):
    """An output folder holding a last good site; returns it and its tree()."""
    output = Path(folder)
    (output / "articulos").mkdir(parents=True)
    (output / "index.html").write_text("<p>the last good site</p>")
    (output / "articulos" / "index.html").write_text("<p>its articles</p>")
    return output, tree(output)


def make_content(folder, files, data=True):
    """Write {relative path: text} into a content folder, with the real data files."""
    folder = Path(folder)
    if data:
        shutil.copytree(CONTENT / "data", folder / "data")
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def article(title, lang, key, slug=None, date="2026-11-20", body="Texto.", **extra):
    fields = {
        "Title": title,
        "Date": date,
        "Lang": lang,
        "Translation_key": key,
        "Category": "Información" if lang == "es" else "Information",
    }
    if slug:
        fields["Slug"] = slug
    fields.update(extra)
    header = "\n".join(f"{name}: {value}" for name, value in fields.items())
    return f"{header}\n\n{body}\n"


FIXTURE_FILES = {
    "articles/senales.es.md": article(
        "Señales de alerta", "es", "signs", "senales", body="Palabra única: **zarzamora**."
    ),
    "articles/signs.en.md": article(
        "Warning signs", "en", "signs", "signs", body="Unique word: **gooseberry**."
    ),
    "articles/derechos.es.md": article(
        "Sus derechos", "es", "rights", "derechos", date="2026-03-14"
    ),
    "articles/rights.en.md": article("Your rights", "en", "rights", "rights", date="2026-03-14"),
    "articles/solo.es.md": article("Sólo en español", "es", "solo", "solo"),
    "pages/acerca.es.md": "Title: Acerca de\nLang: es\nTranslation_key: about\n"
    "Slug: acerca-de\n\nSitio de prueba.\n",
    "pages/about.en.md": "Title: About\nLang: en\nTranslation_key: about\nSlug: about\n\n"
    "Test site.\n",
}


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """The small fixture site, built once (non-strict: it has one unpaired article)."""
    base = tmp_path_factory.mktemp("fixture")
    content = make_content(base / "content", FIXTURE_FILES)
    result = pelican(content, base / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The bundled site in content/, built once, strictly, as CI and publishing do."""
    output = tmp_path_factory.mktemp("site") / "output"
    result = pelican(CONTENT, output, strict=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The bundled site in content/, built once as the publish build (publishconf.py)."""
    output = tmp_path_factory.mktemp("published") / "output"
    overrides = {"SITEURL": "https://example.test"}
    result = pelican(CONTENT, output, strict=True, settings=PUBLISH, overrides=overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # The browser dropping a request it no longer needs is not an error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(folder):
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def site_url(built_site):
    """http://127.0.0.1:PORT serving the bundled site."""
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def html_files(output):
    return sorted(p for p in Path(output).rglob("*.html"))
