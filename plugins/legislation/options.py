"""The LEGISLATION setting: its defaults, and nothing unknown.

``legislation_options(settings)`` is ``LEGISLATION`` (pelicanconf.py) over ``DEFAULTS``; a key
that is not in ``DEFAULTS`` stops the build with one line and a "did you mean"
(``alerta.options``). The section's folder is not set here but in ``BILINGUAL["paths"]``
(``"legislation"``), like every section of the site; ``paths`` only names the pages inside it.
"""

from alerta.i18n import languages
from alerta.options import SettingsProblem, options, unknown_key_message

__all__ = ["DEFAULTS", "PAGE_WORDS", "legislation_options"]

DEFAULTS = {
    "data": "data/legislation.yml",  # under PATH (content/)
    "tilegrid": "data/mx_tilegrid.yml",
    # Words of the URLs of the pages inside the section's folder (which is BILINGUAL["paths"]
    # ["legislation"]), per language; "default" serves every other language.
    "paths": {
        "es": {"methodology": "metodologia", "history": "historia-proteja"},
        "default": {"methodology": "methodology", "history": "proteja-era"},
    },
    # Downloads (language-neutral), relative to the output folder.
    "csv": "legislacion/legislacion.csv",
    "json": "legislacion/legislacion.json",
    # Points per answer; "unknown" is never scored, it lowers the coverage instead.
    "points": {"yes": 2, "partial": 1, "no": 0},
    # Share of criteria that must be known before an entity gets a tier.
    "min_coverage": 0.7,
    # Tiers by score (percentage of the possible points among known answers), best first.
    "tiers": [("1", 75), ("2", 50), ("3", 25), ("4", 0)],
    # Entities with a tier and a score below this are "most in need of reform".
    "reform_below": 50,
    # Tile map geometry, in SVG user units.
    "tile": 46,
    "gap": 4,
}
PAGE_WORDS = ("methodology", "history")


def legislation_options(settings):
    """DEFAULTS updated with LEGISLATION; SettingsProblem (one line) on an unknown key."""
    # Any language of the site may name its pages, not only those the defaults name.
    defaults = {**DEFAULTS, "paths": {code: {} for code in languages(settings)}}
    defaults["paths"].update(DEFAULTS["paths"])
    result = options(settings, "LEGISLATION", defaults, nested=("paths",))
    result["paths"] = {
        lang: {**defaults["paths"][lang], **page_words(lang, words)}
        for lang, words in result["paths"].items()
    }
    return result


def page_words(lang, words):
    """The page words LEGISLATION["paths"][lang] gives, checked."""
    name = f'LEGISLATION["paths"]["{lang}"]'
    if not isinstance(words, dict):
        raise SettingsProblem(f"{name} must be a dictionary of page words, not {words!r}")
    for key in words:
        if key == "base":
            # The section's folder used to be set here; it is one setting for every section now.
            raise SettingsProblem(
                f'{name}["base"] is no longer read: the folder of the legislation section is '
                f'BILINGUAL["paths"]["{lang}"]["legislation"] in pelicanconf.py'
            )
        if key not in PAGE_WORDS:
            raise SettingsProblem(unknown_key_message(name, key, PAGE_WORDS))
    return words
