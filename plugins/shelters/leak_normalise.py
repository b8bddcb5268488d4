"""The texts the leak scan reads in one file's bytes, each reduced to one plain form.

A *view* is a skeleton of a text: lower-case ASCII letters and digits, every other run of
characters one space, padded with spaces (" av ninos heroes 12 b "). The needles
(leak_needles.py) are regexes over views, so these ways of writing come to the same thing:

- case, accents and compatibility forms (NFKD: "Ｈ", "ﬁ", "²"), other scripts' digits;
- Cyrillic and Greek letters that pass for Latin ones ("Нidаlgо": see `CONFUSABLES`);
- every character that is not a letter or a digit, ASCII or not (em dash, «», NBSP): a
  separator, never dropped ("245—a" is "245 a", not "245a");
- HTML entities, JSON ``\\uXXXX`` escapes, percent-encoding;
- UTF-8, Windows-1252 (Latin-1), and UTF-16 or UTF-32 with a byte-order mark or without one
  (told by where the NUL bytes fall).

From each text come up to three views: the text as it is (a tag's characters separate words);
without its tags ("Calle <b>Falsa</b> 12"); and *joined*, tags and invisible characters taken
out with nothing in their place ("Hid<b>al</b>go", "Hid\\u200balgo", a word of a DOCX, ODT or
PPTX paragraph split across runs). The text of hidden elements (``hidden``, ``display:none``,
comments, scripts) is text like any other: every view holds it.
"""

import codecs
import functools
import html
import re
import unicodedata

__all__ = ["CONFUSABLES", "decoded_texts", "skeleton", "views"]

# Cyrillic and Greek letters (and a few Latin ones) that a reader takes for Latin letters.
# Unicode's confusables data (UTS #39) is not in the pinned environment, and no maintained
# package there ships it; this short table covers the letters of both scripts that look like a
# Latin letter in ordinary fonts. It is applied after NFKD, so accented forms are covered.
CONFUSABLES = {
    **dict.fromkeys("аАɑα", "a"),
    **dict.fromkeys("вВьЬβΒ", "b"),
    **dict.fromkeys("сСϲϹ", "c"),
    **dict.fromkeys("ԁđĐð", "d"),
    **dict.fromkeys("еЕεΕ", "e"),
    **dict.fromkeys("ɡ", "g"),
    **dict.fromkeys("нНһҺΗ", "h"),
    **dict.fromkeys("іІıɩιΙ", "i"),
    **dict.fromkeys("јЈȷϳ", "j"),
    **dict.fromkeys("кКκΚ", "k"),
    **dict.fromkeys("ӏӀłŁ", "l"),
    **dict.fromkeys("мМΜ", "m"),
    **dict.fromkeys("пηΝ", "n"),
    **dict.fromkeys("оОοΟøØօ", "o"),
    **dict.fromkeys("рРρΡ", "p"),
    **dict.fromkeys("ԛ", "q"),
    **dict.fromkeys("ѕЅ", "s"),
    **dict.fromkeys("тТτΤ", "t"),
    **dict.fromkeys("υս", "u"),
    **dict.fromkeys("ν", "v"),
    **dict.fromkeys("ԝԜω", "w"),
    **dict.fromkeys("хХχΧ", "x"),
    **dict.fromkeys("уУүҮγΥ", "y"),
    **dict.fromkeys("Ζ", "z"),
    "ß": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "þ": "th",
}
# Letters that show as nothing; the joined view removes them like format characters (Cf).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


class _Fold(dict):
    """code point -> its ASCII replacement, worked out once per character seen."""

    def __init__(self, join):
        super().__init__({code: code for code in range(128)})
        self.join = join

    def __missing__(self, code):
        char = chr(code)
        category = unicodedata.category(char)
        if char in CONFUSABLES:
            value = CONFUSABLES[char]
        elif category.startswith("M"):  # an accent, split off by NFKD
            value = ""
        elif category == "Nd":
            value = str(unicodedata.decimal(char))
        elif category == "Cf" or char in _BLANK_LETTERS:
            value = "" if self.join else " "
        else:
            value = " "  # any other character separates words, ASCII or not
        self[code] = value
        return value


_SPLIT, _JOIN = _Fold(join=False), _Fold(join=True)
# Every byte but a-z and 0-9 becomes a space (bytes.translate and split run in C).
_ALNUM_ONLY = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256)
)


@functools.lru_cache(maxsize=8192)  # the same runs (an accent, a dash) recur on every page
def _folded_run(run, join):
    return run.translate(_JOIN if join else _SPLIT)


# Encoding to ASCII runs in C and calls these only for each run of other characters: five
# times quicker than a regex or str.translate over the whole text.
codecs.register_error(
    "leakscan-split", lambda e: (_folded_run(e.object[e.start : e.end], False), e.end)
)
codecs.register_error(
    "leakscan-join", lambda e: (_folded_run(e.object[e.start : e.end], True), e.end)
)


# For binary files: every byte but A-Z, a-z and 0-9 becomes a space, A-Z lower-case.
_BINARY = bytes(
    c | 0x20 if chr(c).isascii() and chr(c).isalpha() else c if 48 <= c <= 57 else 32
    for c in range(256)
)


