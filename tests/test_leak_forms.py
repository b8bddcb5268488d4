"""The confidentiality scan finds a confidential location in every ordinary way of writing it.

In-process tests of plugins/shelters/leakcheck.py on bytes: each form of an address or of
coordinates that a red-team run once slipped past it, the containers it must read through, the
caps that keep a bomb from costing memory, and the memo's version. The end-to-end builds are in
test_shelters_confidential.py (a planted leak stops the build; the public entry is published).
"""

import gzip
import io
import json
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.shelters import leak_containers, leak_needles, leakcheck
from plugins.shelters.leak_normalise import decoded_texts, skeleton, views

ADDRESS = "Avenida Miguel Hidalgo 245, Col. Centro, Tapachula"
LAT, LON = 14.90565, -92.263571  # 14°54′20.34″N, 92°15′48.86″W
ACCENTED = "Calle Niños Héroes 1234, Colonia Las Flores"


def needles():
    return (
        leakcheck.address_needles("casa", ADDRESS)
        + leakcheck.geo_needles("casa", LAT, LON)
        + leakcheck.address_needles("otra", ACCENTED)
    )


def found(data, name="f.html"):
    """The fields found in `data` (bytes or text); nothing may be unreadable."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    hits, unreadable = leakcheck.scan_bytes(name, data, needles())
    assert unreadable == []
    return sorted({(hit.owner, hit.field) for hit in hits})


ADDRESS_FORMS = {
    "street and number only": "Hidalgo 245",
    "abbreviated type, No.": "Av. Hidalgo No. 245",
    "Avda., first name, núm.": "Avda. Miguel Hidalgo núm. 245",
    "número": "en Hidalgo número 245",
    "number first": "245 Hidalgo",
    "number first, type between": "245 Av. Miguel Hidalgo",
    "hash": "Hidalgo #245",
    "upper case": "AV. MIGUEL HIDALGO 245",
    "em dash": "Hidalgo 245—a dos cuadras del mercado",
    "em dash between": "Hidalgo—245",
    "en dash": "Hidalgo–245",
    "guillemets": "«Hidalgo»245",
    "no-break space": "Hidalgo\u00a0245",
    "ideographic space": "Hidalgo\u3000245",
    "tags without a space": "<p>Hid<b>al</b>go 245</p>",
    "tags between every part": "<i>Hi</i><b>dal</b><span>go</span> <em>2</em>45",
    "hidden attribute": "<p>Refugio<span hidden>Hidalgo 245</span></p>",
    "display:none": '<div style="display:none">Av. Hidalgo 245</div>',
    "HTML comment": "<!-- Hidalgo 245 -->",
    "Cyrillic look-alikes": "\u041did\u0430lg\u043e 245",  # Н, а, о
    "Greek look-alikes": "\u0397id\u03b1lg\u03bf 245",  # Η, α, ο
    "zero-width space in a word": "Hid\u200balgo 245",
    "soft hyphen in a word": "Hidal\u00adgo 245",
    "fullwidth letters": "Ｈｉｄａｌｇｏ　２４５",
    "entities and a dash": "Hidalgo&nbsp;&mdash;&#32;245",
    "the whole address": ADDRESS,
}


@pytest.mark.parametrize("text", ADDRESS_FORMS.values(), ids=ADDRESS_FORMS.keys())
def test_an_address_is_found_however_it_is_written(text):
    assert found(text) == [("casa", "address")]


ABBREVIATED = {
    # secret, as written: a one-word name with a short number needs its street type, so these
    # show that each abbreviation equals its word, both ways round.
    "Av. = Avenida": ("Av. Juárez 12", "Avenida Juárez 12"),
    "Avda. = Av.": ("Avda. Juárez 12", "Av. Juárez 12"),
    "Calz. = Calzada": ("Calzada Tlalpan 9", "Calz. Tlalpan 9"),
    "C. = Calle": ("Calle Hidalgo 5", "C. Hidalgo 5"),
    "Blvd. = Bulevar": ("Bulevar Kukulcán 3", "Blvd. Kukulcan 3"),
    "Blvr. = Boulevard": ("Boulevard Agua Caliente 88", "Blvr. Agua Caliente 88"),
    "Prol. = Prolongación": ("Prolongación Morelos 8", "Prol. Morelos 8"),
    "Priv. = Privada": ("Privada Roble 3", "Priv. Roble 3"),
    "Cda. = Cerrada": ("Cerrada Olivo 4", "Cda. Olivo 4"),
    "Carr. = Carretera": ("Carretera Federal 15", "Carr. Federal 15"),
    "Col., Fracc. (no house number)": (
        "Calle Roble s/n, Colonia Las Flores, Fraccionamiento Los Pinos",
        "Calle Roble, Col. Las Flores, Fracc. Los Pinos",
    ),
    "Gral., No.": ("Calle General Anaya 7", "C. Gral. Anaya No. 7"),
}


@pytest.mark.parametrize("secret, written", ABBREVIATED.values(), ids=ABBREVIATED.keys())
def test_street_abbreviations_equal_their_words(secret, written):
    secrets = leakcheck.address_needles("x", secret)
    hits, _ = leakcheck.scan_bytes("f", written.encode(), secrets)
    assert [hit.field for hit in hits] == ["address"]


STREETS = {
    # secret: (written so it must be found, what is not enough)
    "postal code after the number": ("Hidalgo 245, C.P. 30700", "Hidalgo 245", "Hidalgo 30700"),
    "a date as the street's name": ("Calle 5 de Mayo 120", "5 de Mayo #120", "el 5 de mayo"),
    "a common last word": ("Av. Insurgentes Sur 1800 Int. 4", "Insurgentes Sur 1800", "Sur 1800"),
    "a lot in a block": ("Cerrada Roble Mz. 3 Lt. 12", "Roble manzana 3", "Roble 12"),
    "a short number": ("Calle Hidalgo 5", "C. Hidalgo No. 5", "Hidalgo 5"),
}


@pytest.mark.parametrize("secret, written, not_enough", STREETS.values(), ids=STREETS.keys())
def test_the_street_and_its_house_number_are_found_together(secret, written, not_enough):
    secrets = leakcheck.address_needles("x", secret)
    assert leakcheck.scan_bytes("f", written.encode(), secrets)[0]
    assert leakcheck.scan_bytes("f", not_enough.encode(), secrets)[0] == []


GEO_FORMS = {
    "trailing zeros": "14.905650",
    "more decimals, as a map writes": "14.905651",
    "rounded to 4 decimals": "14.9057",
    "longitude, negative, more decimals": "-92.2635710",
    "DMS, primes": "14°54′20.3″N",
    "DMS, apostrophe and quote": "14°54'20.3\"N",
    "DMS, spaces": "14° 54′ 20.3″ N",
    "DMS, ordinal sign for degrees": "14º54'20.3\"",
    "DMS, longitude west": "92°15′48.9″W",
    "DMS, longitude oeste, sign first": "O 92° 15' 48.9\"",
    "DMS, whole seconds with N": "14°54′20″N",
    "DDM": "14°54.339′N",
    "DDM, longitude": "92° 15.8143' W",
    "DMS pair, whole seconds": "14°54′20″, 92°15′49″",
    "hemisphere letter before, no space": "N14.90565",
    "GPS receiver, leading zero": "N 14° 54.339 W 092° 15.814",
    "GPS receiver, longitude alone": "W092°15.814'",
    "3 decimals, as a pair": "14.906, -92.264",
    "in a map URL": "https://maps.example/?ll=14.905650%2C-92.263571",
    "split by a tag": "<span>14.9056</span><span>50</span>",
}


@pytest.mark.parametrize("text", GEO_FORMS.values(), ids=GEO_FORMS.keys())
def test_coordinates_are_found_by_value_and_in_degrees_minutes_seconds(text):
    assert found(text) == [("casa", "geo")]


NOT_LEAKS = {
    "the street name alone": "Estado de Hidalgo",
    "counts next to the state's name": "Hidalgo: 24 refugios en total; atendieron a 245 personas",
    "the number alone": "Llame al 245",
    "another number on the street": "Av. Hidalgo 2450",
    "another street with the number": "Av. Juárez 245",
    "a statistic like the latitude": "Hubo 14,905 casos",
    "3 decimals without the other coordinate": "14.906 km",
    "a date and a time": "14/54/20 a las 14:54:20",
    "near but not the latitude": "14.9071",
    "the public office on the same street": "Avenida Miguel Hidalgo 1200, Col. Centro, Tapachula",
    "the public office's coordinates": "14.912100, -92.270100",
}


@pytest.mark.parametrize("text", NOT_LEAKS.values(), ids=NOT_LEAKS.keys())
def test_ordinary_text_is_not_a_leak(text):
    assert found(text) == []


# ---------------------------------------------------------------- encodings and containers


ENCODED = {
    "UTF-16 LE without BOM": "Dirección: Av. Hidalgo 245".encode("utf-16-le"),
    "UTF-16 BE without BOM": "Dirección: Av. Hidalgo 245".encode("utf-16-be"),
    "UTF-16 LE at an odd byte": b"\x01" + "Av. Hidalgo 245".encode("utf-16-le"),
    "UTF-32 LE without BOM": "Av. Hidalgo 245".encode("utf-32-le"),
    "UTF-32 BE without BOM": "Av. Hidalgo 245".encode("utf-32-be"),
    "UTF-32 with BOM": "Av. Hidalgo 245".encode("utf-32"),
    "Windows-1252 (a spreadsheet's CSV)": "Dirección;Teléfono\nAv. Hídalgo 245;—".encode("cp1252"),
}


@pytest.mark.parametrize("data", ENCODED.values(), ids=ENCODED.keys())
def test_text_in_other_encodings_is_read(data):
    assert found(data, "f.txt") == [("casa", "address")]


def test_binary_data_is_not_taken_for_utf16():
    noise = bytes(range(256)) * 64
    assert [binary for _text, binary in decoded_texts(noise)] == [True]
    assert [binary for _text, binary in decoded_texts(gzip.compress(b"x" * 1000))] == [True]
    assert [binary for _text, binary in decoded_texts("Calle Niños".encode())] == [False]


def office_file(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


OFFICE = {
    # The word split across runs, and the number in the next paragraph: only a paragraph's
    # runs joined, paragraph by paragraph, read "Av. Hidalgo" and then "245".
    "DOCX": (
        "f.docx",
        {
            "word/document.xml": '<w:document><w:body><w:p><w:r><w:t xml:space="preserve">'
            "Av. Hid</w:t></w:r><w:proofErr/><w:r><w:rPr><w:b/></w:rPr><w:t>algo</w:t></w:r>"
            "</w:p><w:p><w:r><w:t>245</w:t></w:r></w:p></w:body></w:document>"
        },
    ),
    "ODT": (
        "f.odt",
        {
            "content.xml": '<office:text><text:p>Av. Hid<text:span text:style-name="T1">'
            "algo</text:span></text:p><text:p>245</text:p></office:text>"
        },
    ),
    "PPTX": (
        "f.pptx",
        {
            "ppt/slides/slide1.xml": "<p:sld><a:p><a:r><a:t>Hid</a:t></a:r><a:r><a:rPr b='1'/>"
            "<a:t>algo</a:t></a:r></a:p><a:p><a:r><a:t>245</a:t></a:r></a:p></p:sld>"
        },
    ),
    "XLSX": (
        "f.xlsx",
        {
            "xl/sharedStrings.xml": "<sst><si><r><t>Hid</t></r><r><rPr><b/></rPr><t>algo</t></r>"
            "</si><si><t>245</t></si></sst>"
        },
    ),
}


@pytest.mark.parametrize("name, parts", OFFICE.values(), ids=OFFICE.keys())
def test_office_files_are_read_paragraph_by_paragraph(name, parts):
    assert found(office_file(parts), name) == [("casa", "address")]


def png_with_text(**kinds):
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for kind, text in kinds.items():
        if kind == "tEXt":
            info.add_text("Comment", text)
        elif kind == "zTXt":
            info.add_text("Comment", text, zip=True)
        else:
            info.add_itxt("Comment", text, lang="es", tkey="Comentario", zip=kind == "iTXtz")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["tEXt", "zTXt", "iTXt", "iTXtz"])
def test_png_text_chunks_are_decoded(kind):
    """tEXt and zTXt are Latin-1: read as UTF-8, "Niños Héroes" was "Ni?os H?roes"."""
    data = png_with_text(**{kind: ACCENTED})
    if kind != "iTXt":
        assert ACCENTED.encode() not in data
    assert found(data, "f.png") == [("otra", "address")]


# ---------------------------------------------------------------- the shortcuts stay sound


ALL_FORMS = [*ADDRESS_FORMS.values(), *GEO_FORMS.values(), *ENCODED.values()]


@pytest.mark.parametrize("text", ALL_FORMS)
def test_no_shortcut_hides_a_match(text):
    """A needle found in a view is always one that view `could` hold; and the views made for
    the needles find what all the views find."""
    data = text if isinstance(text, bytes) else text.encode()
    every = views(data)
    for view in every:
        for needle in needles():
            if needle.found(view):
                assert needle.could_be_in(view), (needle, view)
    some = views(data, needles())
    assert set(some) <= set(every)
    for needle in needles():
        assert any(needle.found(v) for v in some) == any(needle.found(v) for v in every)


PIECES = ["Av.", "Hid", "algo", "Hidalgo", "245", "24", "5", "14", ".905650", "°54′", "20.3″", "N"]
PIECES += [" ", "<b>", "</b>", "<br>", "\u200b", "—", "«", "\u00a0", "No.", "#", "x", "\u0430"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_no_shortcut_hides_a_match_fuzzed(pieces):
    """Pieces of the secrets, separators, tags and invisible characters in any order: the views
    made for the needles find exactly what every view finds."""
    data = "".join(pieces).encode()
    every, some = views(data), views(data, needles())
    for needle in needles():
        in_every = [view for view in every if needle.found(view)]
        assert all(needle.could_be_in(view) for view in in_every)
        assert any(needle.found(view) for view in some) == bool(in_every)


def test_the_view_without_tags_is_made_only_when_a_needle_could_be_in_it():
    """Most pages hold no word of any secret: their view without tags is not worth making. One
    that holds all the words of one gets it. The joined view is made for every tagged page."""
    assert views(b"<p>Hidalgo tiene 24</p>", needles()) == [
        " p hidalgo tiene 24 p ",
        " hidalgo tiene 24 ",
    ]
    assert views(b"<p>245 <i>x</i>Hidalgo</p>", needles()) == [
        " p 245 i x i hidalgo p ",
        " 245 x hidalgo ",
        " 245 xhidalgo ",
    ]
    assert skeleton("Av. Niños—Héroes «12-B»") == " av ninos heroes 12 b "
    assert skeleton("Hid\u200balgo") == " hid algo "
    assert skeleton("Hid\u200balgo", join=True) == " hidalgo "


def test_coordinates_that_locate_nothing_are_not_secrets():
    assert leakcheck.geo_needles("x", 19.4, -99.1) == []
    assert leakcheck.geo_needles("x", 19, -99.12) == []
    assert len(leakcheck.geo_needles("x", 19.43, -99.13)) == 1


def test_the_address_needles_need_the_street_word_and_the_number():
    street = leak_needles.address_needles("x", ADDRESS)[-1]
    assert street.words == (((" hidalgo ",), (" 245",)),)


# ---------------------------------------------------------------- caps and the memo


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(leak_containers, "MAX_TOTAL", 2 * leak_containers.MB)
    monkeypatch.setattr(leak_containers, "MAX_MEMBER", leak_containers.MB)
    monkeypatch.setattr(leak_containers, "RATIO_FROM", 64 * 1024)


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def noise(size):
    import random

    return random.Random(size).randbytes(size)


BOMBS = {
    "gzip over the member cap": ("a.gz", lambda: gzip.compress(noise(1100 * 1024)), "beyond 1 MB"),
    "zip members over the total": (
        "a.zip",
        lambda: zipped({f"{n}.bin": noise(900 * 1024) for n in range(3)}),
        "beyond 2 MB",
    ),
    "gzip inside zip, ratio": (
        "a.zip",
        lambda: zipped({"in.gz": gzip.compress(b"\0" * 500_000)}),
        "more than 200 times",
    ),
    "brotli, ratio": ("a.br", lambda: __import__("brotli").compress(b"\0" * 500_000), "200 times"),
}


@pytest.mark.parametrize("name, make, reason", BOMBS.values(), ids=BOMBS.keys())
def test_a_file_that_expands_past_a_cap_fails_closed_in_one_line(small_caps, name, make, reason):
    hits, unreadable = leakcheck.scan_bytes(f"out/{name}", make(), needles())
    assert hits == []
    assert len(unreadable) == 1
    assert unreadable[0].path == f"out/{name}"
    assert reason in unreadable[0].reason


def test_a_zip_that_says_its_member_is_too_large_is_not_read(small_caps, monkeypatch):
    data = zipped({"big.txt": b"a" * 2_000_000})
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda *a: pytest.fail("read"))
    _hits, unreadable = leakcheck.scan_bytes("out/a.zip", data, needles())
    assert [u.reason for u in unreadable] == ["expands beyond 1 MB"]


def test_a_file_under_the_caps_is_read(small_caps):
    data = zipped({"a.json": json.dumps({"x": "Hidalgo 245", "pad": noise(400_000).hex()})})
    assert found(data, "a.zip") == [("casa", "address")]


def test_the_memo_is_keyed_by_the_scanners_version(tmp_path, monkeypatch):
    """A file remembered clean by an older scanner is read again by a newer one."""
    (tmp_path / "page.html").write_text("<p>Hid<b>al</b>go 245</p>")
    remembered = {leakcheck._digest((tmp_path / "page.html").read_bytes())}
    assert leakcheck.scan_tree(tmp_path, needles(), "out", remembered, set()) == ([], [])
    monkeypatch.setattr(leakcheck, "SCANNER_VERSION", leakcheck.SCANNER_VERSION + 1)
    hits, _ = leakcheck.scan_tree(tmp_path, needles(), "out", remembered, set())
    assert [hit.file for hit in hits] == ["page.html"]


def test_the_builds_memo_is_read_again_by_a_newer_scanner(tmp_path, monkeypatch):
    """The build's scan (confidential.py) keeps its memo per scanner version: after a fix of
    the scanner, every file is scanned again; with the same version, none is."""
    from types import SimpleNamespace

    from plugins.shelters import confidential

    (tmp_path / "content" / "data").mkdir(parents=True)
    (tmp_path / "content" / "data" / "shelters.yml").write_text(
        f"shelters:\n  - id: casa\n    address: {ADDRESS}\n", encoding="utf-8"
    )
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "page.html").write_text("<p>Nada que ver</p>")
    settings = {"PATH": str(tmp_path / "content"), "CACHE_PATH": str(tmp_path / "cache")}
    site = SimpleNamespace(settings=settings, output_path=str(tmp_path / "out"))
    scanned = []
    real_scan = leakcheck.scan_bytes

    def scan(shown, *args):
        scanned.append(shown)
        return real_scan(shown, *args)

    monkeypatch.setattr(leakcheck, "scan_bytes", scan)
    confidential.confidentiality_check(site)
    confidential.confidentiality_check(site)
    assert scanned == ["out/page.html"]  # the second build remembered it clean
    monkeypatch.setattr(leakcheck, "SCANNER_VERSION", leakcheck.SCANNER_VERSION + 1)
    confidential.confidentiality_check(site)
    assert scanned == ["out/page.html"] * 2
