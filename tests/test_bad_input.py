"""Bad input: one clear line naming the file (and line), exit != 0, never a traceback.

The table of causes runs the build's checks in-process (they run before Pelican reads anything,
so their lines are what a build reports); a few real builds prove the line, the exit status and
that the previous output is left as it was.
"""

import pytest
from conftest import (
    article,
    build_problems,
    make_content,
    one_clear_line,
    one_problem,
    pelican,
    previous_output,
    tree,
)

ES = article("Hola", "es", "hola", "hola")
EN = article("Hello", "en", "hola", "hello")
PAIR = {"articles/hola.es.md": ES, "articles/hola.en.md": EN}


def alert(**fields):
    message = fields.pop("message", {"es": "Aviso", "en": "Notice"})
    lines = [f"    {k}: {v}" for k, v in fields.items()]
    lines += ["    message:"] + [f"      {k}: {v}" for k, v in message.items()]
    return "alerts:\n  - id: prueba\n" + "\n".join(lines) + "\n"


CASES = {
    "missing lang": (
        {"articles/x.es.md": "Title: X\nDate: 2026-01-01\nTranslation_key: x\n\nTexto\n"},
        "content/articles/x.es.md:1:",
        '"Lang:" is missing',
    ),
    "unknown lang": (
        {"articles/x.es.md": ES.replace("Lang: es", "Lang: sp")},
        "content/articles/x.es.md:3:",
        'Lang "sp" is not a site language',
    ),
    "lang differs from file name": (
        {"articles/x.en.md": ES},
        "content/articles/x.en.md:3:",
        "does not match the file name",
    ),
    "same key and lang twice": (
        {**PAIR, "articles/otra.es.md": ES.replace("Slug: hola", "Slug: otra")},
        "content/articles/otra.es.md:4:",
        'Translation_key "hola" in "es" is already used',
    ),
    "missing translation (strict)": (
        {"articles/hola.es.md": ES},
        "content/articles/hola.es.md:4:",
        'has no "en" translation',
    ),
    "date that does not parse": (
        {**PAIR, "articles/hola.es.md": ES.replace("2026-11-20", "31/02/2026")},
        "content/articles/hola.es.md:2:",
        'Date "31/02/2026" is not a date (use YYYY-MM-DD)',
    ),
    "impossible date": (
        {**PAIR, "articles/hola.es.md": ES.replace("2026-11-20", "2026-02-31")},
        "content/articles/hola.es.md:2:",
        'Date "2026-02-31" is not a date',
    ),
    "blank first line": (
        {**PAIR, "articles/hola.es.md": "\n" + ES},
        "content/articles/hola.es.md:1:",
        "must start with its metadata on line 1",
    ),
    "missing title": (
        {**PAIR, "articles/hola.es.md": ES.replace("Title: Hola\n", "")},
        "content/articles/hola.es.md:1:",
        '"Title:" is missing',
    ),
    "unknown status": (
        {**PAIR, "articles/hola.es.md": ES.replace("Slug: hola", "Slug: hola\nStatus: borrador")},
        "content/articles/hola.es.md:7:",
        'Status "borrador" is unknown',
    ),
    "duplicate slug": (
        {
            **PAIR,
            "articles/otro.es.md": article("Otro", "es", "otro", "hola"),
            "articles/otro.en.md": article("Other", "en", "otro", "other"),
        },
        "content/articles/otro.es.md:1:",
        'Slug "hola" is already used',
    ),
    "dead 01 800 number": (
        {**PAIR, "articles/hola.es.md": ES + "Llame al 01 800 5533 000.\n"},
        "content/articles/hola.es.md:9:",
        'dead number "01 800 5533 000": since 2019 dial 800 5533 000 (drop the 01)',
    ),
    "undialable tel link": (
        {**PAIR, "articles/hola.es.md": ES + "[Llame](tel:01-800-LINEA)\n"},
        "content/articles/hola.es.md:9:",
        "tel:01-800-LINEA is not dialable",
    ),
    "alert without translation": (
        {**PAIR, "data/alerts.yml": alert(expires="2099-01-01", message={"es": "Aviso"})},
        "content/data/alerts.yml:",
        "alert prueba: message needs a translation",
    ),
    "alert expiry that does not parse": (
        {**PAIR, "data/alerts.yml": alert(expires="pronto")},
        "content/data/alerts.yml:",
        'alert prueba: expires "pronto" is not a date',
    ),
    "YAML syntax error": (
        {**PAIR, "data/alerts.yml": "alerts:\n  - id: [roto\n"},
        "content/data/alerts.yml:3:",
        "YAML syntax error",
    ),
    "hotline that is not dialable": (
        {
            **PAIR,
            "data/hotlines.yml": "hotlines:\n  - id: mala\n    primary: true\n"
            "    name: {es: Mala, en: Bad}\n"
            "    short: {es: Mala, en: Bad}\n"
            "    number: 'LINEA'\n    tel: 'LINEA'\n",
        },
        "content/data/hotlines.yml:",
        'hotline mala: tel "LINEA" is not dialable',
    ),
    "unknown field (a typo)": (
        {**PAIR, "articles/hola.es.md": ES.replace("Slug: hola", "Slug: hola\nTitel: Hola")},
        "content/articles/hola.es.md:7:",
        'unknown field "titel"',
    ),
    "field given twice": (
        {**PAIR, "articles/hola.es.md": ES.replace("Slug: hola", "Slug: hola\nLang: en")},
        "content/articles/hola.es.md:7:",
        'field "Lang" is given twice',
    ),
    "metadata line without a colon": (
        {**PAIR, "articles/hola.es.md": ES.replace("Slug: hola", "Slug hola")},
        "content/articles/hola.es.md:6:",
        '"Slug hola" is not a "Field: value" line',
    ),
    "empty title": (
        {**PAIR, "articles/hola.es.md": ES.replace("Title: Hola", "Title:")},
        "content/articles/hola.es.md:1:",
        '"Title:" is empty',
    ),
    "language in capitals": (
        {**PAIR, "articles/hola.es.md": ES.replace("Lang: es", "Lang: ES")},
        "content/articles/hola.es.md:3:",
        'Lang "ES" is not a site language',
    ),
    "modified date that does not parse": (
        {**PAIR, "articles/hola.es.md": ES.replace("Slug: hola", "Slug: hola\nModified: ayer")},
        "content/articles/hola.es.md:7:",
        'Modified "ayer" is not a date',
    ),
    "link to a file that does not exist": (
        {**PAIR, "articles/hola.es.md": ES + "[Otra]({filename}/articles/otra.es.md)\n"},
        "content/articles/hola.es.md:9:",
        'link to "/articles/otra.es.md" points nowhere',
    ),
    "image that does not exist": (
        {**PAIR, "articles/hola.es.md": ES + "![Foto]({static}/images/foto.jpg)\n"},
        "content/articles/hola.es.md:9:",
        'image "{static}/images/foto.jpg" does not exist',
    ),
    "relative image that does not exist": (
        {**PAIR, "articles/hola.es.md": ES + "![Foto](foto.jpg)\n"},
        "content/articles/hola.es.md:9:",
        'image "foto.jpg" does not exist',
    ),
    "raw script in the text": (
        {**PAIR, "articles/hola.es.md": ES + "<script>alert(1)</script>\n"},
        "content/articles/hola.es.md:9:",
        'raw HTML "<script" is not allowed',
    ),
    "event handler attribute": (
        {**PAIR, "articles/hola.es.md": ES + '<p onclick="x()">Hola</p>\n'},
        "content/articles/hola.es.md:9:",
        "is not allowed in content",
    ),
    "meta refresh to another site": (
        {
            **PAIR,
            "articles/hola.es.md": ES + '<meta http-equiv="refresh" content="0;url=//x.mx">\n',
        },
        "content/articles/hola.es.md:9:",
        'raw HTML "<meta" is not allowed in content',
    ),
    "javascript: link in Markdown": (
        {**PAIR, "articles/hola.es.md": ES + "[Clic](javascript:alert(1))\n"},
        "content/articles/hola.es.md:9:",
        'a "javascript:" link is not allowed in content',
    ),
    "link out of content/": (
        {**PAIR, "articles/hola.es.md": ES + "[Ver]({static}/../pelicanconf.py)\n"},
        "content/articles/hola.es.md:9:",
        'link to "/../pelicanconf.py" leads outside content/',
    ),
    "hotlines with no primary line": (
        {
            **PAIR,
            "data/hotlines.yml": "hotlines:\n  - id: una\n"
            "    name: {es: Una, en: One}\n"
            "    short: {es: Una, en: One}\n"
            "    number: '911'\n    tel: '911'\n",
        },
        "content/data/hotlines.yml:",
        "one hotline must have primary: true",
    ),
    "alert with an unknown level": (
        {**PAIR, "data/alerts.yml": alert(expires="2099-01-01", level="urgente")},
        "content/data/alerts.yml:",
        'alert prueba: level "urgente" is unknown',
    ),
}


