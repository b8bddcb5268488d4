"""Editor-facing validation: every problem is one line naming the file (and line).

Before Pelican reads anything, this plugin scans the metadata header of every content file
and the data files other plugins register, reports *all* problems at once, and stops the
build before a single file is written when any of them is an error. Warnings (such as a
missing translation) let the build go on, unless Pelican runs with ``--fatal warnings``.

No traceback ever reaches an editor: the handler filter below removes the traceback that
Pelican attaches to its final "critical" message.
"""

import difflib
import fnmatch
import logging
import os
import re
from datetime import datetime
from urllib.parse import unquote

from pelican import signals
from pelican.readers import HTMLReader, MarkdownReader, RstReader
from pelican.utils import slugify

from alerta import build, console, failures, guards, limits, publish_gate
from alerta.content import (
    CONTENT_EXTENSIONS,
    CONTENT_TYPES,
    DATE_FORMAT,
    DATE_RE,
    INTERNAL_REF,
    MARKDOWN_IMAGE,
    STATUSES_IN_ORDER,
    YEARS,
    content_files,
    read_header,
    relative,
    split_name,
)
from alerta.report import (
    DATA_CHECKS,
    BuildStopped,
    Report,
    is_preview,
)

from . import collisions
from .rawhtml import raw_html_problems

__all__ = ["register"]

_pelican_log = logging.getLogger("pelican.alerta")


def check_file(kind, path, shown, text, settings, report):
    """Check one file's header; return its identity for the cross-file checks."""
    header, failure = read_header(text)
    if failure:
        report.error(shown, failure[1], failure[0])
        return None
    spec = CONTENT_TYPES[kind]
    fields = header.fields
    for name in sorted(spec["required"] - fields.keys()):
        report.error(shown, f'"{name.capitalize()}:" is missing (required for {kind})', 1)
    for name, (value, line) in fields.items():
        if name not in spec["required"] | spec["optional"]:
            report.warning(shown, f'unknown field "{name}" (is it misspelt?)', line)
        elif not value and name in spec["required"]:
            report.error(shown, f'"{name.capitalize()}:" is empty', line)
    languages = list(settings["LANGUAGES"])
    stem, file_lang = split_name(path)
    lang, lang_line = fields.get("lang", (None, 1))
    if lang and lang not in languages:
        known = ", ".join(languages)
        report.error(
            shown, f'Lang "{lang}" is not a site language (use one of: {known})', lang_line
        )
    elif lang and file_lang and file_lang != lang:
        report.error(
            shown, f'Lang "{lang}" does not match the file name (".{file_lang}.")', lang_line
        )
    for name in ("date", "modified"):
        if name in fields:
            check_date(shown, name, *fields[name], report, spec.get("date_format", DATE_FORMAT))
    template, template_line = fields.get("template", ("", None))
    problem = template and template_problem(template, settings)
    if problem:
        report.error(shown, problem, template_line)
    statuses = spec.get("statuses", STATUSES_IN_ORDER)
    status, status_line = fields.get("status", (statuses[0], None))
    if status.lower() not in statuses:
        allowed = ", ".join(statuses[:-1]) + " or " + statuses[-1]
        report.error(shown, f'Status "{status}" is unknown (use {allowed})', status_line)
    key, key_line = fields.get("translation_key", (stem, None))
    title = fields.get("title", ("", None))[0]
    slug = fields.get("slug", ("", None))[0] or slugify(
        title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    )
    for name in ("slug", "save_as", "url"):
        value, line = fields.get(name, ("", None))
        parts = value.replace("\\", "/").split("/")
        if value.startswith(("/", "\\")) or ".." in parts:
            report.error(
                shown,
                f'{collisions.LABELS[name]} "{value}" would leave the site\'s folder: '
                "use a plain name such as mi-pagina",
                line,
            )
    return {
        "header": fields,
        "body_line": header.body_line,
        "source": path,
        "kind": kind,
        "path": shown,
        "lang": lang,
        "key": key,
        "key_line": key_line or 1,
        "slug": slug,
    }


def check_date(shown, name, value, line, report, date_format=DATE_FORMAT):
    try:
        if not DATE_RE.match(value):
            raise ValueError
        year = datetime.fromisoformat(value.replace(" ", "T")).year
    except ValueError:
        report.error(
            shown, f'{name.capitalize()} "{value}" is not a date (use {date_format})', line
        )
        return
    if not YEARS[0] <= year <= YEARS[1]:
        report.error(
            shown,
            f'{name.capitalize()} "{value}" is out of range '
            f"(use a year from {YEARS[0]} to {YEARS[1]})",
            line,
        )


