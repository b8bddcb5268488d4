"""A pamphlet's budget: text that cannot fit is found before WeasyPrint runs, and WeasyPrint
gets a time limit, so an overflow is reported in seconds, not minutes.

WeasyPrint lays out an overflowing panel again for every page it spills onto: a section of
80 sentences took two and a half minutes, one of 400 did not finish in fifteen. So:

- ``section_overflows`` measures each section against its panel before anything is rendered:
  lines needed (each paragraph, item and heading wrapped at an optimistic number of
  characters per line) against the lines the panel holds. The estimate errs towards "fits":
  what it reports cannot fit; what slips through is found by WeasyPrint's page count.
- ``limits`` stops a render after ``seconds``, and a worker still busy after that is ended by
  the build.
"""

import html
import math
import re

from alerta.printing import OverBudget, time_limit

__all__ = ["OverBudget", "limits", "section_overflows", "text_problems"]

PT = 25.4 / 72  # mm per point
# From theme/pdf/pamphlet.css: body text, tri-fold panel padding, flyer page margin.
FONT_PT, LINE_HEIGHT = 11, 1.35
PANEL_PADDING = (10, 8)  # mm: top and bottom, left and right
FLYER_MARGIN = 12  # mm
FLYER_COLUMNS, FLYER_GAP = 2, 8  # mm
# DejaVu Sans averages about 0.55 em a character in running text; 0.45 overstates what fits.
CHAR_EM = 0.45

BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|dd|dt|blockquote|tr|pre)>|<br\s*/?>", re.I)
TAG = re.compile(r"<[^>]+>")


def lines_needed(section_html, chars_per_line):
    """Lines the section's blocks take at `chars_per_line` (each block starts a line)."""
    total = 0
    for block in BLOCK_END.split(section_html):
        text = " ".join(html.unescape(TAG.sub(" ", block)).split())
        if text:
            total += math.ceil(len(text) / chars_per_line)
    return total


def panel_room(width_mm, height_mm):
    """(characters per line, lines) of a box of text at the body font."""
    em = FONT_PT * PT
    return max(1, int(width_mm / (CHAR_EM * em))), int(height_mm / (LINE_HEIGHT * em))


def trifold_rooms(paper_size, fold_in):
    """Room of the panels sections go to, by section index: the three inside panels (the
    last one folds in), then the fold-in flap (see theme/templates/pamphlet_pdf.html)."""
    width, height = max(paper_size), min(paper_size)
    full = (width + fold_in) / 3
    narrow = full - fold_in
    top_bottom, sides = PANEL_PADDING
    inner = height - 2 * top_bottom
    return [panel_room(w - 2 * sides, inner) for w in (full, full, narrow, narrow)]


def flyer_room(paper_size):
    """The flyer's columns, as one long column (its title and help lines left out)."""
    width, height = paper_size
    column = (width - 2 * FLYER_MARGIN - (FLYER_COLUMNS - 1) * FLYER_GAP) / FLYER_COLUMNS
    per_line, lines = panel_room(column, height - 2 * FLYER_MARGIN)
    return per_line, lines * FLYER_COLUMNS


def section_overflows(layout, sections, papers):
    """[(section index or None for the whole flyer, lines needed, lines of room, paper)]
    for the text that cannot fit, on the first paper where it does not."""
    found = []
    for name, paper in papers.items():
        if layout == "flyer":
            per_line, room = flyer_room(paper["size"])
            needed = sum(lines_needed(body, per_line) for _heading, body in sections)
            if needed > room:
                found.append((None, needed, room, name))
        else:
            for index, ((_heading, body), (per_line, room)) in enumerate(
                zip(sections, trifold_rooms(paper["size"], paper["fold_in"]), strict=False)
            ):
                needed = lines_needed(body, per_line)
                if needed > room and index not in [item[0] for item in found]:
                    found.append((index, needed, room, name))
    return found


def text_problems(layout, sections, papers, heading_lines):
    """[(line or None, message)] for the text that cannot fit; `heading_lines` are the lines
    of the sections' ``##`` headings in the source."""
    problems = []
    for index, needed, room, paper in section_overflows(layout, sections, papers):
        size = f"about {needed} lines where there is room for {room} on {paper} paper"
        if index is None:
            problems.append((None, f"the text overflows the flyer's page ({size}); shorten it"))
            continue
        line = heading_lines[index] if index < len(heading_lines) else None
        problems.append(
            (
                line,
                f"the text overflows the tri-fold's six panels: "
                f'"{html.unescape(TAG.sub("", sections[index][0]))}" does not fit ({size}); '
                "shorten it",
            )
        )
    return problems


# WeasyPrint's time limit is the shared engine's (alerta.printing); kept here by name.
limits = time_limit
