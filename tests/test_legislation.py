"""Legislative comparison: 33 rows per language, scores from the data, map, downloads, errors."""

import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from conftest import CONTENT, make_content, one_clear_line, pelican

from plugins.legislation import legislation as leg

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
        assert len(row["cells"]) == 2 + 7 + 3, code


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


@pytest.mark.parametrize("lang, word", [("es", "Se desconoce"), ("en", "Unknown")])
def test_status_is_text_and_symbol_not_colour(built_site, lang, word):
    rows = page(built_site, lang).rows
    cell = rows["AGU"]["cells"][2][2]
    assert "?" in cell and word in cell
    assert "✓" in rows["FED"]["cells"][2][2]


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
        assert "app-tile--insufficient" in tile["attrs"]["class"]  # nothing verified yet
    assert codes == set(LAYOUT["tiles"])


def test_map_legend_names_insufficient_data(built_site):
    html = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    assert "Insufficient data (fewer than 5 of 7 criteria known): 32 states" in html


def test_reform_list_says_honestly_that_it_cannot_rank_unknowns(built_site):
    en = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    es = (built_site / PAGES["es"]).read_text(encoding="utf-8")
    assert "We cannot say yet which states most need reform." in en
    assert "Todavía no podemos decir qué estados necesitan más reformas." in es


@pytest.mark.parametrize(
    "path",
    [
        "legislacion/aguascalientes/index.html",
        "en/legislation/aguascalientes/index.html",
        "legislacion/ciudad-de-mexico/index.html",
        "en/legislation/ciudad-de-mexico/index.html",
    ],
)
def test_state_pages_say_pending_verification(built_site, path):
    html = (built_site / path).read_text(encoding="utf-8")
    assert "app-verify" in html
    assert html.count('data-criterion="') == 7
    assert "pending verification" in html or "pendiente de verificación" in html


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


@pytest.mark.parametrize(
    "path, words",
    [
        (
            "legislacion/historia-proteja/index.html",
            ["Vista histórica", "pendiente de verificación"],
        ),
        ("en/legislation/proteja-era/index.html", ["Historical view", "Which 7 states: pending"]),
    ],
)
def test_proteja_era_view_is_labelled_and_honest(built_site, path, words):
    html = (built_site / path).read_text(encoding="utf-8")
    for word in words:
        assert word in html
    assert "27 Nov 2007" in html or "2007" in html


@pytest.mark.parametrize(
    "path, words",
    [
        ("legislacion/metodologia/index.html", ["sí 2, parcial 1, no 0", "al menos 5 de las 7"]),
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
    html = (tmp_path / "output" / PAGES["en"]).read_text("utf-8")
    reform = re.search(r'<ol class="app-leg__reform">(.*?)</ol>', html, re.S).group(1)
    assert reform.index("Chiapas") < reform.index("Oaxaca")
    assert "Aguascalientes" not in reform
    assert "States with no specific anti-trafficking law" in html
    assert "29 states are not ranked" in html


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
        'state SON: law.status "vigente" is not one of: in_force, repealed, none, unknown',
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
        edit("YUC", "      published: unknown\n", "      published: 2012-13-01\n"),
        "      published: 2012-13-01",
        'state YUC: law.published "2012-13-01" is not a date (use YYYY-MM-DD, or unknown)',
    ),
    "as_of that does not parse": (
        edit("OAX", "    as_of: 2026-11-29\n", "    as_of: 29/11/2026\n"),
        "    as_of: 29/11/2026",
        'state OAX: as_of "29/11/2026" is not a date',
    ),
    "federal repeal date that does not parse": (
        DATA.replace("        repealed: 2012-06-14\n", "        repealed: junio 2012\n"),
        "        repealed: junio",
        'federal FED: history.repealed "junio 2012" is not a date',
    ),
    "source that is not a URL": (
        edit("PUE", "      source: unknown\n", "      source: congresopuebla.gob.mx\n"),
        "      source: congresopuebla",
        'state PUE: law.source "congresopuebla.gob.mx" is not a URL',
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


@pytest.mark.parametrize("text, snippet, message", BAD.values(), ids=BAD.keys())
def test_bad_legislation_data_is_one_clear_line(tmp_path, text, snippet, message):
    content = make_content(tmp_path / "content", {"data/legislation.yml": text})
    result = pelican(content, tmp_path / "output", strict=True)
    reported = one_clear_line(result, message)
    where = "content/data/legislation.yml:"
    line = line_of(text, snippet)
    if "missing (write" in message:
        line = text.index("\n    criteria:", text.index("  - code: TAB")) + 1
        line = text[:line].count("\n") + 1
    if "given twice" in message:
        second = text.index("  - code: JAL", text.index("  - code: JAL") + 1)
        line = text[:second].count("\n") + 1
    if line:
        where += f"{line}:"
    assert reported.startswith(where), reported
    assert not (tmp_path / "output").exists()


def test_tilegrid_two_states_on_one_square(tmp_path):
    grid = (
        (CONTENT / "data" / "mx_tilegrid.yml")
        .read_text("utf-8")
        .replace("  COL: [1, 4]", "  COL: [1, 3]")
    )
    content = make_content(tmp_path / "content", {"data/mx_tilegrid.yml": grid})
    result = pelican(content, tmp_path / "output", strict=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert (
        "content/data/mx_tilegrid.yml:" in output
        and "state COL: tile [1, 3] is already JAL" in output
    )


def test_yes_and_no_are_words_not_booleans():
    loader = leg.DataLoader("a: yes\nb: no\nc: true\nd: 2012-13-01\n")
    assert loader.get_single_data() == {"a": "yes", "b": "no", "c": True, "d": "2012-13-01"}
