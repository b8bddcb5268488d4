"""The shared core (alerta/): settings, files, the build record, translation and sections."""

import os
import re
import stat
import threading
from pathlib import Path

import pytest

from alerta import build, files, i18n, sections, workers
from alerta.options import SettingsProblem, options
from alerta.report import BuildStopped

DEFAULTS = {"stale_months": 12, "paths": {"es": "a", "en": "b"}, "workers": 0}


# ---------------------------------------------------------------- options


def test_options_merge_over_defaults():
    merged = options({"X": {"workers": 2}}, "X", DEFAULTS)
    assert merged == {**DEFAULTS, "workers": 2}
    assert options({}, "X", DEFAULTS) == DEFAULTS


def test_options_unknown_key_says_did_you_mean():
    with pytest.raises(SettingsProblem) as error:
        options({"SHELTERS": {"stale_month": 6}}, "SHELTERS", DEFAULTS)
    message = str(error.value)
    assert message.startswith('SHELTERS["stale_month"] is not a setting')
    assert 'did you mean "stale_months"?' in message
    assert "\n" not in message
    assert isinstance(error.value, BuildStopped)  # one line, no traceback, nothing written


def test_options_unknown_key_without_close_match_lists_known():
    with pytest.raises(SettingsProblem, match=r"known: paths, stale_months, workers"):
        options({"X": {"zzz": 1}}, "X", DEFAULTS)


def test_options_nested_merge_and_typo():
    merged = options({"X": {"paths": {"es": "c"}}}, "X", DEFAULTS, nested=("paths",))
    assert merged["paths"] == {"es": "c", "en": "b"}
    with pytest.raises(SettingsProblem, match=r'did you mean "en"'):
        options({"X": {"paths": {"enn": "c"}}}, "X", DEFAULTS, nested=("paths",))


def test_options_must_be_a_dictionary():
    with pytest.raises(SettingsProblem, match="must be a dictionary"):
        options({"X": ["workers"]}, "X", DEFAULTS)


# ---------------------------------------------------------------- files


def test_atomic_write_is_readable_by_a_web_server_and_leaves_no_temporary(tmp_path):
    path = files.atomic_write(str(tmp_path / "sub" / "a.ics"), "BEGIN:VCALENDAR")
    assert Path(path).read_text(encoding="utf-8") == "BEGIN:VCALENDAR"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~files.UMASK
    assert os.listdir(tmp_path / "sub") == ["a.ics"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")

    with pytest.raises(TypeError):  # not bytes: the write fails half-way
        files.atomic_write(str(path), object())
    assert path.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]


def test_cache_is_keyed_by_version(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path)}
    old = files.Cache(settings, "cards", {"drawing": 1})
    key = files.digest("card", b"title")
    old.put(key, b"png")
    assert Path(old.get(key)).read_bytes() == b"png"
    assert files.Cache(settings, "cards", {"drawing": 1}).get(key)
    assert files.Cache(settings, "cards", {"drawing": 2}).get(key) is None  # a fix re-draws
    assert files.Cache(settings, "images", {"drawing": 1}).get(key) is None


def test_link_or_copy_replaces_the_target(tmp_path):
    (tmp_path / "a").write_text("new")
    (tmp_path / "b").write_text("old")
    files.link_or_copy(str(tmp_path / "a"), str(tmp_path / "b"))
    assert (tmp_path / "b").read_text() == "new"


# ---------------------------------------------------------------- the build record


class FakeWriter:
    def __init__(self):
        self.calls = []

    def write_file(self, name, template, context, **variables):
        self.calls.append((name, template, variables))


class FakeGenerator:
    def __init__(self):
        self.context = {}

    def get_template(self, name):
        return f"<{name}>"


def test_write_page_records_listing_and_csp_once_per_build():
    generator, writer = FakeGenerator(), FakeWriter()
    alternates = {"es": "eventos/", "en": "en/events/"}
    saved = build.write_page(generator, writer, "en/events/", "events", "en", alternates)
    assert saved == "en/events/index.html"
    build.write_page(
        generator, writer, "en/x.html", "x", "en", {}, listed=False, csp="default-src 'self'"
    )
    record = build.of(generator.context)
    assert record is build.of(generator.context)
    assert [listing.url for listing in record.listings] == ["en/events/"]
    assert record.listings[0].alternates == alternates
    assert record.csp == {"en/x.html": "default-src 'self'"}
    assert writer.calls[0][0] == "en/events/index.html"
    assert writer.calls[0][2]["page_lang"] == "en"
    assert build.of({}) is not record  # another build, another record


# ---------------------------------------------------------------- translation and sections

SETTINGS = {
    "DEFAULT_LANG": "es",
    "LANGUAGES": {
        "es": {"name": "Español"},
        "en": {"name": "English"},
        "nah": {"name": "Náhuatl", "fallback": "es"},
    },
    "BILINGUAL": {"paths": {"es": {"events": "eventos"}, "default": {"events": "events"}}},
}


