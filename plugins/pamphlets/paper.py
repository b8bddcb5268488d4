"""Paper: the sizes a pamphlet is printed on, the tri-fold's panel widths on each, and how a
paper and a file size are named in the page's language."""

from babel.numbers import format_decimal
from babel.units import format_unit

from alerta.i18n import gettext

__all__ = ["PAPERS", "file_size", "panel_widths", "paper_css", "paper_label"]

# Paper: name -> portrait (width, height) in mm, and how much narrower the fold-in panel of a
# tri-fold is (print-shop convention: 1/16 in on Letter, 3 mm on A4: 100 + 100 + 97 mm).
PAPERS = {
    "letter": {"size": (215.9, 279.4), "fold_in": 1.5875},
    "a4": {"size": (210.0, 297.0), "fold_in": 3.0},
}


def N_(message):
    """Marks a theme string for extraction (babel.cfg); translated when shown (gettext)."""
    return message


PAPER_NAMES = {"letter": N_("Letter"), "a4": N_("A4")}


def panel_widths(paper):
    """Tri-fold panel widths in mm: (full panel, fold-in panel); three add up to the sheet."""
    long_side = max(PAPERS[paper]["size"])
    narrower = PAPERS[paper]["fold_in"]
    full = (long_side + narrower) / 3
    return round(full, 3), round(full - narrower, 3)


def paper_css(paper, layout):
    """The page size and panel widths for one paper; added to the print stylesheet."""
    width, height = PAPERS[paper]["size"]
    if layout == "trifold":
        full, fold_in = panel_widths(paper)
        return (
            f"@page {{ size: {height}mm {width}mm; margin: 0 }}\n"
            f".pdf-side {{ width: {height}mm; height: {width}mm }}\n"
            f".pdf-panel {{ width: {full}mm }}\n"
            f".pdf-panel--fold-in {{ width: {fold_in}mm }}\n"
        )
    return f"@page {{ size: {width}mm {height}mm }}\n"


def paper_label(settings, paper, lang):
    """ "Carta", "Letter", "A4": the paper's name in `lang` (theme catalogs)."""
    return gettext(settings, lang, PAPER_NAMES.get(paper, paper.upper()))


def file_size(size, locale):
    """Bytes -> "212 kB" / "1,2 MB" in the page's language (CLDR units through Babel)."""
    if size < 1_000_000:
        kilobytes = max(1, round(size / 1000))
        return format_unit(kilobytes, "digital-kilobyte", length="short", locale=locale)
    megabytes = format_decimal(round(size / 1_000_000, 1), locale=locale)
    return format_unit(megabytes, "digital-megabyte", length="short", locale=locale)
