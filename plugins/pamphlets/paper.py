"""Paper: the tri-fold's panel widths on each paper size (the sizes, and how a paper and a file
size are named in the page's language, are the shared engine's: alerta.printing)."""

from alerta.printing import N_, PAPERS, file_size, paper_label

__all__ = ["N_", "PAPERS", "file_size", "panel_widths", "paper_css", "paper_label"]


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
