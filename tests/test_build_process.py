"""The build as a process: Ctrl+C, workers after a SIGKILL, two builds into one folder, audits
that stop the build, a pamphlet too long to render, an archive that expands without end
(issue 19, points 6, 7, 8 and 10)."""

import fcntl
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURE_FILES, ROOT, SETTINGS, make_content, one_clear_line, pelican
from PIL import Image
from test_pamphlets import PAIR, pamphlet

from alerta import workers
from plugins.pamphlets import budget, pamphlets
from plugins.shelters import leakcheck

GPS_IFD = 0x8825
SENTENCE = "Si alguien controla sus documentos o su dinero, puede pedir ayuda sin dar su nombre."


def command(content, output, overrides=None):
    """conftest.pelican's command line, for a build started in the background."""
    overrides = {"CACHE_PATH": f"{output}.cache", **(overrides or {})}
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-o",
        str(output),
        "-s",
        str(SETTINGS),
        "--log-handler",
        "plain",
        "--fatal",
        "errors",
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]


def start(content, output, overrides=None):
    return subprocess.Popen(
        command(content, output, overrides),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def finish(process, timeout=300):
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def wait_for(condition, process, timeout=120):
    """Poll `condition()` until it is true while `process` runs; fail if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        assert process.poll() is None, "the build ended first:\n" + "".join(finish(process)[2:])
        time.sleep(0.005)
    raise AssertionError("timed out")


def tree(folder):
    return {
        path.relative_to(folder): path.read_bytes()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def previous_output(output):
    """An output folder as a previous build left it."""
    (output / "articulos").mkdir(parents=True)
    (output / "index.html").write_text("<p>the last good site</p>")
    (output / "articulos" / "index.html").write_text("<p>its articles</p>")
    return tree(output)


def alive(pid):
    """Running, or stopped: not ended (a zombie no one reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] != b"Z"


def beside(output):
    """What the build left beside its output folder (staging, old copy, lock), its cache
    aside."""
    names = (p.name for p in output.parent.iterdir() if p.name.startswith(output.name + "."))
    return sorted(name for name in names if name != output.name + ".cache")


linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


# ---------------------------------------------------------------- Ctrl+C


@linux_only
def test_interrupted_build_fails_and_leaves_the_output_as_it_was(tmp_path):
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    output = tmp_path / "output"
    before = previous_output(output)
    # Workers too (a Markdown pool from the first file), so Ctrl+C must end them as well.
    build = start(content, output, {"PARALLEL_MARKDOWN": {"min_files": 1}})
    pids = wait_for(lambda: workers.children(build.pid), build)
    wait_for((output.parent / "output.new").exists, build)  # it has started writing
    build.send_signal(signal.SIGINT)
    result = finish(build, timeout=60)
    assert result.returncode == 130, result.stdout + result.stderr
    one_clear_line(result, "Build interrupted: the previous output was left as it was")
    assert tree(output) == before
    assert beside(output) == []  # no staging folder, old copy or lock left
    time.sleep(0.5)
    assert not [pid for pid in pids if alive(pid)]


# ---------------------------------------------------------------- workers die with the build


@linux_only
@pytest.mark.parametrize(
    "files, overrides",
    [
        (FIXTURE_FILES, {"PARALLEL_MARKDOWN": {"min_files": 1}}),  # the Markdown pool
        (PAIR, {"PAMPHLETS": {"workers": 2}}),  # the pamphlets' pool
    ],
    ids=["markdown", "pamphlets"],
)
def test_workers_die_when_the_build_is_killed(tmp_path, files, overrides):
    content = make_content(tmp_path / "content", files)
    build = start(content, tmp_path / "output", overrides)
    pids = wait_for(lambda: workers.children(build.pid), build)
    build.kill()
    build.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    left = [pid for pid in pids if alive(pid)]
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} worker(s) outlived the build"


