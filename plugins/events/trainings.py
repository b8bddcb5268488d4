"""The training record's historical totals: ``content/data/trainings.yml``, checked.

Read through the shared data loader (alerta/data.py): the shape of the file is checked first (a
total given as a number instead of a list, a link that is not https://, an unknown field: one
line each, at its line), so the training page can trust what it reads. The check reports; the
generator reads the file again through ``read_trainings`` (it is small), so nothing passes
between the two but the file itself.
"""

import os

from alerta import data
from alerta.i18n import required_languages

__all__ = ["N_", "QUALIFIERS", "check_trainings", "read_trainings"]


def N_(message):
    """Marks a theme string for extraction (babel.cfg); translated where it is shown."""
    return message


# How a published total is worded: the qualifier must say no more than the source does
# ("almost 65,000" stays "almost", never "about" or an exact number).
QUALIFIERS = {
    "exactly": None,
    "more_than": N_("more than %(number)s"),
    "about": N_("about %(number)s"),
    "almost": N_("almost %(number)s"),
}

TOTAL = data.Mapping(
    {
        "id": data.Str(nonempty=True),
        "label": data.Text(),
        "value": data.Int(minimum=0),
        "qualifier": data.Str(choices=tuple(QUALIFIERS)),
    },
    required=("label", "value"),
)
RECORD = data.Mapping(
    {
        "id": data.Str(nonempty=True),
        "programme": data.Text(),
        "period": data.Text(),
        "source": data.Text(),
        "source_url": data.Url(),  # shown to visitors as the "Source:" link
        "verify": data.Anything(),  # an editors' note: the publish gate reads it
        "totals": data.List(TOTAL),
    },
    required=("programme", "period", "source"),
)

TRAININGS = data.Mapping({"historical": data.Anything()})


def label(loaded):
    """`record proteja, total trained: value`, as the file names them."""

    def name(item, position, noun):
        ident = item.get("id") if isinstance(item, dict) else None
        return f"{noun} {ident if isinstance(ident, str) and ident else f'#{position + 1}'}"

    def describe(path):
        if len(path) < 2:
            return '"historical:"'
        record = loaded.value["historical"][path[1]]
        words, rest = name(record, path[1], "record"), path[2:]
        if len(rest) >= 2 and rest[0] == "totals" and isinstance(record, dict):
            words += ", " + name(record["totals"][rest[1]], rest[1], "total")
            rest = rest[2:]
        return f"{words}: {data.dotted(rest)[:-1]}" if rest else f"{words}:"

    return describe


def read_trainings(settings, report, folder="data", name="trainings.yml"):
    """The historical totals when the file is right, else None (its problems in `report`)."""
    path = os.path.join(settings["PATH"], folder, name)
    shown = os.path.relpath(path, os.path.dirname(os.path.abspath(settings["PATH"])))
    loaded = data.load_data(path, shown, report, settings["PATH"])
    if loaded is None or loaded.value is None:
        return None
    loaded.languages = tuple(required_languages(settings))
    historical = loaded.value.get("historical") if isinstance(loaded.value, dict) else None
    if not isinstance(historical, list):
        loaded.error(("historical",), '"historical:" must be a list of published totals')
        return None
    good = TRAININGS.check(loaded.value, (), loaded)  # no other top-level key
    loaded.describe = label(loaded)
    for position, record in enumerate(historical):
        good = RECORD.check(record, ("historical", position), loaded) and good
    return loaded.value if good else None


def check_trainings(settings, report, folder="data", name="trainings.yml"):
    """The data check: every problem of the file in `report`."""
    read_trainings(settings, report, folder, name)
