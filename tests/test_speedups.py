"""The speed-ups change nothing: the same site with and without them, file for file."""

import json
import os
import random
import signal

import pytest
from conftest import CONTENT, article, make_content, pelican
from markdown import Markdown
from pelican.settings import DEFAULT_CONFIG

import pelicanconf
from plugins.parallel_markdown import converting, speedups
from plugins.parallel_markdown.converting import markdown_config
from plugins.parallel_markdown.speedups import fast_markdown


def comparable(path):
    # Pagefind writes its entry file's languages in no fixed order: compare what it says.
    if path.name == "pagefind-entry.json":
        return json.loads(path.read_bytes())
    return path.read_bytes()


def files(folder):
    return {
        p.relative_to(folder): comparable(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "_editors" not in p.parts
    }


def test_parallel_reading_and_cache_give_identical_output(tmp_path):
    pages = {}
    for number in range(30):
        body = (
            f"## Sección {number}\n\nTexto con **negritas**, *cursivas*, una nota[^1] y "
            f"una tabla.\n\n| a | b |\n|---|---|\n| {number} | x |\n\n[^1]: Nota {number}.\n"
            '\n*[ONU]: Organización de las Naciones Unidas\n\nLa ONU "dice" -- algo.\n'
        )
        pages[f"articles/a{number}.es.md"] = article(
            f"Artículo {number}", "es", f"k{number}", f"a{number}", body=body, Tags="x, y"
        )
        pages[f"articles/a{number}.en.md"] = article(
            f"Article {number}", "en", f"k{number}", f"a{number}-en", body=body
        )
    content = make_content(tmp_path / "content", pages)
    stock = {
        "PARALLEL_MARKDOWN": {"enabled": False},
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
    fast = {"PARALLEL_MARKDOWN": {"enabled": True, "min_files": 2, "workers": 2}}
    assert pelican(content, tmp_path / "stock", overrides=stock).returncode == 0
    assert pelican(content, tmp_path / "fast", overrides=fast).returncode == 0
    assert files(tmp_path / "stock") == files(tmp_path / "fast")
    # Warm: everything from the cache, and one edited file re-read.
    assert pelican(content, tmp_path / "fast", overrides=fast).returncode == 0
    assert files(tmp_path / "stock") == files(tmp_path / "fast")


# Markdown's significant characters and constructs, mixed at random below.
PIECES = [
    *("'", '"', "--", "---", "...", "`", "\\", "[", "]", "(", ")", "![", "<", ">", "&"),
    *("&amp;", "&nbsp;", "  \n", "\n", "\n\n", "*", "_", "**", " ", "word", "ñ", "'80s", "\t"),
    *("http://x.y", "<b>", "</b>", "x@y.z", "# ", "- ", "1. ", "|", "{: .c}", "—", "–"),
    *("[^1]", "[^1]: nota\n", "*[ONU]: Org\n", "    code\n", "```\n", "[a](/b)", "[a]: /b\n"),
    # Block constructs: quotes, headers, rules, lists, definitions, tables, nesting.
    *("> ", "\n> ", "===", "\n---\n", "***", "___", "+ ", "10. ", "#", "Term\n: def\n"),
    *("| a | b |\n|---|---|\n| c | d |\n", "\n\n    ", "\n    - ", "a | b\n- | -\n"),
]


def test_skipping_patterns_and_block_processors_changes_no_html():
    """Our converter skips inline patterns and block processors that cannot match; it must
    give stock HTML."""
    config = markdown_config({**DEFAULT_CONFIG, "MARKDOWN": pelicanconf.MARKDOWN})
    stock, fast = Markdown(**config), fast_markdown(config)
    rng = random.Random(7)
    documents = [path.read_text(encoding="utf-8") for path in sorted(CONTENT.rglob("*.md"))]
    documents += [
        "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(4000)
    ]
    for document in documents:
        stock.reset()
        fast.reset()
        assert fast.convert(document) == stock.convert(document), document


def reader_settings(**extra):
    return {**DEFAULT_CONFIG, "MARKDOWN": dict(pelicanconf.MARKDOWN), **extra}


def test_our_reader_reads_as_pelicans_own(tmp_path, caplog):
    """One reused converter, the metadata as Pelican reads it: formatted fields, duplicates
    (a warning, the first kept), lists; the same for every file of the bundled site."""
    from pelican.readers import MarkdownReader as StockReader

    from plugins.parallel_markdown.reader import MarkdownReader

    odd = tmp_path / "odd.md"
    odd.write_text(
        "Title: Uno\nSlug: uno\nSlug: dos\nSummary: *breve* -- [^1]\nTags: a, b\nFoo: x\nFoo: y\n\n"
        'Texto[^1] con *énfasis* y "comillas".\n\n[^1]: Nota.\n',
        "utf-8",
    )
    sources = [odd, *sorted(CONTENT.rglob("*.md"))]
    settings = reader_settings(FORMATTED_FIELDS=["summary"])
    ours, stock = (
        MarkdownReader(settings),
        StockReader(reader_settings(FORMATTED_FIELDS=["summary"])),
    )
    for _round in range(2):  # the second time, every file after a reset
        for source in sources:
            assert ours.read(str(source)) == stock.read(str(source)), source
    assert "Duplicate definition of `slug`" in caplog.text


def test_another_markdown_version_gets_stock_markdown_and_the_same_html(
    tmp_path, monkeypatch, caplog
):
    """The speed-ups run only on the Markdown they were fuzzed against: on any other version
    the converter is stock Markdown, the log says why once, and the pages do not change."""
    import logging

    from markdown.blockparser import BlockParser
    from markdown.treeprocessors import InlineProcessor

    from plugins.parallel_markdown.reader import MarkdownReader

    config = markdown_config(reader_settings())
    assert speedups.MARKDOWN_VERSION == speedups.FUZZED_VERSION  # as pinned in requirements.txt
    fast = speedups.converter(config)
    assert type(fast.parser) is not BlockParser
    sources = sorted(CONTENT.rglob("*.md"))
    before = [MarkdownReader(reader_settings()).read(str(source)) for source in sources]

    caplog.set_level(logging.INFO, logger=speedups.__name__)
    monkeypatch.setattr(speedups, "MARKDOWN_VERSION", "3.99.0")
    monkeypatch.setattr(converting, "_CONVERTERS", {})  # as in a new build process
    speedups._say_off.cache_clear()
    md = speedups.converter(config)
    assert type(md.parser) is BlockParser
    assert type(md.treeprocessors["inline"]) is InlineProcessor
    assert type(md.treeprocessors["smarty"]) is InlineProcessor
    after = [MarkdownReader(reader_settings()).read(str(source)) for source in sources]
    assert after == before
    assert all(type(md.parser) is BlockParser for md in converting._CONVERTERS.values())
    said = [r.getMessage() for r in caplog.records if r.name == speedups.__name__]
    assert said == [
        "Markdown speed-ups off: they were tested with Markdown 3.11.3, this is 3.99.0; "
        "using stock Markdown (same output, slower)"
    ]


def die(*_args):
    os._exit(9)


def test_files_converted_ahead_are_handed_over_and_a_dead_worker_costs_nothing(
    tmp_path, monkeypatch
):
    """Conversions run in workers while the build goes on; a chunk whose worker died is read
    by the reader itself, and the pool is gone once every file is taken."""
    from plugins.parallel_markdown import ahead as pm

    config = markdown_config({**DEFAULT_CONFIG, "MARKDOWN": pelicanconf.MARKDOWN})
    paths = []
    for number in range(40):  # 20 chunks of 2: most wait for a worker to be free
        path = tmp_path / f"f{number}.md"
        path.write_text(f'Title: T{number}\n\n*Texto* {number} -- "citado".\n', "utf-8")
        paths.append(str(path))
    ahead = pm.Ahead()
    ahead.start(paths, config, workers=2)
    assert ahead.pool is not None
    for path in paths:
        assert ahead.take(path) == converting.convert(path, config)
    assert ahead.pool is None and not ahead.waiting

    monkeypatch.setattr(pm, "convert_chunk", die)  # spawned workers import it from here
    ahead.start(paths, config, workers=2)
    signal.signal(signal.SIGALRM, lambda *_args: pytest.fail("a chunk was never settled"))
    signal.alarm(60)
    try:
        assert [ahead.take(path) for path in paths] == [None] * len(paths)  # read here instead
    finally:
        signal.alarm(0)
    assert ahead.pool is None
