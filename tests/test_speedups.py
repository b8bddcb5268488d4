"""The speed-ups change nothing: the same site with and without them, file for file."""

import json
import os
import random
import signal
from functools import partial

import pytest
from conftest import CONTENT, article, make_content, pelican
from markdown import Markdown
from pelican.settings import DEFAULT_CONFIG

import pelicanconf
from plugins.parallel_markdown.parallel_markdown import fast_markdown, markdown_config


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


def test_parallel_reading_rendering_and_cache_give_identical_output(tmp_path):
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
        "PARALLEL_RENDER": {"enabled": False},
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
    fast = {
        "PARALLEL_MARKDOWN": {"enabled": True, "min_files": 2, "workers": 2},
        "PARALLEL_RENDER": {"min_pages": 2},  # half the articles written by a forked copy
    }
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


def test_the_forked_copy_reports_what_it_wrote_and_its_errors():
    from types import SimpleNamespace

    from plugins.parallel_render import parallel_render

    writer = SimpleNamespace(_written_files={"before"}, _overridden_files=set())

    def render(names):
        for name in names:
            if name == "bad":
                raise ValueError(f"cannot render {name}")
            writer._written_files.add(name)

    def run(names):
        work = lambda: parallel_render.render_in_child(lambda: render(names), writer)  # noqa: E731
        return parallel_render.collect_child(*parallel_render.fork(work))

    kind, (written, overridden, _states) = run(["a", "b"])
    assert (kind, written, overridden) == ("ok", {"a", "b"}, set())
    kind, error = run(["a", "bad"])
    assert kind == "error" and isinstance(error, ValueError) and str(error) == "cannot render bad"
    kind, error = parallel_render.collect_child(*parallel_render.fork(lambda: os._exit(3)))
    assert kind == "error" and "failed" in str(error)
    assert writer._written_files == {"before"}  # nothing done in a copy changes the build


def test_the_split_waits_for_a_quiet_process():
    """Forking copies no thread: with an unknown thread running, Pelican's own loop is used."""
    import threading

    from plugins.parallel_render import parallel_render

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel_render.thread_locks() is None
    finally:
        stop.set()
        thread.join()


def test_files_converted_ahead_are_handed_over_and_a_dead_worker_costs_nothing(
    tmp_path, monkeypatch
):
    """Conversions run in workers while the build goes on; a chunk whose worker died is read
    by the reader itself, and the pool is gone once every file is taken."""
    from plugins.parallel_markdown import parallel_markdown as pm

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
        assert ahead.take(path) == pm.convert(path, config)
    assert ahead.pool is None and not ahead.waiting

    # Forked workers have the patched function (another test's thread may still be running).
    monkeypatch.setattr(pm.parallel_render, "can_fork", lambda: True)
    monkeypatch.setattr(pm, "convert", lambda *_args: os._exit(9))
    ahead.start(paths, config, workers=2)
    signal.signal(signal.SIGALRM, lambda *_args: pytest.fail("a chunk was never settled"))
    signal.alarm(60)
    try:
        assert [ahead.take(path) for path in paths] == [None] * len(paths)  # read here instead
    finally:
        signal.alarm(0)
    assert ahead.pool is None


def test_worker_pools_are_forked_copies_only_when_no_unknown_thread_runs(monkeypatch):
    import threading

    from plugins.parallel_render import parallel_render

    # As in a build (here, other tests may have left threads, such as the browser's, running).
    monkeypatch.setattr(threading, "enumerate", lambda: [threading.current_thread()])
    with parallel_render.process_pool(2) as pool:
        assert pool._mp_context.get_start_method() == "fork"
        assert pool.submit(pow, 2, 10).result() == 1024
        # Background work (cards, the confidentiality scan) yields the cores to the rest.
        with parallel_render.process_pool(1, background=True) as background:
            assert background.submit(os.nice, 0).result() == pool.submit(os.nice, 0).result() + 10
    monkeypatch.undo()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with parallel_render.process_pool(2) as pool:  # as inside a live-reload server
            assert pool._mp_context.get_start_method() == "spawn"
            assert pool.submit(pow, 2, 10).result() == 1024
    finally:
        stop.set()
        thread.join()


def test_background_work_overlaps_the_steps_that_allow_it_and_stops_on_failure(monkeypatch):
    from plugins.pipeline import pipeline

    events = []
    monkeypatch.setattr(pipeline, "STEPS", {"finalized": [], "deploy": []})
    monkeypatch.setattr(pipeline, "ALONGSIDE", set())
    monkeypatch.setattr(pipeline, "BACKGROUND", {})
    monkeypatch.setattr(pipeline, "AFTER", {})

    def index(_pelican):
        for folder in ("pagefind", "cards"):
            pipeline.start_background(
                folder, partial(events.append, f"{folder} done"), partial(events.append, "stop")
            )

    def audit(_pelican):
        for folder in pipeline.pending_folders():
            pipeline.when_done(folder, partial(events.append, f"audit {folder}"))

    def scan(_pelican):
        events.append(f"scan all but {pipeline.pending_folders()}")
        pipeline.finish_background(["cards"])
        events.append("scan cards")
        pipeline.finish_background(["pagefind"])
        events.append(f"scan pagefind; left: {pipeline.pending_folders()}")

    def swap(_pelican):
        events.append("swap")

    pipeline.add_step("finalized", index)
    pipeline.add_step("finalized", audit)
    pipeline.add_step("deploy", pipeline.alongside(scan))
    pipeline.add_step("deploy", swap)
    pipeline.run_finalized(None)
    pipeline.run_deploy(None)
    assert events == [
        "scan all but ['cards', 'pagefind']",
        "cards done",
        "audit cards",
        "scan cards",
        "pagefind done",
        "audit pagefind",
        "scan pagefind; left: []",
        "swap",
    ]

    # A step that does not run alongside waits for all the work; a failing one stops it.
    events.clear()
    pipeline.STEPS = {"finalized": [index], "deploy": [swap]}
    pipeline.run_finalized(None)
    pipeline.run_deploy(None)
    assert events == ["cards done", "pagefind done", "swap"]
    events.clear()

    def fail(_pelican):
        raise RuntimeError("bad")

    pipeline.STEPS["deploy"] = [pipeline.alongside(fail)]
    pipeline.run_finalized(None)
    with pytest.raises(RuntimeError):
        pipeline.run_deploy(None)
    assert events == ["stop", "stop"] and not pipeline.BACKGROUND
