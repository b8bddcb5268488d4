"""Legislative comparison: 33 rows per language, scores from the data, map, downloads, errors;
the laws known from sources lead, what is not assessed is said once, editors' notes only in the
preview."""

import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
import yaml
from conftest import (
    CONTENT,
    ROOT,
    build_problems,
    make_content,
    one_clear_line,
    one_problem,
    pelican,
)
from pelican.settings import read_settings

from alerta import build
from alerta.data import load_data
from alerta.options import SettingsProblem
from alerta.report import Report
from plugins.legislation import legislation as leg
from plugins.legislation import pages

DATA = (CONTENT / "data" / "legislation.yml").read_text(encoding="utf-8")
LAYOUT = yaml.safe_load((CONTENT / "data" / "mx_tilegrid.yml").read_text(encoding="utf-8"))
PAGES = {"es": "legislacion/index.html", "en": "en/legislation/index.html"}
POINTS = {"yes": 2, "partial": 1, "no": 0}


class Tree(HTMLParser):
    """Just enough of a page: table rows (data-code), their cells, and the SVG tiles."""

    def __init__(self, text):
        super().__init__()
        self.rows, self.tiles, self.stack = {}, [], []
        self._row = self._cell = self._tile = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-code" in attrs:
            self._row = self.rows.setdefault(attrs["data-code"], {"cells": [], "attrs": []})
        elif tag in ("td", "th") and self._row is not None:
            self._cell = [tag, attrs, ""]
            self._row["cells"].append(self._cell)
        elif tag == "a" and "app-tile" in attrs.get("class", ""):
            self._tile = {"attrs": attrs, "title": "", "texts": [], "in": None}
            self.tiles.append(self._tile)
        elif self._tile is not None and tag in ("title", "text"):
            self._tile["in"] = tag
            if tag == "text":
                self._tile["texts"].append("")

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "a" and self._tile is not None:
            self._tile = None
        elif tag in ("title", "text") and self._tile is not None:
            self._tile["in"] = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        if self._tile is not None and self._tile["in"] == "title":
            self._tile["title"] += data
        elif self._tile is not None and self._tile["in"] == "text":
            self._tile["texts"][-1] += data


def page(output, lang):
    return Tree((output / PAGES[lang]).read_text(encoding="utf-8"))


def expected_scores():
    """Scores recomputed here from the YAML read as plain text (independent of the plugin)."""
    data = yaml.load(DATA, Loader=yaml.BaseLoader)
    result = {}
    for entity in data["entities"]:
        answers = [a if isinstance(a, str) else a["status"] for a in entity["criteria"].values()]
        known = [a for a in answers if a != "unknown"]
        points = sum(POINTS[a] for a in known)
        result[entity["code"]] = round(100 * points / (2 * len(known))) if known else None
    return result


# ---------------------------------------------------------------- the bundled site


@pytest.mark.parametrize("lang", ["es", "en"])
def test_table_has_32_states_and_the_federal_row(built_site, lang):
    rows = page(built_site, lang).rows
    assert len(rows) == 33
    assert set(rows) == set(LAYOUT["tiles"]) | {"FED"}
    for code, row in rows.items():
        heading = row["cells"][0]
        assert heading[0] == "th" and heading[1].get("scope") == "row", code
        # No criterion is assessed yet: score, coverage, tier and the seven criteria are one
        # cell that says so, not ten cells of "unknown".
        assert len(row["cells"]) == 3, code
        assert row["cells"][2][1].get("colspan") == "10", code


@pytest.mark.parametrize(
    "lang, line, words",
    [
        ("es", "Criterios aún no evaluados", ["Se desconoce", "desconoc", "pendiente"]),
        ("en", "Criteria not yet assessed", ["Unknown", "unknown", "pending"]),
    ],
)
def test_each_row_says_once_what_is_not_assessed(built_site, lang, line, words):
    for code, row in page(built_site, lang).rows.items():
        text = " ".join(cell[2] for cell in row["cells"])
        assert text.count(line) == 1, code
        assert not any(word in text for word in words), (code, text)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_table_headings_have_scope_and_a_caption(built_site, lang):
    html = (built_site / PAGES[lang]).read_text(encoding="utf-8")
    assert "<caption" in html
    heads = re.findall(r"<thead>(.*?)</thead>", html, re.S)[0]
    assert heads.count('<th scope="col"') == 12


