"""Data files (content/data/*.yml): one loader, one dialect, shape first; every problem is one
line `file:line: message`, never a traceback; aliases refused before they are expanded."""

import os
import shutil
import time
from datetime import date

import pytest
import yaml
from conftest import CONTENT, ROOT, article, make_content, one_clear_line, pelican
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings

from alerta import data
from plugins.checks.checks import Report
from plugins.events.trainings import check_trainings
from plugins.legislation.legislation import check_dataset
from plugins.safety.safety import check_safety
from plugins.shelters.shelters import check_shelters

REAL = {path.name: path.read_text(encoding="utf-8") for path in (CONTENT / "data").glob("*.yml")}
# Each data file and the check that reads it.
CHECKS = {
    "hotlines.yml": check_safety,
    "alerts.yml": check_safety,
    "trainings.yml": check_trainings,
    "shelters.yml": check_shelters,
    "legislation.yml": check_dataset,
    "mx_tilegrid.yml": check_dataset,
}
# A 1 KB "billion laughs": 9^9 strings once expanded (75 s and 7.8 GB before it was refused).
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


@pytest.fixture(scope="module")
def site_settings():
    return read_settings(str(ROOT / "pelicanconf.py"))


def check(folder, name, text, site_settings):
    """Run the real check of `name` with `text` in place of the bundled file; its problems."""
    content = folder / "content"
    if not content.exists():
        shutil.copytree(CONTENT / "data", content / "data")
    path = content / "data" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    report = Report()
    CHECKS[name]({**site_settings, "PATH": str(content)}, report)
    path.write_text(REAL[name], encoding="utf-8")  # the next call starts from the real files
    return [str(problem) for problem in report.problems]


def edit(name, old, new, count=1):
    text = REAL[name]
    assert old in text, old
    return text.replace(old, new, count)


def line_of(text, snippet, nth=1):
    start = -1
    for _ in range(nth):
        start = text.index(snippet, start + 1)
    return text[:start].count("\n") + 1


HOTLINE_SOURCE = "      - https://humantraffickinghotline.org/about-us/what-we-do\n"
TRAINING_URL = "source_url: https://www.msiworldwide.com/"
JAL = "  - code: JAL\n    name: Jalisco\n"

