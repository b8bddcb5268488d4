"""Confidential shelters: their address and coordinates reach no output file, compressed or not.

The canary tests build the whole bundled site plus a confidential entry with unique canary
strings, with a test plugin (tests/fixtures/leaky.py) that gzips and brotli-compresses every
page afterwards, as precompression or Pagefind's gzip fragments do. An independent reader (not
the plugin's own scanner) then looks through every file. Other tests plant leaks in every
container format and prove the build stops, naming the file and the entry, never the value.
"""

import base64
import gzip
import io
import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml
from conftest import CONTENT, FIXTURE_FILES, ROOT, make_content, pelican

FIXTURES = ROOT / "tests" / "fixtures"
DATA = "data/shelters.yml"


def site_plugins():
    """The site's own plugins, plus the test's leaky one before the final swap."""
    from pelican.settings import read_settings

    plugins = list(read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"])
    return [*plugins[:-1], "leaky", plugins[-1]]


PLUGINS = site_plugins()

CANARY_ADDRESS = "Calle Canario Qx7Zv 4711, Colonia Zzyzx-Canario"
CANARY_STREET = "Calle Canario Qx7Zv 4711"
CANARY_LAT, CANARY_LON = "19.417283", "-99.162771"
CANARY_STRINGS = ["Qx7Zv", "Zzyzx", "417283", "162771"]
PUBLIC_ADDRESS = "Avenida Publica Wq3Kd 77, Col. Centro"

CANARY_ENTRIES = [
    {
        "id": "canario-confidencial",
        "name": "Refugio Canario",
        "state": "09",
        "municipality": "Benito Juárez",
        "services": ["shelter", "legal"],
        "description": {"es": "Refugio de prueba.", "en": "Test shelter."},
        "phones": ["55 0000 5555"],
        "address": CANARY_ADDRESS,
        "geo": {"lat": float(CANARY_LAT), "lon": float(CANARY_LON)},
    },
    {
        "id": "publica-canario",
        "name": "Oficina Pública de Prueba",
        "state": "Puebla",
        "services": ["legal"],
        "public": True,
        "description": {"es": "Oficina de prueba.", "en": "Test office."},
        "address": PUBLIC_ADDRESS,
        "geo": {"lat": 19.041234, "lon": -98.201234},
    },
]


def with_canaries(text):
    data = yaml.safe_load(text)
    data["shelters"] += CANARY_ENTRIES
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def overrides(**leaky):
    return {"PLUGINS": PLUGINS, "PLUGIN_PATHS": [str(FIXTURES)], "LEAKY": leaky}


# ---------------------------------------------------------------- an independent reader


def contents(path, label):
    """Yield (label, text) for a file and for everything inside it, by plain stdlib means."""
    yield from expand(label, path.read_bytes())


def expand(label, data, depth=0):
    yield label, data.decode("utf-8", "replace")
    if depth > 4:
        return
    if data[:2] == b"\x1f\x8b":
        yield from expand(label + "!gzip", gzip.decompress(data), depth + 1)
    if label.endswith(".br"):
        import brotli

        yield from expand(label + "!brotli", brotli.decompress(data), depth + 1)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                yield from expand(f"{label}!{name}", archive.read(name), depth + 1)
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        yield label + "!text", "\n".join(page.extract_text() or "" for page in reader.pages)


def every_text(output):
    for path in sorted(Path(output).rglob("*")):
        label = path.relative_to(output).as_posix()
        yield label + "!name", label  # file and folder names too
        if path.is_file():
            yield from contents(path, label)


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory):
    """The whole bundled site plus the canary entries, every page also gzipped and brotli'd."""
    base = tmp_path_factory.mktemp("canary")
    content = base / "content"
    shutil.copytree(CONTENT, content)
    shelters = content / DATA
    shelters.write_text(with_canaries(shelters.read_text(encoding="utf-8")), encoding="utf-8")
    result = pelican(
        content, base / "output", strict=True, overrides=overrides(mode="precompress", brotli=True)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output"


def test_canaries_appear_in_no_output_file(canary_site):
    compressed = 0
    for label, text in every_text(canary_site):
        compressed += "!gzip" in label or "!brotli" in label
        for canary in CANARY_STRINGS:
            assert canary not in text, f"{canary} leaked into {label}"
    assert compressed > 50, "the test plugin did not write compressed copies"


def test_public_address_does_appear_also_in_compressed_files(canary_site):
    found = {label for label, text in every_text(canary_site) if PUBLIC_ADDRESS in text}
    assert "refugios/index.html" in found
    assert "en/shelters/index.html" in found
    assert "refugios/index.html.gz!gzip" in found
    assert "en/shelters/state/puebla/index.html.br!brotli" in found


def test_confidential_entry_is_still_listed(canary_site):
    page = (canary_site / "refugios" / "index.html").read_text(encoding="utf-8")
    assert 'id="shelter-canario-confidencial"' in page
    assert "Benito Juárez, Ciudad de México" in page
    jsonld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "canario-confidencial" not in jsonld and "Refugio Canario" not in jsonld
    addresses = [item.get("address", {}) for item in json.loads(jsonld)["@graph"]]
    assert PUBLIC_ADDRESS in [address.get("streetAddress") for address in addresses]


# ---------------------------------------------------------------- planted leaks stop the build


LEAKS = {
    "gzip written at finalized": ("gz", CANARY_STREET, "assets/page.html.gz"),
    "brotli with coordinates": ("br", f"{CANARY_LAT}, {CANARY_LON}", "assets/map.json.br"),
    "gzip inside zip": ("zip", CANARY_ADDRESS, "downloads/pack.zip"),
    "PDF FlateDecode stream": ("pdf", CANARY_STREET, "downloads/folleto.pdf"),
    "rounded coordinates in HTML": ("html", "19.4173,-99.1628", "mapa/index.html"),
    "JSON written by a generator": ("early", CANARY_STREET.upper(), "search/index.json"),
    # Number first, no street type, a word split across a DOCX's runs (see test_leak_forms.py
    # for every other way of writing a location, tested without a build).
    "street and number in a DOCX": ("docx", "4711 Qx7Zv", "downloads/ficha.docx"),
}


@pytest.mark.parametrize("mode, secret, name", LEAKS.values(), ids=LEAKS.keys())
def test_a_planted_leak_stops_the_build(tmp_path, mode, secret, name):
    files = {**FIXTURE_FILES, DATA: with_canaries("shelters: []\n")}
    content = make_content(tmp_path / "content", files)
    output = tmp_path / "output"
    result = pelican(content, output, overrides=overrides(mode=mode, secret=secret, name=name))
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "Traceback" not in log, log
    lines = [line for line in log.splitlines() if line.startswith(f"output/{name}")]
    assert lines, log
    assert all('of shelter "canario-confidencial"' in line for line in lines), log
    for canary in [*CANARY_STRINGS, secret]:
        assert canary not in log, log
    assert "confidentiality check failed" in log
    # Nothing was published: the output folder was never swapped in; in the staged build the
    # leaking file is gone too, and the rest of the site is there.
    assert not output.exists()
    staged = output.with_name("output.new")
    assert not (staged / name).exists(), "the leaking file must be deleted"
    assert (staged / "refugios" / "index.html").exists()


def test_a_file_that_cannot_be_read_through_stops_the_build(tmp_path):
    files = {**FIXTURE_FILES, DATA: with_canaries("shelters: []\n")}
    content = make_content(tmp_path / "content", files)
    result = pelican(
        content,
        tmp_path / "output",
        overrides=overrides(mode="html", secret="nada", name="data/blob.zst"),
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "output/data/blob.zst: cannot read inside .zst files" in log


def test_a_public_office_on_a_confidential_shelters_street_is_published(tmp_path):
    """The scan finds a street and number however written, yet a public office on the same
    street, with its own number and coordinates, is no false positive: the build publishes it."""
    near = [
        {
            **CANARY_ENTRIES[0],
            "address": "Avenida Miguel Hidalgo 245, Col. Centro, Tapachula",
            "state": "Chiapas",
            "geo": {"lat": 14.90565, "lon": -92.263571},
        },
        {
            **CANARY_ENTRIES[1],
            "address": "Av. Miguel Hidalgo 1200, Col. Centro, Tapachula",
            "state": "Chiapas",
            "geo": {"lat": 14.9121, "lon": -92.2701},
        },
    ]
    data = yaml.safe_dump({"shelters": near}, allow_unicode=True)
    content = make_content(tmp_path / "content", {**FIXTURE_FILES, DATA: data})
    output = tmp_path / "output"
    result = pelican(content, output, overrides=overrides(mode="gz", secret="x", name="a.gz"))
    assert result.returncode == 0, result.stdout + result.stderr
    page = (output / "refugios" / "index.html").read_text(encoding="utf-8")
    assert "Av. Miguel Hidalgo 1200, Col. Centro, Tapachula" in page
    assert "14.9121" in page
    assert "Hidalgo 245" not in page and "14.90565" not in page


def test_no_confidential_location_means_no_scan_failure(tmp_path):
    """The bundled data (no real confidential location) builds; so does a public-only file."""
    public_only = yaml.safe_dump({"shelters": [CANARY_ENTRIES[1]]}, allow_unicode=True)
    content = make_content(tmp_path / "content", {**FIXTURE_FILES, DATA: public_only})
    result = pelican(
        content, tmp_path / "output", overrides=overrides(mode="gz", secret="x", name="a.gz")
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- the scanner, format by format


def needles():
    from plugins.shelters import leakcheck

    return leakcheck.address_needles("x", CANARY_ADDRESS) + leakcheck.geo_needles(
        "x", float(CANARY_LAT), float(CANARY_LON)
    )


def hits(data, name="f.html"):
    from plugins.shelters import leakcheck

    found, unreadable = leakcheck.scan_bytes(name, data, needles())
    assert unreadable == []
    return sorted({hit.field for hit in found})


def png_with(chunk_type, body):
    def chunk(kind, payload):
        crc = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(chunk_type, body)
        + chunk(b"IEND", b"")
    )


ENCODED = {
    "plain": CANARY_ADDRESS.encode(),
    "street only": f"<p>{CANARY_STREET}</p>".encode(),
    "upper case, no accents, other spacing": b"CALLE  CANARIO\tQX7ZV   #4711",
    "HTML entities": b"Calle&#32;Canario&nbsp;Qx7Zv&#x20;4711",
    "split by tags": b"Calle <b>Canario</b> <span>Qx7Zv</span> 4711",
    "JSON escapes": json.dumps({"a": "Calle\nCanario Qx7Zv 4711"}).encode(),
    "JSON unicode escapes": json.dumps("Calle Canario Qx7Zv 4711 \u00e9").encode(),
    "percent-encoded URL": b"https://maps.example/?q=Calle%20Canario%20Qx7Zv%204711",
    "percent-encoded, every byte": b"?q=%43%61%6c%6c%65%20%43anario%20Qx7Zv%20%34%37%31%31",
    "percent-encoded, beside UTF-8": b"?q=Calle%C2%A0Canario%20Qx7Zv%204711&x=%E2%82%AC%FF",
    "base64 data URI": b'<img src="data:image/svg+xml;base64,'
    + base64.b64encode(b"<svg><text>Calle Canario Qx7Zv 4711</text></svg>")
    + b'">',
    "UTF-16": "Calle Canario Qx7Zv 4711".encode("utf-16"),
    "gzip": gzip.compress(CANARY_STREET.encode()),
    "gzip in gzip": gzip.compress(gzip.compress(CANARY_STREET.encode())),
    "multi-member gzip": gzip.compress(b"a\n") + gzip.compress(CANARY_STREET.encode()),
    "PNG zTXt": png_with(b"zTXt", b"Comment\x00\x00" + zlib.compress(CANARY_STREET.encode())),
    "PNG iTXt": png_with(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + CANARY_STREET.encode()),
    # Only compressed pixels (IDAT) are passed over: every other chunk, and what follows IEND.
    "PNG tEXt": png_with(b"tEXt", b"Comment\x00" + CANARY_STREET.encode()),
    "PNG private chunk": png_with(b"prVt", b"\x00" + CANARY_STREET.encode()),
    "after a PNG's end": png_with(b"IDAT", zlib.compress(b"\x00\xff")) + CANARY_STREET.encode(),
    "PNG cut short": png_with(b"tEXt", b"x\x00" + CANARY_STREET.encode())[:-6],
}


@pytest.mark.parametrize("data", ENCODED.values(), ids=ENCODED.keys())
def test_scanner_finds_the_address_through_encodings(data):
    assert hits(data) == ["address"]


def test_the_view_without_tags_is_made_only_when_a_needle_could_be_in_it():
    """Most pages hold no word of any secret: their view without tags is not worth making. One
    that holds all the words of one, in any order or split by tags, gets it. (The joined view,
    tags removed with no space, is made for every page with a tag: it makes new words.)"""
    from plugins.shelters import leakcheck

    street = [n for n in needles() if n.field == "address"][-1]
    assert street.words  # known words: the shortcut applies
    made = leakcheck.views(b"<p>Calle Canario 4711</p><p>x</p>", needles())
    assert " calle canario 4711 x " not in made
    made = leakcheck.views(b"<p>4711 <i>Qx7Zv</i> Canario Calle</p><p>x</p>", needles())
    assert " 4711 qx7zv canario calle x " in made
    assert " calle canario x " in leakcheck.views(b"<p>Calle Canario</p><p>x</p>")  # always
    assert hits(b"<p>Calle <b>Canario</b> <span>Qx7Zv</span> 4711</p>") == ["address"]


@pytest.mark.parametrize("run", ["%20", "%c3%b1", "%C3%B1%41", "%E2%82", "%FF%41", "%F0%9F%98%80"])
def test_percent_runs_decode_as_unquote_does(run):
    from urllib.parse import unquote

    from plugins.shelters import leak_normalise

    assert leak_normalise._percent_decoded(run) == unquote(run)
    assert leak_normalise._PERCENT_RUN.fullmatch(run)


COORDINATES = {
    "as written": f"{CANARY_LAT},{CANARY_LON}",
    "latitude alone, precise": f'"lat": {CANARY_LAT}',
    "rounded to 4 decimals": "19.4173 -99.1628",
    "rounded to 3, next to each other": "19.417, -99.163",
    "map tile URL": "/tiles/19.417283/-99.162771/15.png",
    "decimal comma": "19,417283",
}


@pytest.mark.parametrize("text", COORDINATES.values(), ids=COORDINATES.keys())
def test_scanner_finds_coordinates(text):
    assert hits(text.encode()) == ["geo"]


NOT_LEAKS = {
    "a statistic near the latitude": "Hubo 19,417 casos en 2025",
    "3 decimals without the other coordinate": "19.417 km",
    "a longer number": "194172831",
    "the street name alone": "Calle Canario",
    "another number on the street": "Calle Canario Qx7Zv 47110",
}


@pytest.mark.parametrize("text", NOT_LEAKS.values(), ids=NOT_LEAKS.keys())
def test_scanner_does_not_cry_wolf(text):
    assert hits(text.encode()) == []


def test_scanner_reads_brotli_zip_and_pdf_streams(monkeypatch):
    monkeypatch.syspath_prepend(str(FIXTURES))
    import leaky

    assert hits(leaky.payload("br", CANARY_STREET), "a.json.br") == ["address"]
    assert hits(leaky.payload("zip", CANARY_STREET), "a.zip") == ["address"]
    pdf = leaky.pdf_with_text(CANARY_STREET)
    assert CANARY_STREET.encode() not in pdf  # only inside the compressed stream
    assert hits(pdf, "a.pdf") == ["address"]


def test_scanner_reads_pdf_drawn_with_subset_fonts():
    weasyprint = pytest.importorskip("weasyprint")
    pdf = weasyprint.HTML(string=f"<p>{CANARY_ADDRESS}</p>").write_pdf()
    assert CANARY_STREET.encode() not in pdf  # glyph ids: raw bytes alone would miss it
    assert hits(pdf, "folleto.pdf") == ["address"]


def test_scanner_fails_closed_on_what_it_cannot_open(tmp_path):
    from plugins.shelters import leakcheck

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    encrypted = bytearray(buffer.getvalue())
    encrypted[6] |= 1  # local header: encrypted flag
    central = encrypted.rfind(b"PK\x01\x02")
    encrypted[central + 8] |= 1
    (tmp_path / "a.zip").write_bytes(bytes(encrypted))
    (tmp_path / "b.zst").write_bytes(b"(\xb5/\xfd")
    (tmp_path / "c.gz").write_bytes(b"\x1f\x8bnot really")
    _hits, unreadable = leakcheck.scan_tree(tmp_path, needles(), "out")
    assert [u.path for u in unreadable] == ["out/a.zip", "out/b.zst", "out/c.gz"]


def test_worker_processes_and_the_memo_give_the_same_answer(tmp_path, monkeypatch):
    from plugins.shelters import leakcheck

    for number in range(12):
        (tmp_path / f"p{number}.html").write_text(f"<p>página {number}</p>")
    (tmp_path / "leak.html").write_text(f"<p>{CANARY_ADDRESS}</p>")
    (tmp_path / "gz").write_bytes(gzip.compress(f"{CANARY_LAT}, {CANARY_LON}".encode()))
    serial = leakcheck.scan_tree(tmp_path, needles(), "out")
    monkeypatch.setattr(leakcheck, "PARALLEL_FROM", 2)
    memo = set()
    assert leakcheck.scan_tree(tmp_path, needles(), "out", set(), memo, workers=2) == serial
    assert {hit.file for hit in serial[0]} == {"leak.html", "gz"}
    assert len(memo) == 12  # only the clean files are remembered
    # Remembered files are skipped, the others are still scanned and still found.
    again = set()
    assert leakcheck.scan_tree(tmp_path, needles(), "out", memo, again, workers=2) == serial
    assert again == memo  # and the skipped ones stay remembered


def test_a_folder_still_being_written_is_scanned_in_a_second_round(tmp_path):
    """The search index is written in the background: everything else is scanned first, then
    that folder alone; together the two rounds find what one scan of the tree finds."""
    from plugins.shelters import leakcheck

    (tmp_path / "leak.html").write_text(f"<p>{CANARY_ADDRESS}</p>")
    (tmp_path / "pagefind" / "fragment").mkdir(parents=True)
    (tmp_path / "pagefind" / "fragment" / "a.pf_fragment").write_bytes(
        gzip.compress(f'{{"content": "{CANARY_ADDRESS}"}}'.encode())
    )
    (tmp_path / "pagefind-entry.json").write_text(CANARY_ADDRESS)  # a file, not the folder
    whole, _ = leakcheck.scan_tree(tmp_path, needles(), "out")
    first, _ = leakcheck.scan_tree(tmp_path, needles(), "out", folders=(None, {"pagefind"}))
    second, _ = leakcheck.scan_tree(tmp_path, needles(), "out", folders=({"pagefind"}, set()))
    assert {h.file for h in first} == {"leak.html", "pagefind-entry.json"}
    assert {h.file for h in second} == {"pagefind/fragment/a.pf_fragment"}
    assert sorted(first + second, key=repr) == sorted(whole, key=repr)


def test_file_names_are_scanned(tmp_path):
    from plugins.shelters import leakcheck

    folder = tmp_path / "calle-canario-qx7zv-4711"
    folder.mkdir()
    (folder / "index.html").write_text("nada")
    found, _ = leakcheck.scan_tree(tmp_path, needles(), "out")
    assert [hit.path for hit in found] == ["out/calle-canario-qx7zv-4711/index.html (file name)"]


def test_only_entries_that_are_not_public_are_secrets(tmp_path):
    from plugins.shelters.shelters import confidential_needles

    entries = [
        {"id": "a", "address": "Calle Uno 1"},
        {"id": "b", "address": "Calle Dos 2", "public": False},
        {"id": "c", "address": "Calle Tres 3", "public": True},
        {"id": "d", "address": "Calle Cuatro 4", "public": "true"},  # not the boolean: secret
    ]
    (tmp_path / "data").mkdir()
    (tmp_path / DATA).write_text(yaml.safe_dump({"shelters": entries}))
    owners = {n.owner for n in confidential_needles({"PATH": str(tmp_path)})}
    assert owners == {"a", "b", "d"}


def test_the_scan_is_the_last_step_before_the_output_is_swapped_in():
    """Receivers run in PLUGINS order (Pelican 4.9+): on "deploy", which Pelican sends after
    "finalized" and "compress" (every page, index, PDF and compressed copy is written), the scan
    runs before plugins.atomic publishes the output, and the swap is the last receiver."""
    import blinker

    from plugins.atomic.atomic import swap_in
    from plugins.shelters.shelters import confidentiality_check

    for name in site_plugins():
        if name.startswith("plugins."):
            __import__(name, fromlist=["register"]).register()
    receivers = list(blinker.signal("deploy").receivers_for(None))
    assert receivers.index(confidentiality_check) < receivers.index(swap_in)
    assert receivers.index(swap_in) == len(receivers) - 1
