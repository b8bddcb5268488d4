"""A feature's settings: its defaults, what the site overrides, and nothing unknown.

``options(settings, "EVENTS", DEFAULTS)`` merges ``settings["EVENTS"]`` over ``DEFAULTS``. A key
that is not in ``DEFAULTS`` is a typo until proven otherwise: the build stops with one line,
``EVENTS["uid_domian"] is not a setting (did you mean "uid_domain"?)``, instead of quietly
using the default. Nested dictionaries listed in ``nested`` are merged (and checked) one level
down too, so ``LEGISLATION = {"paths": {"es": ...}}`` keeps the other defaults of ``paths``.
"""

import difflib

from .report import BuildStopped

__all__ = ["SettingsProblem", "options", "unknown_key_message"]


class SettingsProblem(BuildStopped):
    """A setting the project does not know (one line, no traceback)."""


def unknown_key_message(name, key, known):
    close = difflib.get_close_matches(str(key), [str(k) for k in known], n=1, cutoff=0.6)
    hint = f' (did you mean "{close[0]}"?)' if close else f" (known: {', '.join(sorted(known))})"
    return f'{name}["{key}"] is not a setting of this site{hint}; see pelicanconf.py'


def options(settings, name, defaults, nested=()):
    """`defaults` updated with `settings[name]`; SettingsProblem on an unknown key."""
    given = settings.get(name) or {}
    if not isinstance(given, dict):
        raise SettingsProblem(f"{name} must be a dictionary of settings, not {given!r}")
    for key in given:
        if key not in defaults:
            raise SettingsProblem(unknown_key_message(name, key, defaults))
    result = {**defaults, **given}
    for key in nested:
        inner = given.get(key) or {}
        if isinstance(defaults.get(key), dict) and isinstance(inner, dict):
            for sub in inner:
                if defaults[key] and sub not in defaults[key]:
                    raise SettingsProblem(
                        unknown_key_message(f"{name}[{key!r}]", sub, defaults[key])
                    )
            result[key] = {**defaults[key], **inner}
    return result
