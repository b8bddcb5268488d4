"""The bench measures fairly: stock columns as a Pelican user writes them, both corpora, and a
breakdown of our cold build that adds up (the bench itself is run by hand: `invoke bench`)."""

import runpy
import sys

from conftest import ROOT, SETTINGS

sys.path.insert(0, str(ROOT / "bench"))
writes_bytecode = not sys.dont_write_bytecode
import bench_report  # noqa: E402
import make_corpus  # noqa: E402
import stock_pelican  # noqa: E402
import timed_build  # noqa: E402

import bench  # noqa: E402  (bench/ is not a package: its scripts import each other by name)

sys.dont_write_bytecode = not writes_bytecode  # bench.py turns it off for its own runs


def settings_of(text):
    values = {}
    exec(text, values)  # noqa: S102  (the bench's own settings text)
    return values


def test_stock_settings_are_quickstarts_with_our_urls_and_markdown(tmp_path):
    ours = runpy.run_path(str(SETTINGS))
    stock = settings_of(stock_pelican.stock_settings(ours, str(tmp_path)))
    assert stock["DEFAULT_PAGINATION"] == 10 and ours["DEFAULT_PAGINATION"] is False
    assert stock["THEME"] == "simple" and stock["PLUGINS"] == []
    for name in ("MARKDOWN", "ARTICLE_URL", "ARTICLE_LANG_SAVE_AS", "PAGE_URL", "SLUGIFY_SOURCE"):
        assert stock[name] == ours[name], name
    # Pelican's own listings are left on (ours turns them off and writes its own).
    assert "INDEX_SAVE_AS" not in stock and "DIRECT_TEMPLATES" not in stock
    i18n = settings_of(stock_pelican.i18n_settings(ours, str(tmp_path), str(tmp_path / "l")))
    assert i18n["DEFAULT_PAGINATION"] == 10
    assert i18n["PLUGINS"] == ["pelican.plugins.i18n_subsites"]


def test_every_difference_is_stated_in_the_docstring():
    for words in ("DEFAULT_PAGINATION = 10", '"simple" theme', "i18n_subsites", "bundled"):
        assert words in bench.__doc__, words


def test_the_bundled_corpus_adds_the_pairs_to_the_whole_site(tmp_path):
    written = make_corpus.make_corpus(tmp_path / "c", 2, bundled=True)
    for folder in ("events", "film", "pamphlets", "data", "pages"):
        assert (tmp_path / "c" / folder).is_dir(), folder
    real = {p.name for p in (ROOT / "content" / "articles").iterdir()}
    assert real < {p.name for p in (tmp_path / "c" / "articles").iterdir()}
    assert len(written) == 2
    make_corpus.make_corpus(tmp_path / "s", 2)
    assert not (tmp_path / "s" / "events").exists()


def test_the_breakdown_is_exclusive_and_adds_up_to_the_wall_time():
    timed_build.TOTALS.clear()
    clock = iter([0.0, 1.0, 3.0, 10.0])  # outer starts, inner starts, inner ends, outer ends
    real = timed_build.time.perf_counter
    timed_build.time.perf_counter = lambda: next(clock)
    try:
        inner = timed_build.timed("Markdown", lambda: None)
        timed_build.timed("plugins.cards.cards", inner)()
    finally:
        timed_build.time.perf_counter = real
    assert dict(timed_build.TOTALS) == {"Markdown": 2.0, "plugins.cards.cards": 8.0}
    times = {"parts": {k: {"seconds": v} for k, v in timed_build.TOTALS.items()}}
    parts = bench_report.breakdown(times, wall=12.0)
    assert parts == {
        "cards (Open Graph images)": 8.0,
        "Markdown": 2.0,
        "start-up and the rest": 2.0,
    }


def test_timed_cold_build_runs_ours_through_the_timer():
    command = bench.ours_command("c", "o", "k", (bench.OURS_PYTHON, bench.TIMED_BUILD, "t", "--"))
    assert command[:4] == [bench.OURS_PYTHON, bench.TIMED_BUILD, "t", "--"]
    assert command[4:7] == ["c", "-o", "o"] and "--fatal" in command
