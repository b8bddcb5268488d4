"""Settings of the search, sitemap and bilingual plugins: a typo stops the build, it is never
quietly replaced by a default (alerta.options)."""

from types import SimpleNamespace

import pytest
from conftest import article, make_content, one_clear_line, pelican

from alerta.options import SettingsProblem

BASE = {
    "DEFAULT_LANG": "es",
    "LANGUAGES": {"es": {"prefix": ""}, "en": {"prefix": "en/"}},
}


def start(**settings):
    """What the plugins' `initialized` receivers are handed: a Pelican with its settings."""
    return SimpleNamespace(settings={**BASE, **settings})


def sitemap_check(settings):
    from plugins.sitemap import sitemap

    sitemap.check_settings(start(**settings))


def search_check(settings):
    from plugins.search import search

    search.check_settings(start(**settings))


def bilingual_check(settings):
    from plugins.bilingual import bilingual

    bilingual.check_settings(start(**settings))


@pytest.mark.parametrize(
    "check, settings, message",
    [
        (sitemap_check, {"SITEMAP": {"exlude": []}}, 'SITEMAP["exlude"] is not a setting'),
        (search_check, {"SEARCH": {"bundel": "pf"}}, 'SEARCH["bundel"] is not a setting'),
        (
            bilingual_check,
            {"BILINGUAL": {"path": {}}},
            'BILINGUAL["path"] is not a setting of this site (did you mean "paths"?)',
        ),
        (
            bilingual_check,
            {"BILINGUAL": {"paths": {"defualt": {}}}},
            'BILINGUAL["paths"]["defualt"] is not a setting of this site (did you mean "default"?)',
        ),
        (
            bilingual_check,
            {"BILINGUAL": {"paths": {"default": {"events": "events"}, "es": {"evnets": "x"}}}},
            '(did you mean "events"?)',
        ),
    ],
)
def test_a_typo_in_a_setting_is_named_with_a_suggestion(check, settings, message):
    with pytest.raises(SettingsProblem, match="did you mean") as stopped:
        check(settings)
    assert message in str(stopped.value)


@pytest.mark.parametrize(
    "check, settings",
    [
        (sitemap_check, {}),
        (sitemap_check, {"SITEMAP": {"exclude": ["_editors/", "borradores/"]}}),
        (search_check, {"SEARCH": {"bundle": "pagefind", "csp_additions": {}}}),
        (bilingual_check, {}),
        (bilingual_check, {"BILINGUAL": {"paths": {"es": {"articles": "articulos"}}}}),
        (bilingual_check, {"BILINGUAL": {"paths": {"default": {"x": "x"}, "en": {"x": "y"}}}}),
    ],
)
def test_good_settings_pass(check, settings):
    check(settings)


def test_a_typo_stops_the_build_before_anything_is_written(tmp_path):
    files = {
        "articles/a.es.md": article("Hola", "es", "a", "hola"),
        "articles/a.en.md": article("Hello", "en", "a", "hello"),
    }
    content = make_content(tmp_path / "content", files)
    result = pelican(content, tmp_path / "out", overrides={"SITEMAP": {"exlcude": []}})
    one_clear_line(result, 'SITEMAP["exlcude"] is not a setting of this site (did you mean')
    assert not (tmp_path / "out" / "index.html").exists()
