"""A pamphlet's Markdown: its layout, its ``##`` sections, and the checks run on it before
anything is read.

A tri-fold has six panels on two landscape pages: the cover and the back panel are made from
the metadata, the sections fill the three inside panels, left to right, then the fold-in flap
(so at most TRIFOLD_SECTIONS sections). A flyer is one portrait page.
"""

import os
import re
from dataclasses import dataclass, field

from alerta.content import COMMON_FIELDS, CONTENT_TYPES, content_files, read_header
from alerta.i18n import languages
from alerta.sections import section_path

__all__ = [
    "FOLDER",
    "LAYOUTS",
    "Pamphlet",
    "check_pamphlets",
    "index_path",
    "normal_layout",
    "section_lines",
    "split_sections",
    "strip_tags",
]

FOLDER = "pamphlets"  # content/pamphlets/, and the section's name in BILINGUAL["paths"]
# Layout -> pages of the finished PDF; more means the text did not fit.
LAYOUTS = {"trifold": 2, "flyer": 1}
LAYOUT_ALIASES = {"tri-fold": "trifold", "triptico": "trifold", "poster": "flyer"}
TRIFOLD_SECTIONS = 4  # the cover and the back panel are made from the metadata

H2 = re.compile(r"(?=<h2[\s>])")
HEADING_LINE = re.compile(r"^##(?!#)\s*(.*)$")
FENCE = re.compile(r"^(```|~~~)")

CONTENT_TYPES[FOLDER] = {
    "required": {"title", "lang", "layout", "audience", "short_title"},
    "optional": COMMON_FIELDS | {"date"},
}


def index_path(settings, lang):
    """`folletos/`, `en/pamphlets/`: BILINGUAL["paths"][lang]["pamphlets"] after the prefix."""
    try:
        return section_path(settings, lang, FOLDER)
    except KeyError:
        return languages(settings)[lang]["prefix"] + FOLDER + "/"


def normal_layout(value):
    value = str(value or "").strip().lower()
    return LAYOUT_ALIASES.get(value, value)


def strip_tags(html):
    return re.sub(r"<[^>]+>", "", html or "").strip()


def split_sections(html):
    """Rendered Markdown -> (intro before the first h2, [(heading html, section html)])."""
    parts = H2.split(html)
    intro, sections = parts[0].strip(), []
    for part in parts[1:]:
        heading = re.match(r"<h2[^>]*>(.*?)</h2>", part, re.S)
        sections.append((heading.group(1) if heading else "", part.strip()))
    return intro, sections


def section_lines(text, body_line):
    """Line numbers of the `## ` headings in a Markdown body (code fences skipped)."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if number < body_line:
            continue
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and HEADING_LINE.match(line):
            lines.append(number)
    return lines


@dataclass
class Pamphlet:
    source: str  # shown path, e.g. content/pamphlets/senales.es.md
    lang: str
    key: str
    slug: str
    title: str
    short_title: str
    audience: str
    layout: str
    summary: str
    verify: str
    intro: str
    sections: list
    url: str
    absolute_url: str
    folder: str
    alternates: dict = field(default_factory=dict)
    pdfs: list = field(default_factory=list)
    thumbnail: dict | None = None
    listed: bool = True  # Status: hidden builds the page and PDFs but leaves it off the index
    # "draft" only in the editors' preview (with a note; never in a print pack or the sitemap):
    # a publish build does not read drafts at all.
    status: str = "published"

    def panel_names(self):
        """(heading, page index) for panels 1..6 in document order (see the PDF template)."""
        if self.layout == "flyer":
            return [(self.short_title, 0)]
        flap = self.sections[3][0] if len(self.sections) > 3 else ""
        inside = [self.sections[i][0] if len(self.sections) > i else "" for i in range(3)]
        return [
            (flap, 0),
            (self.short_title + " (back panel)", 0),
            (self.short_title + " (cover)", 0),
            *[(name, 1) for name in inside],
        ]


# ---------------------------------------------------------------- content checks


def check_pamphlets(settings, report):
    """Layouts and section counts, with line numbers, before anything is read or rendered."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    for kind, path in content_files(settings):
        if kind != FOLDER:
            continue
        shown = os.path.relpath(path, base)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except UnicodeDecodeError:
            continue  # reported by the content check
        header, failure = read_header(text)
        if failure:
            continue  # reported by the content check
        value, line = header.fields.get("layout", ("", None))
        layout = normal_layout(value)
        if value and layout not in LAYOUTS:
            report.error(
                shown,
                f'Layout "{value}" is unknown (use one of: {", ".join(LAYOUTS)})',
                line,
            )
        elif layout == "trifold":
            headings = section_lines(text, header.body_line)
            if len(headings) > TRIFOLD_SECTIONS:
                report.error(
                    shown,
                    f"a tri-fold has room for {TRIFOLD_SECTIONS} sections (## headings) "
                    f"and this file has {len(headings)}: merge or remove some",
                    headings[TRIFOLD_SECTIONS],
                )
