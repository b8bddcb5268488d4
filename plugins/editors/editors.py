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
from pelican import signals
from pelican.generators import Generator

from alerta import build
from alerta.i18n import languages
from alerta.report import is_preview

__all__ = [
    "EditorsGenerator",
    "catalog_gaps",
    "changed_after",
    "last_changes",
    "problem_list",
    "translation_status",
    "write_problems",
    "register",
]

# Two files changed outside git (no checkout, or edited in the work tree) count as changed at
# different times only beyond this many seconds: a copy or an unpacked archive writes every
# file within a few seconds.
TOLERANCE = 60


def git(repo, *args):
    """Output of a git command, with file names unquoted (`-z`, UTF-8) and mode-only changes
    ignored (a checkout on a filesystem without exec bits shows every file as modified)."""
    return subprocess.run(
        ["git", "-C", repo, "-c", "core.quotePath=false", "-c", "core.fileMode=false", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    ).stdout


def last_changes(paths, repo):
    """When each file last changed, as a sortable stamp (kind, value).

    A file as committed: (0, position of its last commit, oldest first). Commits are ordered,
    not timed: twins from one commit (a fresh clone) are equal whatever the clock said, and a
    later commit is later even when it came seconds after. A file edited in the work tree or
    not in git: (1, mtime), newer than any commit. Not a git checkout: (1, mtime) for all."""
    stamps = {path: (1, os.path.getmtime(path)) for path in paths}
    try:
        top = git(repo, "rev-parse", "--show-toplevel").strip()
        log = git(repo, "log", "--format=%x00@%H", "--name-only", "-z", "--", ".")
        dirty = git(repo, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return stamps  # not a git checkout: file times are all there is
    # -z status: "XY path\0", a rename adds "\0old path"; both names count as edited.
    edited = {
        os.path.join(top, entry[3:] if entry[2:3] == " " else entry)
        for entry in dirty.split("\0")
        if entry
    }
    commits, committed = [], {}
    for entry in log.split("\0"):
        entry = entry.strip("\n")
        if entry.startswith("@"):
            commits.append(entry)
        elif entry:
            committed.setdefault(os.path.join(top, entry), len(commits))
    for path in paths:
        real = os.path.realpath(path)
        if real in committed and real not in edited:
            # The log lists the newest commit first: turn its index into "oldest first".
            stamps[path] = (0, len(commits) - committed[real])
    return stamps


def changed_after(newer, older):
    """Whether stamp `newer` is a later change than stamp `older` (see last_changes)."""
    if newer[0] != older[0]:
        return newer[0] > older[0]
    if newer[0] == 0:
        return newer[1] > older[1]
    return newer[1] - older[1] > TOLERANCE


def translation_status(items, langs, repo):
    """One row per (kind, key): each language's file, and which side changed after the other."""
    times = last_changes([item["source"] for item in items], repo)
    groups = {}
    for item in items:
        groups.setdefault((item["kind"], item["key"]), {})[item["lang"]] = item
    rows = []
    for (kind, key), by_lang in sorted(groups.items()):
        stamps = {lang: times[item["source"]] for lang, item in by_lang.items()}
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
                    if any(changed_after(other, stamp) for other in stamps.values())
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
        report = build.of(self.context).facts.get("report")
        if report is None or not is_preview(self.settings):
            return  # the report is for editors: the publish build has none
        langs = list(languages(self.settings))
        repo = os.path.dirname(os.path.abspath(self.settings["PATH"]))
        rows = translation_status(report.items, langs, repo)
        to_verify = [item for item in report.items if item["fields"].get("verify")]
        problems = problem_list(report)
        lang = self.settings["DEFAULT_LANG"]
        build.write_page(
            self,
            writer,
            "_editors/",
            "editors",
            lang,
            {lang: "_editors/"},
            listed=False,  # for editors: not in the sitemap
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
    signals.get_generators.connect(get_generators)
