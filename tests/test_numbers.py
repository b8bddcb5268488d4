"""Number hygiene (plugins/checks/numbers.py): dead Mexican forms however they are written,
tel: links that can be dialled, help-line and shelter numbers, captions; one real build."""

from pathlib import Path

import pytest
import yaml
from conftest import article, make_content, one_clear_line, pelican
from events_fixture import FILM_FILES, VTT_ES
from hypothesis import given, settings
from hypothesis import strategies as st

from alerta import numbers
from plugins.checks.checks import Report
from plugins.film.film import caption_number_problems, parse_vtt
from plugins.safety import safety
from plugins.shelters import fields as shelters

HOTLINES = yaml.safe_load(
    (Path(__file__).parent.parent / "content" / "data" / "hotlines.yml").read_text("utf-8")
)

# (text, the form the message names, the correct form it gives)
DEAD = [
    ("Llame al 01 800 5533 000.", "01 800 5533 000", "dial 800 5533 000 (drop the 01)"),
    ("018005533000", "018005533000", "dial 800 553 3000 (drop the 01)"),
    ("01 8005533000", "01 8005533000", "dial 800 553 3000 (drop the 01)"),
    ("al 01–800–5533–000", "01–800–5533–000", "dial 800 5533 000"),
    ("al 01—800—5533—000", "01—800—5533—000", "dial 800 5533 000"),
    ("(01) 800 5533 000", "(01) 800 5533 000", "dial 800 5533 000"),
    ("01/800/5533/000", "01/800/5533/000", "dial 800 5533 000"),
    ("01.800.5533.000", "01.800.5533.000", "dial 800 5533 000"),
    ("０１ ８００ ５５３３ ０００", "０１ ８００ ５５３３ ０００", "dial 800 5533 000"),
    ("01\u00a0800\u2009553\u202f3000", "01 800 553 3000", "dial 800 553 3000"),
    ("01\u200b800 5533 000", "01\u200b800 5533 000", "dial 800 5533 000"),
    ("Llame al 01 800 LINEA", "01 800", "800 numbers are dialled without the 01"),
    ("01 900 123 4567", "01 900 123 4567", "dial 900 123 4567"),
    ("Oficina: 01 55 5533 5533", "01 55 5533 5533", "dial 55 5533 5533 (drop the 01)"),
    ("01 (33) 3613 1234", "01 (33) 3613 1234", "dial 33 3613 1234"),
    ("0181 8345 6789", "0181 8345 6789", "dial 81 8345 6789"),
    ("01 222 123 4567", "01 222 123 4567", "dial 222 123 4567"),
    ("En 2020 01 800 5533 000 24 h", "01 800 5533 000", "dial 800 5533 000"),
    ("Celular: 044 55 1234 5678", "044 55 1234 5678", "dial 55 1234 5678 (drop the 044)"),
    ("045 33 1234 5678", "045 33 1234 5678", "dial 33 1234 5678 (drop the 045)"),
    ("+52 1 55 5533 5533", "+52 1 55 5533 5533", "dial +52 55 5533 5533 (drop the 1 after +52)"),
    ("+5215555335533", "+5215555335533", "dial +52 55 5533 5533"),
    (
        "＋５２ １ ５５ ５５３３ ５５３３",
        "＋５２ １ ５５ ５５３３ ５５３３",
        "dial +52 55 5533 5533",
    ),
    ("00 52 1 55 5533 5533", "00 52 1 55 5533 5533", "dial +52 55 5533 5533"),
    ("https://wa.me/5215555335533", "5215555335533", "write 525555335533"),
    ("+52 01 800 5533 000", "+52 01 800 5533 000", "dial +52 800 5533 000"),
]

# Ordinary texts with numbers that are no phone number, and numbers written right.
FINE = [
    "2001-800",
    "2001–2009",
    "del 2001 al 2009",
    "Año 2019, 800 personas",
    "el 01/08/2020 a las 10:00",
    "01 de agosto de 2019",
    "C.P. 01800, Ciudad de México",
    "CP 01000",
    "ISBN 978-0-13-110362-7",
    "ISBN 0-19-852663-6",
    "$1,800 pesos",
    "$01.80",
    "800 5533 000",
    "55 5533 5533",
    "+52 55 5533 5533",
    "+52 800 5533 000",
    "1-888-373-7888",
    "00:00:01.000 --> 00:00:04.000",
    "tel: +528005533000",
    "Tel: 55 1234 5678",
    "https://example.org/noticias/rescate-21-victimas-20251018-782445.html",
    "<sup>01</sup> 800",
    "Ley de 2012, reformada en 2014, 2018–2019",
]


@pytest.mark.parametrize("text, found, correct", DEAD, ids=[c[0] for c in DEAD])
def test_dead_forms_are_found_named_and_corrected(text, found, correct):
    problems = [message for _line, message in numbers.line_problems(text)]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f'dead number "{found}": since 2019 ')
    assert correct in problems[0]


