"""Bad content files (issue 19, points 5-7, 11): one line `file:line: message`, no traceback.

A table of causes runs the content checks in-process (they run before Pelican reads anything,
so this is what a build reports); a few real builds prove the line, the exit status and the
previous output; hypothesis feeds every content type random headers and Markdown.
"""

import logging
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SETTINGS, article, make_content, one_clear_line, pelican
from events_fixture import pair
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.contents import Page
from pelican.settings import read_settings

from alerta import failures, limits
from plugins.checks import checks
from plugins.events import events
from plugins.film import film
from plugins.pamphlets import pamphlets

for plugin in (events, film, pamphlets):
    plugin.register()  # their content types and checks, as a build registers them

CONTENT_CHECKS = [
    checks.check_real_paths,
    checks.check_unchecked_formats,
    checks.check_content,
    events.check_events,
    film.check_films,
    pamphlets.check_pamphlets,
]

ES = article("Hola", "es", "hola", "hola")
EN = article("Hello", "en", "hola", "hello")
PAIR = {"articles/hola.es.md": ES, "articles/hola.en.md": EN}
EVENT = "events/foro.es.md"


def page(slug, lang="es", key="p", **extra):
    fields = {"Title": "Página", "Lang": lang, "Translation_key": key, "Slug": slug, **extra}
    return "".join(f"{name}: {value}\n" for name, value in fields.items()) + "\nTexto.\n"


def pages(slug, **extra):
    """A page pair whose Spanish file has `slug` (line 4) and `extra` fields (line 5 on)."""
    return {"pages/x.es.md": page(slug, **extra), "pages/x.en.md": page("x-en", "en")}


def event_with(**fields):
    return {**pair("foro", "foro", "forum"), EVENT: pair("foro", "foro", "forum", **fields)[EVENT]}


def check(folder, files, settings_file=SETTINGS):
    """The content checks of a build on `files`: every problem as its line."""
    content = make_content(folder / "content", files, data=False)
    site = read_settings(str(settings_file), override={"PATH": str(content)})
    report = checks.Report()
    for run in CONTENT_CHECKS:
        run(site, report)
    return [str(problem) for problem in report.problems]


# Markdown that Python-Markdown cannot read (RecursionError) or reads for seconds, the line the
# problem is found on (the text starts on line 9), and the message.
DEEP = {
    "quotes": (">" * 5000 + " x\n", 9, "Markdown nested 5000 levels deep (quotes or lists)"),
    "lists": (
        "".join("    " * level + "- x\n" for level in range(300)),
        59,
        "Markdown nested 51 levels deep (quotes or lists)",
    ),
    "list markers on one line": ("- " * 2000 + "x\n", 9, "Markdown nested 2000 levels deep"),
    "emphasis run": ("*" * 5000 + "x" + "*" * 5000 + "\n", 9, "a run of 5000 * or _"),
    "spaced emphasis": (
        "*a " * 1000 + "x" + " a*" * 1000 + "\n",
        9,
        "more than 50 * or _ emphasis marks open at once in one paragraph",
    ),
    "brackets": ("[" * 5000 + " x\n", 9, "more than 50 [ brackets open at once in one paragraph"),
}

