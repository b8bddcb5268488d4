"""Type sized to the room: each panel's text grows until it fills most of its panel.

A pamphlet's sections differ in length, so one type size leaves short panels mostly empty.
The PDF is laid out once at the stylesheet's sizes (11 pt text); each panel's fill is read
from WeasyPrint's anchors (the panel's box, ``panel-N``, and the empty span that ends it,
``panel-N-end``); then the panels that are less than GOOD full get a larger font size, by
a few more layouts, and the fullest layout where every panel still fits is kept. Sizes
inside panels are in em, so headings and lists grow with the text; the hotline numbers are
in pt and stay as the stylesheet sets them (a number must never be pushed out of its box).

Nothing here can make text overflow: a layout in which any panel runs past its page is
never kept, and the first layout is the one the page-count check has always judged.
"""

import math
import re

__all__ = ["BASE_PT", "MAX_SCALE", "panel_fills", "fitted_document"]

BASE_PT = 11  # theme/pdf/pamphlet.css: html { font-size: 11pt }
MAX_SCALE = 1.55  # about 17 pt: larger reads as shouting and wraps lists every two words
TARGET = 0.92  # fill aimed at
GOOD = 0.85  # a panel at least this full is left as it is
ROUNDS = 3  # layouts after the first, at most
MIN_FILL = 0.05  # below this a panel is empty (a pamphlet with fewer sections than panels)
PX = 96 / 25.4  # CSS px per mm
# Free space (mm) the stylesheet keeps at a panel's top and bottom: tri-fold panel padding,
# the flyer's page margin (the flyer section starts at the margin).
PADDING = {"trifold": 10, "flyer": 0}
BOTTOM = {"trifold": 10, "flyer": 12}
PANEL = re.compile(r"^panel-(\d+)$")


def panel_fills(document, layout):
    """{panel number: (page index, fill)}: the share of the panel's height its text takes;
    fill None when the panel's end is not on the page where it starts (it overflowed)."""
    starts, ends = {}, {}
    for index, page in enumerate(document.pages):
        for name, box in page.anchors.items():
            match = PANEL.match(name)
            if match:
                starts.setdefault(int(match.group(1)), (index, box, page.height))
            elif name.startswith("panel-") and name.endswith("-end"):
                ends.setdefault(int(name[6:-4]), (index, box))
    fills = {}
    for number, (index, box, height) in starts.items():
        top = box[1] + PADDING[layout] * PX
        bottom = height - BOTTOM[layout] * PX
        end = ends.get(number)
        if end is None or end[0] != index:
            fills[number] = (index, None)
        else:
            fills[number] = (index, (end[1][1] - top) / (bottom - top))
    return fills


def scale_css(scales):
    return "".join(
        f"#panel-{number} {{ font-size: {BASE_PT * scale:.2f}pt }}\n"
        for number, scale in sorted(scales.items())
        if scale > 1
    )


class Panel:
    """What is known of one panel: the largest scale that fits (and its fill), the smallest
    that did not, and the growth rate measured between two layouts."""

    def __init__(self, page, fill):
        self.page, self.fits, self.fill, self.too_big = page, 1.0, fill, None
        self.power = 1.8  # fill ~ scale ** power: 1 for lines that never wrap, 2 for prose

    def wants_more(self):
        return self.fill < GOOD and self.fits < MAX_SCALE - 0.01

    def next_scale(self):
        guess = self.fits * (TARGET / self.fill) ** (1 / self.power)
        ceiling = MAX_SCALE if self.too_big is None else (self.fits + self.too_big) / 2
        return round(min(guess, ceiling, MAX_SCALE), 3)

    def learn(self, scale, page, fill):
        if page != self.page:
            return  # pushed along by a panel before it that overflowed: nothing learnt
        if fill is None or fill > 1:
            self.too_big = scale if self.too_big is None else min(self.too_big, scale)
        elif scale > self.fits:
            growth = math.log(max(fill, 1e-3) / self.fill) / math.log(scale / self.fits)
            self.power = min(2.2, max(0.8, growth))
            self.fits, self.fill = scale, fill


def fitted_document(render, layout, pages):
    """The fullest layout whose panels all fit. `render(extra_css)` lays the PDF out with an
    extra stylesheet ("" for none); `pages` is the page count the layout must keep."""
    document = render("")
    if len(document.pages) != pages:
        return document  # too long even at the smallest size: reported by the caller
    panels = {
        number: Panel(page, fill)
        for number, (page, fill) in panel_fills(document, layout).items()
        if fill is not None and fill > MIN_FILL  # an empty panel has nothing to grow
    }
    kept = ""  # the extra stylesheet of `document`
    for _round in range(ROUNDS):
        growing = {n: panel.next_scale() for n, panel in panels.items() if panel.wants_more()}
        if not growing:
            break
        css = scale_css({n: panel.fits for n, panel in panels.items()} | growing)
        attempt = render(css)
        fills = panel_fills(attempt, layout)
        for number, scale in growing.items():
            panels[number].learn(scale, *fills.get(number, (None, None)))
        if len(attempt.pages) == pages and all(
            fill is not None and fill <= 1 for _page, fill in fills.values()
        ):
            document, kept = attempt, css
    best = scale_css({n: panel.fits for n, panel in panels.items()})
    if best == kept:
        return document
    final = render(best)  # every panel at the largest size it fitted at, in one layout
    return final if len(final.pages) == pages else document
