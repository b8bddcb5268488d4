"""Phone numbers, as written and as dialled: one set of rules for every check that reads numbers.

Mexico dropped its dialling prefixes in 2019-2020: the long-distance "01" ("01 800 …",
"01 55 …"), the mobile "044"/"045" and the "1" after +52 no longer connect. A visitor who dials
one of them reaches nobody, so these forms are refused wherever numbers are written: content
text and links, data files, captions. Digits are compared after normalisation (full-width and
other Unicode digits read as ASCII, every kind of separator between digits ignored), so
"０１ ８００", "01–800", "(01) 800" and "018005533000" are one and the same dead number.

Only phone-like runs count: a run starts at a word boundary and holds digits joined by phone
separators (spaces, dots, dashes, slashes, parentheses), and a dead form must end where a group
of digits ends. Dates, years, year ranges, postal codes and ISBNs do not look like that.

Every ``tel:`` link (any case: ``TEL:`` works in browsers) must be dialable from anywhere:
E.164, validated with Google's libphonenumber metadata (the ``phonenumbers`` package), or a
3-digit Mexican service number (911, 089).
"""

import html
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import phonenumbers
from phonenumbers import shortnumberinfo

__all__ = [
    "dead_numbers",
    "dialable",
    "hotline_problems",
    "normalise_digits",
    "phone_problem",
    "scan_files",
    "tel_problem",
    "text_problems",
]

# Characters that may separate the digits of a phone number, besides every Unicode space and
# dash and the invisible format characters (zero-width space, soft hyphen...).
_SEPARATORS = ".-/()\u2212\uff08\uff09\uff0e\uff0f"
_ASCII_CANON = str.maketrans({c: " " for c in ".-/()\t\n\v\f\r"})
# A phone-like run in canonical text (see _canonical): digits in groups, at most three
# separators between groups, maybe a leading "+"; never glued to a word or to another "+".
RUN = re.compile(r"(?<![\w+])(?:\+ {0,3})?\d+(?: {1,3}\d+)*")
GROUP = re.compile(r"\d+")
# tel: in an attribute value (quoted, spaces allowed) or a Markdown link / autolink.
TEL_LINK = re.compile(
    r"([\"'])(tel:)([^\"'<>\n]*)|(?<![\w.+-])(tel:)([^\s\"'<>\])]*)", re.IGNORECASE
)
TEL_SEPARATORS = re.compile(r"[\s.\-()/]")
# Metropolitan areas with 2-digit codes; every other national number is 3 + 7 digits.
TWO_DIGIT_AREAS = ("33", "55", "56", "81")
WRITE_MX = "write +52 and the 10 digits, e.g. +52 55 5533 5533"
WRITE_WA = "the full number in digits with the country code, e.g. 528005533000"
WRITE_NATIONAL = "write the 10 digits, e.g. 55 5533 5533, or + and the country code"
# Data files whose number fields are checked with their entry (the message names the entry):
# the text scan leaves the lines of those fields to that check, so each problem is one line.
NUMBER_FIELDS = {
    "hotlines.yml": ("tel", "number", "wa"),
    "shelters.yml": ("phones", "whatsapp", "number"),
}
YAML_KEY = re.compile(r"^(\s*)(-\s+)?([\w-]+)\s*:\s*(.*)$")


@lru_cache(maxsize=4096)
def _canonical_char(char):
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    if char in "+\uff0b\ufe62":
        return "+"
    if char.isspace() or char in _SEPARATORS or unicodedata.category(char) in ("Pd", "Cf"):
        return " "
    return char


def _canonical(text):
    """`text` with every digit ASCII, every phone separator a space, every "+" ASCII.
    One character for one, so a position in it is a position in `text`."""
    if text.isascii():
        return text.translate(_ASCII_CANON)
    return "".join(map(_canonical_char, text))


def normalise_digits(text):
    """Unicode digits as ASCII and separators between digits removed:
    "Tel. ０１ ８００–5533 000" -> "Tel. 018005533000"; other text is left as it is."""
    canon = _canonical(text)
    out, last = [], 0
    for gap in re.finditer(r"(?<=\d) +(?=\d)", canon):
        out.append(_ascii_digits(text[last : gap.start()], canon[last : gap.start()]))
        last = gap.end()
    out.append(_ascii_digits(text[last:], canon[last:]))
    return "".join(out)


