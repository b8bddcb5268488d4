"""The publish gate: a publish build refuses to run while what it would publish is unfinished.

Editors mark what is not confirmed yet with a ``Verify:`` note on a page, event or pamphlet, or
``verify: true`` (or a ``verify: "..."`` text) on an entry of a data file. The preview build shows
those notes to editors; the publish build (``PREVIEW = False``) must contain none. So, before
anything is read, every such note on something that would be published is one error line,
``file:line: why``, and nothing is written. The usual ways out:

- ``Status: draft`` keeps a page, event or pamphlet out of the publish build, note and all;
- a data entry can be removed, or left out where its feature says so (a shelter without
  ``verified_on``: see ``register_unpublished``).

A published page that links (``{filename}``) to a draft is an error too: in the published site
that link would point nowhere.
"""

import os
import re

import yaml

from .data import DataLoader

__all__ = ["check_publishable", "data_notes", "register_unpublished", "register_unpublished_kind"]

# Data file name -> predicate(entry) telling that a top-level list entry is left out of the
# publish build. Registered by the feature that owns the file (shelters: no `verified_on`).
UNPUBLISHED = {}

# Keys whose value names an entry in messages ("shelter "ceav"").
ENTRY_NAMES = ("id", "code", "key")
FILENAME_LINK = re.compile(r"\{filename\}([^)\s\"'>#?]+)")


def register_unpublished(filename, predicate):
    """`predicate(entry: dict) -> bool`: True when the entry of `filename` is not published."""
    UNPUBLISHED[filename] = predicate


# Content type (folder) -> predicate(item, settings): True when its plugin leaves that file out
# of the publish build (the film: nothing to play yet), so its notes do not stop the build.
UNPUBLISHED_KINDS = {}


def register_unpublished_kind(kind, predicate):
    UNPUBLISHED_KINDS[kind] = predicate


def _truthy(node):
    """A `verify` value that marks something pending: true, yes, or any non-empty text."""
    if not isinstance(node, yaml.ScalarNode):
        return True  # a list or mapping under `verify` is a note too
    value = node.value.strip()
    if node.tag.endswith(":bool") or value.lower() in ("true", "false", "yes", "no", "on", "off"):
        return value.lower() in ("true", "yes", "on")
    return bool(value) and value.lower() not in ("null", "~")


def _entry_name(node):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in ENTRY_NAMES and isinstance(value, yaml.ScalarNode):
                return value.value
    return None


def data_notes(path):
    """Every pending `verify` in a YAML file: (line, entry name or None, top-level entry node).

    Walks the node tree (not the loaded data) to keep line numbers. The entry is the outermost
    list item that holds the note: a shelter, a help line, a state's record."""
    with open(path, encoding="utf-8") as handle:
        # The shared loader refuses aliases: walking an alias bomb's nodes would never end.
        root = yaml.compose(handle, Loader=DataLoader)
    found = []

    def walk(node, entry, name, depth):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "verify" and _truthy(value):
                    found.append((key.start_mark.line + 1, name, entry))
                if depth == 0 and isinstance(value, yaml.MappingNode):
                    walk(value, None, key.value, depth + 1)  # a block such as `proteja:`
                else:
                    walk(value, entry, name, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if entry is None:
                    walk(item, item, _entry_name(item), depth + 1)
                else:
                    walk(item, entry, name, depth + 1)

    if root is not None:
        walk(root, None, None, 0)
    return found


def _left_out(filename, entry):
    predicate = UNPUBLISHED.get(filename)
    if predicate is None or entry is None:
        return False
    try:
        value = yaml.safe_load(yaml.serialize(entry))
    except yaml.YAMLError:
        return False
    return isinstance(value, dict) and predicate(value)


def _is_draft(item):
    return str(item["fields"].get("status", "")).strip().lower() == "draft"


def check_publishable(settings, report):
    """Report every editor's note left on what a publish build would publish."""
    for item in report.items:
        left_out = UNPUBLISHED_KINDS.get(item.get("kind"), lambda _item, _settings: False)
        if item["fields"].get("verify") and not _is_draft(item) and not left_out(item, settings):
            report.error(
                item["path"],
                'still has a "Verify:" note: confirm the facts and remove the note, or add '
                '"Status: draft" to keep it out of the published site',
                item.get("lines", {}).get("verify"),
            )
    _check_links_to_drafts(report)
    folder = os.path.join(settings["PATH"], "data")
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if not name.endswith((".yml", ".yaml")):
            continue
        path = os.path.join(folder, name)
        try:
            notes = data_notes(path)
        except (yaml.YAMLError, UnicodeDecodeError, OSError):
            continue  # its own check reports the syntax error, with its line
        for line, entry_name, entry in notes:
            if _left_out(name, entry):
                continue
            who = f'entry "{entry_name}"' if entry_name else "an entry"
            report.error(
                os.path.relpath(path, base),
                f"{who} is still marked verify: confirm it and remove the flag, or remove the "
                "entry, before publishing",
                line,
            )


def _check_links_to_drafts(report):
    by_source = {os.path.realpath(item["source"]): item for item in report.items}
    for item in report.items:
        if _is_draft(item):
            continue
        for target, line in item.get("links", ()):
            linked = by_source.get(os.path.realpath(target))
            if linked is not None and _is_draft(linked):
                report.error(
                    item["path"],
                    f"links to {linked['path']}, which is a draft and will not be published: "
                    "remove the link or publish that page",
                    line,
                )


def file_links(path, text, root, first_line):
    """`{filename}` links of a file's text, as (absolute target, line)."""
    if "{filename}" not in text:
        return []
    links = []
    for number, line in enumerate(text.splitlines(), start=1):
        if number < first_line or "{filename}" not in line:
            continue
        for target in FILENAME_LINK.findall(line):
            base = root if target.startswith("/") else os.path.dirname(path)
            links.append((os.path.join(base, target.lstrip("/")), number))
    return links


# ---------------------------------------------------------------- settings publishing needs

# Names that can never be a real public site or mailbox (RFC 2606, RFC 6761).
RESERVED_NAMES = ("example.com", "example.net", "example.org", "localhost")
RESERVED_TLDS = ("example", "test", "invalid", "localhost", "local")


def _reserved_host(host):
    import ipaddress

    host = host.strip().strip("[]").rstrip(".").lower()
    if not host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host in RESERVED_NAMES or host.endswith(
            tuple(f".{name}" for name in RESERVED_NAMES + RESERVED_TLDS)
        )
    return address.is_loopback or address.is_unspecified or address.is_private


def deploy_problems(settings):
    """Why these settings cannot be deployed to the public (an empty list when they can)."""
    from urllib.parse import urlsplit

    problems = []
    siteurl = str(settings.get("SITEURL") or "")
    parts = urlsplit(siteurl)
    if parts.scheme != "https" or not parts.hostname:
        problems.append(
            f'SITEURL "{siteurl}" must be the site\'s public https:// address '
            "(set it with SITEURL=https://... in the environment)"
        )
    elif _reserved_host(parts.hostname):
        problems.append(
            f'SITEURL "{siteurl}" points at a loopback, private or example host, '
            "not the public site"
        )
    email = str(settings.get("CONTACT_EMAIL") or "").strip()
    if not email:
        problems.append(
            "CONTACT_EMAIL is not set: visitors need an address for corrections "
            "(set it with CONTACT_EMAIL=... in the environment, or in publishconf.py)"
        )
    elif "@" not in email or _reserved_host(email.rpartition("@")[2]):
        problems.append(f'CONTACT_EMAIL "{email}" is not a real address (an example domain?)')
    return problems
