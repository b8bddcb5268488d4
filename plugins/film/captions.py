"""Where the film's captions are read and checked: WebVTT parsed, numbers said, transcript.

Each language's film file names its own WebVTT file (``Captions: film/corto.es.vtt``). The
check (``check_captions``) reports, at their line in the .vtt file, a missing header, a cue
timing that does not parse, cues out of order or without text, and any dead phone number said
in a caption (viewers dial what they read). The page prints the full transcript from the same
files (``transcript``: consecutive cues of one speaker make one paragraph).
"""

import os
import re
from dataclasses import dataclass, field

from alerta import numbers

from .media import content_file, outside_problem

__all__ = [
    "Captions",
    "Cue",
    "caption_number_problems",
    "check_captions",
    "parse_vtt",
    "read_cues",
    "transcript",
]

TIMING_RE = re.compile(
    r"^((?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})[ \t]+-->[ \t]+((?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})"
    r"([ \t].*)?$"
)
TAG_RE = re.compile(r"<[^>]+>")
VOICE_RE = re.compile(r"^<v(?:\.[\w.-]+)?[ \t]+([^>]+)>")


@dataclass
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""
    line: int = 0  # of its first line of text, for problems found in the text


@dataclass
class Captions:
    cues: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (line, message)


def seconds(stamp):
    parts = [float(part) for part in stamp.split(":")]
    return sum(value * 60**power for power, value in enumerate(reversed(parts)))


def parse_vtt(text):
    """Parse WebVTT enough to be sure a browser will show it: header, timings, order.

    Returns Captions(cues, problems); problems are (line number, message), empty when valid.
    """
    result = Captions()
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT([ \t].*)?$", lines[0]):
        result.problems.append((1, 'is not WebVTT: the first line must be "WEBVTT"'))
        return result
    number, previous = 1, 0.0
    while number < len(lines):
        # A block: lines up to the next blank line.
        if not lines[number].strip():
            number += 1
            continue
        start = number
        block = []
        while number < len(lines) and lines[number].strip():
            block.append(lines[number])
            number += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        timing_at = 1 if len(block) > 1 and "-->" in block[1] and "-->" not in block[0] else 0
        match = TIMING_RE.match(block[timing_at].strip())
        if not match:
            result.problems.append(
                (
                    start + timing_at + 1,
                    f'cue timing "{block[timing_at].strip()[:40]}" does not parse '
                    "(use 00:00:01.000 --> 00:00:04.000)",
                )
            )
            continue
        begin, end = seconds(match.group(1)), seconds(match.group(2))
        line = start + timing_at + 1
        if end <= begin:
            result.problems.append((line, "cue ends before it starts"))
            continue
        if begin < previous:
            result.problems.append(
                (line, "cue starts before the previous cue (keep them in order)")
            )
        previous = begin
        body = block[timing_at + 1 :]
        if not body:
            result.problems.append((line, "cue has no text"))
            continue
        raw = "\n".join(body)
        voice = VOICE_RE.match(raw)
        text_only = TAG_RE.sub("", raw).replace("&amp;", "&").replace("&lt;", "<")
        speaker = voice.group(1) if voice else ""
        result.cues.append(Cue(begin, end, text_only.replace("&gt;", ">"), speaker, line + 1))
    if not result.cues and not result.problems:
        result.problems.append((1, "has no cues"))
    return result


def transcript(cues):
    """Paragraphs for the page: consecutive cues of one speaker join into one paragraph."""
    paragraphs = []
    for cue in cues:
        if paragraphs and cue.speaker == paragraphs[-1]["speaker"] and cue.speaker:
            paragraphs[-1]["text"] += " " + " ".join(cue.text.split())
        else:
            paragraphs.append(
                {"speaker": cue.speaker, "text": " ".join(cue.text.split()), "start": cue.start}
            )
    for paragraph in paragraphs:
        whole = int(paragraph["start"])
        paragraph["time"] = f"{whole // 60:02d}:{whole % 60:02d}"
    return paragraphs


def caption_number_problems(captions):
    """(line, message) for each dead phone number said in a caption: viewers dial what
    they read, so captions follow the same number rules as the pages."""
    return [
        (cue.line + offset, dead.message)
        for cue in captions.cues
        for offset, text in enumerate(cue.text.split("\n"))
        for dead in numbers.dead_numbers(text)
    ]


def read_cues(path):
    """The cues of a checked captions file (for the page and its transcript)."""
    with open(path, encoding="utf-8") as handle:
        return parse_vtt(handle.read()).cues


def check_captions(settings, given, line, shown, base, report):
    """The `Captions:` of film file `shown` (at `line`): a .vtt inside content/ that parses."""
    path = content_file(settings, given)
    vtt_shown = os.path.relpath(path, base) if path else given
    if not path:
        outside = outside_problem(settings, "Captions file", given)
        if outside:
            report.error(shown, outside, line)
    elif not os.path.isfile(path):
        report.error(shown, f'Captions file "{given}" was not found in content/', line)
    elif not path.endswith(".vtt"):
        report.error(shown, f'Captions file "{given}" must be a WebVTT file (.vtt)', line)
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                parsed = parse_vtt(handle.read())
        except UnicodeDecodeError:
            parsed = Captions(problems=[(1, "is not UTF-8 text; save it as UTF-8")])
        for problem_line, message in parsed.problems + caption_number_problems(parsed):
            report.error(vtt_shown, f"{message} (captions named in {shown})", problem_line)
