"""What the leak scan looks for: a confidential address or pair of coordinates, as needles that
find it however it is written, in the skeleton views of leak_normalise.py.

An address is found whole, and by its street and number: the street's distinctive word(s) and
the house number together, next to each other or a few words apart, in either order, with or
without the street type, a first name, "No." or "#" ("Avenida Miguel Hidalgo 245" is found as
"Hidalgo 245", "Av. Hidalgo No. 245", "245 Hidalgo", "Hidalgo #245"). Mexican abbreviations
equal their words ("Av.", "Avda." = "Avenida": see `ABBREVIATIONS`). A lone word or a lone
number is never enough.

Coordinates are compared by value, to the precision written on both sides (a value that
rounds or cuts to the other, or is within its last decimal): decimal degrees with any number of
decimals or trailing zeros, degrees-minutes-seconds and degrees-decimal minutes
("14°54′20.3″N"), sign or hemisphere. A form precise to about 10 m or better (4 decimals,
seconds with decimals, 3 decimals of minutes, or whole seconds or 2 decimals of minutes with
N/S/E/W) of a secret written that precisely counts alone; a coarser one (3 decimals, ~100 m)
only next to the other coordinate, since alone it would match ordinary numbers. Whole seconds
without a hemisphere letter are three plain numbers ("14 54 20"): they count as a pair only.
"""

import bisect
import math
import re
from dataclasses import dataclass

from .leak_normalise import skeleton

__all__ = [
    "ABBREVIATIONS",
    "AddressNeedle",
    "GeoNeedle",
    "Needle",
    "address_needles",
    "geo_needles",
]

# Words that are one another's abbreviation (skeleton form: no dots, no accents). A word in
# several rows ("pte": poniente, presidente) stands for any of them.
ABBREVIATIONS = (
    ("avenida", "av", "ave", "avda", "avda"),
    ("calzada", "calz", "czda"),
    ("calle", "c", "cll"),
    ("bulevar", "boulevard", "boulevar", "blvd", "blvr", "blv", "bvd", "bv"),
    ("prolongacion", "prol", "prolong"),
    ("colonia", "col"),
    ("privada", "priv", "pvda"),
    ("cerrada", "cda", "cerr"),
    ("carretera", "carr", "carret", "ctra"),
    ("fraccionamiento", "fracc", "frac"),
    ("circuito", "cto", "circ"),
    ("callejon", "cjon"),
    ("andador", "and"),
    ("periferico", "perif"),
    ("retorno", "ret"),
    ("camino", "cam"),
    ("paseo", "pso"),
    ("eje",),
    ("manzana", "mz", "mza"),
    ("lote", "lt", "lte"),
    ("general", "gral"),
    ("licenciado", "lic"),
    ("ingeniero", "ing"),
    ("doctor", "dr"),
    ("presidente", "pdte", "pte"),
    ("santo", "sto"),
    ("santa", "sta"),
    ("norte", "nte"),
    ("oriente", "ote"),
    ("poniente", "pte", "pon"),
)
_FORMS = {}
for _row in ABBREVIATIONS:
    for _word in _row:
        _FORMS.setdefault(_word, set()).update(_row)
