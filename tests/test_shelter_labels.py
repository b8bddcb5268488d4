"""Shelter service labels come from the theme's catalogs, in any site language; the directory's
settings reject a typo; what the data check read reaches the pages and the home page."""

import logging
import shutil

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import FIXTURE_FILES, ROOT, make_content, one_clear_line, pelican

from alerta.options import SettingsProblem
from alerta.report import Report
from plugins.shelters import labels
from plugins.shelters.entries import Directory, check_shelters, directory

FRENCH = {
    "shelter": "Refuge",
    "legal": "Conseil juridique",
    "psychological": "Soutien psychologique",
    "medical": "Soins médicaux",
    "repatriation": "Rapatriement et retour en sécurité",
    "children": "Soutien aux enfants et adolescents",
    "men": "Soutien aux hommes",
    "lgbti": "Soutien aux personnes LGBTI+",
    "migrants": "Soutien aux personnes migrantes",
}


def theme_with(tmp_path, catalogs):
    """A copy of theme/translations, plus a catalog {msgid: msgstr} per language."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme" / "translations", theme / "translations")
    for lang, messages in catalogs.items():
        catalog = Catalog(locale=lang)
        for msgid, msgstr in messages.items():
            catalog.add(msgid, msgstr)
        folder = theme / "translations" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with open(folder / "messages.po", "wb") as handle:
            write_po(handle, catalog)
    return theme


def site(theme, **more):
    """Settings of a site in Spanish, English and the languages of `more`."""
    return {
        "THEME": str(theme),
        "PATH": str(theme.parent / "content"),
        "DEFAULT_LANG": "es",
        "LANGUAGES": {"es": {}, "en": {"prefix": "en/"}, **more},
    }


@pytest.fixture
def theme(tmp_path):
    return theme_with(
        tmp_path,
        {
            "fr": {labels.SERVICES[key]: text for key, text in FRENCH.items()},
            "de": {labels.SERVICES["shelter"]: "Schutzunterkunft"},
        },
    )


def test_a_third_language_gets_the_labels_of_its_catalog(theme, caplog):
    settings = site(theme, fr={"prefix": "fr/"})
    assert labels.service_labels(settings, "fr") == FRENCH
    assert labels.missing_labels(settings, "fr") == []
    with caplog.at_level(logging.WARNING):
        assert labels.report_missing(settings, "fr") is False
    assert caplog.records == []
    # Its filter pages' URL words come from its labels; Spanish and English keep theirs.
    assert labels.service_slug("legal", "fr", FRENCH["legal"]) == "conseil-juridique"
    assert labels.service_slug("legal", "es", "whatever") == "asesoria-juridica"
    assert labels.service_slug("legal", "en", "whatever") == "legal-advice"


def test_a_catalog_without_the_labels_is_named_with_the_messages_it_lacks(theme, caplog):
    settings = site(theme, fr={"prefix": "fr/"}, de={"prefix": "de/", "fallback": "fr"})
    with caplog.at_level(logging.WARNING):
        assert labels.report_missing(settings, "de") is True
    [line] = [record.getMessage() for record in caplog.records]
    assert line.startswith("theme/translations/de/LC_MESSAGES/messages.po: ")
    assert '"Legal advice", "Psychological support"' in line
    assert '"Shelter"' not in line  # that one is translated
    assert line.endswith('until it is added, the "de" pages show them in "fr"')
    # Never English: what the catalog lacks comes from the language's fallback.
    shown = labels.service_labels(settings, "de")
    assert shown["shelter"] == "Schutzunterkunft"
    assert shown["legal"] == "Conseil juridique"


def test_a_language_without_a_catalog_is_told_every_label(theme, caplog):
    settings = site(theme, it={"prefix": "it/", "fallback": "fr"})
    assert labels.missing_labels(settings, "it") == list(labels.SERVICES.values())
    with caplog.at_level(logging.WARNING):
        labels.report_missing(settings, "it")
    assert "theme/translations/it/LC_MESSAGES/messages.po" in caplog.text
    assert labels.service_labels(settings, "it")["men"] == "Soutien aux hommes"


def test_english_is_the_language_of_the_messages(theme):
    assert labels.missing_labels(site(theme), "en") == []
    assert labels.service_labels(site(theme), "en")["legal"] == "Legal advice"


def test_the_spanish_catalog_translates_every_label():
    settings = site(ROOT / "theme")
    assert labels.missing_labels(settings, "es") == [], "add these messages to the catalogs"


# ---------------------------------------------------------------- settings and facts


def test_a_misspelt_setting_stops_the_check_with_did_you_mean(tmp_path):
    settings = {"PATH": str(tmp_path), "SHELTERS": {"stale_month": 6}}
    with pytest.raises(SettingsProblem, match='"stale_month".*did you mean "stale_months"'):
        check_shelters(settings, Report())


def test_a_misspelt_setting_stops_the_build(tmp_path):
    content = make_content(tmp_path / "content", FIXTURE_FILES)
    result = pelican(content, tmp_path / "output", overrides={"SHELTERS": {"stale_month": 6}})
    one_clear_line(result, 'SHELTERS["stale_month"] is not a setting of this site (did you mean')
    assert not (tmp_path / "output").exists()


def entry(ident, **fields):
    return {
        "id": ident,
        "name": f"Organización {ident}",
        "state": "09",
        "services": ["shelter"],
        "description": {"es": "Descripción.", "en": "Description."},
        **fields,
    }


def test_the_check_hands_the_directory_to_the_pages_as_facts(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "shelters.yml").write_text(
        yaml.safe_dump({"shelters": [entry("a", verified_on="2020-01-01"), entry("b")]})
    )
    settings = {
        "PATH": str(tmp_path),
        "DEFAULT_LANG": "es",
        "LANGUAGES": {"es": {}, "en": {"prefix": "en/"}},
        "PREVIEW": False,
    }
    facts = check_shelters(settings, Report())
    assert facts["shelters_listed"] == 1  # the publish build lists the confirmed entry only
    assert [e["id"] for e in facts["shelter_directory"].entries] == ["a"]
    assert directory(settings, facts) is facts["shelter_directory"]  # read once
    # Without the data check (a site without plugins.checks), the pages read the file.
    alone = {}
    assert directory(settings, alone).entries == facts["shelter_directory"].entries
    assert alone["shelters_listed"] == 1
    # No data file: no directory.
    assert check_shelters({**settings, "PATH": str(tmp_path / "none")}, Report()) == {
        "shelter_directory": Directory([], False),
        "shelters_listed": 0,
    }
