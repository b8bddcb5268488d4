"""Theme catalogs: every language has every message, translated and not fuzzy."""

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT

TRANSLATIONS = ROOT / "theme" / "translations"
LANGS = sorted(p.name for p in TRANSLATIONS.iterdir() if p.is_dir())


def catalog(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def ids(cat):
    return {message.id for message in cat if message.id}


def test_there_are_catalogs_for_spanish_and_english():
    assert {"es", "en"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_matches_the_template(lang):
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = read_po(handle)
    assert ids(catalog(lang)) == ids(template), "run `invoke translations-update`"


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated(lang):
    untranslated = [m.id for m in catalog(lang) if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_catalogs_have_the_same_messages():
    first, *others = LANGS
    for lang in others:
        assert ids(catalog(lang)) == ids(catalog(first)), lang


def test_templates_have_no_string_missing_from_the_template(tmp_path):
    """The .pot is up to date with the templates (else translators miss strings)."""
    from babel.messages.frontend import CommandLineInterface

    pot = tmp_path / "fresh.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-o",
            str(pot),
            "--no-location",
            str(ROOT),
        ]
    )
    with open(pot, "rb") as handle:
        fresh = ids(read_po(handle))
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        assert fresh == ids(read_po(handle)), "run `invoke translations-update`"