def test_tr_follows_one_chain():
    assert i18n.chain(SETTINGS, "nah") == ["nah", "es"]
    assert i18n.chain(SETTINGS, "en") == ["en", "es"]
    text = {"es": "Hola", "en": "Hello"}
    assert i18n.tr(SETTINGS, text, "en") == "Hello"
    assert i18n.tr(SETTINGS, text, "nah") == "Hola"
    assert i18n.tr(SETTINGS, {"en": "Hello"}, "es") == ""
    assert i18n.tr(SETTINGS, "plain", "en") == "plain"
    assert i18n.required_languages(SETTINGS) == ["es", "en"]


def test_section_path_from_one_setting():
    assert sections.section_path(SETTINGS, "es", "events") == "eventos/"
    assert sections.section_path(SETTINGS, "en", "events") == "en/events/"
    assert sections.section_path(SETTINGS, "nah", "events") == "nah/events/"
    assert sections.section_path(SETTINGS, "en", "articles") == "en/articles/"


# ---------------------------------------------------------------- workers


def square(number):
    return number * number


def test_pool_spawns_workers_even_from_a_threaded_build():
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait)  # as rich's live display is, in a real build
    busy.start()
    try:
        with workers.pool(2) as pool:
            assert list(pool.map(square, range(5))) == [0, 1, 4, 9, 16]
    finally:
        stop.set()
        busy.join()


# A fork start method asked of multiprocessing, or a bare fork (written as patterns, so this
# file does not match itself); and a pool made anywhere but alerta/workers.py, since a pool
# made without a context forks on Linux with Python 3.11.
FORKING = re.compile(r"(?:get_context|set_start_method)\(\s*['\"]fork['\"]|\bos\.fork\s*\(")
POOL = re.compile(r"\b(?:ProcessPoolExecutor|multiprocessing\.Pool|mp\.Pool)\s*\(")


def test_no_fork_start_method_in_the_project():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = []
    for folder in ("alerta", "plugins", "bench", "tasks.py"):
        path = os.path.join(root, folder)
        paths = (
            [path]
            if path.endswith(".py")
            else [
                os.path.join(d, name)
                for d, _, names in os.walk(path)
                for name in names
                if name.endswith(".py")
            ]
        )
        for source in paths:
            text = Path(source).read_text(encoding="utf-8")
            own_pool = source.endswith(os.path.join("alerta", "workers.py"))
            if FORKING.search(text) or (POOL.search(text) and not own_pool):
                found.append(os.path.relpath(source, root))
    assert not found


# ---------------------------------------------------------------- one application, said plainly

ROOT = Path(__file__).resolve().parent.parent
IMPORT = re.compile(r"^\s*(?:from|import)\s+([\w.]+)(?:\s+import\s+([\w ,()]+))?", re.M)
LIBRARIES = ("pelican", "markdown", "jinja2", "rich")
SPEEDUPS = ROOT / "plugins" / "parallel_markdown" / "speedups.py"


def plugin_modules():
    return sorted((ROOT / "plugins").glob("*/*.py"))


def test_no_feature_plugin_imports_another():
    found = []
    for path in plugin_modules():
        own = path.parent.name
        for module, _names in IMPORT.findall(path.read_text(encoding="utf-8")):
            parts = module.split(".")
            if parts[0] == "plugins" and len(parts) > 1 and parts[1] != own:
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not found


def test_no_private_names_of_the_libraries_outside_the_guarded_module():
    found = []
    for path in [*plugin_modules(), *sorted((ROOT / "alerta").glob("*.py"))]:
        if path == SPEEDUPS:
            continue
        for module, names in IMPORT.findall(path.read_text(encoding="utf-8")):
            if module.split(".")[0] not in LIBRARIES:
                continue
            private = [part for part in module.split(".") if part.startswith("_")]
            private += [
                n.strip() for n in names.replace("(", "").split(",") if n.strip()[:1] == "_"
            ]
            if private:
                found.append(f"{path.relative_to(ROOT)}: {module} {private}")
    assert not found


def test_architecture_names_every_core_module_and_only_files_that_exist():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "alerta").glob("*.py")):
        if path.name != "__init__.py":
            assert f"`{path.name}`" in text or f"{path.stem}.py" in text, path.name
    for named in re.findall(r"`((?:alerta|plugins|theme|tests|docs)/[\w./*-]+)`", text):
        if "*" not in named:
            assert (ROOT / named).exists(), named


def test_the_core_imports_no_plugin():
    found = [
        f"{path.name} imports {module}"
        for path in sorted((ROOT / "alerta").glob("*.py"))
        for module, _names in IMPORT.findall(path.read_text(encoding="utf-8"))
        if module.split(".")[0] == "plugins"
    ]
    assert not found


def test_modules_stay_readable_in_one_sitting():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in [*plugin_modules(), *sorted((ROOT / "alerta").glob("*.py"))]
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert not long  # about 400 lines at most: split along the module's sections


def test_pelican_still_keeps_a_contents_html_where_the_images_plugin_rewrites_it():
    """The one private attribute the project writes (see docs/ARCHITECTURE.md): if a Pelican
    upgrade moves it, this fails instead of images silently losing their <picture> markup."""
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    article = Article("<p>x</p>", metadata={"title": "T"}, settings=DEFAULT_CONFIG.copy())
    assert article._content == "<p>x</p>"
    article._content = "<p>y</p>"
    assert article.content == "<p>y</p>"