@pytest.mark.parametrize("text", FINE)
def test_ordinary_numbers_pass(text):
    assert numbers.line_problems(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("０１ ８００–5533 (000)", "018005533000)"),
        ("Llame al 01\u00a0800\u2009553\u202f3000.", "Llame al 018005533000."),
        ("٠١ ٨٠٠", "01800"),  # Arabic-Indic digits
        ("Calle 5 y 6", "Calle 5 y 6"),
    ],
)
def test_normalise_digits(text, expected):
    assert numbers.normalise_digits(text) == expected


@pytest.mark.parametrize(
    "line, message",
    [
        ("[Llame](TEL:+52800553300)", "tel:+52800553300 is not dialable: +52 takes exactly 10"),
        ("[Llame](Tel:+5215555335533)", "drop the 1 after +52"),
        ("[Llame](tel:)", "tel: is not dialable: it is empty"),
        ('<a href="tel:">x</a>', "tel: is not dialable: it is empty"),
        ('<a href="TEL:+52 1 55 5533 5533">x</a>', "drop the 1 after +52"),
        ("[x](tel:01-800-LINEA)", "tel:01-800-LINEA is not dialable: since 2019 800 numbers"),
        ("[x](tel:5555335533)", "add the country code: +525555335533"),
        ("[x](tel:+1888373788)", "+1 takes exactly 10 digits after it (9 here)"),
        ("[x](tel:+999123456789)", "does not start with a country code"),
        ('<a href="tel:+52 ８００ ５５３３ ０００">', None),  # a full-width number that works
        ("[x](tel:+52)", "+52 takes exactly 10 digits after it (0 here)"),
        ("[x](tel:+)", "a phone dials digits only"),
        ("[x](tel:123)", "123 is not a service number in MX"),
        ("<tel:+528005533000>", None),
        ("[x](tel:+528005533000) [y](tel:911) [z](tel:089) [w](tel:+18883737888)", None),
        ("[x](tel:%2B528005533000)", None),
        ("hotel:5", None),
    ],
)
def test_tel_links(line, message):
    problems = [text for _line, text in numbers.line_problems(line)]
    if message is None:
        assert problems == []
    else:
        assert len(problems) == 1 and message in problems[0], problems


def test_dialable_keeps_its_meaning_for_written_numbers():
    assert all(map(safety.dialable, ["911", "089", "55 5533 5533", "+52 55 1234 5678"]))
    assert not any(map(safety.dialable, ["01 55 1234", "+52 1 55 5533 5533", "LINEA", ""]))


def hotline(**changes):
    line = {**HOTLINES["hotlines"][0], **changes}
    return numbers.hotline_problems(line)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"tel": "+52800553300"}, "tel", "+52 takes exactly 10 digits after it (9 here)"),
        ({"tel": "+5218005533000"}, "tel", "drop the 1 after +52"),
        ({"tel": ""}, "tel", "it is empty"),
        ({"tel": "TEL"}, "tel", "a phone dials digits only"),
        ({"tel": "+52 800 5533 000"}, "tel", "write the digits alone: +528005533000"),
        ({"tel": "+18883737888"}, "tel", "a Mexican number starts with +52"),
        ({"country": "US", "whatsapp": None}, "tel", "+52 is Mexico, not US"),
        ({"number": "01 800 5533 000"}, "number", "dial 800 5533 000 (drop the 01)"),
        ({"number": "800 5533 001"}, "number", 'does not match tel "+528005533000"'),
        (
            {"whatsapp": {"number": "800 5533 000", "wa": "5215555335533"}},
            ("whatsapp", "wa"),
            "write 525555335533 (drop the 1 after 52)",
        ),
        ({"whatsapp": {"wa": "+52 800"}}, ("whatsapp", "wa"), "digits with the country code"),
        ({"sms": {"number": "044 55 1234 5678"}}, ("sms", "number"), "drop the 044"),
    ],
)
def test_hotline_numbers(changes, field, message):
    problems = hotline(**changes)
    assert len(problems) == 1, problems
    assert problems[0][0] == field and message in problems[0][1], problems


def test_real_hotlines_pass_and_short_codes_are_fine():
    assert [numbers.hotline_problems(line) for line in HOTLINES["hotlines"]] == [[]] * 4
    assert hotline(sms={"number": "233733"}) == []


def test_a_bad_hotline_tel_is_one_line_with_its_line(tmp_path):
    text = (Path(__file__).parent.parent / "content/data/hotlines.yml").read_text("utf-8")
    text = text.replace('tel: "+528005533000"', 'tel: "+5218005533000"')
    path = tmp_path / "content" / "data" / "hotlines.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    report = Report()
    safety.check_hotlines(yaml.safe_load(text), "hotlines.yml", ("es", "en"), report)
    numbers.scan_files(tmp_path / "content", tmp_path, report)  # leaves the field to the check
    assert [str(p) for p in report.problems] == [
        'hotlines.yml: hotline trata: tel "+5218005533000" is not dialable: '
        "since 2019 dial +52 800 553 3000 (drop the 1 after +52)"
    ]


class Problems:
    def __init__(self):
        self.messages = []

    def error(self, field, message):
        self.messages.append(f"{field}: {message}")


