"""The compiled-template cache never serves a template compiled with other Jinja settings."""

import subprocess
import sys

import jinja2
from conftest import ROOT
from jinja2 import DictLoader, Environment, select_autoescape

from plugins.template_cache.template_cache import KeyedBytecodeCache, fingerprint

TEMPLATE = "<ul>\n    {% for x in [1, 2] %}\n    <li>{{ x }}</li>\n    {% endfor %}\n</ul>\n"
SETTINGS = """
AUTHOR = "t"
SITENAME = "t"
SITEURL = ""
TIMEZONE = "UTC"
THEME = {theme!r}
CACHE_PATH = {cache!r}
PLUGINS = ["plugins.template_cache"]
PLUGIN_PATHS = []
DIRECT_TEMPLATES = ["index"]
TAGS_SAVE_AS = CATEGORIES_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
JINJA_ENVIRONMENT = {jinja!r}
"""


def build(tmp_path, name, jinja):
    """A real Pelican build of an empty site whose index shows a loop, with this plugin only."""
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True, exist_ok=True)
    (theme / "static").mkdir(exist_ok=True)
    (theme / "templates" / "index.html").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)
    settings = tmp_path / f"{name}.py"
    cache = str(tmp_path / "cache")
    settings.write_text(SETTINGS.format(theme=str(theme), cache=cache, jinja=jinja), "utf-8")
    output = tmp_path / name
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(tmp_path / "content"), "-o", str(output)]
        + ["-s", str(settings)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return (output / "index.html").read_text(encoding="utf-8")


def test_changing_jinja_environment_changes_the_output_without_a_clean(tmp_path):
    trimmed = build(tmp_path, "one", {"trim_blocks": True, "lstrip_blocks": True})
    assert trimmed == "<ul>\n    <li>1</li>\n    <li>2</li>\n</ul>"
    assert list((tmp_path / "cache" / "jinja").iterdir())  # compiled and kept
    # Same template source, same cache: the second build used to be trimmed still.
    untrimmed = build(tmp_path, "two", {"trim_blocks": False, "lstrip_blocks": False})
    assert untrimmed == "<ul>\n    \n    <li>1</li>\n    \n    <li>2</li>\n    \n</ul>"
    # And back: the first entry is still there, and still right.
    assert build(tmp_path, "three", {"trim_blocks": True, "lstrip_blocks": True}) == trimmed


def environment(**options):
    return Environment(loader=DictLoader({"t.html": TEMPLATE}), **options)


def key(env, settings):
    return KeyedBytecodeCache("/nonexistent", settings).get_bucket(env, "t.html", None, "").key


SITE = {"THEME": "/site/theme", "JINJA_ENVIRONMENT": {"trim_blocks": True}}


def test_the_key_holds_what_compiling_depends_on(monkeypatch):
    base = key(environment(trim_blocks=True), SITE)
    assert key(environment(trim_blocks=True), dict(SITE)) == base  # stable: the same next build
    assert key(environment(), {**SITE, "JINJA_ENVIRONMENT": {}}) != base
    assert key(environment(trim_blocks=True), {**SITE, "THEME": "/other/theme"}) != base
    assert key(environment(trim_blocks=True), {**SITE, "JINJA_FILTERS": {"x": str}}) != base
    with_filter = environment(trim_blocks=True)
    with_filter.filters["money"] = str  # added by a plugin: a template may now use it
    assert key(with_filter, SITE) != base
    i18n = environment(trim_blocks=True, extensions=["jinja2.ext.i18n"])
    old_style = key(i18n, SITE)
    i18n.install_gettext_callables(str, str, newstyle=True)
    assert key(i18n, SITE) != old_style != base
    monkeypatch.setattr(jinja2, "__version__", "9.9.9")
    assert key(environment(trim_blocks=True), SITE) != base


def test_a_function_setting_is_keyed_by_what_it_does():
    html = environment(autoescape=select_autoescape(["html"]))
    xml = environment(autoescape=select_autoescape(["xml"]))
    assert fingerprint(html, SITE) != fingerprint(xml, SITE)
    again = environment(autoescape=select_autoescape(["html"]))
    assert fingerprint(again, SITE) == fingerprint(html, SITE)