CASES = {
    "article without Category": (
        {**PAIR, "articles/hola.es.md": ES.replace("Category: Información\n", "")},
        "content/articles/hola.es.md:1:",
        '"Category:" is missing (required for articles)',
    ),
    "article with an empty Category": (
        {**PAIR, "articles/hola.es.md": ES.replace("Category: Información", "Category:")},
        "content/articles/hola.es.md:5:",
        '"Category:" is empty',
    ),
    "article in year 1": (
        {**PAIR, "articles/hola.es.md": ES.replace("2026-11-20", "0001-01-01")},
        "content/articles/hola.es.md:2:",
        'Date "0001-01-01" is out of range (use a year from 1900 to 2199)',
    ),
    "event timezone naming a folder of the zone database": (
        event_with(Timezone="America"),
        "content/events/foro.es.md:11:",
        'Timezone "America" is unknown',
    ),
    "event in year 1": (
        event_with(Start="0001-01-01 10:00", End="0001-01-01 12:00"),
        "content/events/foro.es.md:6:",
        'Start "0001-01-01 10:00" is out of range',
    ),
    "event in year 9999": (
        event_with(Start="9999-12-31 20:00", End="9999-12-31 23:00"),
        "content/events/foro.es.md:7:",
        'End "9999-12-31 23:00" is out of range',
    ),
    "superscript digits as attendance": (
        event_with(Kind="training", Attendance_public="²³"),
        "content/events/foro.es.md:11:",
        'Attendance_public "²³" must be a whole number',
    ),
    "full-width digits as attendance": (
        event_with(Kind="training", Attendance_officials="１２"),
        "content/events/foro.es.md:11:",
        'Attendance_officials "１２" must be a whole number',
    ),
    "event Modified in the wrong format": (
        event_with(Modified="14/03/2026"),
        "content/events/foro.es.md:11:",
        'Modified "14/03/2026" is not a date (use YYYY-MM-DD HH:MM, local time at the venue, '
        "or YYYY-MM-DD)",
    ),
    "page slug of the English home page": (
        pages("en"),
        "content/pages/x.es.md:4:",
        'Slug "en" would write en/index.html, which is the home page',
    ),
    "page slug of the English home page in capitals (one file on macOS)": (
        pages("EN"),
        "content/pages/x.es.md:4:",
        'Slug "EN" would write EN/index.html, which is the home page',
    ),
    "page slug of the shelter directory": (
        pages("refugios"),
        "content/pages/x.es.md:4:",
        'Slug "refugios" would write refugios/index.html, which is the shelters section',
    ),
    "page slug of the laws by state (a section of BILINGUAL paths)": (
        pages("legislacion"),
        "content/pages/x.es.md:4:",
        'Slug "legislacion" would write legislacion/index.html, which is the legislation section',
    ),
    "page slug '.'": (
        pages("."),
        "content/pages/x.es.md:4:",
        'Slug "." would write index.html, which is the home page',
    ),
    "page inside another section's folder": (
        pages("x", Save_as="eventos/x/index.html"),
        "content/pages/x.es.md:5:",
        "inside eventos/, where the site writes the events section",
    ),
    "article slug '.' (the article listing)": (
        {**PAIR, "articles/hola.es.md": ES.replace("Slug: hola", "Slug: .")},
        "content/articles/hola.es.md:6:",
        'Slug "." would write articulos/index.html, which is the articles section',
    ),
    "event slug '.' (the events listing)": (
        event_with(Slug="."),
        "content/events/foro.es.md:4:",
        'Slug "." would write eventos/index.html, which is the events section',
    ),
    "URL of a generated page": (
        pages("x", URL="refugios/"),
        "content/pages/x.es.md:5:",
        'URL "refugios/" links to refugios/index.html, which is the shelters section',
    ),
    "Save_as of another page": (
        {**pages("x", Save_as="otra/index.html"), "pages/otra.es.md": page("otra", key="o")},
        "content/pages/x.es.md:5:",
        'Save_as "otra/index.html" would write otra/index.html, which '
        "content/pages/otra.es.md writes too",
    ),
    "Template that does not exist": (
        pages("x", Template="nada"),
        "content/pages/x.es.md:5:",
        'Template "nada" is not a template of the theme',
    ),
    "Template outside the theme": (
        pages("x", Template="../../pelicanconf"),
        "content/pages/x.es.md:5:",
        'Template "../../pelicanconf" must be the name of a template in theme/templates/',
    ),
    "hidden Markdown file (Pelican publishes it)": (
        {**PAIR, "articles/.oculto.es.md": ES + "<script>alert(1)</script>\n"},
        "content/articles/.oculto.es.md:9:",
        'raw HTML "<script" is not allowed',
    ),
    **{
        f"Markdown nested too deep: {name}": (
            {**PAIR, "articles/hola.es.md": ES + text},
            f"content/articles/hola.es.md:{line}:",
            message,
        )
        for name, (text, line, message) in DEEP.items()
    },
}
RESERVED = [
    "index.html",
    "en/index.html",
    "_headers",
    "_redirects",
    "sw.js",
    "robots.txt",
    "sitemap.xml",
    "404.html",
    "pagefind/pagefind.js",
    "feeds/es.atom.xml",
    "theme/css/site.css",
]


@pytest.mark.parametrize("files, where, message", CASES.values(), ids=CASES.keys())
def test_content_problem_is_one_line(tmp_path, files, where, message):
    problems = check(tmp_path, files)
    assert all("\n" not in line for line in problems), problems
    lines = [line for line in problems if message in line]
    assert len(lines) == 1, problems
    assert lines[0].startswith(where), problems
    # The file and its line: `content/...md:N: ...`
    assert lines[0].split(": ", 1)[0].rsplit(":", 1)[1].isdigit(), lines[0]


@pytest.mark.parametrize("target", RESERVED)
def test_save_as_of_a_reserved_file_is_one_line(tmp_path, target):
    problems = check(tmp_path, pages("x", Save_as=target))
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        f'content/pages/x.es.md:5: Save_as "{target}" would write {target}, '
    ), problems
    assert problems[0].endswith("; choose another Save_as"), problems