# name -> (file, its text, snippet on the line reported (nth occurrence), message)
CASES = {
    "hotlines.yml as a list": ("hotlines.yml", "- trata\n- emergencias\n", ("- trata", 1),
                               '"hotlines:" must be a list with at least one line'),
    "hotlines.yml as a scalar": ("hotlines.yml", "800 5533 000\n", ("800", 1),
                                 '"hotlines:" must be a list with at least one line'),
    "alerts.yml as a list": ("alerts.yml", "- aviso\n", ("- aviso", 1),
                             'must be a mapping with "alerts:"'),
    "alerts.yml as a scalar": ("alerts.yml", "aviso\n", ("aviso", 1),
                               'must be a mapping with "alerts:"'),
    "alerts as a number": ("alerts.yml", "alerts: 5\n", ("alerts", 1), "must be a list"),
    "a WhatsApp given as a string": (
        "hotlines.yml",
        edit("hotlines.yml", '    whatsapp:\n      number: "800 5533 000"\n      wa: "52800'
             '5533000"', '    whatsapp: "528005533000"'),
        ("whatsapp:", 1),
        "hotline trata: whatsapp must be a mapping",
    ),
    "a hotline error carries its line": (
        "hotlines.yml",
        edit("hotlines.yml", "      en: Emergencies\n", ""),
        ("    name:", 2),
        "hotline emergencias: name needs text in en",
    ),
    "two primary hotlines": (
        "hotlines.yml",
        edit("hotlines.yml", "  - id: emergencias\n", "  - id: emergencias\n    primary: true\n"),
        ("primary: true", 2),
        "hotline emergencias: primary: true is already given to hotline trata",
    ),
    "a hotline id given twice": (
        "hotlines.yml",
        edit("hotlines.yml", "  - id: denuncia-anonima\n", "  - id: emergencias\n"),
        ("- id: emergencias", 2),
        "hotline emergencias: id is given twice (first on line",
    ),
    "a javascript: hotline source": (
        "hotlines.yml",
        edit("hotlines.yml", HOTLINE_SOURCE, "      - javascript:alert(1)\n"),
        ("javascript:", 1),
        'hotline us-nhth: source "javascript:alert(1)" is not an https:// link',
    ),
    "an alert level as a list": (
        "alerts.yml",
        "alerts:\n  - id: x\n    level: [warning]\n    expires: 2099-01-01\n",
        ("level:", 1),
        "alert x: level must be text, not a list",
    ),
    "a trainings total as a number": (
        "trainings.yml",
        edit("trainings.yml", "    totals:\n", "    totals: 14000\n    verify:\n"),
        ("totals:", 1),
        "record proteja: totals must be a list, not the number 14000",
    ),
    "a javascript: source_url": (
        "trainings.yml",
        edit("trainings.yml", TRAINING_URL, "source_url: javascript:alert(1)//"),
        ("source_url:", 1),
        'record proteja: source_url "javascript:alert(1)//',
    ),
    "a data: source_url": (
        "trainings.yml",
        edit("trainings.yml", TRAINING_URL, "source_url: data:text/html,x//"),
        ("source_url:", 1),
        "is not an https:// link",
    ),
    "an http: source_url (no http source for trainings)": (
        "trainings.yml",
        edit("trainings.yml", TRAINING_URL, "source_url: http://www.msiworldwide.com/"),
        ("source_url:", 1),
        "is not an https:// link",
    ),
    "a training value as text": (
        "trainings.yml",
        edit("trainings.yml", "value: 14000", "value: '14,000'"),
        ("value: '14,000'", 1),
        "record proteja, total trained: value must be a whole number",
    ),
    "nested shelter services": (
        "shelters.yml",
        edit("shelters.yml", "services: [shelter, psychological, legal, children]",
             "services: [[shelter, psychological], legal]"),
        ("services: [[", 1),
        'shelter "fundacion-camino-a-casa", services[1]: must be text, not a list',
    ),
    "a shelter field name that is a number": (
        "shelters.yml",
        edit("shelters.yml", "  - id: ceav\n", "  - id: ceav\n    2026: x\n"),
        ("    2026: x", 1),
        'shelter "ceav": the number 2026 is not a field name',
    ),
    "an alias bomb in shelters.yml": (
        "shelters.yml",
        REAL["shelters.yml"] + BOMB.replace("a: &a", "bomb: &a"),
        ("bomb: &a", 1),
        data.ALIASES_REFUSED,
    ),
    "a legislation history as a number": (
        "legislation.yml",
        edit("legislation.yml", JAL, JAL + "    history: 2012\n"),
        ("    history: 2012", 1),
        "state JAL: history must be a list, not the number 2012",
    ),
    "a legislation name that slugifies to nothing": (
        "legislation.yml",
        edit("legislation.yml", JAL, "  - code: JAL\n    name: '¡¿!?'\n"),
        ("name: '¡¿!?'", 1),
        'state JAL: name "¡¿!?" gives an empty page address',
    ),
    "a javascript: law source": (
        "legislation.yml",
        edit("legislation.yml", "      source: unknown\n", "      source: javascript://x.mx/%0a\n"),
        ("source: javascript", 1),
        'source "javascript://x.mx/%0a" is not a URL',
    ),
    "a criterion answer written 'on'": (
        "legislation.yml",
        edit("legislation.yml", "      victims_fund: unknown\n", "      victims_fund: on\n"),
        ("victims_fund: on", 1),
        'criteria.victims_fund status "on" is not one of',
    ),
    "mx_tilegrid.yml as a list": ("mx_tilegrid.yml", "- AGU\n", ("- AGU", 1),
                                  '"tiles:" must map each state code'),
    "a key given twice": (
        "hotlines.yml",
        edit("hotlines.yml", '    number: "911"\n', '    number: "911"\n    number: "066"\n'),
        ('number: "066"', 1),
        '"number" is given twice here (first on line',
    ),
    "a YAML syntax error": ("alerts.yml", "alerts:\n  - id: [roto\n  - id: x\n", ("- id: x", 1),
                            "YAML syntax error"),
    "nesting hundreds deep": ("alerts.yml", "alerts: " + "[" * 300 + "]" * 300 + "\n",
                              ("alerts", 1), "is nested more than"),
    "a control character": ("alerts.yml", "alerts: []\nnote: \x07\n", ("note", 1),
                            "character #x0007 is not allowed"),
    "a Python tag": ("alerts.yml", "alerts: !!python/object/apply:os.system [ls]\n",
                     ("alerts", 1), "YAML syntax error: could not determine a constructor"),
    "not UTF-8": ("hotlines.yml", "hotlines: []\n# Línea\n".encode("latin-1"), ("# L", 1),
                  "is not UTF-8 text"),
}  # fmt: skip


