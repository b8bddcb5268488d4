"""axe and keyboard checks on one page of every kind the site has, both languages, two widths."""

import pytest
from conftest import html_files

from browser.conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser


def kinds(output):
    """One page per kind: its path with the last part wildcarded (articulos/*, en/tags/*...)."""
    found = {}
    for page in html_files(output):
        parts = page.relative_to(output).parts
        if parts[0] == "_editors" or parts[-1] != "index.html" and parts[-1] != "404.html":
            continue
        shape = "/".join(parts[:-2] + ("*",)) if len(parts) > 2 else "/".join(parts)
        found.setdefault(shape, "/" + "/".join(parts).removesuffix("index.html"))
    return sorted(found.values())


@pytest.fixture(scope="module")
def pages(built_site):
    return kinds(built_site)


def test_there_are_many_kinds_of_page(pages):
    assert len(pages) >= 12, pages


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_on_every_kind_of_page(visit, site_url, pages, viewport):
    v = visit(viewport=viewport)
    failures = {}
    for path in pages:
        v.page.goto(site_url + path)
        found = axe_violations(v.page)
        if found:
            failures[path] = found
    assert failures == {}
    assert v.external == []


FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el.dataset.seen) return null;  // the end, or wrapped
    el.dataset.seen = "1";
    const style = getComputedStyle(el);
    const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== 'none';
    return {tag: el.tagName, text: (el.textContent || el.getAttribute('aria-label') || '')
        .trim().slice(0, 40), visible};
}"""


def test_skip_link_and_focus_order_and_visible_focus(visit, site_url, pages):
    v = visit(viewport=PHONE)
    problems = []
    for path in pages:
        v.page.goto(site_url + path)
        v.page.keyboard.press("Tab")
        first = v.page.evaluate("document.activeElement.getAttribute('href')")
        if first != "#main":
            problems.append(f"{path}: first Tab reaches {first}, not the skip link")
            continue
        v.page.keyboard.press("Enter")
        if v.page.evaluate("document.activeElement.id") != "main":
            problems.append(f"{path}: the skip link does not move focus to the content")
        v.page.goto(site_url + path)
        seen_main = False
        for _ in range(40):
            v.page.keyboard.press("Tab")
            state = v.page.evaluate(FOCUS_VISIBLE)
            if state is None:
                break
            if not state["visible"]:
                problems.append(f"{path}: no visible focus on {state}")
            inside_main = v.page.evaluate("!!document.activeElement.closest('main')")
            if seen_main and v.page.evaluate("!!document.activeElement.closest('.app-header')"):
                problems.append(f"{path}: focus went back to the header after the content")
            seen_main = seen_main or inside_main
    assert problems == [], "\n".join(problems[:20])