def test_content_file_over_the_size_limit_is_refused_unread(tmp_path):
    big = ES + ("Texto largo. " * 100_000)  # 1.3 MB
    problems = check(tmp_path, {**PAIR, "articles/hola.es.md": big})
    assert problems == [
        "content/articles/hola.es.md: is 1.3 MB; a content file may have at most 1 MB of text: "
        "split it into several pages",
        # Its twin is then alone: the usual warning, not a second line about the big file.
        'content/articles/hola.en.md:4: Translation_key "hola" has no "es" translation yet',
    ]


def test_byte_order_mark_is_accepted(tmp_path):
    """Pelican reads a file with a BOM as if it had none: so do the checks."""
    assert check(tmp_path, {**PAIR, "articles/hola.es.md": "\ufeff" + ES}) == []


def test_nesting_within_the_limits_is_accepted():
    text = "".join("    " * level + "- x\n" for level in range(limits.MAX_NESTING))
    text += ">" * limits.MAX_NESTING + " x\n\n" + "*" * 80 + "\n\n[a](b) " * 200
    assert limits.nesting_problem(text) is None
    code = "```\n" + "int *a, *b;\n" * 100 + "```\n"  # fenced code is not Markdown
    assert limits.nesting_problem(code) is None


def test_the_bundled_content_has_no_problem_in_either_build():
    for settings_file in (SETTINGS, ROOT / "publishconf.py"):
        site = read_settings(str(settings_file), override={"PATH": str(ROOT / "content")})
        report = checks.Report()
        checks.check_content(site, report)
        assert [str(p) for p in report.errors] == []


# ---------------------------------------------------------------- the last resort


def test_an_unexpected_error_names_the_content_file_it_stopped_on(tmp_path):
    failures.STATE["root"] = str(tmp_path / "content")
    source = tmp_path / "content" / "pages" / "x.es.md"
    source.parent.mkdir(parents=True)
    source.write_text("Title: X\n\nTexto.\n")
    site = read_settings(str(SETTINGS), override={"PATH": str(tmp_path / "content")})

    def render(page):
        raise KeyError("sin categoría\nen dos líneas")

    try:
        render(Page("x", metadata={"title": "X"}, settings=site, source_path=str(source)))
    except KeyError as error:
        line = failures.last_resort_line(error)
    assert line == (
        "content/pages/x.es.md: the build stopped on this file (KeyError: 'sin categoría\\nen "
        "dos líneas'); the previous output was left as it was"
    )


def test_could_not_process_names_the_file_and_why(tmp_path):
    failures.STATE["root"] = str(tmp_path / "content")
    record = logging.LogRecord(
        "pelican.generators", logging.ERROR, "", 0, "Could not process %s", ("a/x.md",), None
    )
    try:
        raise RecursionError("maximum recursion depth exceeded")
    except RecursionError:
        failures.explain_unread().filter(record)
    assert record.getMessage() == (
        "content/a/x.md: could not be read (RecursionError: maximum recursion depth exceeded); "
        "it was left out, so the build stops"
    )


def test_an_error_logged_on_the_way_stops_the_build():
    failures.start(type("Run", (), {"settings": {"PATH": "content"}})())
    logging.getLogger("plugins.anything").error("something was left out")
    logging.getLogger("alerta.checks").error("reported by the checks, which stop themselves")
    with pytest.raises(checks.BuildStopped, match="1 error"):
        failures.stop_if_errors()
    failures.stop_if_errors()  # counted once: the next run starts from zero


# ---------------------------------------------------------------- real builds


def tree(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def previous_output(tmp_path):
    output = tmp_path / "output"
    (output / "articulos").mkdir(parents=True)
    (output / "index.html").write_text("<p>the last good site</p>")
    (output / "articulos" / "index.html").write_text("<p>its articles</p>")
    return output, tree(output)


BUILDS = {
    "Save_as: index.html": (
        pages("x", Save_as="index.html"),
        "content/pages/x.es.md:5:",
        'Save_as "index.html" would write index.html, which is the home page',
    ),
    "Markdown deep enough for a RecursionError": (
        {**PAIR, "articles/hola.es.md": ES + DEEP["lists"][0]},
        "content/articles/hola.es.md:59:",
        "Markdown nested 51 levels deep",
    ),
    "missing Template": (
        pages("x", Template="nada"),
        "content/pages/x.es.md:5:",
        'Template "nada" is not a template of the theme',
    ),
    "a template that fails (the last resort)": (
        pages("x", Template="event"),
        "content/pages/x.es.md: the build stopped on this file",
        "the build stopped on this file",
    ),
}


@pytest.mark.parametrize("files, where, message", BUILDS.values(), ids=BUILDS.keys())
def test_build_stops_with_one_line_and_keeps_the_output(tmp_path, files, where, message):
    content = make_content(tmp_path / "content", {**PAIR, **files})
    output, before = previous_output(tmp_path)
    result = pelican(content, output)
    one_clear_line(result, message, where)
    assert tree(output) == before


def test_markdown_with_a_byte_order_mark_is_published_as_usual(tmp_path):
    content = make_content(tmp_path / "content", {**PAIR, "articles/hola.es.md": "\ufeff" + ES})
    result = pelican(content, tmp_path / "output", strict=True)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "output" / "articulos" / "hola" / "index.html").read_text("utf-8")
    assert "<title>Hola · Alerta Trata</title>" in html and "\ufeff" not in html


