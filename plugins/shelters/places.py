"""Mexico's 32 states: what an entry's ``state`` may say, and the names and URL words shown.

An entry's ``state`` may be the INEGI code (9, "09") or any name below (case and accents
ignored); the pages show the name of the page's language and use the Spanish name's slug in
every language, so a state's URL is the same word everywhere.
"""

import re
import unicodedata

__all__ = ["STATES", "STATE_INDEX", "fold", "resolve_state", "slug", "state_names"]

# Mexico's 32 federal entities: INEGI code -> official INEGI name and display names.
STATES = {
    "01": {"inegi": "Aguascalientes"},
    "02": {"inegi": "Baja California"},
    "03": {"inegi": "Baja California Sur"},
    "04": {"inegi": "Campeche"},
    "05": {"inegi": "Coahuila de Zaragoza", "es": "Coahuila"},
    "06": {"inegi": "Colima"},
    "07": {"inegi": "Chiapas"},
    "08": {"inegi": "Chihuahua"},
    "09": {"inegi": "Ciudad de México", "en": "Mexico City", "also": ["CDMX", "Distrito Federal"]},
    "10": {"inegi": "Durango"},
    "11": {"inegi": "Guanajuato"},
    "12": {"inegi": "Guerrero"},
    "13": {"inegi": "Hidalgo"},
    "14": {"inegi": "Jalisco"},
    "15": {
        "inegi": "México",
        "es": "Estado de México",
        "en": "State of Mexico",
        "also": ["Edomex"],
    },
    "16": {"inegi": "Michoacán de Ocampo", "es": "Michoacán"},
    "17": {"inegi": "Morelos"},
    "18": {"inegi": "Nayarit"},
    "19": {"inegi": "Nuevo León"},
    "20": {"inegi": "Oaxaca"},
    "21": {"inegi": "Puebla"},
    "22": {"inegi": "Querétaro"},
    "23": {"inegi": "Quintana Roo"},
    "24": {"inegi": "San Luis Potosí"},
    "25": {"inegi": "Sinaloa"},
    "26": {"inegi": "Sonora"},
    "27": {"inegi": "Tabasco"},
    "28": {"inegi": "Tamaulipas"},
    "29": {"inegi": "Tlaxcala"},
    "30": {"inegi": "Veracruz de Ignacio de la Llave", "es": "Veracruz"},
    "31": {"inegi": "Yucatán"},
    "32": {"inegi": "Zacatecas"},
}


def fold(text):
    """Lower case, no accents, one space: how names are compared and sorted."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace(".", " ").split())


def state_names(code, lang):
    info = STATES[code]
    return info.get(lang) or info.get("es") or info["inegi"]


def _state_index():
    index = {}
    for code, info in STATES.items():
        index[code] = code
        index[str(int(code))] = code
        for name in [info["inegi"], info.get("es"), info.get("en"), *info.get("also", [])]:
            if name:
                index[fold(name)] = code
    return index


STATE_INDEX = _state_index()


def resolve_state(value):
    """INEGI code (9, "09") or exact name -> "09"; None when unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    return STATE_INDEX.get(value.strip()) or STATE_INDEX.get(fold(value))


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
