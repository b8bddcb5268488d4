"""Pamphlet pages in Chromium: printing from the browser gives a clean pamphlet, and the
pages pass axe."""

import io
import re

import pypdf
import pytest

from browser.conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

PAGES = {
    "es": ("/folletos/reconozca-las-senales/", "Salida rápida", ["Artículos", "Folletos"]),
    "en": ("/en/pamphlets/recognise-the-signs/", "Quick exit", ["Articles", "Pamphlets"]),
}


def squash(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", PAGES)
def test_printing_a_pamphlet_page_leaves_out_navigation_and_quick_exit(site_url, visit, lang):
    path, exit_text, nav_texts = PAGES[lang]
    browser = visit(viewport=DESKTOP)
    browser.page.goto(site_url + path)
    screen = browser.page.inner_text("body")
    assert exit_text in screen and all(text in screen for text in nav_texts)  # on screen

    pdf = browser.page.pdf(format="Letter", print_background=False)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert exit_text not in text
    for word in nav_texts:
        assert not re.search(rf"(?m)^\s*{word}\s*$", text), word  # no navigation links
    assert "Download" not in text and "Descargar" not in text
    assert squash("800 5533 000") in squash(text)
    assert squash(f"http://127.0.0.1:8000{path}") in squash(text)  # the printed address
    assert len(reader.pages) <= 3
    assert browser.external == []


@pytest.mark.parametrize("path", ["/folletos/", "/en/pamphlets/", "/folletos/llame-a-la-linea/"])
def test_pamphlet_pages_pass_axe(site_url, visit, path):
    browser = visit(viewport=PHONE)
    browser.page.goto(site_url + path)
    assert axe_violations(browser.page) == []
    assert browser.external == []
