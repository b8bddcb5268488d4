"""The red-team table (issue 19): one real build per numbered finding, as an adversarial editor
would try it.

Each bad input must stop the build with exactly one line naming the file (and line), no
traceback, and the previous output byte for byte as it was. Harmless inputs must build, and
build right. The detailed tables for each finding live beside the code that handles it
(test_leak_forms, test_outside_files, test_data_files, test_content_bad_input,
test_build_process, test_numbers); this one proves each end to end, in one place.
"""

import fcntl
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_FILES, ROOT, article, make_content, one_clear_line, pelican
from PIL import Image

pytestmark = pytest.mark.slow

SHELTER = {
    "id": "casa-prueba",
    "name": "Casa de Prueba",
    "state": "09",
    "services": ["shelter"],
    "description": {"es": "Refugio de prueba.", "en": "Test shelter."},
    "address": "Avenida Miguel Hidalgo 245, Col. Inventada",
    "geo": {"lat": 14.90565, "lon": -92.26358},
}


def shelters(*entries):
    return yaml.safe_dump({"shelters": list(entries)}, allow_unicode=True, sort_keys=False)


def edit(content, name, old, new):
    path = content / "data" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def gps_jpeg():
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = image.getexif()
    exif[0x8825] = {1: "N", 2: (14.0, 54.0, 20.0), 3: "W", 4: (92.0, 15.0, 48.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def leak_in_an_article(content, tmp):
    (content / "data" / "shelters.yml").write_text(shelters(SHELTER), encoding="utf-8")
    (content / "articles" / "visita.es.md").write_text(
        article("Visita", "es", "visit", body="Nos vemos en Av. Hidalgo No. 245—a dos cuadras."),
        encoding="utf-8",
    )
    (content / "articles" / "visit.en.md").write_text(
        article("Visit", "en", "visit", body="See you there."), encoding="utf-8"
    )


def symlink_out_of_content(content, tmp):
    (tmp / "secret.txt").write_text("CI_TOKEN=do-not-publish")
    (content / "images").mkdir()
    (content / "images" / "foto.jpg").symlink_to(tmp / "secret.txt")


def script_in_images(content, tmp):
    (content / "images").mkdir()
    (content / "images" / "evil.js").write_text("alert(document.cookie)")


def hotlines_as_a_list(content, tmp):
    (content / "data" / "hotlines.yml").write_text("- 911\n- 089\n", encoding="utf-8")


def alias_bomb(content, tmp):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 9):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [{','.join(['*' + chr(96 + n)] * 9)}]")
    (content / "data" / "shelters.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def save_as_the_home_page(content, tmp):
    (content / "pages" / "inicio.es.md").write_text(
        "Title: Inicio\nLang: es\nSave_as: index.html\n\nOtra portada.\n", encoding="utf-8"
    )


def another_build_is_writing(content, tmp):
    """Point 8: a second build while the first holds the output's lock."""


def dead_number(content, tmp):
    (content / "articles" / "senales.es.md").write_text(
        article("Señales", "es", "signs", "senales", body="Llame al 01-800-5533-000."),
        encoding="utf-8",
    )


def gps_photo_in_the_theme(content, tmp):
    theme = tmp / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "img").mkdir(exist_ok=True)
    (theme / "static" / "img" / "gps.jpg").write_bytes(gps_jpeg())


def two_primary_hotlines(content, tmp):
    edit(
        content, "hotlines.yml", "  - id: emergencias\n", "  - id: emergencias\n    primary: true\n"
    )


CASES = {
    "1 leak: the address written another way": (
        leak_in_an_article,
        "output/articulos/visita/index.html: contains the confidential address",
        "output/articulos/visita/index.html: ",
    ),
    "2 a symlink out of content/": (symlink_out_of_content, "outside", "content/images/foto.jpg"),
    "3 JavaScript in content/images/": (script_in_images, "evil.js", "content/images/evil.js"),
    "5 a data file of the wrong shape": (
        hotlines_as_a_list,
        '"hotlines:" must be a list',
        "content/data/hotlines.yml:1: ",
    ),
    "6 a YAML alias bomb": (alias_bomb, "anchors and aliases", "content/data/shelters.yml:1: "),
    "7 a page that replaces the home page": (
        save_as_the_home_page,
        "index.html",
        "content/pages/inicio.es.md:3: ",
    ),
    "8 two builds into one folder": (another_build_is_writing, "another build is writing", None),
    "9 a dead 01 800 number": (dead_number, "01-800-5533-000", "content/articles/senales.es.md:"),
    "10 a GPS photo in the theme": (gps_photo_in_the_theme, "carries metadata", "output/"),
    "11 two primary help lines": (
        two_primary_hotlines,
        "primary: true is already given",
        "content/data/hotlines.yml:",
    ),
}


def digest(folder):
    result = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        result.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            result.update(path.read_bytes())
    return result.hexdigest()


@pytest.mark.parametrize("plant, message, where", CASES.values(), ids=CASES.keys())
def test_bad_input_stops_the_build_with_one_line(tmp_path, plant, message, where):
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    plant(content, tmp_path)
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the site as it was")
    before = digest(output)
    overrides = {}
    if (tmp_path / "theme").exists():
        overrides["THEME"] = str(tmp_path / "theme")
    if plant is another_build_is_writing:
        with open(f"{output}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            result = pelican(content, output, overrides=overrides)
    else:
        result = pelican(content, output, overrides=overrides)
    one_clear_line(result, message, where)
    assert digest(output) == before


def test_4_a_shelter_name_that_looks_like_markup_builds_right(tmp_path):
    name = 'Casa <!--<script> & </script> "Luz"'
    entry = {
        **SHELTER,
        "name": name,
        "public": True,
        "verified_on": "2026-11-30",
        "address": "Avenida Publica Visible 10, Col. Centro",
    }
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    (content / "data" / "shelters.yml").write_text(shelters(entry), encoding="utf-8")
    result = pelican(content, tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "output" / "refugios" / "index.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>") and "app-footer" in page
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "<" not in block
    names = [item.get("name") for item in json.loads(block)["@graph"]]
    assert name in names