def _ascii_digits(text, canon):
    return "".join(c if c.isdigit() or c == "+" else t for t, c in zip(text, canon, strict=True))


def digits_of(text):
    """Only the digits of `text`, as ASCII."""
    return re.sub(r"\D", "", _canonical(str(text)))


def national(digits, groups=None):
    """10 national digits as people read them: the writer's own grouping when they used one,
    else 55 5533 5533 (2-digit metropolitan areas) or 800 553 3000."""
    if groups and len(groups) > 1:
        return " ".join(groups)
    if digits.startswith(TWO_DIGIT_AREAS):
        return f"{digits[:2]} {digits[2:6]} {digits[6:]}"
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# ---------------------------------------------------------------- dead forms


@dataclass
class Dead:
    start: int
    end: int
    found: str
    advice: str

    @property
    def message(self):
        return f'dead number "{self.found}": {self.advice}'


def _national_next(digits, at):
    """True when a national number (first digit 2-9) starts at `digits[at]`."""
    return digits[at : at + 1] in tuple("23456789")


def _dead_at(groups, i, plus):
    """The dead form starting at group i of a run -> (index of its last group, advice)."""
    first = groups[i][2]
    tail = "".join(g[2] for g in groups[i:])

    def ends_at(count):
        """Index of the group where the first `count` digits of the tail end, if one does."""
        total = 0
        for j in range(i, len(groups)):
            total += len(groups[j][2])
            if total >= count:
                return j if total == count else None
        return None

    def number(prefix):
        """The 10 digits after a `prefix` of that many digits, grouped as the writer did
        (what is left of the prefix's own group first, when it was glued to the number)."""
        parts, taken = [], 0
        for g in groups[i : ends_at(prefix + 10) + 1]:
            keep = g[2][max(0, prefix - taken) :]
            taken += len(g[2])
            if keep:
                parts.append(keep)
        return national(tail[prefix : prefix + 10], parts), len(parts)

    def fits(prefix):
        return _national_next(tail, prefix) and ends_at(prefix + 10) is not None

    if plus and tail.startswith("521") and fits(3):
        return ends_at(13), f"since 2019 dial +52 {number(3)[0]} (drop the 1 after +52)"
    if plus and tail.startswith("5201") and fits(4):
        return ends_at(14), f"since 2019 dial +52 {number(4)[0]} (drop the 01 after +52)"
    if first.startswith("00") and tail.startswith("00521") and fits(5):
        return ends_at(15), f"since 2019 dial +52 {number(5)[0]} (drop the 1 after 0052)"
    if not plus and first.startswith("521") and fits(3):
        grouped, parts = number(3)
        written = f"52 {grouped}" if parts > 1 else "52" + tail[3:13]
        return ends_at(13), f"since 2019 write {written} (drop the 1 after 52)"
    if first.startswith("01") and fits(2):
        return ends_at(12), f"since 2019 dial {number(2)[0]} (drop the 01)"
    if first == "01" and i + 1 < len(groups) and groups[i + 1][2][:3] in ("800", "900"):
        kind = groups[i + 1][2][:3]
        return i + 1, f"since 2019 {kind} numbers are dialled without the 01 (e.g. 800 5533 000)"
    if first.startswith(("044", "045")) and fits(3):
        return ends_at(13), f"since 2019 dial {number(3)[0]} (drop the {first[:3]})"
    return None


def dead_numbers(text):
    """Every dead Mexican number form in `text`, as Dead(start, end, found, advice)."""
    canon = _canonical(str(text))
    found = []
    for run in RUN.finditer(canon):
        offset = run.start()
        groups = [
            (g.start() + offset, g.end() + offset, g.group()) for g in GROUP.finditer(run.group())
        ]
        plus = run.group().startswith("+")
        i = 0
        while i < len(groups):
            dead = _dead_at(groups, i, plus and i == 0)
            if dead is None:
                i += 1
                continue
            last, advice = dead
            start = offset if plus and i == 0 else groups[i][0]
            if text[start - 1 : start] in ("(", "\uff08"):
                start -= 1  # "(01) 800 …" is shown whole
            end = groups[last][1]
            found.append(Dead(start, end, " ".join(text[start:end].split()), advice))
            i = last + 1
    return found


# ---------------------------------------------------------------- dialling


