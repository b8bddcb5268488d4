"""PAMPHLETS, IMAGES and ICONS: a mistyped key stops the build with "did you mean", once in
process for each plugin and once through a real build (which stops before reading)."""

import pytest
from conftest import ROOT, article, make_content, one_clear_line, pelican

from alerta.options import SettingsProblem
from plugins.icons import icons
from plugins.images import images
from plugins.images.settings import options as image_options
from plugins.pamphlets import pamphlets

BASE = {"PATH": str(ROOT / "content"), "THEME": str(ROOT / "theme"), "CACHE_PATH": "/tmp/c"}
TYPOS = {
    "pamphlets": (pamphlets.pamphlet_settings, "PAMPHLETS", "worker", "workers"),
    "images": (image_options, "IMAGES", "max_byte", "max_bytes"),
    "icons": (icons.options, "ICONS", "theme_colour", "theme_color"),
}


@pytest.mark.parametrize("read, name, typo, meant", TYPOS.values(), ids=TYPOS.keys())
def test_a_mistyped_key_is_refused_with_a_suggestion(read, name, typo, meant):
    with pytest.raises(SettingsProblem, match=f'did you mean "{meant}"'):
        read({**BASE, name: {typo: 1}})
    assert read({**BASE, name: {meant: read(BASE)[meant]}})  # the right key is taken


def test_the_defaults_are_every_known_key():
    assert image_options(BASE).keys() == images.DEFAULTS.keys()
    assert pamphlets.pamphlet_settings(BASE) == pamphlets.DEFAULTS


def test_a_build_with_a_mistyped_key_stops_before_reading(tmp_path):
    content = make_content(tmp_path / "content", {"articles/a.es.md": article("A", "es", "a")})
    overrides = {"PAMPHLETS": {"paper": ["a4"]}}
    result = pelican(content, tmp_path / "output", overrides=overrides)
    one_clear_line(result, 'PAMPHLETS["paper"] is not a setting of this site (did you mean')
    assert not (tmp_path / "output").exists()
