"""Pamphlets worth handing out, measured on the bundled PDFs (issue 18): every panel is mostly
text, the hotline number is large, the cover says the title once.

Text is read back with pypdfium2 (glyph boxes in points, origin bottom left) and pypdf (font
sizes through the text and page matrices); panels are cut from the page by the widths the
plugin gives WeasyPrint.
"""

import math
import re
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from conftest import CONTENT

from plugins.checks import checks
from plugins.pamphlets import budget, fit, pamphlets

PT = 72 / 25.4  # points per mm
INDEX = {"es": "folletos", "en": "en/pamphlets"}
PAPERS = {"carta": "letter", "letter": "letter", "a4": "a4"}
NUMBER = "5533"
# "No panel more than about a third empty": text spans at least this share of a panel's height.
FULL_ENOUGH = 0.66


def bundled():
    """(lang, slug, layout, title, short title) of each pamphlet in content/pamphlets/."""
    result = []
    for path in sorted((CONTENT / "pamphlets").glob("*.md")):
        header, _ = checks.read_header(path.read_text(encoding="utf-8"))
        field = {name: value for name, (value, _line) in header.fields.items()}
        result.append(
            (field["lang"], field["slug"], field["layout"], field["title"], field["short_title"])
        )
    return result


PAMPHLETS = bundled()
IDS = [item[1] for item in PAMPHLETS]


def pdfs(site, lang, slug):
    files = sorted((Path(site) / INDEX[lang] / slug).glob("*.pdf"))
    assert len(files) == 2, files  # Letter and A4
    return [(path, PAPERS[path.stem.rsplit("-", 1)[1]]) for path in files]


def panels(layout, paper, page_index, width, height):
    """[(name, left, right, top, bottom)] in points, top/bottom from the page's bottom: the
    area text may use (inside the panel padding or the flyer's page margin)."""
    if layout == "flyer":
        margin = budget.FLYER_MARGIN * PT
        return [("flyer", margin, width - margin, height - margin, margin)]
    full, narrow = (size * PT for size in pamphlets.panel_widths(paper))
    widths = [narrow, full, full] if page_index == 0 else [full, full, narrow]
    names = ["flap", "back", "cover"] if page_index == 0 else ["inside 1", "inside 2", "inside 3"]
    pad = budget.PANEL_PADDING[0] * PT
    result, left = [], 0.0
    for name, panel_width in zip(names, widths, strict=True):
        result.append((name, left, left + panel_width, height - pad, pad))
        left += panel_width
    return result


def glyph_boxes(page):
    """(character, (left, bottom, right, top)) of every visible character on a page."""
    text_page = page.get_textpage()
    try:
        count = text_page.count_chars()
        text = text_page.get_text_range(0, count)
        return [
            (text[index], text_page.get_charbox(index))
            for index in range(min(count, len(text)))
            if not text[index].isspace()
        ]
    finally:
        text_page.close()


def fullness(boxes, left, right, top, bottom):
    """(share of the panel's height from its highest to its lowest text, largest empty gap
    between two lines as a share of that height)."""
    inside = [box for _char, box in boxes if left <= (box[0] + box[2]) / 2 <= right]
    if not inside:
        return 0.0, 1.0
    spans = sorted((box[1], box[3]) for box in inside)
    gaps, reach = [], spans[0][1]
    for low, high in spans[1:]:
        if low > reach:
            gaps.append(low - reach)
        reach = max(reach, high)
    height = top - bottom
    text_top = max(box[3] for box in inside)
    text_bottom = min(box[1] for box in inside)
    return (text_top - text_bottom) / height, max(gaps, default=0) / height


def measure(path, layout, paper):
    """{panel name: (fullness, largest gap)} for every panel of one PDF."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        result = {}
        for index in range(len(document)):
            page = document[index]
            boxes = glyph_boxes(page)
            for name, left, right, top, bottom in panels(
                layout, paper, index, page.get_width(), page.get_height()
            ):
                result[name] = fullness(boxes, left, right, top, bottom)
        return result
    finally:
        document.close()


def number_sizes(page):
    """[(x in points, font size in points)] of the text runs holding the hotline number."""
    found = []

    def visit(text, cm, tm, _font, size):
        if NUMBER in text:
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            found.append((x, size * scale))

    page.extract_text(visitor_text=visit)
    return found


def squash(text):
    return re.sub(r"\W+", "", text).lower()


@pytest.mark.parametrize("lang, slug, layout, title, short", PAMPHLETS, ids=IDS)
def test_no_panel_is_more_than_a_third_empty(built_site, lang, slug, layout, title, short):
    for path, paper in pdfs(built_site, lang, slug):
        for name, (full, gap) in measure(path, layout, paper).items():
            assert full >= FULL_ENOUGH, f"{path.name}: {name} panel is {1 - full:.0%} empty"
            # Spread out is not full: no hole of more than a quarter of the panel either.
            assert gap <= 0.25, f"{path.name}: {name} panel has a {gap:.0%} gap"


@pytest.mark.parametrize("lang, slug, layout, title, short", PAMPHLETS, ids=IDS)
def test_the_number_is_large_on_the_poster_and_the_cover(
    built_site, lang, slug, layout, title, short
):
    for path, paper in pdfs(built_site, lang, slug):
        page = pypdf.PdfReader(path).pages[0]
        sizes = number_sizes(page)
        if layout == "flyer":
            assert max(size for _x, size in sizes) >= 40, (path.name, sizes)
            continue
        full, narrow = (size * PT for size in pamphlets.panel_widths(paper))
        cover = [size for x, size in sizes if x >= narrow + full]
        assert cover and max(cover) >= 28, (path.name, sizes)


@pytest.mark.parametrize("lang, slug, layout, title, short", PAMPHLETS, ids=IDS)
def test_the_cover_says_the_title_once(built_site, lang, slug, layout, title, short):
    for path, paper in pdfs(built_site, lang, slug):
        document = pypdfium2.PdfDocument(str(path))
        try:
            page = document[0]
            text_page = page.get_textpage()
            if layout == "flyer":
                cover = text_page.get_text_range()
            else:
                _name, left, right, top, bottom = panels(
                    layout, paper, 0, page.get_width(), page.get_height()
                )[2]
                cover = text_page.get_text_bounded(left, bottom, right, top)
            text_page.close()
        finally:
            document.close()
        shown = squash(cover)
        # The tri-fold's cover is headed by the title, the poster by the short title; the
        # other wording is not repeated under it.
        heading, other = (short, title) if layout == "flyer" else (title, short)
        assert shown.count(squash(heading)) == 1, (path.name, cover)
        assert squash(other) not in shown.replace(squash(heading), "", 1), (path.name, cover)


def test_the_fitter_never_keeps_a_layout_that_overflows():
    """A panel that overflows at a larger size keeps the size that fitted (fit.Panel)."""
    panel = fit.Panel(page=1, fill=0.4)
    first = panel.next_scale()
    assert 1 < first <= fit.MAX_SCALE
    panel.learn(first, page=1, fill=None)  # ran past its page
    assert panel.fits == 1.0 and panel.too_big == first
    second = panel.next_scale()
    assert 1 < second < first
    panel.learn(second, page=1, fill=0.85)
    assert panel.fits == second and not panel.wants_more()
    panel.learn(1.5, page=2, fill=0.3)  # pushed along by another panel: nothing learnt
    assert panel.fits == second and panel.too_big == first