@pytest.mark.parametrize(
    "phones, message",
    [
        (
            ["01 55 5533 5533"],
            'phones[1]: "01 55 5533 5533" is not a phone number that can be '
            "dialled: since 2019 dial 55 5533 5533 (drop the 01)",
        ),
        (["044 55 1234 5678"], "drop the 044"),
        (["+52 1 55 1234 5678"], "drop the 1 after +52"),
        (["+52 55 1234 567"], "+52 takes exactly 10 digits after it (9 here)"),
        (["55 1234"], "write the 10 digits, e.g. 55 5533 5533"),
    ],
)
def test_shelter_phones(phones, message):
    problems = Problems()
    assert shelters.check_phones({"phones": phones}, problems, ("es", "en")) == []
    assert len(problems.messages) == 1 and message in problems.messages[0], problems.messages


def test_shelter_phones_that_work():
    problems = Problems()
    given = ["55 5533 5533", "＋52 ５５ ５５３３ ５５３３", "+1 202 555 0100", "911"]
    tels = [phone["tel"] for phone in shelters.check_phones({"phones": given}, problems, ("es",))]
    assert tels == ["+525555335533", "+525555335533", "+12025550100", "911"]
    assert problems.messages == []


def test_shelter_number_lines_are_left_to_the_shelter_check():
    text = (
        "shelters:\n  - id: a\n    phones:\n      - '01 800 5533 000'\n"
        "      - number: '044 55 1234 5678'\n        label: {es: 'o el 01 55 5533 5533'}\n"
        "    whatsapp: '+52 1 55 5533 5533'\n    notes: {es: 'o el 01 33 3613 1234'}\n"
    )
    lines = numbers.field_lines(text, numbers.NUMBER_FIELDS["shelters.yml"])
    assert lines == {3, 4, 5, 7}
    found = [line for line, _ in numbers.line_problems(text) if line not in lines]
    assert found == [6, 8]  # free text is still scanned


def test_caption_numbers_are_found_at_their_line():
    vtt = (
        "WEBVTT\n\nNOTE el 01 800 de una nota no se muestra\n\n"
        "00:00:00.000 --> 00:00:05.000\n<v Ana>Hola.\nLlame al 01 800 5533 000.\n\n"
        "2\n00:00:05.000 --> 00:00:08.000\nO al ０４４ ５５ １２３４ ５６７８, o al 911.\n"
    )
    assert caption_number_problems(parse_vtt(vtt)) == [
        (7, 'dead number "01 800 5533 000": since 2019 dial 800 5533 000 (drop the 01)'),
        (
            11,
            'dead number "０４４ ５５ １２３４ ５６７８": '
            "since 2019 dial 55 1234 5678 (drop the 044)",
        ),
    ]
    assert caption_number_problems(parse_vtt(VTT_ES)) == []


def tree(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_with_dead_numbers_stops_with_one_line_each(tmp_path):
    files = {
        "articles/hola.es.md": article(
            "Hola", "es", "hola", "hola", body="Llame [aquí](TEL:+52800553300)."
        ),
        "articles/hola.en.md": article("Hello", "en", "hola", "hello"),
        **FILM_FILES,
        "film/corto.es.vtt": VTT_ES
        + "\n00:00:04.000 --> 00:00:06.000\nLlame al 01 800 5533 000.\n",
    }
    content = make_content(tmp_path / "content", files)
    hotlines = content / "data" / "hotlines.yml"
    text = hotlines.read_text("utf-8")
    hotlines.write_text(text.replace('tel: "+528005533000"', 'tel: "+52800553300"'), "utf-8")
    tel_line = text.splitlines().index('    tel: "+528005533000"') + 1
    previous = tmp_path / "output"
    previous.mkdir()
    (previous / "index.html").write_text("<p>the last good site</p>")
    before = tree(previous)
    result = pelican(content, previous)
    one_clear_line(
        result,
        'dead number "01 800 5533 000": since 2019 dial 800 5533 000 (drop the 01) '
        "(captions named in content/film/corto.es.md)",
        "content/film/corto.es.vtt:10:",
    )
    one_clear_line(result, "tel:+52800553300 is not dialable", "content/articles/hola.es.md:8:")
    one_clear_line(
        result, 'hotline trata: tel "+52800553300"', f"content/data/hotlines.yml:{tel_line}:"
    )
    assert tree(previous) == before


PHONEISH = "0123456789+ -–—./()tel:TEL\"'[]<>%2Bx\u00a0\u2009\u200b０１８５"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=PHONEISH, max_size=40), country=st.sampled_from(["MX", "US", "XX"]))
def test_any_input_gives_messages_never_an_exception(text, country):
    for _line, message in numbers.line_problems(text):
        assert isinstance(message, str) and "\n" not in message
    numbers.tel_problem(text, country)
    numbers.phone_problem(text, country)
    numbers.hotline_problems(
        {"tel": text, "number": text, "country": country, "whatsapp": {"wa": text}, "sms": {}}
    )