def _e164_problem(compact, country=None):
    """Why "+digits" is not a number for `country` (ISO code, or None for any), or None."""
    digits = compact[1:]
    if country and country.upper() != "MX" and digits.startswith("52"):
        return f"+52 is Mexico, not {country.upper()}"
    if digits.startswith("52") or (country or "").upper() == "MX":
        if not digits.startswith("52"):
            return f"a Mexican number starts with +52; {WRITE_MX}"
        national_digits = digits[2:]  # "+52 1 …" is refused before, as a dead form
        if len(national_digits) != 10:
            return f"+52 takes exactly 10 digits after it ({len(national_digits)} here); {WRITE_MX}"
    elif digits.startswith("1") and len(digits) != 11:
        return f"+1 takes exactly 10 digits after it ({len(digits) - 1} here)"
    if not 8 <= len(digits) <= 15:
        return f"an international number has 8 to 15 digits after + ({len(digits)} here)"
    try:
        parsed = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException:
        return "it does not start with a country code"
    region = phonenumbers.region_code_for_number(parsed)
    if country and region and region != country.upper():
        return f"it is a number in {region}, not {country.upper()}"
    if not phonenumbers.is_valid_number(parsed):
        return f"it is not a valid number in {region or 'any country'}"
    return None


def tel_problem(target, country=None):
    """Why a tel: link to `target` cannot be dialled from any phone, or None when it can.
    E.164 (+ and the country code) or a 3-digit Mexican service number; `country` (ISO code)
    when the number must belong to one country."""
    given = unquote(str(target))
    text = normalise_digits(given).strip()
    if not text:
        return "it is empty; write tel: and the number, e.g. tel:+528005533000"
    dead = dead_numbers(given)
    if dead:
        return dead[0].advice
    compact = TEL_SEPARATORS.sub("", text)
    if not re.fullmatch(r"\+?\d+", compact):
        return "a phone dials digits only (and + first); " + WRITE_MX
    if len(compact) == 3 and compact.isdigit():
        region = (country or "MX").upper()
        try:
            number = phonenumbers.parse(compact, region)
            if shortnumberinfo.is_valid_short_number_for_region(number, region):
                return None
        except phonenumbers.NumberParseException:
            pass  # not a region phonenumbers knows
        return f"{compact} is not a service number in {region} (911, 089)"
    if not compact.startswith("+"):
        if len(compact) == 10:
            return f"add the country code: +52{compact}"
        return WRITE_MX
    return _e164_problem(compact, country)


def phone_problem(number, country=None):
    """A number as people write it -> (tel target, None), or (None, why it cannot be dialled).
    10 digits without + are a Mexican national number, a 3-digit service number stays as it
    is; `country` (ISO code) when the number must belong to one country."""
    text = normalise_digits(str(number)).strip()
    dead = dead_numbers(str(number))
    if dead:
        return None, dead[0].advice
    if not re.fullmatch(r"\+?[\d\s.\-()/]+", text):
        return None, "only digits, spaces and + are allowed; " + WRITE_NATIONAL
    compact = TEL_SEPARATORS.sub("", text)
    if not compact.startswith("+") and len(compact) not in (3, 10):
        return None, WRITE_NATIONAL
    if not compact.startswith("+") and len(compact) == 10 and (country or "MX").upper() == "MX":
        compact = "+52" + compact
    problem = tel_problem(compact, country)
    return (None, problem) if problem else (compact, None)


def dialable(value):
    """True when a phone can dial `value` (written with separators, national or E.164)."""
    return phone_problem(value)[0] is not None


# ---------------------------------------------------------------- text and files


def tel_links(text):
    """(start, target) of every tel: link in `text`: quoted attribute values, Markdown links
    and autolinks; the scheme in any case. A prose "Tel: 55 …" is no link."""
    for match in TEL_LINK.finditer(text):
        if match.group(1):
            yield match.start(2), match.group(3)
            continue
        scheme, target, start = match.group(4), match.group(5), match.start(4)
        after = text[match.end() : match.end() + 1]
        before = text[max(0, start - 16) : start].rstrip()[-1:]
        if not target and after not in (")", "]", ">", '"', "'"):
            continue  # "tel: +52…" is a YAML key or prose, not a link
        if scheme != "tel:" and before not in ("(", "<", "=", ":"):
            continue  # "Tel:" in prose
        yield start, target


