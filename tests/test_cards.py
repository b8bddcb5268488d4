"""Open Graph tags, social cards, share links, favicons and manifests."""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, html_files
from PIL import Image, ImageFont

from plugins.cards.drawing import fit_title, wrap

BOLD = ROOT / "theme" / "fonts" / "DejaVuSans-Bold.ttf"


class Head(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.meta, self.links, self.anchors, self.scripts = {}, [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("property"):
            self.meta.setdefault(attrs["property"], []).append(attrs.get("content"))
        if tag == "link":
            self.links.append(attrs)
        if tag == "a":
            self.anchors.append(attrs.get("href") or "")
        if tag == "script":
            self.scripts.append(attrs.get("src"))


def head(path):
    return Head(Path(path).read_text(encoding="utf-8"))


def card_path(output, page):
    url = page.meta["og:image"][0]
    return Path(output) / url.split("/", 3)[3]


def test_every_page_has_open_graph_and_a_card(built_site):
    for path in html_files(built_site):
        if path.parts[-1] == "404.html" or "pagefind" in path.parts:
            continue
        page = head(path)
        for name in ("og:title", "og:description", "og:url", "og:locale", "og:image"):
            assert page.meta.get(name) and page.meta[name][0], f"{path}: {name}"
        assert page.meta["og:url"][0].startswith("http")
        assert any(link.get("rel") == "canonical" for link in page.links), path
        with Image.open(card_path(built_site, page)) as card:
            assert card.format == "PNG"
            assert card.size == (1200, 630)


def test_cards_differ_per_language_and_locales_are_paired(built_site):
    es = head(built_site / "articulos" / "senales" / "index.html")
    en = head(built_site / "en" / "articles" / "signs" / "index.html")
    assert es.meta["og:locale"] == ["es_MX"] and es.meta["og:locale:alternate"] == ["en_US"]
    assert en.meta["og:locale"] == ["en_US"] and en.meta["og:locale:alternate"] == ["es_MX"]
    assert es.meta["og:title"][0].startswith("Señales")
    es_card, en_card = card_path(built_site, es), card_path(built_site, en)
    assert es_card != en_card
    assert es_card.read_bytes() != en_card.read_bytes()
    with Image.open(es_card) as a, Image.open(en_card) as b:
        assert a.size == b.size == (1200, 630)
        assert a.convert("RGB").tobytes() != b.convert("RGB").tobytes()


def test_share_links_are_plain_urls(built_site):
    page = head(built_site / "articulos" / "senales" / "index.html")
    shares = [h for h in page.anchors if h.startswith(("https://wa.me/?text=", "mailto:?"))]
    assert len(shares) == 2
    assert any("facebook.com/sharer" in h for h in page.anchors)
    # Nothing from another host is loaded: every script is ours.
    assert all(src and src.startswith("/") for src in page.scripts)


@pytest.mark.parametrize(
    "title",
    [
        "¿Qué hacer si sospecha que una persona es víctima de trata? Señales y derechos",
        "Interinstitucionalmente-desaparecidas-localizadas y reintegradas",
        "Supercalifragilísticoespialidosoextraordinariamentelarguísima palabra",
        "Llame al 800\u00a05533\u00a0000",
    ],
)
def test_titles_wrap_inside_the_card(title):
    font = ImageFont.truetype(str(BOLD), 64)
    lines = wrap(title, font, 1040)
    assert all(font.getlength(line) <= 1040 for line in lines)
    joined = "".join(lines).replace(" ", "").replace("-", "").replace("\u00a0", "")
    assert joined == title.replace(" ", "").replace("-", "").replace("\u00a0", "")
    for line in lines:
        assert not line.endswith(("¿", "¡")) and not line.startswith(("?", "!"))
    if "\u00a0" in title:
        assert any("800\u00a05533\u00a0000" in line for line in lines)


def test_a_smaller_size_is_preferred_to_breaking_a_word():
    # At 76 px the long word is wider than a line, and three lines would fit only if it broke.
    font, lines, _height = fit_title(
        "Palabras extraordinariamentelarguísimas", str(BOLD), 1040, 280
    )
    assert lines == ["Palabras", "extraordinariamentelarguísimas"] and font.size == 56


def test_long_title_shrinks_then_ends_with_an_ellipsis():
    font, lines, _height = fit_title("palabra " * 80, str(BOLD), 1040, 270)
    assert len(lines) <= 4 and lines[-1].endswith("…")
    assert font.size == min(range(76, 43, -4))


def test_icons_and_a_manifest_per_language(built_site):
    with Image.open(built_site / "favicon.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48)} <= set(ico.info["sizes"])
    for name, size in {
        "icon-192.png": 192,
        "icon-512.png": 512,
        "icon-maskable-512.png": 512,
        "apple-touch-icon.png": 180,
    }.items():
        with Image.open(built_site / "icons" / name) as icon:
            assert icon.size == (size, size)
    es = json.loads((built_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    en = json.loads((built_site / "en" / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert es["lang"] == "es-MX" and en["lang"] == "en"
    assert es["start_url"] == "/" and en["start_url"] == "/en/"
    assert es["description"] != en["description"]
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in es["icons"]}
    assert any(icon.get("purpose") == "maskable" for icon in en["icons"])
    for lang_home, page in (("", "articulos/senales"), ("en/", "en/articles/signs")):
        links = head(built_site / page / "index.html").links
        manifest = [link["href"] for link in links if link.get("rel") == "manifest"]
        assert manifest == [f"/{lang_home}manifest.webmanifest"]


@pytest.mark.slow
def test_cards_are_cached_by_content(tmp_path):
    from conftest import FIXTURE_FILES, make_content, pelican

    content = make_content(tmp_path / "content", FIXTURE_FILES)
    overrides = {"CACHE_PATH": str(tmp_path / "cache")}
    first = pelican(content, tmp_path / "one", overrides=overrides)
    assert first.returncode == 0, first.stdout + first.stderr
    cards = tmp_path / "cache" / "cards"
    before = {p.name: p.stat().st_mtime_ns for p in cards.iterdir()}
    assert len(before) >= 10
    second = pelican(content, tmp_path / "two", overrides=overrides)
    assert second.returncode == 0, second.stdout + second.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cards.iterdir()} == before
    assert sorted(p.name for p in (tmp_path / "two" / "cards").iterdir()) == sorted(before)


def test_many_missing_cards_are_drawn_by_workers_while_pages_render(tmp_path, monkeypatch):
    from plugins.cards import cards

    monkeypatch.setattr(cards, "PARALLEL_FROM", 3)
    monkeypatch.setattr(cards, "BATCH", 2)
    monkeypatch.setattr(cards, "worker_count", lambda: 1)  # as on 2 cores
    opts = cards.options({"THEME": str(ROOT / "theme"), "CACHE_PATH": str(tmp_path)})
    drawer = cards.Drawer()
    for number in range(6):
        job = {"title": f"Título {number}", "site": "S", "label": "Línea", "number": "800"}
        drawer.book(f"k{number}", job, opts)
    # The pool starts at the 3rd card, which sends the 3 booked so far; then batches of 2
    # (cards 3 and 4); card 5 waits for the end, and is drawn here.
    assert drawer.pool is not None and len(drawer.futures) == 2 and len(drawer.pending) == 1
    drawer.finish()
    assert drawer.pool is None and drawer.drawn == 6 and len(drawer.jobs) == 6
    for number in range(6):
        with Image.open(tmp_path / "cards" / f"k{number}.png") as image:
            assert image.size == (1200, 630) and image.mode == "P"
            assert not image.info.get("transparency")


def test_an_unknown_cards_setting_stops_the_build_with_a_suggestion():
    from alerta.options import SettingsProblem
    from plugins.cards import cards

    settings = {"THEME": str(ROOT / "theme"), "CACHE_PATH": "/tmp", "CARDS": {"backgrund": "#000"}}
    with pytest.raises(SettingsProblem, match='did you mean "background"'):
        cards.options(settings)