# "No. 245", "núm. 245", "#245" ("#" is already a separator); "s/n": sin número.
IGNORED = ("no", "n", "num", "numero", "nro", "s", "sn")
# Where an address goes on past the house: an interior, apartment or office number.
_INTERIOR = {"int", "interior", "depto", "dpto", "departamento", "piso", "local", "desp"}
_COMMON = {
    *_FORMS,
    *("de", "del", "la", "las", "los", "el", "y", "e", "en", "san", "sur", "este", "oeste"),
    *("centro", "real", "nuevo", "nueva", "enero", "febrero", "marzo", "abril", "mayo"),
    *("junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
}
_NUMBER = re.compile(r"(\d+)[a-z]?")
GAP = 2  # words allowed between a street's name and its number ("Hidalgo No. 245")


@dataclass(frozen=True)
class Needle:
    """One secret of one shelter. `words`: alternatives, each a tuple of groups, each group a
    tuple of strings; a view in which, for every alternative, some group has none of its
    strings cannot hold the needle. Empty: not known, so always look."""

    owner: str
    field: str
    words: tuple = ()

    def could_be_in(self, view):
        """False only when `view` (or any view whose words are a subset of its words) cannot
        hold this needle."""
        if not self.words:
            return True
        return any(
            all(any(text in view for text in group) for group in alternative)
            for alternative in self.words
        )

    def found(self, view):
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class AddressNeedle(Needle):
    pattern: re.Pattern

    def found(self, view):
        return self.pattern.search(view) is not None


# ---------------------------------------------------------------- addresses


def _forms(word):
    return sorted(_FORMS.get(word, {word}), key=lambda form: (-len(form), form))


def _alternation(words):
    return "".join(f"(?:{'|'.join(map(re.escape, _forms(word)))}) " for word in words)


def _groups(words):
    """What `could_be_in` looks for: a group per word (any of its forms), the group likeliest
    to be missing (one long form) first, so that most views are passed over after one look."""
    groups = {tuple(f" {form} " for form in _forms(word)) for word in words}
    return tuple(sorted(groups, key=lambda group: (len(group), -len(group[0]), group)))


def _distinctive(word):
    if word.isdigit() or word in _COMMON:
        return False
    return len(word) >= 4 or not word.isalpha()  # "Qx7Zv": letters and digits


def _has_name(words):
    return any(_NUMBER.fullmatch(word) is None and word not in _FORMS for word in words)


def _whole(owner, words):
    """The address word for word (abbreviations and "No."/"s/n" aside)."""
    ignored = f"(?:(?:{'|'.join(IGNORED)}) ){{0,2}}"
    required = [word for word in words if word not in IGNORED]
    pattern = " " + ignored.join(_alternation([word]) for word in required)
    return AddressNeedle(owner, "address", words=(_groups(required),), pattern=re.compile(pattern))


def _street(owner, words):
    """The street's distinctive word(s) and house number, or None when there is no number."""
    for position, word in enumerate(words):
        if word in _INTERIOR and position:
            words = words[:position]
            break
    if "sn" in words or " s n " in f" {' '.join(words)} ":
        return None
    words = [word for word in words if word not in IGNORED]
    # The house number is the first number after a name: not "5" in "Calle 5 de Mayo 120",
    # not the postal code or the lot after it ("Hidalgo 245, C.P. 30700").
    numbers = [i for i, word in enumerate(words) if _NUMBER.fullmatch(word)]
    named_numbers = [i for i in numbers if _has_name(words[:i])]
    if named_numbers:
        house = named_numbers[0]
        names = words[:house]
    elif numbers == [0] or (numbers[:1] == [0] and _has_name(words[1:])):
        house, names = 0, words[1:]  # "245 Hidalgo"
    else:
        return None  # "Calle 5 de Mayo": the number is the street's name, not a house's
    if not _has_name(names):
        return None
    digits = _NUMBER.fullmatch(words[house]).group(1)
    named = names
    while len(named) > 1 and named[0] in _FORMS:
        named = named[1:]  # "Avenida", "Calz.": the street type may be left out
    distinctive = [i for i, word in enumerate(named) if _distinctive(word)]
    if len(digits) < 3:
        # A short number is common in ordinary text: take the whole name, and the street
        # type too when the name is one word ("Calle Hidalgo 5").
        core = named if len(named) > 1 else names
    elif distinctive:
        core = named[distinctive[-1] :]  # "Miguel Hidalgo" -> "Hidalgo"; "Insurgentes Sur"
    else:
        core = named  # "16 de Septiembre"
    name, number = _alternation(core), f"{digits}[a-z]? "
    gap = f"(?:[a-z0-9]+ ){{0,{GAP}}}"
    pattern = re.compile(f" (?:{name}{gap}{number}|{number}{gap}{name})")
    words_needed = (*_groups(core), (f" {digits}",))  # "245" or "245a"
    return AddressNeedle(owner, "address", words=(words_needed,), pattern=pattern)


def address_needles(owner, address):
    """The whole address, and its street and number (see the module)."""
    address = " ".join(str(address).split())
    words = skeleton(address).split()
    if not [word for word in words if word not in IGNORED]:
        return []
    needles = [_whole(owner, words)]
    first = skeleton(re.split(r"[,;\n]", address)[0]).split()
    street = _street(owner, first)
    if street is not None:
        needles.append(street)
    elif first != words and len(first) >= 2 and any(w.isdigit() for w in first):
        needles.append(_whole(owner, first))
    return needles


# ---------------------------------------------------------------- coordinates

# In degrees. A secret written this precisely (4 decimals, ~11 m) can be found alone...
SECRET_PRECISE = 1.01e-4
# ...by a form this precise (whole seconds, ~30 m; those with a hemisphere letter only); a form
# only COARSE (3 decimals, ~110 m) counts next to the other coordinate.
PRECISE = 2.8e-4
COARSE = 1.7e-3
_HEMISPHERES = {"n", "s", "e", "w", "o", "norte", "sur", "este", "oeste"}
_HEMISPHERES |= {"north", "south", "east", "west"}


@dataclass(frozen=True)
class Coordinate:
    value: float  # absolute: the sign is a hemisphere letter as often as a minus
    unit: float  # the precision it was written with (19.4326: 0.0001)
    patterns: tuple  # (whole degrees, regex) for each whole number of degrees it may start with
    starts: tuple  # strings one of which a view holds when a pattern can match


def _coordinate(value):
    text = str(value).strip().lstrip("+-")
    decimals = len(text.partition(".")[2].rstrip("0")) if "." in text else 0
    number = abs(float(value))
    unit = 10.0**-decimals
    reach = COARSE + unit
    degrees = range(math.floor(number - reach), math.floor(number + reach) + 1)
    patterns, starts = [], []
    for whole in degrees:
        if whole < 0:
            continue
        # "19 4326 " / "19 25 02 2 n": the whole degrees, then up to four words. Starts with a
        # literal, so the regex engine skips ahead to it.
        patterns.append((whole, re.compile(f"{whole} (?=((?:[a-z0-9]+ ){{0,4}}))")))
        starts.append(f"{whole} ")  # " 19 ", "019 ", "n19 "
    return Coordinate(number, unit, tuple(patterns), tuple(starts))


def _fraction(digits):
    digits = digits[:12]  # more decimals than that change nothing (and int() has a limit)
    return int(digits) / 10 ** len(digits), 10.0 ** -len(digits)


def _readings(whole, words):
    """(value, unit, how many words used, counts alone without a hemisphere) for the ways
    `words` can continue `whole` degrees: decimals, decimal minutes, minutes and seconds."""
    digits = []
    for word in words:
        if not word.isdigit():
            break
        digits.append(word)
    if not digits:
        return
    fraction, unit = _fraction(digits[0])
    if unit <= COARSE:
        yield whole + fraction, unit, 1, True
    if len(digits) < 2 or len(digits[0]) > 2 or int(digits[0]) >= 60:
        return
    minutes = int(digits[0])
    fraction, unit = _fraction(digits[1])
    yield whole + (minutes + fraction) / 60, unit / 60, 2, len(digits[1]) >= 3
    if len(digits[1]) > 2 or int(digits[1]) >= 60:
        return
    seconds = int(digits[1])
    yield whole + minutes / 60 + seconds / 3600, 1 / 3600, 2, False
    if len(digits) > 2:
        fraction, unit = _fraction(digits[2])
        yield whole + minutes / 60 + (seconds + fraction) / 3600, unit / 3600, 3, True


def _places(coordinate, view):
    """(position, counts alone) for every form of `coordinate` in `view`."""
    for whole, pattern in coordinate.patterns:
        for match in pattern.finditer(view):
            start = match.start()
            while view[start - 1] == "0":
                start -= 1
            before = ""
            if view[start - 1] in "nsewo" and view[start - 2] == " ":
                start -= 1  # "N19.4326"
                before = view[start]
            if view[start - 1] != " ":
                continue  # "2019 ...": part of another number
            if not before:
                before = view[view.rfind(" ", 0, start - 1) + 1 : start - 1]
            words = match.group(1).split()
            for value, unit, used, alone in _readings(whole, words):
                if abs(value - coordinate.value) > unit + coordinate.unit + 1e-9:
                    continue
                after = words[used] if used < len(words) else ""
                marked = before in _HEMISPHERES or after in _HEMISPHERES
                precise = unit <= PRECISE and coordinate.unit <= SECRET_PRECISE
                yield start, precise and (alone or marked)


@dataclass(frozen=True, kw_only=True)
class GeoNeedle(Needle):
    lat: Coordinate
    lon: Coordinate
    near: int = 200  # characters between the two coordinates of a pair

    def found(self, view):
        lats = []
        if any(start in view for start in self.lat.starts):
            for position, alone in _places(self.lat, view):
                if alone:
                    return True
                lats.append(position)
        if not any(start in view for start in self.lon.starts):
            return False
        lats.sort()
        for position, alone in _places(self.lon, view):
            if alone:
                return True
            low = bisect.bisect_left(lats, position - self.near)
            high = bisect.bisect_right(lats, position + self.near)
            if any(lat != position for lat in lats[low:high]):
                return True
        return False


def geo_needles(owner, lat, lon):
    """The coordinates: one needle for the pair (either alone when precise; see the module).
    None for coordinates with fewer than 2 decimals: they locate nothing nearer than 10 km, and
    as numbers they would match half the pairs of numbers on a page."""
    lat, lon = _coordinate(lat), _coordinate(lon)
    if max(lat.unit, lon.unit) > 0.01:
        return []
    words = ((lat.starts,), (lon.starts,))
    return [GeoNeedle(owner, "geo", words=words, lat=lat, lon=lon)]