def _binary_skeleton(text):
    """skeleton() for the text of a binary file, ten times quicker: every character that is not
    an ASCII letter or digit separates, accents and look-alikes included. Text in a binary file
    that is meant to be read (a PDF's, a PNG's, a zip member's) is read on its own as well."""
    data = unicodedata.normalize("NFKD", text.replace("º", " ")).encode("utf-8", "replace")
    return " " + b" ".join(data.translate(_BINARY).split()).decode("ascii") + " "


def skeleton(text, join=False):
    """Lower-case ASCII letters and digits, every other run of characters one space.

    "Av. Niños Héroes #12-B" -> " av ninos heroes 12 b ". Padded with spaces, so that a
    needle's own padding makes it match whole words and whole numbers only. `join`: format
    characters (zero-width space, soft hyphen) are removed instead of separating.
    """
    if "º" in text:  # the ordinal sign for degrees, "19º25'" (NFKD would make it an "o")
        text = text.replace("º", " ")
    folded = unicodedata.normalize("NFKD", text)
    data = folded.encode("ascii", "leakscan-join" if join else "leakscan-split")
    return " " + b" ".join(data.lower().translate(_ALNUM_ONLY).split()).decode("ascii") + " "


# ---------------------------------------------------------------- bytes to text


def _zero_share(data, start, step):
    part = data[start::step]
    return part.count(0) / len(part) if part else 0.0


_CONTROL = bytes(c for c in range(32) if c not in b"\t\n\f\r")


def decoded_texts(data):
    """(text, binary) for each text `data` may hold: UTF-8 (or as its byte-order mark says);
    Windows-1252 when a few bytes are not UTF-8; UTF-32 or UTF-16 without a mark when NUL bytes
    fall where those put them in Latin text. `binary`: bytes that are not meant as text (a font,
    a compressed index: many control characters and bytes that are not UTF-8)."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return [(data.decode("utf-32", "replace"), False)]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return [(data.decode("utf-16", "replace"), False)]
    text = data.decode("utf-8", "replace")
    undecodable = text.count("\ufffd")
    controls = len(data) - len(data.translate(None, _CONTROL))
    texts = [(text, (undecodable + controls) * 64 > len(text))]
    if undecodable and undecodable * 8 < len(text) and controls * 64 <= len(data):
        texts.append((data.decode("cp1252", "replace"), False))
    if b"\x00\x00" in data[:65536] or data.count(0) * 8 > len(data):
        # A NUL is the high byte of every Latin character in UTF-16 (one in two bytes) and
        # two or three in four in UTF-32. Binary files have NULs everywhere or nowhere.
        sample = data[:65536]
        shares = [_zero_share(sample, offset, 4) for offset in range(4)]
        even = _zero_share(sample, 0, 2)
        odd = _zero_share(sample, 1, 2)
        encoding = None
        if min(shares[2:]) > 0.8 and shares[0] < 0.5:
            encoding, size = "utf-32-le", 4
        elif min(shares[:2]) > 0.8 and shares[3] < 0.5:
            encoding, size = "utf-32-be", 4
        # UTF-16 that starts at an odd byte reads right in the other byte order.
        elif odd > 0.25 and even * 4 < odd:
            encoding, size = "utf-16-le", 2
        elif even > 0.25 and odd * 4 < even:
            encoding, size = "utf-16-be", 2
        if encoding:
            texts.append((data[: len(data) // size * size].decode(encoding, "replace"), False))
    return texts


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JSON_CONTROL = re.compile(r"\\[nrtbf]")
# Written to start with a literal "%": the regex engine then skips ahead to each "%" instead of
# trying the pattern at every character (five times quicker on a page).
_PERCENT_RUN = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
TAG = re.compile(r"<[^<>]{0,2000}>")


def unescape(text):
    """Undo the escapes a value goes through on its way into HTML, JSON or a URL."""
    text = _JSON_CONTROL.sub(" ", text)
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(text)
    if "%" in text:
        # Only the runs of %XX escapes: unquote() on a whole file splits it at every non-ASCII
        # character, which made this the slowest step of a cold build.
        text = _PERCENT_RUN.sub(lambda match: _percent_decoded(match.group()), text)
    return text


@functools.lru_cache(maxsize=4096)  # the same runs ("%20", "%3A") recur in every page
def _percent_decoded(run):
    """What unquote() makes of a run of %XX escapes (UTF-8, undecodable bytes replaced)."""
    return bytes.fromhex(run.replace("%", "")).decode("utf-8", "replace")


def views(data, needles=None):
    """The skeletons in which to look for needles, from one file's bytes (see the module).

    Removing a tag only removes words (the "<" and ">" around it already separated them), so
    the view without tags has no word the plain view lacks: it is made only when one of
    `needles` (default: all) could be in the plain view, which for most files none can. The
    joined view makes new words, so it is made whenever there is a tag or a non-ASCII
    character to take out; needles then test it on its own words. A binary file has one view
    (see _binary_skeleton).
    """
    result = []
    for text, binary in decoded_texts(data):
        text = unescape(text)
        if binary:
            result.append(_binary_skeleton(text))
            continue
        plain = skeleton(text)
        result.append(plain)
        parts = TAG.split(text) if "<" in text else [text]
        if len(parts) > 1 and (needles is None or any(n.could_be_in(plain) for n in needles)):
            result.append(skeleton(" ".join(parts)))
        if len(parts) > 1 or not text.isascii():
            joined = skeleton("".join(parts), join=True)
            if joined not in result:
                result.append(joined)
    return result
