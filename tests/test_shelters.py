"""Shelter directory: data checks, pages per language/state/service, stale flag, JSON-LD."""

import json
import re
from datetime import date, timedelta
from html import unescape

import pytest
import yaml
from conftest import CONTENT, FIXTURE_FILES, PUBLISH, make_content, one_clear_line, pelican

DATA = "data/shelters.yml"
TODAY = date.today()
RECENT = TODAY - timedelta(days=30)


def entry(ident, **fields):
    base = {
        "id": ident,
        "name": f"Organización {ident}",
        "state": "09",
        "services": ["shelter"],
        "description": {"es": f"Descripción de {ident}.", "en": f"Description of {ident}."},
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def shelters_yaml(*entries):
    return yaml.safe_dump({"shelters": list(entries)}, allow_unicode=True, sort_keys=False)


DIRECTORY = shelters_yaml(
    entry(
        "refugio-secreto",
        municipality="Coyoacán",
        services=["shelter", "psychological", "children"],
        phones=[{"number": "55 0000 1111", "label": {"es": "Oficina", "en": "Office"}}],
        whatsapp={"number": "55 0000 2222", "verify": True},
        email="contacto@example.org",
        hours={"es": "Lunes a viernes", "en": "Monday to Friday"},
        languages=["es", {"es": "Tsotsil", "en": "Tzotzil"}],
        verified_on=RECENT.isoformat(),
        address="Calle Secreta Oculta 321, Col. Reservada",
        geo={"lat": 19.351234, "lon": -99.161234},
    ),
    entry(
        "oficina-publica",
        state="Jalisco",
        municipality="Guadalajara",
        services=["legal"],
        public=True,
        phones=["33 0000 3333", {"number": "33 0000 4444", "verify": True}],
        address="Avenida Publica Visible 2025, Col. Centro",
        geo={"lat": 20.671234, "lon": -103.341234},
        verified_on="2020-01-15",
    ),
    entry("otro-estado", state="Oaxaca", services=["legal", "lgbti"], verified_on=RECENT),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("shelters")
    content = make_content(base / "content", {**FIXTURE_FILES, DATA: DIRECTORY})
    result = pelican(content, base / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output", result.stdout + result.stderr


def read(output, path):
    return (output / path / "index.html").read_text(encoding="utf-8")


def text_of(page):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def card(page, ident):
    """The HTML of one entry's card."""
    start = page.index(f'id="shelter-{ident}"')
    end = page.find('<li class="app-shelter"', start)
    return page[start : end if end != -1 else page.index("data-filter-empty", start)]


def cards(page):
    return re.findall(r'<li class="app-shelter" id="shelter-([a-z0-9-]+)"', page)


def test_index_per_language_lists_every_entry(site):
    output, _ = site
    for path in ("refugios", "en/shelters"):
        assert sorted(cards(read(output, path))) == [
            "oficina-publica",
            "otro-estado",
            "refugio-secreto",
        ]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("refugios/estado/ciudad-de-mexico", ["refugio-secreto"]),
        ("en/shelters/state/ciudad-de-mexico", ["refugio-secreto"]),
        ("refugios/estado/jalisco", ["oficina-publica"]),
        ("refugios/servicio/asesoria-juridica", ["oficina-publica", "otro-estado"]),
        ("en/shelters/service/legal-advice", ["oficina-publica", "otro-estado"]),
        ("en/shelters/service/lgbti", ["otro-estado"]),
        ("refugios/servicio/infancia", ["refugio-secreto"]),
    ],
)
def test_static_filter_pages(site, path, expected):
    assert sorted(cards(read(site[0], path))) == expected


def test_no_page_for_a_state_or_service_without_entries(site):
    output, _ = site
    assert not (output / "refugios" / "estado" / "chiapas").exists()
    assert not (output / "refugios" / "servicio" / "atencion-medica").exists()


def test_filter_pages_link_to_each_other_and_mark_the_current_one(site):
    page = read(site[0], "en/shelters/state/jalisco")
    assert 'href="/en/shelters/state/oaxaca/"' in page
    assert 'href="/en/shelters/service/legal-advice/"' in page
    assert re.search(r'href="/en/shelters/state/jalisco/" aria-current="page"', page)
    assert 'href="/en/shelters/"' in page


def test_filter_pages_have_translated_alternates(site):
    page = read(site[0], "refugios/servicio/asesoria-juridica")
    assert 'hreflang="en" href="/en/shelters/service/legal-advice/"' in page
    assert 'hreflang="es-MX" href="/refugios/servicio/asesoria-juridica/"' in page
    sitemap = (site[0] / "sitemap.xml").read_text()
    assert "<loc>/en/shelters/state/oaxaca/</loc>" in sitemap


def test_nav_links_to_the_directory_in_each_language(site):
    output, _ = site
    assert 'href="/refugios/">Refugios</a>' in read(output, "articulos/senales")
    assert 'href="/en/shelters/">Shelters</a>' in read(output, "en/articles/signs")


def test_card_shows_services_contacts_and_babel_date(site):
    page = text_of(read(site[0], "refugios"))
    assert "Coyoacán, Ciudad de México" in page
    assert "Refugio Atención psicológica Atención a niñas, niños y adolescentes" in page
    assert "Lunes a viernes" in page and "Español, Tsotsil" in page
    from babel.dates import format_date

    assert f"Verificado el {format_date(RECENT, 'long', locale='es_MX')}" in page
    english = text_of(read(site[0], "en/shelters"))
    assert f"Verified on {format_date(RECENT, 'long', locale='en')}" in english
    assert "Spanish, Tzotzil" in english and "Mexico City" in english


def test_tap_to_call_and_pending_details(site):
    page = read(site[0], "en/shelters")
    assert 'href="tel:+525500001111">55 0000 1111</a>' in page
    assert 'href="tel:+523300003333">33 0000 3333</a>' in page
    # Unverified details are not guessed at: neither the number nor a link is shown.
    for hidden in ("33 0000 4444", "3300004444", "55 0000 2222", "5500002222"):
        assert hidden not in page
    assert page.count("pending verification") >= 2


def test_confidential_entry_shows_intake_note_but_no_location(site):
    output, _ = site
    page = read(output, "en/shelters")
    secret = card(page, "refugio-secreto")
    assert "Confidential location: it is not published. For help, call" in secret
    assert 'href="tel:+528005533000"' in secret
    assert "Secreta" not in page and "351234" not in page


def test_public_entry_shows_address_and_jsonld(site):
    output, _ = site
    page = read(output, "en/shelters")
    assert "Avenida Publica Visible 2025, Col. Centro" in page
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    graph = json.loads(blocks[0])["@graph"]
    assert [item["name"] for item in graph] == ["Organización oficina-publica"]
    item = graph[0]
    assert item["address"]["streetAddress"] == "Avenida Publica Visible 2025, Col. Centro"
    assert item["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 20.671234,
        "longitude": -103.341234,
    }
    assert item["telephone"] == "+523300003333"


def test_pages_with_only_confidential_entries_have_no_jsonld(site):
    page = read(site[0], "refugios/estado/ciudad-de-mexico")
    assert "application/ld+json" not in page


def test_stale_entry_is_flagged_to_visitors_and_editors(site):
    output, log = site
    english = read(output, "en/shelters")
    stale = card(english, "oficina-publica")
    assert "Verified more than 12 months ago" in stale
    assert english.count("Verified more than 12 months ago") == 1
    notices = [line for line in log.splitlines() if "more than 12 months ago" in line]
    assert len(notices) == 1
    assert notices[0].startswith("content/data/shelters.yml:")
    assert 'shelter "oficina-publica", verified_on: 2020-01-15' in notices[0]


def test_live_filter_script_only_on_the_index(site):
    output, _ = site
    index = read(output, "refugios")
    assert re.search(r"/theme/js/list-filter\.[0-9a-f]{10}\.js", index)
    assert re.search(r"<form[^>]*data-module=\"app-list-filter\" data-items=\"\[data-shelter\]\"[^>]*hidden", index, re.S)
    assert "list-filter.js" not in read(output, "refugios/estado/jalisco")


def test_no_directory_without_data_file(tmp_path):
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    (content / DATA).unlink()
    result = pelican(content, tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "output" / "refugios").exists()
    assert "/refugios/" not in (tmp_path / "output" / "index.html").read_text()


def test_publish_build_without_a_verified_entry_sends_visitors_to_the_national_line(tmp_path):
    files = {name: text for name, text in FIXTURE_FILES.items() if name != "articles/solo.es.md"}
    unverified = shelters_yaml(entry("uno", state="Oaxaca"), entry("dos", services=["legal"]))
    content = make_content(tmp_path / "content", {**files, DATA: unverified})
    output = tmp_path / "output"
    result = pelican(
        content, output, strict=True, settings=PUBLISH, overrides={"SITEURL": "https://x.test"}
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log  # information lines, not warnings
    left_out = [line for line in log.splitlines() if "left out of the publish build" in line]
    rows = unverified.splitlines()
    assert left_out == [
        f'content/data/shelters.yml:{rows.index(f"- id: {ident}") + 1}: shelter "{ident}" '
        "has no verified_on: left out of the publish build"
        for ident in ("uno", "dos")
    ]
    for path, words in (
        ("refugios", ["Todavía no hay ninguna organización", "psicólogos y abogados"]),
        ("en/shelters", ["No organisation is listed here yet", "psychologists and lawyers"]),
    ):
        page = read(output, path)
        main = page[page.index("<main") : page.index("</main>")]
        assert all(word in text_of(main) for word in words), path
        assert 'href="tel:+528005533000"' in main
        # No empty list, filter, count or script that would look broken.
        for part in ('class="app-shelter"', "app-chips", "app-filter", "Organización", "(0)"):
            assert part not in main, (path, part)
        assert "list-filter" not in page
    assert {p.name for p in (output / "refugios").iterdir()} == {"index.html", "index.html.gz"}
    assert 'href="https://x.test/refugios/">Refugios</a>' in read(output, "articulos/senales")


def test_bundled_examples_hide_every_unverified_contact(built_site):
    data = yaml.safe_load((CONTENT / DATA).read_text(encoding="utf-8"))["shelters"]
    assert len(data) == 5
    pages = [read(built_site, "refugios"), read(built_site, "en/shelters")]
    for item in data:
        for phone in item.get("phones", []):
            if isinstance(phone, dict) and phone.get("verify") and phone.get("number"):
                digits = re.sub(r"\D", "", phone["number"])
                assert all(digits not in re.sub(r"\D", "", page) for page in pages)
    for page in pages:
        assert page.count('class="app-shelter"') == 5


# ---------------------------------------------------------------- bad input


def case(text, needle, message, nth=1):
    """(files, expected line prefix, message): the line of the nth row holding `needle`."""
    rows = [n for n, row in enumerate(text.splitlines(), start=1) if needle in row]
    line = rows[nth - 1]
    return {DATA: text}, f"content/data/shelters.yml:{line}:", message


def one(**fields):
    return shelters_yaml(entry("casa", **fields))


BAD = {
    "YAML syntax error": (
        {DATA: "shelters:\n  - id: casa\n    services: [shelter\n"},
        "content/data/shelters.yml:4:",
        "YAML syntax error",
    ),
    "unknown state": case(
        one(state="Narnia"), "state:", 'shelter "casa", state: "Narnia" is not one of Mexico'
    ),
    "unknown service": case(
        one(services=["shelter", "massage"]),
        "services:",
        'shelter "casa", services[2]: "massage" is not a known service',
    ),
    "duplicate id": case(
        shelters_yaml(entry("casa"), entry("casa", state="Puebla")),
        "- id: casa",
        'shelter "casa", id: is already used by the entry on line 2',
        nth=2,
    ),
    "bad phone": case(
        one(phones=["55 1234"]), "phones:", 'shelter "casa", phones[1]: "55 1234" is not a phone'
    ),
    "dead 01 800 phone": case(
        one(phones=["01 800 000 0000"]), "phones:", 'shelter "casa", phones[1]: "01 800 000'
    ),
    "geo out of range": case(
        one(geo={"lat": 95.0, "lon": -99.1}),
        "geo:",
        'shelter "casa", geo.lat: 95.0 is out of range',
    ),
    "geo outside Mexico (swapped)": case(
        one(geo={"lat": -99.1, "lon": 19.4}),
        "geo:",
        'shelter "casa", geo.lat: -99.1 is out of range',
    ),
    "date that does not parse": case(
        one(verified_on="31/12/2025"),
        "verified_on:",
        'shelter "casa", verified_on: "31/12/2025" is not a date (use YYYY-MM-DD)',
    ),
    "impossible date": case(
        one(verified_on="2025-02-30"), "verified_on:", 'shelter "casa", verified_on: "2025-02-30"'
    ),
    "missing description in English": case(
        one(description={"es": "Texto"}),
        "description:",
        'shelter "casa", description: missing text in "en"',
    ),
    "missing description in Spanish": case(
        one(description={"en": "Text"}),
        "description:",
        'shelter "casa", description: missing text in "es"',
    ),
    "misspelt field": case(
        one(adress="Calle 1"), "adress:", 'shelter "casa", adress: unknown field (did you mean'
    ),
    "public that is not true/false": case(
        one(public="sí"), "public:", 'shelter "casa", public: must be true or false'
    ),
    "unknown language code": case(
        one(languages=["qqq"]), "languages:", 'shelter "casa", languages[1]: "qqq" is not'
    ),
    "bad e-mail": case(one(email="casa-at-example"), "email:", 'shelter "casa", email: "casa-at'),
}


@pytest.mark.parametrize("files, where, message", BAD.values(), ids=BAD.keys())
def test_bad_shelter_data_is_one_clear_line(tmp_path, files, where, message):
    content = make_content(tmp_path / "content", {**FIXTURE_FILES, **files})
    result = pelican(content, tmp_path / "output", strict=True)
    one_clear_line(result, message, where)
    assert not (tmp_path / "output").exists(), "half a directory was published"


def test_every_problem_in_the_file_is_reported_at_once(tmp_path):
    text = shelters_yaml(entry("uno", state="Narnia"), entry("dos", services=["spa"]))
    content = make_content(tmp_path / "content", {**FIXTURE_FILES, DATA: text})
    result = pelican(content, tmp_path / "output")
    output = result.stdout + result.stderr
    assert 'shelter "uno", state:' in output and 'shelter "dos", services[1]:' in output


@pytest.mark.parametrize("state", ["09", 9, "Ciudad de México", "ciudad de mexico", "CDMX"])
def test_state_as_code_or_exact_name(state):
    from plugins.shelters.shelters import resolve_state

    assert resolve_state(state) == "09"


@pytest.mark.parametrize("state", ["Ciudad", "99", 0, True, "Texas"])
def test_state_must_be_one_of_the_32(state):
    from plugins.shelters.shelters import resolve_state

    assert resolve_state(state) is None


def test_all_32_states_have_distinct_codes_and_slugs():
    from plugins.shelters.shelters import STATES, slug, state_names

    assert sorted(STATES) == [f"{n:02d}" for n in range(1, 33)]
    assert len({slug(state_names(code, "es")) for code in STATES}) == 32