def text_problems(text):
    """([(offset, message)] for every dead number and undialable tel: link, the text as read,
    entities decoded): a tel: link is one problem, never also a dead number."""
    if "&" in text:
        text = html.unescape(text)
    problems, links = [], []
    for start, target in tel_links(text):
        links.append((start, start + 4 + len(target)))
        reason = tel_problem(target)
        if reason:
            problems.append((start, f"tel:{target} is not dialable: {reason}"))
    for dead in dead_numbers(text):
        if not any(begin <= dead.start < end for begin, end in links):
            problems.append((dead.start, dead.message))
    return sorted(problems, key=lambda item: item[0]), text


def line_problems(text, first_line=1):
    """(line number, message) for every problem in `text`, its first line numbered `first_line`."""
    problems, seen = text_problems(text)
    return [(first_line + seen.count("\n", 0, offset), message) for offset, message in problems]


SCANNED = (".md", ".markdown", ".yml", ".yaml", ".html")


def scan_files(root, base, report):
    """Dead numbers and undialable tel: links in every content and data file under `root`.
    Captions are checked with their film (only the captions a film names are published)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(SCANNED):
                continue
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                continue  # reported by the content checks, never opened
            try:
                with open(path, encoding="utf-8") as handle:
                    whole = handle.read()
            except (UnicodeDecodeError, OSError):
                continue  # reported by the content checks
            shown = os.path.relpath(path, base)
            skipped = field_lines(whole, NUMBER_FIELDS.get(name, ()))
            for line, message in line_problems(whole):
                if line not in skipped:
                    report.error(shown, message, line)


def field_lines(text, keys):
    """Line numbers holding the values of `keys` in a YAML text: `key: value` lines and the
    items of a block list under `key:` (`phones:` then `- "55 …"`)."""
    lines, owner = set(), None
    if not keys:
        return lines
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        item = line.lstrip().startswith("-")
        if owner is not None and (indent > owner or (item and indent == owner)):
            if not YAML_KEY.match(line):
                lines.add(number)  # an item of the list under a number key
                continue
        else:
            owner = None
        match = YAML_KEY.match(line)
        if match and match.group(3) in keys:
            lines.add(number)
            if not match.group(4):
                owner = len(match.group(1)) + len(match.group(2) or "")
    return lines


def hotline_problems(line):
    """(field, message) for the numbers of one help line (a hotlines.yml entry): `tel` dialable
    in the line's `country`, `number` the same number as people read it, WhatsApp and SMS."""
    country = str(line.get("country") or "MX").upper()
    problems = []
    tel = "" if line.get("tel") is None else str(line.get("tel"))
    reason = tel_problem(tel, country)
    compact = TEL_SEPARATORS.sub("", normalise_digits(tel))
    if reason is None and compact != tel:
        reason = f"write the digits alone: {compact}"
    if reason:
        problems.append(("tel", f'tel "{tel}" is not dialable: {reason}'))
    number = "" if line.get("number") is None else str(line.get("number"))
    dead = dead_numbers(number)
    if dead:
        problems.append(("number", f'number "{number}": {dead[0].advice}'))
    elif not reason and (not digits_of(number) or not compact.endswith(digits_of(number))):
        problems.append(("number", f'number "{number}" does not match tel "{tel}"'))
    whatsapp = line.get("whatsapp")
    if isinstance(whatsapp, dict):
        wa = "" if whatsapp.get("wa") is None else str(whatsapp.get("wa"))
        dead = dead_numbers(wa)
        why = tel_problem("+" + wa, country) if wa.isdecimal() and wa.isascii() else WRITE_WA
        why = dead[0].advice if dead else why
        if why:
            problems.append((("whatsapp", "wa"), f'whatsapp.wa "{wa}" is not dialable: {why}'))
        dead = dead_numbers(str(whatsapp.get("number") or ""))
        if dead:
            problems.append((("whatsapp", "number"), f"whatsapp.number: {dead[0].advice}"))
    sms = line.get("sms")
    if isinstance(sms, dict):
        text = "" if sms.get("number") is None else str(sms.get("number"))
        short = TEL_SEPARATORS.sub("", normalise_digits(text))
        dead = dead_numbers(text)
        if dead or not (re.fullmatch(r"\d{3,8}", short) or phone_problem(text, country)[0]):
            why = dead[0].advice if dead else "a short code (3 to 8 digits) or a phone number"
            problems.append((("sms", "number"), f'sms.number "{text}": {why}'))
    return problems
