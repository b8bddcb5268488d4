"""Raw HTML in content that could run code or send visitors elsewhere.

Markdown lets HTML through, and the site's CSP is only the last line of defence, so the
checks refuse, with the line: tags that run code, load another site's content, redirect
(`<meta http-equiv="refresh">`), change where every link goes (`<base>`) or collect what
visitors type (`<form>`); every `on...=` handler; and `javascript:`/`vbscript:` URLs, however
they are spelt. Used by checks.check_body.
"""

import html
import re

__all__ = [
    "EVENT_HANDLER",
    "SCRIPT_URL",
    "UNSAFE_HTML",
    "decode_entities",
    "has_script_scheme",
    "raw_html_problems",
]

# Raw HTML refused in content, each searched in the whole text first (see raw_html_problems).
# Tags that run code, load another site's content, redirect (<meta http-equiv="refresh">),
# change where every link goes (<base>) or collect what visitors type (<form>):
UNSAFE_HTML = re.compile(
    r"<\s*(script|iframe|frame|frameset|object|embed|applet|style|meta|base|form|link)\b",
    re.IGNORECASE,
)
# Any on...= attribute inside a tag: unquoted, after a quoted value with no space
# (`"x"onerror=`), after `/` (`<svg/onload=`), or on another line of a multi-line tag; and,
# wherever it is, one with a quoted value (a tag this pattern could not follow).
EVENT_HANDLER = re.compile(
    r"<[a-z][^\s/>]*(?:\"[^\"]*\"|'[^']*'|[^'\">])*?(?<=[\s/\"'])(on[a-z]+)\s*="
    r"|\b(on[a-z]+)\s*=\s*[\"']",
    re.IGNORECASE,
)
# A javascript: or vbscript: URL where a URL goes: an attribute value, a Markdown link or a
# link definition. Browsers drop tabs, newlines and control characters inside the scheme, so
# they may come between its letters; entities are decoded before this is searched.
_SCHEME_GAP = r"[\x00-\x20]*"
_GAPS = re.compile(_SCHEME_GAP[:-1] + "+")
_GAP_CHARS = "".join(map(chr, range(0x21)))
SCRIPT_URL = re.compile(
    r"(?:=\s*[\"'`]?|\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)"
    + _SCHEME_GAP
    + "("
    + "|".join(_SCHEME_GAP.join(word) for word in ("javascript", "vbscript"))
    + ")"
    + _SCHEME_GAP
    + ":",
    re.IGNORECASE | re.MULTILINE,
)


def decode_entities(text):
    """`&#106;avascript&colon;` -> `javascript:`, keeping every line on its line."""
    if "&" not in text:
        return text
    return "\n".join(
        html.unescape(line).replace("\n", " ").replace("\r", " ") for line in text.split("\n")
    )


def has_script_scheme(text):
    """True when some ":" follows "javascript" or "vbscript" (gaps allowed), wherever it is:
    looking behind each ":" is much faster than searching the whole text for the scheme."""
    colon = text.find(":")
    while colon != -1:
        before = text[max(0, colon - 60) : colon].rstrip(_GAP_CHARS)
        if before[-1:] in ("t", "T") and _GAPS.sub("", before)[-10:].lower().endswith(
            ("javascript", "vbscript")
        ):
            return True
        colon = text.find(":", colon + 1)
    return False


def raw_html_problems(text, first_line=1):
    """(line, what) for raw HTML in the body that could run code or send visitors elsewhere,
    the first on each line; `what` ends with ":" for a javascript:/vbscript: URL.

    Searched in the whole text, so a tag spread over several lines is found too, and the
    usual file (no raw HTML at all) costs three searches."""
    found = {}
    searches = [UNSAFE_HTML]
    # Cheap tests first: most files have no "=" at all, and none has "script:" in any form.
    if "=" in text:  # every on...= handler has one
        searches.append(EVENT_HANDLER)
    decoded = decode_entities(text)
    if has_script_scheme(decoded):
        searches.append(SCRIPT_URL)
    for pattern in searches:
        searched = decoded if pattern is SCRIPT_URL else text
        for match in pattern.finditer(searched):
            group = next((g for g in range(1, pattern.groups + 1) if match.group(g)), 0)
            number = searched.count("\n", 0, match.start(group)) + 1
            if number < first_line:
                continue  # metadata: shown escaped, so any text is safe there
            if pattern is SCRIPT_URL:
                what = _GAPS.sub("", match.group(1)).lower() + ":"
            elif pattern is EVENT_HANDLER:
                what = match.group(group) + "="
            else:
                what = match.group(0)
            found.setdefault(number, what)
    return sorted(found.items())
