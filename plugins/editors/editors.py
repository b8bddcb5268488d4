"""Editors' report: translation status, theme catalog gaps, facts to verify, build problems.

Writes ``_editors/index.html`` (not in the sitemap, search or robots) and
``_editors/problems.json`` (read by the preview banner). ``invoke translations-status`` prints
the same translation table in the terminal.
"""

import json
import logging
import os
import subprocess
from datetime import UTC, datetime

from babel.messages.pofile import read_po
from pelican.generators import Generator

from plugins.bilingual.bilingual import languages
from plugins.checks import checks
from plugins.pipeline import pipeline

__all__ = [
    "EditorsGenerator",
    "catalog_gaps",
    "last_changes",
    "problem_list",
    "translation_status",
    "write_problems",
    "register",
]

# One side of a pair counts as changed after the other beyond this many seconds.
TOLERANCE = 60


def last_changes(paths, repo):
    """Last change time per file: its last commit, or its mtime when edited since."""
    times = {path: os.path.getmtime(path) for path in paths}
    try:
        log = subprocess.run(
            ["git", "-C", repo, "log", "--format=@%ct", "--name-only", "--", "."],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        dirty = subprocess.run(
            ["git", "-C", repo, "status", "--porcelain", "--untracked-files=all", "--", "."],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        top = subprocess.run(
            ["git", "-C", repo, "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return times  # not a git checkout: file times are all there is
    edited = {os.path.join(top, line[3:].strip()) for line in dirty.splitlines()}
    committed, when = {}, None
    for line in log.splitlines():
        if line.startswith("@"):
            when = int(line[1:])
        elif line.strip():
            committed.setdefault(os.path.join(top, line.strip()), when)
    for path in paths:
        real = os.path.realpath(path)
        if real in committed and real not in edited:
            times[path] = committed[real]
    return times


def translation_status(items, langs, repo):
    """One row per (kind, key): each language's file, and which side changed after the other."""
    times = last_changes([item["source"] for item in items], repo)
    groups = {}
    for item in items:
        groups.setdefault((item["kind"], item["key"]), {})[item["lang"]] = item
    rows = []
    for (kind, key), by_lang in sorted(groups.items()):
        stamps = {lang: times[item["source"]] for lang, item in by_lang.items()}
        newest = max(stamps.values())
        rows.append(
            {
                "kind": kind,
                "key": key,
                "files": {
                    lang: by_lang[lang]["path"] if lang in by_lang else None for lang in langs
                },
                "missing": [lang for lang in langs if lang not in by_lang],
                "stale": sorted(
                    lang
                    for lang, stamp in stamps.items()
                    if len(stamps) > 1 and newest - stamp > TOLERANCE
                ),
                "drafts": sorted(
                    lang
                    for lang, item in by_lang.items()
                    if item["fields"].get("status", "").lower() == "draft"
                ),
            }
        )
    return rows


def catalog_gaps(theme):
    """Theme messages that are untranslated or fuzzy, per catalog."""
    gaps = {}
    folder = os.path.join(theme, "translations")
    for lang in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        po = os.path.join(folder, lang, "LC_MESSAGES", "messages.po")
        if os.path.exists(po):
            with open(po, "rb") as handle:
                catalog = read_po(handle, locale=lang)
            gaps[lang] = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    return gaps


def status_table(rows, langs):
    """The translation status as aligned text, for the terminal."""
    header = ["kind", "translation key", *langs, "changed after the other"]
    lines = [header]
    for row in rows:
        cells = [row["kind"], row["key"]]
        for lang in langs:
            state = "missing" if lang in row["missing"] else "ok"
            state += " (draft)" if lang in row["drafts"] else ""
            cells.append(state)
        newer = [lang for lang in langs if lang not in row["stale"] and lang not in row["missing"]]
        cells.append(
            f"{', '.join(newer)} newer: update {', '.join(row['stale'])}" if row["stale"] else ""
        )
        lines.append(cells)
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


class EditorsGenerator(Generator):
    """Writes the editors-only report pages."""

    def generate_output(self, writer):
        report = self.context.get("alerta_report")
        if report is None or not checks.is_preview(self.settings):
            return  # the report is for editors: the publish build has none
        langs = list(languages(self.settings))
        repo = os.path.dirname(os.path.abspath(self.settings["PATH"]))
        rows = translation_status(report.items, langs, repo)
        to_verify = [item for item in report.items if item["fields"].get("verify")]
        problems = [
            {
                "path": p.path,
                "line": p.line,
                "message": p.message,
                "level": "error" if p.level >= 40 else "warning",
            }
            for p in report.problems
        ]
        writer.write_file(
            "_editors/index.html",
            self.get_template("editors"),
            self.context,
            page_lang=self.settings["DEFAULT_LANG"],
            page_url="_editors/",
            alternates={self.settings["DEFAULT_LANG"]: "_editors/"},
            rows=rows,
            langs=langs,
            to_verify=to_verify,
            problems=problems,
            catalog_gaps=catalog_gaps(self.settings["THEME"]),
            built_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
        write_problems(self.output_path, problems)


def problem_list(report):
    return [
        {
            "path": p.path,
            "line": p.line,
            "message": p.message,
            "level": "error" if p.level >= logging.ERROR else "warning",
        }
        for p in report.problems
    ]


def write_problems(output, problems):
    folder = os.path.join(output, "_editors")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "problems.json"), "w", encoding="utf-8") as handle:
        json.dump(problems, handle, ensure_ascii=False, indent=1)


def get_generators(_pelican):
    return EditorsGenerator


def register():
    pipeline.add_generator(get_generators(None))
