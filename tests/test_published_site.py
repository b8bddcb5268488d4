"""The publish build of the bundled content: finished, confirmed content only.

Every file of the output is read as a visitor's device or a subscriber's calendar would get it
(compressed files and search fragments unpacked, PDFs as text, zips opened), and none may hold
an editor's note: not a `Verify:` text, not a data entry's note, not the preview's banner."""

import gzip
import io
import re
import zipfile

import pypdf
import pytest
import yaml
from conftest import CONTENT, html_files

pytestmark = pytest.mark.slow

# What only the preview shows.
MARKERS = [
    "app-editor-note",
    "app-preview-banner",
    "app-verify",
    "app-pending",
    "_editors",
    "pendiente de verificación",
    "pending verification",
    "por verificar",
    "borrador:",
    "draft:",
    "antes de publicar",
    "before publishing",
    "editores@example.org",
]


def notes():
    """Every editor's note written in the content: `Verify:` lines and data `verify_note`s."""
    found = []
    for path in sorted(CONTENT.rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                break
            if line.lower().startswith("verify:"):
                found.append((str(path), line.split(":", 1)[1].strip()))
    for path in sorted((CONTENT / "data").glob("*.yml")):
        text = path.read_text(encoding="utf-8")

        def walk(value, path=path):
            if isinstance(value, dict):
                for key, inner in value.items():
                    if key in ("verify_note", "verify") and isinstance(inner, dict):
                        found.extend((str(path), str(text)) for text in inner.values())
                    elif key == "verify" and isinstance(inner, str):
                        found.append((str(path), inner))
                    else:
                        walk(inner)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(yaml.safe_load(text))
    return [(where, note) for where, note in found if len(note) > 20]


def readable(name, data):
    """The text a file holds, however it is packed."""
    if data[:2] == b"\x1f\x8b":
        return readable(name.removesuffix(".gz"), gzip.decompress(data))
    if data[:4] == b"%PDF":
        return "\n".join(
            page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages
        )
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(readable(n, archive.read(n)) for n in archive.namelist())
    if name.endswith((".png", ".jpg", ".jpeg", ".webp", ".ico", ".woff2", ".wasm")):
        return ""
    return data.decode("utf-8", errors="ignore")


@pytest.fixture(scope="module")
def texts(published_site):
    return {
        str(path.relative_to(published_site)): readable(path.name, path.read_bytes())
        for path in sorted(published_site.rglob("*"))
        if path.is_file()
    }


def squeeze(text):
    return re.sub(r"\s+", " ", text).lower()


def test_no_editors_report_and_no_preview_marks(published_site, texts):
    assert not (published_site / "_editors").exists()
    for name, text in texts.items():
        if name.endswith((".css", ".css.gz")):
            continue  # the stylesheet styles the preview's notes; it shows none
        lowered = squeeze(text)
        for marker in MARKERS:
            assert marker not in lowered, f"{name}: {marker!r}"


def test_no_editors_note_in_any_file_pdf_search_feed_or_calendar(texts):
    kinds = {name.rsplit(".", 1)[-1] for name in texts}
    assert {"html", "pdf", "ics", "xml", "pf_fragment"} <= kinds  # every kind was looked at
    found = notes()
    assert found, "the bundled content has notes for the preview"
    for name, text in texts.items():
        lowered = squeeze(text)
        for where, note in found:
            # A note's opening words: long enough never to be ordinary text.
            assert squeeze(note)[:60] not in lowered, f"{name} holds the note of {where}"


def test_every_page_has_the_hotline_and_no_unknown_twice_per_state(published_site):
    for path in html_files(published_site):
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        assert 'href="tel:+528005533000"' in text, path
    for path in (published_site / "legislacion").rglob("index.html"):
        lowered = path.read_text(encoding="utf-8").lower()
        rows = re.findall(r"<tr\b.*?</tr>", lowered, flags=re.S)
        for row in rows:
            assert row.count("se desconoce") <= 1, (path, row[:200])