def template_problem(value, settings):
    """Why `Template:` cannot be used, or None: it names a template of the theme, not a path
    (Pelican would look for it anywhere its loader can reach, and stop with a traceback)."""
    folders = [os.path.join(settings["THEME"], "templates")]
    folders += list(settings.get("THEME_TEMPLATES_OVERRIDES", []))
    extensions = settings.get("TEMPLATE_EXTENSIONS", [".html"])
    names = sorted(
        {
            name.removesuffix(extension)
            for folder in folders
            if os.path.isdir(folder)
            for name in os.listdir(folder)
            for extension in extensions
            if name.endswith(extension) and not name.startswith(("_", "."))
        }
    )
    if value in names and re.fullmatch(r"[\w-]+", value):
        return None
    if not re.fullmatch(r"[\w-]+", value):
        return (
            f'Template "{value}" must be the name of a template in theme/templates/ '
            "(such as page), not a path"
        )
    close = difflib.get_close_matches(value, names, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else " (leave it out to use the usual one)"
    return f'Template "{value}" is not a template of the theme{hint}'


def check_pairs(items, languages, report, preview=True):
    """Same key and lang twice is an error; a key missing a language is a warning (in a publish
    build, among the published files only)."""
    groups = {}
    for item in items:
        groups.setdefault((item["kind"], item["key"]), []).append(item)
    for (_kind, key), group in sorted(groups.items()):
        seen = {}
        for item in group:
            if item["lang"] in seen:
                report.error(
                    item["path"],
                    f'Translation_key "{key}" in "{item["lang"]}" is '
                    f"already used by {seen[item['lang']]['path']}",
                    item["key_line"],
                )
            else:
                seen[item["lang"]] = item
        present = {lang for lang in seen if lang}
        if not preview:
            # The publish build publishes no draft: only published twins must pair up.
            group = [item for item in group if item["fields"].get("status", "").lower() != "draft"]
            present = {item["lang"] for item in group if item["lang"]}
        for lang in languages:
            if present and lang not in present:
                first = group[0]
                report.warning(
                    first["path"],
                    f'Translation_key "{key}" has no "{lang}" translation yet',
                    first["key_line"],
                )
    slugs = {}
    for item in items:
        ident = (item["kind"], item["lang"], item["slug"])
        if item["slug"] and ident in slugs:
            report.error(
                item["path"],
                f'Slug "{item["slug"]}" is already used by '
                f'{slugs[ident]}; give this file its own "Slug:"',
                1,
            )
        slugs.setdefault(ident, item["path"])


def check_content(settings, report):
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    items = []
    for kind, path in content_files(settings, oversized=True):
        shown = relative(path, base)
        too_large = os.path.isfile(path) and limits.size_problem(path)
        if not os.path.isfile(path) or too_large:
            report.error(shown, too_large or "is not a regular file; save it as a text file")
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except UnicodeDecodeError as error:
            report.error(shown, f"is not UTF-8 text (byte {error.start}); save it as UTF-8")
            continue
        item = check_file(kind, path, shown, text, settings, report)
        if item:
            items.append(item)
            body_line = item.pop("body_line")
            too_deep = limits.nesting_problem(text, body_line)
            if too_deep:
                report.error(shown, too_deep[1], too_deep[0])
            check_body(path, shown, text, settings["PATH"], report, body_line)
            item["links"] = publish_gate.file_links(path, text, settings["PATH"], body_line)
            header = item.pop("header")
            item["fields"] = {name: value for name, (value, _line) in header.items()}
            item["lines"] = {name: line for name, (_value, line) in header.items()}
    check_pairs(items, list(settings["LANGUAGES"]), report, is_preview(settings))
    collisions.check_collisions(items, settings, report)
    report.items = items


def check_body(path, shown, text, root, report, first_line=1):
    """Links that point nowhere or outside content/, and raw HTML that could run code."""
    problems = []
    for number, what in raw_html_problems(text, first_line):
        if what.endswith(":"):
            message = (
                f'a "{what}" link is not allowed in content (it runs code when followed); '
                "link to a page or a file of this site"
            )
        else:
            message = (
                f'raw HTML "{what}" is not allowed in content (it could run code or send '
                "visitors to another site); use Markdown"
            )
        problems.append((number, message))
    # The whole text first: the usual file, with a few links, is not searched line by line.
    if INTERNAL_REF.search(text):
        for number, line in enumerate(text.splitlines(), start=1):
            if number < first_line or ("{" not in line and "|" not in line):
                continue  # metadata: shown escaped, so any text is safe there
            # Images are checked by plugins/images (missing, outside, alt text); links here.
            for target in INTERNAL_REF.findall(MARKDOWN_IMAGE.sub("", line)):
                message = link_problem(path, root, target)
                if message:
                    problems.append((number, message))
    for number, message in sorted(problems, key=lambda problem: problem[0]):
        report.error(shown, message, number)


def link_problem(path, root, target):
    """Why a `{filename}`/`{static}`/`{attach}` target cannot be published, or None."""
    target = unquote(target.split("#")[0].split("?")[0])
    if not target:
        return None
    base = root if target.startswith("/") else os.path.dirname(path)
    full = os.path.normpath(os.path.join(base, target.lstrip("/")))
    if not guards.is_inside(full, root):
        # Pelican would copy it, and write it as far outside the output as it is outside here.
        return f'link to "{target}" leads outside content/; only files in content/ can be linked'
    if not os.path.exists(full):
        return f'link to "{target}" points nowhere (no such file in content/)'
    return None  # a symlink in content/ that leads outside is reported by check_real_paths


def check_real_paths(settings, report):
    """Symlinks in content/ (or in the theme) that lead outside it. Pelican follows them, so a
    link to /etc/passwd or /proc/self/environ (the build's secrets) would be published."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    theme = settings.get("THEME")
    for root, shown_base in ((settings["PATH"], base), (theme, os.path.dirname(theme or "."))):
        if not root or not os.path.isdir(root):
            continue
        folder = os.path.basename(os.path.normpath(root)) + "/"
        for path, real in guards.outside_links(root):
            report.error(
                relative(path, shown_base),
                f"is a symlink to {real}, outside {folder}; nothing from outside {folder} is "
                f"published: put a copy of the file itself in {folder}",
            )


def check_unchecked_formats(settings, report):
    """Files Pelican reads as articles or pages that these checks never read (.html, .htm,
    .rst, .mkd, .mdown): their HTML would be published without any of the checks above."""
    readers = (HTMLReader, MarkdownReader, RstReader)
    unchecked = {f".{ext}" for reader in readers for ext in reader.file_extensions}
    unchecked -= set(CONTENT_EXTENSIONS)
    root = settings["PATH"]
    base = os.path.dirname(os.path.abspath(root))
    ignores = settings.get("IGNORE_FILES", [])
    for folder in [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder), followlinks=True):
            dirnames[:] = sorted(
                name
                for name in dirnames
                if not any(fnmatch.fnmatch(name, pattern) for pattern in ignores)
                and guards.real_path_inside(os.path.join(dirpath, name), root)
            )
            for name in sorted(filenames):
                extension = os.path.splitext(name)[1].lower()
                if extension in unchecked and not any(
                    fnmatch.fnmatch(name, pattern) for pattern in ignores
                ):
                    report.error(
                        relative(os.path.join(dirpath, name), base),
                        f'"{extension}" files are not checked, and Pelican would publish this '
                        "one's HTML as it is: write it in Markdown (.md) or remove it",
                    )


# ---------------------------------------------------------------- data files


LAST_REPORT = []


def run_checks(generator):
    """Run every check once per build, before any content is read.

    A data check may return what it read, as facts ``{name: value}`` (the help lines, say):
    they go in this build's record, ``alerta.build.of(context).facts``, for the features and
    templates that show them."""
    report = Report()
    facts = build.of(generator.context).facts
    for check in (check_real_paths, check_unchecked_formats, check_content, *DATA_CHECKS):
        facts.update(check(generator.settings, report) or {})
    if not is_preview(generator.settings):
        publish_gate.check_publishable(generator.settings, report)
    facts["report"] = report
    LAST_REPORT[:] = [report]  # for in-process callers such as `invoke livereload`
    report.emit()
    if report.errors:
        raise BuildStopped(
            f"{len(report.errors)} problem(s) in the content, listed above; nothing was written"
        )
    warnings = len(report.problems)
    if warnings:
        # Through Pelican's logger, so that `--fatal warnings` stops here.
        _pelican_log.warning("%d warning(s) in the content, listed above", warnings)


class NoTraceback(logging.Filter):
    """Show Pelican's final critical message as one line, without the traceback: our own
    stop, a warning or error made fatal by `--fatal`, or (the last resort) any other exception,
    named by the content file it stopped on (see failures.last_resort_line)."""

    def filter(self, record):
        if record.levelno >= logging.CRITICAL and record.exc_info:
            error = record.exc_info[1]
            record.exc_info = None
            record.exc_text = None
            if isinstance(error, BuildStopped):
                record.msg, record.args = "Build stopped: %s", (error,)
            elif "Warning or error encountered" in str(error):
                fatal = getattr(logging.getLoggerClass(), "fatal_lvl", logging.ERROR)
                what = "warnings are" if fatal <= logging.WARNING else "errors are"
                record.msg, record.args = (
                    "Build stopped: %s fatal in this mode (see above); %s",
                    (what, failures.KEPT),
                )
            else:
                record.msg, record.args = "%s", (failures.last_resort_line(error),)
        return True


def install_filter(_pelican):
    # Pelican's final message is logged on the "pelican" logger, whatever the handler.
    target = logging.getLogger("pelican")
    if not any(isinstance(f, NoTraceback) for f in target.filters):
        target.addFilter(NoTraceback())


def default_translation_key(content):
    """A file without `Translation_key:` is keyed by its name (`senales.es.md` -> "senales"),
    as the checks above assume; Pelican would otherwise stop with a traceback when it pairs
    translations."""
    if getattr(content, "translation_key", None) or not getattr(content, "source_path", None):
        return
    key = split_name(content.source_path)[0]
    content.translation_key = key
    content.metadata["translation_key"] = key


def register():
    signals.initialized.connect(install_filter)
    signals.initialized.connect(console.use_one_line_handler)
    failures.register()
    # Anything logged at ERROR while reading and writing stops the build (strict or not):
    # first of the final steps, and again just before plugins.atomic swaps the output in.
    signals.finalized.connect(failures.stop_if_errors)
    signals.content_object_init.connect(default_translation_key)
    signals.article_generator_init.connect(run_checks)