@pytest.mark.parametrize("lang", ["es", "en"])
def test_scores_are_recomputed_from_the_data(built_site, lang):
    rows = page(built_site, lang).rows
    for code, score in expected_scores().items():
        shown = [c for c in rows[code]["cells"] if "data-score" in c[1]][0][1]["data-score"]
        assert shown == ("" if score is None else str(score)), code


@pytest.mark.parametrize(
    "lang, none, unconfirmed, date",
    [
        ("es", "No se encontró una ley específica", "Sin confirmar todavía", "19 de julio de 2013"),
        ("en", "No standalone law found", "Not yet confirmed", "July 19, 2013"),
    ],
)
def test_law_column_leads_with_what_is_known(built_site, lang, none, unconfirmed, date):
    rows = page(built_site, lang).rows
    law = {code: row["cells"][1][2] for code, row in rows.items()}
    assert "Ley para Prevenir, Erradicar los Delitos en Materia de Trata" in law["BCN"]
    assert date in law["BCN"]
    assert "✗" in law["AGU"] and none in law["AGU"]  # a symbol and words, not colour
    assert "?" in law["OAX"] and unconfirmed in law["OAX"]
    assert "Ley General para Prevenir, Sancionar y Erradicar" in law["FED"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_map_has_32_labelled_linked_tiles(built_site, lang):
    tiles = page(built_site, lang).tiles
    assert len(tiles) == 32
    codes = set()
    for tile in tiles:
        code = tile["attrs"]["data-code"]
        codes.add(code)
        href = tile["attrs"]["href"]
        assert (built_site / href.strip("/") / "index.html").exists(), href
        assert tile["texts"][0] == code  # a visible text label
        assert tile["title"].strip() and tile["attrs"]["aria-label"] == tile["title"]
        assert "app-tile--insufficient" in tile["attrs"]["class"]  # nothing assessed yet
        assert tile["title"].endswith(
            {
                "es": "Sin nivel: criterios aún no evaluados",
                "en": "No tier: criteria not yet assessed",
            }[lang]
        )
    assert codes == set(LAYOUT["tiles"])


def test_map_legend_names_insufficient_data(built_site):
    html = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    assert "No tier yet (fewer than 5 of 7 criteria assessed): 32 states" in html


def test_reform_list_says_honestly_that_it_cannot_rank_unknowns(built_site):
    en = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    es = (built_site / PAGES["es"]).read_text(encoding="utf-8")
    assert "We cannot say yet which states most need reform." in en
    assert "Todavía no podemos decir qué estados necesitan más reformas." in es
    # The two states where the facts found no standalone law are named, with their pages.
    found = re.search(
        r"no standalone anti-trafficking law was found:</p>\s*<ul>(.*?)</ul>", en, re.S
    )
    assert re.findall(r">([^<]+)</a>", found.group(1)) == ["Aguascalientes", "Morelos"]


@pytest.mark.parametrize(
    "path, name, date, source",
    [
        (
            "en/legislation/baja-california/index.html",
            "Ley para Prevenir, Erradicar los Delitos en Materia de Trata de Personas",
            "July 19, 2013",
            "legislacion.scjn.gob.mx",
        ),
        (
            "legislacion/sonora/index.html",
            "Ley de Prevención y Combate de la Trata de Personas para el Estado de Sonora",
            "febrero de 2011",  # only the month of the congress's approval is known
            "www.michellerivera.com.mx",
        ),
        (
            "en/legislation/tlaxcala/index.html",
            "Ley para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata",
            "July 2017",
            "elsoldetlaxcala.com.mx",
        ),
    ],
)
def test_state_page_shows_the_law_its_date_and_source(built_site, path, name, date, source):
    html = (built_site / path).read_text(encoding="utf-8")
    assert name in html and date in html
    assert f'rel="noreferrer">{source}</a>' in html
    assert "December 1, 2026" in html or "1 de diciembre de 2026" in html  # when it was read
    assert html.count("data-criterion=") == 0
    assert html.count("Criteria not yet assessed") + html.count("Criterios aún no evaluados") == 1
    assert "data-pagefind-body" in html


def test_a_state_replaced_law_is_in_its_history(built_site):
    html = (built_site / "en/legislation/san-luis-potosi/index.html").read_text("utf-8")
    earlier = html[html.index("Earlier laws") :]
    assert "Ley para Prevenir, Atender y Erradicar la Trata de Personas en el Estado" in earlier
    assert "Replaced" in earlier and "January 2011" in earlier
    assert "August 30, 2018" in html[: html.index("Earlier laws")]


@pytest.mark.parametrize("slug", ["baja-california-sur", "jalisco", "nayarit", "oaxaca"])
def test_a_state_with_nothing_confirmed_is_kept_out_of_search(built_site, slug):
    for path in (f"legislacion/{slug}/index.html", f"en/legislation/{slug}/index.html"):
        html = (built_site / path).read_text(encoding="utf-8")
        assert 'data-pagefind-ignore="all"' in html and "data-pagefind-body" not in html
        assert 'rel="noreferrer"' not in html.split("<main", 1)[1].split("</main>")[0]


def test_every_entity_has_a_page_per_language(built_site):
    for base in ("legislacion", "en/legislation"):
        pages = {p.parent.name for p in (built_site / base).glob("*/index.html")}
        assert len(pages - {"metodologia", "historia-proteja", "methodology", "proteja-era"}) == 33


def test_federal_history_is_factual(built_site):
    en = (built_site / "en/legislation/federal/index.html").read_text(encoding="utf-8")
    assert "Ley para Prevenir y Sancionar la Trata de Personas" in en
    assert "November 27, 2007" in en and "June 14, 2012" in en
    es = (built_site / "legislacion/federal/index.html").read_text(encoding="utf-8")
    assert "27 de noviembre de 2007" in es and "14 de junio de 2012" in es
    assert "Abrogada" in es and "Vigente" in es
    assert "14 de noviembre de 2025" in es  # the last reform in the text that was read
    # The criteria are not settled by any source yet: none is shown as answered.
    assert "data-criterion=" not in es and "Criterios aún no evaluados" in es


@pytest.mark.parametrize(
    "path, words",
    [
        ("legislacion/historia-proteja/index.html", ["Vista histórica", "ayudó en", "siete"]),
        ("en/legislation/proteja-era/index.html", ["Historical view", "helped in", "seven"]),
    ],
)
def test_proteja_era_view_is_labelled_and_names_no_state(built_site, path, words):
    html = (built_site / path).read_text(encoding="utf-8")
    for word in words:
        assert word in html
    assert "27 Nov 2007" in html or "2007" in html
    assert 'href="https://www.msiworldwide.com/project/fighting-human-trafficking' in html
    # MSI's page gives a count, not the states: the page names none of them.
    main = html.split("<main", 1)[1]
    names = yaml.load(DATA, Loader=yaml.BaseLoader)["entities"]
    for entity in names[1:]:
        for name in (
            [entity["name"]] if isinstance(entity["name"], str) else entity["name"].values()
        ):
            assert name not in main, name


@pytest.mark.parametrize(
    "path, words",
    [
        ("legislacion/metodologia/index.html", ["sí 2, parcial 1, no 0", "al menos 5 de los 7"]),
        (
            "en/legislation/methodology/index.html",
            ["yes 2, partial 1, no 0", "at least 5 of the 7"],
        ),
    ],
)
def test_methodology_states_the_method(built_site, path, words):
    html = (built_site / path).read_text(encoding="utf-8")
    for word in words:
        assert word in html


def test_csv_and_json_round_trip_to_the_same_records(built_site):
    document = json.loads((built_site / "legislacion/legislacion.json").read_text("utf-8"))
    text = (built_site / "legislacion/legislacion.csv").read_text("utf-8")
    keys = [c["key"] for c in document["criteria"]]
    assert leg.from_csv(text, keys, document["languages"]) == document["records"]
    assert len(document["records"]) == 33
    scores = expected_scores()
    assert {r["code"]: r["score"] for r in document["records"]} == scores


def test_nav_links_to_the_comparison_and_sitemap_lists_it(built_site):
    assert 'href="/legislacion/"' in (built_site / "index.html").read_text("utf-8")
    assert 'href="/en/legislation/"' in (built_site / "en/index.html").read_text("utf-8")
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    assert "/legislacion/jalisco/" in sitemap and "/en/legislation/jalisco/" in sitemap


# ---------------------------------------------------------------- scores, tiers, ranking


OPTIONS = leg.DEFAULTS


@pytest.mark.parametrize(
    "answers, score, known, tier",
    [
        (["yes"] * 7, 100, 7, "1"),
        (["yes", "partial", "no", "no", "no", "no", "no"], 21, 7, "4"),
        (["yes", "yes", "partial", "partial", "no", "unknown", "unknown"], 60, 5, "2"),
        (["yes"] * 4 + ["unknown"] * 3, 100, 4, "insufficient"),
        (["unknown"] * 7, None, 0, "insufficient"),
        (["partial"] * 7, 50, 7, "2"),
        (["no", "partial"] + ["no"] * 5, 7, 7, "4"),
    ],
)
def test_score_and_tier(answers, score, known, tier):
    criteria = {f"c{i}": {"status": s} for i, s in enumerate(answers)}
    percent, _points, counted, total = leg.score(criteria, OPTIONS)
    assert (percent, counted, total) == (score, known, 7)
    assert leg.tier(percent, counted, total, OPTIONS) == tier


def block(text, code):
    start = text.index(f"  - code: {code}\n")
    end = text.find("\n  - code: ", start + 1)
    end = len(text) if end == -1 else end + 1
    return start, end


def edit(code, old, new, text=DATA):
    start, end = block(text, code)
    part = text[start:end]
    assert old in part, (code, old)
    return text[:start] + part.replace(old, new, 1) + text[end:]


def test_tiers_map_and_reform_list_follow_the_data(tmp_path):
    text = set_answers(DATA, "AGU", ["yes"] * 7)
    text = set_answers(text, "CHP", ["no", "no", "partial", "no", "no", "no", "unknown"])
    text = set_answers(text, "OAX", ["yes", "no", "partial", "yes", "no", "no", "no"])
    text = edit("CMX", "      status: unknown\n", "      status: none\n", text)
    content = make_content(tmp_path / "content", {"data/legislation.yml": text})
    result = pelican(content, tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    tree = page(tmp_path / "output", "en")
    tiers = {
        code: [c for c in row["cells"] if "data-tier" in c[1]][0][1]["data-tier"]
        for code, row in tree.rows.items()
    }
    assert tiers["AGU"] == "1" and tiers["CHP"] == "4" and tiers["OAX"] == "3"
    tiles = {t["attrs"]["data-code"]: t for t in tree.tiles}
    assert "app-tile--1" in tiles["AGU"]["attrs"]["class"]
    assert tiles["CHP"]["texts"][1] == "4"
    # An assessed row has a cell per criterion: a symbol and a word, not only a colour.
    cells = tree.rows["AGU"]["cells"]
    assert len(cells) == 2 + 3 + 7
    assert all("✓" in cell[2] and "Yes" in cell[2] for cell in cells[5:])
    assert (
        "–" in tree.rows["CHP"]["cells"][-1][2]
        and "Not assessed" in tree.rows["CHP"]["cells"][-1][2]
    )
    html = (tmp_path / "output" / PAGES["en"]).read_text("utf-8")
    reform = re.search(r'<ol class="app-leg__reform">(.*?)</ol>', html, re.S).group(1)
    assert reform.index("Chiapas") < reform.index("Oaxaca")
    assert "Aguascalientes" not in reform
    assert "States where no standalone anti-trafficking law was found" in html
    assert "29 states are not ranked because too few of their criteria have been assessed" in html
    # A state page lists the assessed criteria, then the others in one line.
    chiapas = (tmp_path / "output/en/legislation/chiapas/index.html").read_text("utf-8")
    assert chiapas.count("data-criterion=") == 6
    assert "Not yet assessed: Training." in chiapas


def leg_keys():
    return [c["key"] for c in yaml.load(DATA, Loader=yaml.BaseLoader)["criteria"]]


def set_answers(text, code, values):
    for key, value in zip(leg_keys(), values, strict=True):
        text = edit(code, f"      {key}: unknown\n", f"      {key}: {value}\n", text)
    return text


# ---------------------------------------------------------------- bad input


BAD = {
    "criterion key not defined": (
        edit("AGU", "      training: unknown\n", "      training: unknown\n      torture: no\n"),
        "      torture: no",
        "state AGU: criteria.torture is not a defined criterion",
    ),
    "criterion status outside the list": (
        edit("JAL", "      victims_fund: unknown\n", "      victims_fund: maybe\n"),
        "      victims_fund: maybe",
        'state JAL: criteria.victims_fund status "maybe" is not one of: yes, partial, no, unknown',
    ),
    "criterion status in a mapping": (
        edit("JAL", "      training: unknown\n", "      training: {status: sí}\n"),
        "      training: {status",
        'state JAL: criteria.training status "sí" is not one of',
    ),
    "law status outside the list": (
        edit("SON", "      status: unknown\n", "      status: vigente\n"),
        "      status: vigente",
        'state SON: law.status "vigente" is not one of: in_force, repealed, replaced, none, '
        "unknown",
    ),
    "state missing": (
        DATA[: block(DATA, "CHP")[0]] + DATA[block(DATA, "CHP")[1] :],
        "entities:\n  - code",
        "state CHP: record is missing",
    ),
    "state duplicated": (
        DATA[: block(DATA, "JAL")[1]]
        + DATA[slice(*block(DATA, "JAL"))]
        + DATA[block(DATA, "JAL")[1] :],
        None,
        "state JAL: code is given twice (first on line",
    ),
    "unknown state code": (
        edit("AGU", "  - code: AGU\n", "  - code: AGS\n"),
        "  - code: AGS",
        'state AGS: code "AGS" is not one of the 32 state codes',
    ),
    "publication date that does not parse": (
        edit("BCS", "      published: unknown\n", "      published: 2012-13-01\n"),
        "      published: 2012-13-01",
        'state BCS: law.published "2012-13-01" is not a date (use YYYY-MM-DD, or YYYY-MM or YYYY',
    ),
    "month that does not exist": (
        edit("SON", "      approved: 2011-02\n", "      approved: 2011-13\n"),
        "      approved: 2011-13",
        'state SON: law.approved "2011-13" is not a date',
    ),
    "as_of that does not parse": (
        edit("OAX", "    as_of: 2026-12-01\n", "    as_of: 29/11/2026\n"),
        "    as_of: 29/11/2026",
        'state OAX: as_of "29/11/2026" is not a date',
    ),
    "federal history date that does not parse": (
        DATA.replace("        published: 2007-11-27\n", "        published: noviembre 2007\n"),
        "        published: noviembre",
        'federal FED: history.published "noviembre 2007" is not a date',
    ),
    "source that is not a URL": (
        edit("BCS", "      source: unknown\n", "      source: congresopuebla.gob.mx\n"),
        "      source: congresopuebla",
        'state BCS: law.source "congresopuebla.gob.mx" is not a URL',
    ),
    "a law named without its source": (
        edit("BCS", "      name: unknown\n", "      name: Ley de Trata de Baja California Sur\n"),
        None,
        "state BCS: law.source is missing",
    ),
    "a date without the day it was checked": (
        edit("SON", "      verified_on: 2026-12-01\n", ""),
        None,
        "state SON: law.verified_on is missing",
    ),
    "proteja naming states": (
        DATA.replace("  states_count: 7\n", "  states_count: 7\n  states: [CHP]\n"),
        "  states: [CHP]",
        "proteja: states is not a known field",
    ),
    "criterion missing for a state": (
        edit("TAB", "      commission: unknown\n", ""),
        "  - code: TAB",
        "state TAB: criteria.commission is missing (write commission: unknown)",
    ),
    "criterion without translation": (
        DATA.replace("      en: Training\n", ""),
        "    name:\n      es: Capacitación",
        "criterion training: name needs text in es and en",
    ),
}


def line_of(text, snippet):
    if snippet is None:
        return None
    return text[: text.index(snippet)].count("\n") + 1


def where_reported(text, snippet, message):
    """`content/data/legislation.yml:LINE:`, the start of the line that reports `message`."""
    where = "content/data/legislation.yml:"
    line = line_of(text, snippet)
    if "missing (write" in message:
        line = text.index("\n    criteria:", text.index("  - code: TAB")) + 1
        line = text[:line].count("\n") + 1
    if line is None and message.startswith("state "):  # reported at the record's law:
        code = message.split()[1].rstrip(":")
        line = text.index("\n    law:", text.index(f"  - code: {code}\n")) + 1
        line = text[:line].count("\n") + 1
    if "given twice" in message:
        second = text.index("  - code: JAL", text.index("  - code: JAL") + 1)
        line = text[:second].count("\n") + 1
    return where + (f"{line}:" if line else "")


@pytest.mark.parametrize("text, snippet, message", BAD.values(), ids=BAD.keys())
def test_bad_legislation_data_is_one_clear_line(tmp_path, text, snippet, message):
    """In-process, through the checks a build runs before it reads anything."""
    content = make_content(tmp_path / "content", {"data/legislation.yml": text})
    problems, stops = build_problems(content)
    assert stops
    one_problem(problems, message, where_reported(text, snippet, message))


@pytest.mark.parametrize("case", ["criterion status outside the list", "state duplicated"])
def test_bad_legislation_data_stops_a_real_build(tmp_path, case):
    """A real build: exit status 1, the same one line, no traceback, nothing written."""
    text, snippet, message = BAD[case]
    content = make_content(tmp_path / "content", {"data/legislation.yml": text})
    result = pelican(content, tmp_path / "output", strict=True)
    reported = one_clear_line(result, message)
    assert reported.startswith(where_reported(text, snippet, message)), reported
    assert not (tmp_path / "output").exists()


def test_tilegrid_two_states_on_one_square(tmp_path):
    grid = (
        (CONTENT / "data" / "mx_tilegrid.yml")
        .read_text("utf-8")
        .replace("  COL: [1, 4]", "  COL: [1, 3]")
    )
    content = make_content(tmp_path / "content", {"data/mx_tilegrid.yml": grid})
    problems, stops = build_problems(content)
    assert stops
    one_problem(problems, "state COL: tile [1, 3] is already JAL", "content/data/mx_tilegrid.yml:")


def test_yes_and_no_answers_read_as_written(tmp_path):
    """One YAML dialect in every data file: `yes` is true; the answer is still read from the word
    written, so `on` is no answer, and a day that does not exist stays text for its check."""
    path = tmp_path / "x.yml"
    path.write_text("a: yes\nb: no\nc: on\nd: 2012-13-01\n", encoding="utf-8")
    report = Report()
    loaded = load_data(path, "x.yml", report)
    assert loaded.value == {"a": True, "b": False, "c": True, "d": "2012-13-01"}
    answers = [
        leg.check_answer(loaded.value[key], (key,), "state X", key, loaded, ["es", "en"])
        for key in "abc"
    ]
    assert [answer["status"] for answer in answers] == ["yes", "no", "unknown"]
    (problem,) = report.problems
    assert str(problem) == (
        'x.yml:3: state X: criteria.c status "on" is not one of: yes, partial, no, unknown'
    )


# The one rule of values.py: an answer is the word written, quoted or not, in any case; the
# YAML spellings of a boolean that are also answers (true/false) mean yes/no.
ANSWERS = {
    "yes": "yes",
    '"yes"': "yes",
    "Yes": "yes",
    "true": "yes",
    "'true'": "yes",
    "no": "no",
    "'no'": "no",
    "false": "no",
    "partial": "partial",
    '"partial"': "partial",
    "unknown": "unknown",
    "": "unknown",
}


@pytest.mark.parametrize("written, status", ANSWERS.items(), ids=repr)
def test_an_answer_is_the_word_written_quoted_or_not(tmp_path, written, status):
    path = tmp_path / "x.yml"
    path.write_text(f"a: {written}\nb: {{status: {written or 'null'}}}\n", encoding="utf-8")
    report = Report()
    loaded = load_data(path, "x.yml", report)
    for key in "ab":
        answer = leg.check_answer(loaded.value[key], (key,), "state X", key, loaded, ["es", "en"])
        assert answer["status"] == status, key
    assert report.problems == []


@pytest.mark.parametrize("written", ["on", "Off", '"on"', "y", "sí", "2"])
def test_other_words_are_no_answer(tmp_path, written):
    path = tmp_path / "x.yml"
    path.write_text(f"c: {written}\n", encoding="utf-8")
    report = Report()
    loaded = load_data(path, "x.yml", report)
    answer = leg.check_answer(loaded.value["c"], ("c",), "state X", "c", loaded, ["es", "en"])
    assert answer["status"] == "unknown"
    (problem,) = report.problems
    word = written.strip('"')
    assert str(problem) == f'x.yml:1: state X: criteria.c status "{word}" is not one of: ' + (
        "yes, partial, no, unknown"
    )


@pytest.mark.parametrize(
    "written, pending",
    [
        ("true", True),
        ("yes", True),
        ('"yes"', True),
        ("on", True),
        ("Check the date", True),
        ("false", False),
        ("no", False),
        ('"no"', False),
        ('""', False),
        ("null", False),
    ],
)
def test_an_editors_flag_is_read_as_the_publish_gate_reads_it(tmp_path, written, pending):
    from alerta.publish_gate import data_notes

    path = tmp_path / "x.yml"
    path.write_text(f"entries:\n  - name: X\n    verify: {written}\n", encoding="utf-8")
    loaded = load_data(path, "x.yml", Report())
    assert leg.is_flag(loaded.value["entries"][0]["verify"]) is pending
    assert bool(data_notes(path)) is pending


# ---------------------------------------------------------------- settings and URLs


@pytest.fixture(scope="module")
def site_settings():
    return read_settings(str(ROOT / "pelicanconf.py"))


@pytest.mark.parametrize(
    "given, message",
    [
        (
            {"min_coverge": 0.5},
            'LEGISLATION["min_coverge"] is not a setting of this site '
            '(did you mean "min_coverage"?)',
        ),
        ({"paths": {"es": {"methodolgy": "m"}}}, '(did you mean "methodology"?)'),
        ({"paths": {"defualt": {"history": "h"}}}, '(did you mean "default"?)'),
        ({"paths": {"en": {"base": "laws"}}}, 'BILINGUAL["paths"]["en"]["legislation"]'),
    ],
)
def test_an_unknown_setting_stops_with_did_you_mean(site_settings, given, message):
    with pytest.raises(SettingsProblem, match=re.escape(message)):
        leg.check_dataset({**site_settings, "LEGISLATION": given}, Report())


def test_a_language_of_the_site_may_name_its_pages(site_settings):
    settings = {**site_settings, "LEGISLATION": {"paths": {"en": {"history": "proteja"}}}}
    urls = leg.Urls(settings)
    assert urls("en", "history") == "en/legislation/proteja/"
    assert urls("en", "methodology") == "en/legislation/methodology/"
    assert urls("es", "history") == "legislacion/historia-proteja/"


def test_a_settings_typo_stops_the_real_build(tmp_path):
    content = make_content(tmp_path / "content", {})
    result = pelican(content, tmp_path / "output", overrides={"LEGISLATION": {"reform_belw": 40}})
    one_clear_line(result, 'LEGISLATION["reform_belw"] is not a setting of this site')
    assert 'did you mean "reform_below"?' in result.stdout + result.stderr
    assert not (tmp_path / "output").exists()


def test_the_bundled_urls_have_not_moved(site_settings):
    urls = leg.Urls(site_settings)
    assert [urls("es", kind) for kind in ("index", "methodology", "history")] == [
        "legislacion/",
        "legislacion/metodologia/",
        "legislacion/historia-proteja/",
    ]
    assert [urls("en", kind) for kind in ("index", "methodology", "history")] == [
        "en/legislation/",
        "en/legislation/methodology/",
        "en/legislation/proteja-era/",
    ]
    assert urls.alternates("record", "jalisco") == {
        "es": "legislacion/jalisco/",
        "en": "en/legislation/jalisco/",
    }


def test_the_section_folder_is_the_one_of_bilingual_paths(site_settings):
    paths = site_settings["BILINGUAL"]["paths"]
    bilingual = {
        "paths": {
            "es": {**paths["es"], "legislation": "leyes"},
            "default": {**paths["default"], "legislation": "laws"},
        }
    }
    urls = leg.Urls({**site_settings, "BILINGUAL": bilingual})
    assert urls.alternates() == {"es": "leyes/", "en": "en/laws/"}
    assert urls("es", "methodology") == "leyes/metodologia/"
    assert urls("en", "record", "jalisco") == "en/laws/jalisco/"


def test_a_section_without_a_folder_is_one_line(site_settings):
    paths = site_settings["BILINGUAL"]["paths"]
    bilingual = {
        "paths": {
            lang: {k: v for k, v in words.items() if k != "legislation"}
            for lang, words in paths.items()
        }
    }
    with pytest.raises(SettingsProblem, match="names no folder for the legislation section"):
        leg.check_dataset({**site_settings, "BILINGUAL": bilingual}, Report())


def test_the_dataset_stays_out_of_the_settings(site_settings):
    """The check reads the files once and hands the dataset to the build's facts, not to the
    settings; the generator takes it from there, without reading the files again."""
    settings = dict(site_settings)
    report = Report()
    facts = leg.check_dataset(settings, report)
    assert report.problems == []
    assert settings == site_settings and "LEGISLATION_DATA" not in settings
    dataset = facts["legislation"]
    assert len(dataset["records"]) == 33 and dataset["federal"]["code"] == "FED"

    context = {}
    build.of(context).facts.update(facts)
    generator = SimpleNamespace(context=context, settings=settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "read_dataset", lambda *args: pytest.fail("read twice"))
        pages.LegislationGenerator.generate_context(generator)
    assert generator.dataset is dataset
    assert build.of(context).sections["legislation"]["es"] == "legislacion/"


# ---------------------------------------------------------------- preview and publish


EDITORS = edit(
    "BCN", "    as_of: 2026-12-01\n", "    as_of: 2026-12-01\n    verify: true\n"
).replace(
    "\n    verify: true\n",
    "\n    verify: true\n    verify_note: {es: Revisar la fecha., en: Check the date.}\n",
    1,
)


def test_preview_shows_the_editors_notes_apart_and_out_of_search(tmp_path):
    content = make_content(tmp_path / "content", {"data/legislation.yml": EDITORS})
    result = pelican(content, tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "output/en/legislation/baja-california/index.html").read_text("utf-8")
    note = re.search(r'<aside class="app-editor-note"[^>]*>(.*?)</aside>', html, re.S)
    assert note and "Check the date." in note.group(1)
    assert "data-pagefind-ignore" in note.group(0)
    index = (tmp_path / "output" / PAGES["en"]).read_text("utf-8")
    assert "app-editor-note" in page_row(index, "BCN")
    document = json.loads((tmp_path / "output/legislacion/legislacion.json").read_text("utf-8"))
    assert next(r for r in document["records"] if r["code"] == "BCN")["verify"] is True


def page_row(html, code):
    return re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S).group(1)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The legislation as the publish build writes it (publishconf.py), from the bundled data,
    with one state's criteria partly assessed."""
    base = tmp_path_factory.mktemp("published")
    text = set_answers(DATA, "YUC", ["yes", "partial", "unknown", "unknown", "yes", "no", "no"])
    content = make_content(base / "content", {"data/legislation.yml": text})
    result = pelican(
        content,
        base / "output",
        settings=ROOT / "publishconf.py",
        overrides={"SITEURL": "https://example.test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output"


def legislation_files(output):
    for base in ("legislacion", "en/legislation"):
        # Every written file but the precompressed copies (same text, gzipped).
        yield from (p for p in (output / base).rglob("*") if p.is_file() and p.suffix != ".gz")


def main_text(path):
    html = path.read_text(encoding="utf-8")
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_publish_build_has_no_editors_wording(published):
    files = list(legislation_files(published))
    assert len(files) > 70
    for path in files:
        text = path.read_text(encoding="utf-8")
        for word in ("app-verify", "app-pending", "app-editor-note", "pendiente", "ending verif"):
            assert word not in text, (path, word)
        assert "verify" not in text, path  # the downloads carry no editors' flags either


def test_publish_build_says_at_most_once_per_state_what_is_unknown(published):
    for base, words in (
        ("legislacion", ("Se desconoce", "desconoc", "Sin confirmar todavía")),
        ("en/legislation", ("Unknown", "unknown", "Not yet confirmed")),
    ):
        pages = [p for p in (published / base).glob("*/index.html")]
        assert len(pages) == 33 + 2
        for path in pages:
            text = main_text(path).lower()
            assert sum(text.count(word.lower()) for word in words) <= 1, path
            not_assessed = ("criterios aún no evaluados", "criteria not yet assessed")
            assert sum(text.count(line) for line in not_assessed) <= 1, path
        index = (published / base / "index.html").read_text(encoding="utf-8")
        for code in LAYOUT["tiles"]:
            row = re.sub(r"<[^>]+>", " ", page_row(index, code)).lower()
            assert sum(row.count(word.lower()) for word in words) <= 1, code


def test_publish_build_shows_a_partly_assessed_state_plainly(published):
    html = (published / "en/legislation/yucatan/index.html").read_text("utf-8")
    assert html.count("data-criterion=") == 5
    assert "Not yet assessed: Shelter and assistance, Minors without force." in html
    assert "November 28, 2017" in html and "Ley para Prevenir y Combatir la Trata" in html
    row = Tree((published / PAGES["en"]).read_text("utf-8")).rows["YUC"]
    assert len(row["cells"]) == 2 + 3 + 7 and "colspan" not in str(row["cells"])


def test_publish_build_keeps_pages_without_a_fact_out_of_search(published):
    nothing = {"baja-california-sur", "jalisco", "nayarit", "oaxaca"}
    for base in ("legislacion", "en/legislation"):
        for path in (published / base).glob("*/index.html"):
            html = path.read_text(encoding="utf-8")
            indexed = "data-pagefind-body" in html
            assert indexed is (path.parent.name not in nothing), path
            assert indexed or 'data-pagefind-ignore="all"' in html


def test_publish_downloads_round_trip_without_editors_columns(published):
    document = json.loads((published / "legislacion/legislacion.json").read_text("utf-8"))
    text = (published / "legislacion/legislacion.csv").read_text("utf-8")
    keys = [c["key"] for c in document["criteria"]]
    assert leg.from_csv(text, keys, document["languages"]) == document["records"]
    sonora = next(r for r in document["records"] if r["code"] == "SON")
    assert sonora["law"]["approved"] == "2011-02" and sonora["law"]["published"] is None
    assert sonora["law"]["verified_on"] == "2026-12-01" and sonora["law"]["sources"]