@pytest.mark.parametrize("name, text, where, message", CASES.values(), ids=CASES.keys())
def test_a_data_file_of_the_wrong_shape_is_one_line(tmp_path, site_settings, name, text, where,
                                                    message):  # fmt: skip
    problems = check(tmp_path, name, text, site_settings)  # no exception escapes
    raw = text.decode("latin-1") if isinstance(text, bytes) else text
    line = line_of(raw, *where)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/data/{name}:{line}: "), problems
    assert message in problems[0], problems


def test_the_alias_bomb_is_refused_in_well_under_a_second(tmp_path, site_settings):
    text = REAL["shelters.yml"] + BOMB.replace("a: &a", "bomb: &a")
    start = time.perf_counter()
    problems = check(tmp_path, "shelters.yml", text, site_settings)
    assert time.perf_counter() - start < 0.5
    assert problems == [
        f"content/data/shelters.yml:{line_of(text, 'bomb: &a')}: {data.ALIASES_REFUSED}"
    ]


def test_an_anchor_alone_is_refused_too(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("a: 1\nb: &keep {c: 1}\n", encoding="utf-8")
    report = Report()
    assert data.load_data(path, "x.yml", report) is None
    assert [str(p) for p in report.problems] == [f"x.yml:2: {data.ALIASES_REFUSED}"]


def test_the_real_files_pass_and_a_byte_order_mark_is_fine(tmp_path, site_settings):
    for name in CHECKS:
        assert check(tmp_path, name, REAL[name], site_settings) == [], name
        assert check(tmp_path, name, "\ufeff" + REAL[name], site_settings) == [], name


def test_one_dialect_and_the_line_of_every_value(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("a: yes\nb:\n  - no\n  - {c: 2026-12-01, d: 2012-13-01}\n", "utf-8")
    loaded = data.load_data(path, "x.yml", Report())
    assert loaded.value == {"a": True, "b": [False, {"c": date(2026, 12, 1), "d": "2012-13-01"}]}
    assert loaded.lines[("b", 1, "d")] == 4 and loaded.lines[("b", 0)] == 3
    assert loaded.scalars[("a",)] == "yes"
    assert loaded.line(("b", 1, "e", 7)) == 4  # the nearest ancestor the file has


def test_a_file_over_the_size_limit_is_one_line(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("a: [" + "1, " * (data.MAX_BYTES // 3) + "1]\n", encoding="utf-8")
    report = Report()
    assert data.load_data(path, "x.yml", report) is None
    (problem,) = report.problems
    assert str(problem) == "x.yml: is larger than 2 MB; a data file must be smaller"


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://www.gob.mx/x", None),
        ("http://www.gob.mx/x", "is not an https:// link"),
        ("javascript:alert(1)", "is not an https:// link"),
        ("JavaScript://www.gob.mx/%0aalert(1)", "is not an https:// link"),
        ("vbscript:msgbox", "is not an https:// link"),
        ("data:text/html,<script>", "is not an https:// link"),
        ("//www.gob.mx/x", "is not an https:// link"),
        ("https://", "has no site name"),
        ("https://www.gob.mx/a b", "has a space"),
        ("https://www.gob.mx/\x00", "control character"),
        (["https://www.gob.mx"], "must be a link, not a list"),
    ],
)
def test_url_rule(url, problem):
    found = data.url_problem(url)
    assert found is None if problem is None else problem in found


# ---------------------------------------------------------------- a real build


def tree(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_with_bad_data_files_stops_with_one_line_each(tmp_path):
    files = {
        "articles/a.es.md": article("Hola", "es", "a", "hola"),
        "articles/a.en.md": article("Hello", "en", "a", "hello"),
    }
    content = make_content(tmp_path / "content", files)
    (content / "data" / "hotlines.yml").write_text("- trata\n- emergencias\n", encoding="utf-8")
    shelters = REAL["shelters.yml"] + BOMB.replace("a: &a", "bomb: &a")
    (content / "data" / "shelters.yml").write_text(shelters, encoding="utf-8")
    trainings = edit("trainings.yml", "    totals:\n", "    totals: 14000\n    verify:\n")
    (content / "data" / "trainings.yml").write_text(trainings, encoding="utf-8")
    previous = tmp_path / "output"
    (previous / "en").mkdir(parents=True)
    (previous / "index.html").write_text("<p>the last good site</p>")
    (previous / "en" / "index.html").write_text("<p>its English home</p>")
    before = tree(previous)
    start = time.perf_counter()
    result = pelican(content, previous)
    assert time.perf_counter() - start < 120  # the bomb alone took 75 s before
    one_clear_line(result, '"hotlines:" must be a list', "content/data/hotlines.yml:1: ")
    bomb_line = line_of(shelters, "bomb: &a")
    one_clear_line(result, "anchors and aliases", f"content/data/shelters.yml:{bomb_line}: ")
    one_clear_line(
        result, "record proteja: totals must be a list", "content/data/trainings.yml:35: "
    )
    assert tree(previous) == before


# ---------------------------------------------------------------- random documents


def keys_of(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(str(key))
            keys_of(item, found)
    elif isinstance(value, list):
        for item in value:
            keys_of(item, found)
    return found


PAIRS = {"mx_tilegrid.yml": ("mx_tilegrid.yml", "legislation.yml")}
KEYS = {name: sorted(keys_of(yaml.safe_load(text), set())) for name, text in REAL.items()}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.dates(),
    st.sampled_from(["yes", "no", "unknown", "es", "en", "09", "shelter", "https://x.mx/a",
                     "javascript:alert(1)", "", "2026-02-30", "+528005533000", "¡!", "a\nb"]),
    st.text(max_size=12),
)  # fmt: skip


def nested(keys):
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(
                st.one_of(st.sampled_from(keys), st.text(max_size=6), st.integers(0, 9)),
                children,
                max_size=5,
            ),
        ),
        max_leaves=25,
    )


def mutated(name):
    """The real file with one value somewhere in it replaced by a random one."""

    @st.composite
    def strategy(draw):
        document = yaml.safe_load(REAL[name])
        parent, key = None, None
        node = document
        while isinstance(node, dict | list) and node and draw(st.integers(0, 4)) > 0:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = node[key]
        replacement = draw(nested(KEYS[name]))
        if parent is None:
            return replacement
        parent[key] = replacement
        return document

    return strategy()


def random_document(name):
    top = st.dictionaries(st.sampled_from(KEYS[name]), nested(KEYS[name]), max_size=4)
    return st.one_of(top, nested(KEYS[name]), mutated(name))


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_random_documents_never_raise_and_every_problem_is_one_line(tmp_path, site_settings,
                                                                     name):  # fmt: skip
    @settings(
        max_examples=int(os.environ.get("DATA_FUZZ_EXAMPLES", 60)),  # more to hunt for bugs
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(document=random_document(name))
    def run(document):
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        for problem in check(tmp_path, name, text, site_settings):
            # A broken tile grid also makes legislation.yml's codes unknown: both are named.
            files = PAIRS.get(name, (name,))
            assert problem.startswith(tuple(f"content/data/{f}" for f in files)), problem
            assert "\n" not in problem and "Traceback" not in problem, problem

    run()
