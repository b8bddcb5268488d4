"""Pagefind: one index per language, content only, search pages with their own CSP."""

import json
import re
import shutil

import pytest
from conftest import html_files

from plugins.search.search import csp_with, damaged_files


def entry(output):
    return json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def test_one_index_per_language_with_content_pages_only(built_site):
    languages = entry(built_site)["languages"]
    assert set(languages) == {"es-mx", "en"}
    bodies = {"es-mx": 0, "en": 0}
    for path in html_files(built_site):
        text = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in text:
            lang = re.search(r'<html lang="([^"]+)"', text).group(1).lower()
            bodies[lang] += 1
    for code, info in languages.items():
        assert info["page_count"] == bodies[code] > 0
    # The UI is ours: served from output/pagefind/, nothing from a CDN.
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (built_site / "pagefind" / name).exists()


def test_listings_are_not_indexed(built_site):
    for path in ("index.html", "articulos/index.html", "en/index.html", "buscar/index.html"):
        assert "data-pagefind-body" not in (built_site / path).read_text(encoding="utf-8")


def test_only_search_pages_allow_webassembly(built_site):
    search_pages = {
        built_site / "buscar" / "index.html",
        built_site / "en" / "search" / "index.html",
    }
    for path in html_files(built_site):
        if "pagefind" in path.parts:
            continue
        policy = re.search(
            r'http-equiv="Content-Security-Policy" content="([^"]+)"',
            path.read_text(encoding="utf-8"),
        ).group(1)
        if path in search_pages:
            assert "script-src &#39;self&#39; &#39;wasm-unsafe-eval&#39;;" in policy, path
        else:
            assert "wasm" not in policy and "script-src &#39;self&#39;;" in policy, path


def test_search_page_without_javascript(built_site):
    es = (built_site / "buscar" / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "search" / "index.html").read_text(encoding="utf-8")
    assert "La búsqueda necesita JavaScript." in es and "Search needs JavaScript." in en
    # No form outside the inert <template> that search.js puts in place: without JavaScript a
    # form could only put the words typed into the browser's history (issue 18).
    for page in (es, en):
        outside = re.sub(r"<template data-search-form>.*?</template>", "", page, flags=re.S)
        assert "<form" not in outside and "<input" not in outside
        assert "<template data-search-form>" in page and 'name="q"' not in page
    assert 'href="/refugios/"' in es and 'href="/linea-contra-la-trata/"' in es
    assert 'href="/categorias/' in es and 'href="/etiquetas/' in es
    assert 'href="/en/categories/' in en and 'href="/en/tags/' in en
    assert 'data-text-zero-results="No hay resultados para [SEARCH_TERM]"' in es
    # The Pagefind UI is fetched only when a search starts, so the page itself stays light.
    assert "pagefind-ui.js" not in es and 'data-bundle="/pagefind/"' in es


def test_every_page_links_search_in_its_language(built_site):
    for path in html_files(built_site):
        if "pagefind" in path.parts or path.name == "404.html":
            continue
        text = path.read_text(encoding="utf-8")
        target = "/en/search/" if '<html lang="en">' in text else "/buscar/"
        assert f'href="{target}"' in text, path


def test_csp_with_adds_sources_once():
    policy = "default-src 'self'; script-src 'self'"
    assert csp_with(policy, {"script-src": ["'wasm-unsafe-eval'"]}) == (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
    )
    twice = csp_with(csp_with(policy, {"script-src": ["'x'"]}), {"script-src": ["'x'"]})
    assert twice.count("'x'") == 1
    assert csp_with(policy, {"worker-src": ["'self'"]}).endswith("; worker-src 'self'")


def test_a_cut_pagefind_file_is_found_so_the_index_is_redone(built_site, tmp_path):
    assert damaged_files(built_site / "pagefind") == []
    bundle = tmp_path / "pagefind"
    shutil.copytree(built_site / "pagefind", bundle)
    wasm = next(bundle.glob("wasm.*.pagefind"))
    wasm.write_bytes(wasm.read_bytes()[:1000])
    (bundle / "pagefind-entry.json").write_text('{"version": ')
    (bundle / "pagefind-ui.js").write_bytes(b"")  # as Pagefind's Python API once left it
    assert damaged_files(bundle) == ["pagefind-entry.json", "pagefind-ui.js", wasm.name]


def test_pagefind_writes_a_sound_bundle_and_a_damaged_one_is_made_again(
    built_site, tmp_path, caplog
):
    from plugins.search import search

    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
    bundle = site / "pagefind"
    exclude = search.options({})["exclude_selectors"]
    command = search.pagefind_command(str(site), str(bundle), exclude)
    langs = {"es": {"html_lang": "es-MX", "name": "Español"}}
    job = search.Indexing(command, str(bundle), str(tmp_path / "cache" / "fingerprint"))
    job.start()
    assert job.wait() is None  # a sound bundle, written in full before Pagefind exits
    assert entry(site)["languages"] == entry(built_site)["languages"]
    for name in ("pagefind-ui.js", "pagefind-highlight.js", "pagefind.js"):
        assert (bundle / name).read_bytes() == (built_site / "pagefind" / name).read_bytes()

    # Damaged every time: made again INDEX_ATTEMPTS times, then the build stops, nothing cached.
    from alerta.report import BuildStopped

    runs = []
    cut = f"import os; os.makedirs({str(bundle)!r}); open(os.path.join({str(bundle)!r}, "
    cut += "'pagefind-entry.json'), 'w').write('{')"
    job = search.Indexing(["python3", "-c", cut], str(bundle), str(tmp_path / "c2" / "f"))
    start = job.start
    job.start = lambda: (runs.append(1), start())
    job.start()
    damaged = r"could not index the site \(it wrote a damaged index: pagefind-entry.json\)"
    with pytest.raises(BuildStopped, match=damaged):
        job.finish(langs)
    assert len(runs) == search.INDEX_ATTEMPTS
    assert not (tmp_path / "c2").exists()

    # A failing command: its last line is the error, once.
    caplog.clear()
    job = search.Indexing(
        ["python3", "-c", "import sys; sys.exit('Error: no such site')"],
        str(bundle),
        str(tmp_path / "cache3" / "fingerprint"),
    )
    job.start()
    with pytest.raises(BuildStopped, match=r"could not index the site \(Error: no such site\)"):
        job.finish(langs)
