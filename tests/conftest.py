"""Shared fixtures: real Pelican builds into tmp folders, and a local web server."""

import functools
import http.server
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