@pytest.mark.parametrize("files, where, message", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_clear_line(tmp_path, files, where, message):
    problems, stops = build_problems(make_content(tmp_path / "content", files))
    one_problem(problems, message, where)
    assert stops, problems


# A few causes of each kind, through a real build: content, data, a warning made fatal.
BUILDS = [
    "unknown lang",
    "YAML syntax error",
    "missing translation (strict)",
    "raw script in the text",
]


@pytest.mark.parametrize("case", BUILDS)
def test_a_real_build_stops_with_one_clear_line_and_keeps_the_output(tmp_path, case):
    files, where, message = CASES[case]
    content = make_content(tmp_path / "content", files)
    output, before = previous_output(tmp_path / "output")
    result = pelican(content, output, strict=True)
    one_clear_line(result, message, where)
    assert tree(output) == before


def test_non_utf8_file_is_named(tmp_path):
    content = make_content(tmp_path / "content", PAIR)
    (content / "articles" / "latin1.es.md").write_bytes("Title: Año\n\nTexto\n".encode("latin-1"))
    problems, stops = build_problems(content)
    assert stops
    one_problem(problems, "is not UTF-8 text", "content/articles/latin1.es.md: is not UTF-8 text")


def test_there_are_at_least_25_kinds_of_broken_content():
    assert len(CASES) + 1 >= 25


def test_missing_translation_is_only_a_warning_outside_strict_mode(tmp_path):
    content = make_content(tmp_path / "content", {"articles/hola.es.md": ES})
    result = pelican(content, tmp_path / "output", strict=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'has no "en" translation' in result.stdout + result.stderr
    assert (tmp_path / "output" / "articulos" / "hola" / "index.html").exists()


def test_errors_stop_the_build_before_anything_is_written(tmp_path):
    files = {**PAIR, "articles/mal.es.md": ES.replace("Lang: es", "Lang: sp")}
    content = make_content(tmp_path / "content", files)
    result = pelican(content, tmp_path / "output", strict=False)
    assert result.returncode != 0
    assert "nothing was written" in result.stdout + result.stderr
    assert not (tmp_path / "output").exists()


def test_every_problem_is_reported_at_once(tmp_path):
    files = {
        **PAIR,
        "articles/a.es.md": ES.replace("Lang: es", "Lang: sp"),
        "articles/b.es.md": ES.replace("2026-11-20", "ayer"),
    }
    problems, _stops = build_problems(make_content(tmp_path / "content", files), strict=False)
    output = "\n".join(problems)
    assert "content/articles/a.es.md:3:" in output and "content/articles/b.es.md:2:" in output