WORKERS = """
import functools, os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from alerta import workers
if __name__ == "__main__":
    pool = workers.pool(2)
    busy = [pool.submit(time.sleep, 60) for _ in range(2)]
    program = subprocess.Popen(
        ["sleep", "60"], preexec_fn=functools.partial(workers.die_with_parent, os.getpid())
    )
    while len(workers.children()) < 4:  # both workers, the pool's tracker and the program
        time.sleep(0.05)
    print(os.getpid(), flush=True)
    time.sleep(60)
"""


@linux_only
def test_every_kind_of_worker_dies_with_its_parent(tmp_path):
    """The shared pool (cards, leak scan, Markdown, pamphlets) and a program the build starts
    (Pagefind), started by a parent that is then killed."""
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKERS, str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    assert int(parent.stdout.readline()) == parent.pid
    children = workers.children(parent.pid)
    assert len(children) == 4
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.05)
    assert not [pid for pid in children if alive(pid)]


# ---------------------------------------------------------------- one build at a time


def test_a_build_stops_at_once_while_another_holds_the_folder(tmp_path):
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    output = tmp_path / "output"
    before = previous_output(output)
    staging = tmp_path / "output.new"  # what the other build is writing
    staging.mkdir()
    (staging / "index.html").write_text("<p>the other build's page</p>")
    with open(tmp_path / "output.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = pelican(content, output)
    one_clear_line(result, f"another build is writing to {output}: wait for it to finish")
    assert tree(output) == before
    assert tree(staging) == {Path("index.html"): b"<p>the other build's page</p>"}


def test_two_builds_into_one_folder_publish_one_whole_build(tmp_path):
    # Pamphlets make the first build long enough for the second to start meanwhile.
    first = make_content(tmp_path / "first", {**FIXTURE_FILES, **PAIR})
    other = {**FIXTURE_FILES, **PAIR}
    other["articles/senales.es.md"] = other["articles/senales.es.md"].replace(
        "zarzamora", "frambuesa"
    )
    second = make_content(tmp_path / "second", other)
    output = tmp_path / "output"
    one = start(first, output, {"PAMPHLETS": {"workers": 1}})
    wait_for((tmp_path / "output.lock").exists, one)
    two = finish(start(second, output))
    one = finish(one)
    assert one.returncode == 0, one.stdout + one.stderr
    one_clear_line(two, f"another build is writing to {output}: wait for it to finish")
    page = (output / "articulos" / "senales" / "index.html").read_text()
    assert "zarzamora" in page and "frambuesa" not in page  # the first build's, whole
    assert (output / "folletos" / "prueba" / "prueba-carta.pdf").exists()
    assert beside(output) == []


# ---------------------------------------------------------------- audits stop the build


def gps_jpeg():
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = image.getexif()
    exif[GPS_IFD] = {1: "N", 2: (19.0, 25.0, 10.0), 3: "W", 4: (99.0, 8.0, 1.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_a_gps_photo_in_the_theme_stops_the_build(tmp_path):
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "img").mkdir()
    (theme / "static" / "img" / "gps.jpg").write_bytes(gps_jpeg())
    output = tmp_path / "output"
    before = previous_output(output)
    result = pelican(content, output, overrides={"THEME": str(theme)})
    one_clear_line(result, "output/theme/img/gps.jpg: carries metadata (EXIF")
    assert tree(output) == before


def test_a_pagefind_failure_stops_the_build(tmp_path, monkeypatch):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: the index could not be written' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    output = tmp_path / "output"
    before = previous_output(output)
    result = pelican(content, output)
    line = one_clear_line(result, "Pagefind could not index the site")
    assert "the index could not be written" in line
    assert tree(output) == before


# ---------------------------------------------------------------- pamphlets: a budget


def test_a_section_too_long_is_reported_before_weasyprint_runs(tmp_path):
    body = "\n\n".join([SENTENCE] * 400)  # an ordinary article's length
    files = {**PAIR, "pamphlets/prueba.es.md": pamphlet(body=body)}
    content = make_content(tmp_path / "content", files)
    cache = tmp_path / "cache"
    started = time.monotonic()
    result = pelican(content, tmp_path / "output", overrides={"CACHE_PATH": str(cache)})
    assert time.monotonic() - started < 60
    line = one_clear_line(
        result,
        'the text overflows the tri-fold\'s six panels: "Uno" does not fit',
        "content/pamphlets/prueba.es.md:11: ",  # the section's heading
    )
    assert "lines where there is room for" in line
    # WeasyPrint never ran: not a PDF was made, not even the English pamphlet's, which fits.
    assert not list(cache.rglob("*.pdf"))


def test_text_that_slips_past_the_estimate_is_found_by_weasyprint(tmp_path):
    # 18 sentences: the estimate (which errs towards "fits") lets them through; they do not fit.
    body = "\n\n".join(" ".join([SENTENCE] * 3) for _ in range(6))
    files = {**PAIR, "pamphlets/prueba.es.md": pamphlet(body=body)}
    content = make_content(tmp_path / "content", files)
    overrides = {"PAMPHLETS": {"papers": ["letter"], "workers": 1}}
    result = pelican(content, tmp_path / "output", overrides=overrides)
    one_clear_line(result, '"Uno" does not fit (3 pages instead of 2 on letter paper)')


def test_the_estimate_lets_every_bundled_pamphlet_through():
    import markdown

    for path in sorted((ROOT / "content" / "pamphlets").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        layout = "flyer" if "Layout: flyer" in text else "trifold"
        sections = pamphlets.split_sections(markdown.markdown(text.split("\n\n", 1)[1]))[1]
        assert budget.section_overflows(layout, sections, pamphlets.PAPERS) == [], path.name


def long_document():
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(400))
    return f"<html><body>{paragraphs}</body></html>"


def test_weasyprint_stops_when_its_time_is_up():
    import weasyprint

    previous = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(budget.OverBudget, match="more than 0.2 seconds"), budget.limits(0.2):
        weasyprint.HTML(string=long_document()).render()
    assert time.monotonic() - started < 10
    assert signal.getsignal(signal.SIGALRM) == previous


# ---------------------------------------------------------------- an archive without end


def test_a_zip_bomb_fails_closed_quickly_in_little_memory():
    """612 KB of zip holding three members of 200 MB each: one unreadable part, at once."""
    buffer = io.BytesIO()
    zeros = b"\0" * (1 << 20)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for number in range(3):
            with archive.open(f"m{number}.txt", "w", force_zip64=True) as member:
                for _ in range(200):
                    member.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 700_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        hits, unreadable = leakcheck.scan_bytes("pack.zip", data, [])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 150 * 2**20
    assert hits == [] and [item.path for item in unreadable] == ["pack.zip"]


IN_PROCESS = """
import json, os, signal, sys
from pelican import main
content, output, bad = sys.argv[1:4]
for folder in (bad, content):
    try:
        main([folder, "-o", output, "-s", "pelicanconf.py", "--log-handler", "plain",
              "-e", f"CACHE_PATH={json.dumps(output + '.cache')}"])
        code = 0
    except SystemExit as stop:
        code = stop.code
    print(json.dumps({
        "code": code,
        "lock": os.path.exists(output + ".lock"),
        "ctrl_c": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
    }), flush=True)
"""


def test_a_failed_run_lets_go_of_the_folder_for_the_next(tmp_path):
    """`invoke livereload` runs Pelican again and again in one process: a failed run must
    not keep the folder locked, nor Ctrl+C, while the server waits for the next save."""
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    bad = make_content(tmp_path / "bad", {**FIXTURE_FILES, "articles/x.es.md": "No header\n"})
    output = tmp_path / "output"
    result = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(content), str(output), str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    runs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [run["code"] for run in runs] == [1, 0], result.stdout + result.stderr
    assert not any(run["lock"] for run in runs)
    assert all(run["ctrl_c"] for run in runs)
    assert (output / "articulos" / "senales" / "index.html").exists()
