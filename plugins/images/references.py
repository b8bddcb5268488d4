"""Finding the images a content file shows: Markdown images (inline, by reference), raw
``<img>`` tags and ``{static}`` links, and the file each reference points to."""

import html
import os
import re
from html.parser import HTMLParser
from urllib.parse import unquote

__all__ = [
    "HTML_IMG",
    "HTML_LINK",
    "is_decorative",
    "markdown_references",
    "resolve_reference",
    "tag_attributes",
]

PLACEHOLDER = re.compile(r"^(?:\{(static|attach|filename)\}|\|(static|attach|filename)\|)")
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)

# Markdown: ![alt](src "title"){: .class}, ![alt][ref] + [ref]: src, and raw <img ...>.
MD_INLINE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\(\s*<?(?P<src>[^)\s>]+)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)(?P<attrs>\{[^}\n]*\})?"
)
MD_REFERENCE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\[(?P<ref>[^\]]*)\](?P<attrs>\{[^}\n]*\})?"
)
MD_DEFINITION = re.compile(r"^ {0,3}\[(?P<ref>[^\]]+)\]:\s*<?(?P<src>\S+?)>?(?:\s+.*)?$")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_LINK = re.compile(r"(<a\b[^>]*?\bhref=)(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def resolve_reference(src, source_file, content_root):
    """An image reference in a content file -> absolute path under content/ (or None).

    ``{static}/images/a.jpg`` and ``/images/a.jpg`` are relative to content/; ``{static}a.jpg``
    and ``a.jpg`` to the folder of the file that shows them. Remote URLs give None.
    """
    src = html.unescape(src.strip())
    match = PLACEHOLDER.match(src)
    if match:
        src = src[match.end() :]
    elif REMOTE.match(src):
        return None
    src = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not src:
        return None
    base = content_root if src.startswith("/") else os.path.dirname(source_file)
    return os.path.normpath(os.path.join(base, src.lstrip("/")))


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs = {}

    def handle_starttag(self, tag, attrs):
        self.attrs = {name: value if value is not None else "" for name, value in attrs}

    handle_startendtag = handle_starttag


def tag_attributes(tag):
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def markdown_references(text):
    """Yield (line, alt, src, attrs) for every image a Markdown file shows."""
    if "![" not in text and not HTML_IMG.search(text):
        return  # no image at all: the usual case, found without going line by line
    lines = text.splitlines()
    definitions = {}
    for line in lines:
        match = MD_DEFINITION.match(line)
        if match:
            definitions[match.group("ref").strip().lower()] = match.group("src")
    fence = None
    for number, line in enumerate(lines, start=1):
        marker = FENCE.match(line)
        if marker:
            token = marker.group(1)[0]
            fence = None if fence == token else (fence or token)
            continue
        if fence:
            continue
        for match in MD_INLINE.finditer(line):
            yield number, match.group("alt"), match.group("src"), match.group("attrs") or ""
        for match in MD_REFERENCE.finditer(line):
            ref = (match.group("ref") or match.group("alt")).strip().lower()
            if ref in definitions:
                yield number, match.group("alt"), definitions[ref], match.group("attrs") or ""
        for match in HTML_IMG.finditer(line):
            attrs = tag_attributes(match.group(0))
            classes = " ".join(f".{c}" for c in (attrs.get("class") or "").split())
            yield number, attrs.get("alt"), attrs.get("src") or "", classes


def is_decorative(attrs, opts):
    return re.search(rf"(^|[\s{{:])\.{re.escape(opts['decorative_class'])}\b", attrs) is not None