def test_error_pelican_logs_and_goes_on_from_fails_a_lenient_build(tmp_path):
    """Without --fatal, Pelican leaves out a file it cannot read ("Could not process") and
    exits 0: the build must fail instead, naming the file, the output as it was."""
    content = make_content(tmp_path / "content", PAIR)
    output, before = previous_output(tmp_path)
    broken = {"extension_configs": {"markdown.extensions.missing": {}}, "output_format": "html5"}
    command = [sys.executable, "-m", "pelican", str(content), "-o", str(output)]
    command += ["-s", str(SETTINGS), "--log-handler", "plain", "-e"]
    command += [f'CACHE_PATH="{tmp_path}/cache"', f"MARKDOWN={broken!r}".replace("'", '"')]
    env = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    one_clear_line(
        result,
        "hola.en.md: could not be read (ModuleNotFoundError",
        "content/articles/hola.en.md: could not be read",
    )
    one_clear_line(result, "2 error(s) logged above", "Build stopped:")
    assert tree(output) == before


# ---------------------------------------------------------------- random input

FIELD_NAMES = sorted(
    {name for spec in checks.CONTENT_TYPES.values() for name in spec["required"] | spec["optional"]}
)
ODD_VALUES = [
    "",
    ".",
    "..",
    "en",
    "refugios",
    "index.html",
    "sw.js",
    "../x",
    "/etc/passwd",
    "America",
    "Mexico/../../etc",
    "0001-01-01 00:00",
    "9999-12-31 23:59",
    "2026-02-30",
    "2026-03-14 10:00",
    "²³",
    "１２",
    "-1",
    "99999999999999999999",
    "draft",
    "hidden",
    "trifold",
    "page",
    "event",
    "{static}/../x",
    "javascript:alert(1)",
    "film/nada.vtt",
    "\ufeff",
    "\x00",
]
MARKDOWN_PIECES = [
    "> ",
    "- ",
    "1. ",
    "    ",
    "*",
    "_",
    "**",
    "[",
    "]",
    "](",
    ")",
    "![",
    "{static}/",
    "{filename}/../",
    "<script>",
    "<p onclick=x>",
    "javascript:",
    "```",
    "\n",
    "\n\n",
    "## ",
    "|",
    "&#106;",
    "word ",
    "ñ ",
]
value_text = st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=30)
header = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from(FIELD_NAMES), st.from_regex(r"[A-Za-z][\w-]{0,10}", fullmatch=True)
        ),
        st.one_of(st.sampled_from(ODD_VALUES), value_text),
    ),
    max_size=12,
)
body = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=200).map("".join),
    st.tuples(st.sampled_from(MARKDOWN_PIECES), st.integers(40, 400)).map(lambda p: p[0] * p[1]),
)
NAMES = {
    "articles": "articles/x.es.md",
    "pages": "pages/x.es.md",
    "events": "events/x.es.md",
    "pamphlets": "pamphlets/x.es.md",
    "film": "film/x.es.md",
}


@pytest.fixture(scope="module")
def random_site(tmp_path_factory):
    return tmp_path_factory.mktemp("random")


@pytest.mark.parametrize("kind", sorted(NAMES))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=header, text=body, newline=st.sampled_from(["\n", "\r\n"]))
def test_random_headers_and_markdown_are_one_line_each(random_site, kind, fields, text, newline):
    folder = random_site / kind
    lines = [f"{name}: {value}" for name, value in fields]
    source = (newline.join(lines) + newline + newline + text).encode("utf-8", "surrogatepass")
    path = folder / "content" / NAMES[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(source)
    site = read_settings(str(SETTINGS), override={"PATH": str(folder / "content")})
    report = checks.Report()
    for run in CONTENT_CHECKS:
        run(site, report)  # no exception escapes
    for problem in map(str, report.problems):
        assert "\n" not in problem and "\r" not in problem, problem
        assert problem.startswith(f"content/{NAMES[kind]}"), problem
