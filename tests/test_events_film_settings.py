"""The EVENTS and FILM settings, and what the two plugins hand the rest of the build.

A misspelt key stops the build with "did you mean" (alerta.options); a section without a folder
in BILINGUAL["paths"] is one line naming pelicanconf.py.
"""

import pytest
from conftest import SETTINGS, make_content, one_clear_line, pelican
from events_fixture import FILM_FILES, pair
from pelican.settings import read_settings

from alerta.options import SettingsProblem
from alerta.report import Report
from plugins.events.checks import check_events
from plugins.film.checks import check_films


@pytest.fixture(scope="module")
def site_settings():
    return read_settings(str(SETTINGS))


def content(tmp_path):
    return make_content(tmp_path / "content", {**pair("foro", "foro", "forum"), **FILM_FILES})


@pytest.mark.parametrize(
    "name, check, typo, hint",
    [
        ("EVENTS", check_events, "uid_domian", 'did you mean "uid_domain"?'),
        ("EVENTS", check_events, "default_timezon", 'did you mean "default_timezone"?'),
        ("FILM", check_films, "poster_sise", 'did you mean "poster_size"?'),
        ("FILM", check_films, "host", 'did you mean "hosts"?'),
    ],
)
def test_a_misspelt_setting_stops_the_check_with_did_you_mean(
    tmp_path, site_settings, name, check, typo, hint
):
    settings = {**site_settings, "PATH": str(content(tmp_path)), name: {typo: "x"}}
    with pytest.raises(SettingsProblem) as stopped:
        check(settings, Report())
    message = str(stopped.value)
    assert f'{name}["{typo}"] is not a setting' in message and hint in message
    assert "\n" not in message


@pytest.mark.parametrize("name, check", [("EVENTS", check_events), ("FILM", check_films)])
def test_the_section_folders_are_no_longer_plugin_settings(tmp_path, site_settings, name, check):
    """The folders are BILINGUAL["paths"] (alerta.sections), like every other section."""
    settings = {**site_settings, "PATH": str(content(tmp_path)), name: {"paths": {}}}
    with pytest.raises(SettingsProblem, match=rf'{name}\["paths"\] is not a setting'):
        check(settings, Report())


@pytest.mark.parametrize(
    "check, section", [(check_events, "events"), (check_events, "training"), (check_films, "film")]
)
def test_a_section_without_a_folder_is_one_line_naming_pelicanconf(
    tmp_path, site_settings, check, section
):
    paths = {
        lang: {name: word for name, word in words.items() if name != section}
        for lang, words in site_settings["BILINGUAL"]["paths"].items()
    }
    settings = {**site_settings, "PATH": str(content(tmp_path)), "BILINGUAL": {"paths": paths}}
    report = Report()
    check(settings, report)
    lines = [str(problem) for problem in report.errors]
    assert lines == [
        f'pelicanconf.py: BILINGUAL["paths"] names no folder for "{section}" in language '
        f'"{lang}" (give it under "default" or under the language)'
        for lang in site_settings["LANGUAGES"]
    ]


def test_a_misspelt_setting_stops_the_build_in_one_line(tmp_path):
    result = pelican(
        content(tmp_path), tmp_path / "output", overrides={"EVENTS": {"uid_domian": "x"}}
    )
    one_clear_line(result, 'EVENTS["uid_domian"] is not a setting of this site')
    assert 'did you mean "uid_domain"?' in result.stdout + result.stderr
    assert not (tmp_path / "output" / "eventos").exists()
