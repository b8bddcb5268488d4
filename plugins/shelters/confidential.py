"""The confidentiality guarantee: no output file holds a confidential shelter's location.

``address`` and ``geo`` reach the pages only for entries with ``public: true`` (entries.py). For
every other entry the build proves it: once the whole site is written, compressed copies
included, ``confidentiality_check`` scans every output file, looking inside compressed and
derived files (leakcheck.py), for the address and coordinates of each confidential entry. A hit
stops the build with one line per file naming the file and the entry id (never the value), and
the leaking file is deleted so it cannot be published by mistake.

It runs on the "deploy" signal of pelican-granular-signals, which Pelican sends after
"finalized" and after pelican-precompress's "compress", and before plugins.atomic swaps the new
output in (receivers run in PLUGINS order: keep "plugins.shelters" before "plugins.atomic"). So
a leak stops the build while the public ``output/`` is still the previous, checked one.
"""

import hashlib
import json
import logging
import os

import yaml

from alerta.files import Cache, atomic_write
from alerta.report import BuildStopped

from . import leakcheck
from .entries import data_path

__all__ = ["confidential_needles", "confidentiality_check"]

# A plain logger: the check stops the build itself, after listing every file (see below).
_notices = logging.Logger("alerta.shelters")
_notices.parent = logging.getLogger()


def confidential_needles(settings):
    """The secrets to look for: address and geo of every entry that is not `public: true`.

    Read straight from the data file (not from anything the build made), so that the check
    does not depend on the code it checks.
    """
    path = data_path(settings)
    if not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise BuildStopped(f"the confidentiality check cannot read {path}") from error
    needles = []
    for position, entry in enumerate((data or {}).get("shelters") or [], start=1):
        if not isinstance(entry, dict) or entry.get("public") is True:
            continue
        owner = str(entry.get("id") or f"#{position}")
        address = entry.get("address")
        if isinstance(address, dict):
            address = address.get("text")
        if address:
            needles += leakcheck.address_needles(owner, address)
        geo = entry.get("geo")
        if isinstance(geo, dict) and geo.get("lat") is not None and geo.get("lon") is not None:
            try:
                needles += leakcheck.geo_needles(owner, geo["lat"], geo["lon"])
            except (TypeError, ValueError):
                continue  # rejected by the data check before anything was written
    return needles


def confidentiality_check(pelican):
    """Scan every output file; on a hit delete the file and stop the build (exit status 1)."""
    settings = pelican.settings
    needles = confidential_needles(settings)
    output = pelican.output_path
    if not needles or not os.path.isdir(output):
        return
    # Name files as in the folder that would have been published (plugins.atomic stages it).
    final = getattr(pelican, "_alerta_final_output", None) or output
    # Files whose exact bytes were scanned clean for the same locations, by this version of the
    # scanner, are not scanned again: a fixed scanner re-reads everything.
    fingerprint = hashlib.sha256(repr(sorted(map(repr, needles))).encode()).hexdigest()[:16]
    memo = Cache(settings, "leakcheck", leakcheck.SCANNER_VERSION).path(fingerprint, ".json")
    try:
        with open(memo, encoding="utf-8") as handle:
            clean = set(json.load(handle))
    except (OSError, ValueError):
        clean = set()
    clean_now = set()
    # Every writer has finished by "deploy" (the search index, the cards and the PDFs too).
    hits, unreadable = leakcheck.scan_tree(
        output,
        needles,
        os.path.basename(final.rstrip("/")),
        clean,
        clean_now,
        workers=os.cpu_count() or 1,
    )
    # The memo keeps this build's files only, and is left alone when nothing changed.
    if not hits and not unreadable and clean_now != clean:
        atomic_write(memo, json.dumps(sorted(clean_now)))
    for hit in hits:
        real = os.path.join(output, hit.file)
        if hit.file and os.path.isfile(real):
            os.remove(real)
        _notices.error(
            '%s: contains the confidential %s of shelter "%s"; the file was deleted',
            hit.path,
            hit.field,
            hit.owner,
        )
    for item in unreadable:
        _notices.error(
            "%s: %s, so it cannot be checked for confidential shelter data",
            item.path,
            item.reason,
        )
    if hits or unreadable:
        raise BuildStopped(
            f"confidentiality check failed: {len(hits)} leak(s), {len(unreadable)} file(s) "
            "that cannot be checked, listed above; do not publish this output"
        )
