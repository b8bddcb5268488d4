"""The library's pages and catalogue: one page per resource, an index per language, one static
page per audience and per type, and the JSON and CSV catalogue.

The audience and type pages are plain static pages, so filtering works with JavaScript off, as
the shelter directory's state and service pages do; list-filter.js adds live filtering
(audience, type, language, words) on the index only. An index lists its own language's
resources, then those not yet translated into it (with their language), so nothing is hidden
from a reader because of the language they browse in. Every page goes through
``alerta.build.write_page`` (the sitemap); drafts are kept out of the sitemap and catalogue.
"""

import csv
import io
import json
import os

from pelican.utils import slugify

from alerta.build import write_page
from alerta.files import atomic_write
from alerta.printing import file_size

from .content import AUDIENCES, TYPES
from .labels import KIND_LABELS, audience_label, published_text, type_label

__all__ = ["write_pages"]


CSV_COLUMNS = (
    "key",
    "lang",
    "title",
    "summary",
    "type",
    "audiences",
    "publisher",
    "published",
    "source",
    "url",
    "translations",
    "files",
    "printable_pdfs",
)
TEXT_COLUMNS = (
    "key",
    "lang",
    "title",
    "summary",
    "type",
    "publisher",
    "published",
    "source",
    "url",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def iso(published):
    if not published:
        return ""
    year, month, day = published
    return "-".join(f"{part:02d}" for part in (year, month, day) if part is not None)


def sub_word(options, lang, kind):
    paths = options["paths"]
    return paths.get(lang, paths["default"]).get(kind, paths["default"][kind])


def write_pages(generator, writer):
    settings, options, langs = generator.settings, generator.options, generator.langs
    # Lists read by type (the modules first, in the order of their titles), then by title.
    items = sorted(
        generator.resources,
        key=lambda i: (TYPES.index(i.type) if i.type in TYPES else len(TYPES), i.title.casefold()),
    )
    indexes = generator.indexes
    siteurl = (settings.get("SITEURL") or "").rstrip("/")

    def filter_url(kind, key, lang):
        label = (audience_label if kind == "audience" else type_label)(
            settings, key, lang, *([True] if kind == "type" else [])
        )
        slug = slugify(label, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
        return f"{indexes[lang]}{sub_word(options, lang, kind)}/{slug}/"

    for item in items:
        locale = langs[item.lang]["locale"]
        for attachment in item.attachments:
            attachment.size = file_size(attachment.bytes, locale)
    published = [item for item in items if item.status != "draft"]
    shown_audiences = [key for key in AUDIENCES if any(key in i.audiences for i in items)]
    shown_types = [key for key in TYPES if any(i.type == key for i in items)]
    for item in items:
        write_page(
            generator,
            writer,
            item.url,
            "resource",
            item.lang,
            item.alternates,
            listed=item.status != "draft",
            resource=item,
            resource_index=indexes[item.lang],
            resource_labels=labels(settings, item.lang, shown_audiences, shown_types),
            resource_filters=filters(item.lang, item.audiences, [item.type], filter_url),
            resource_published=published_text(item.published, langs[item.lang]["locale"]),
            kind_labels=KIND_LABELS,
        )
    for lang in langs:
        own = [i for i in items if i.lang == lang and i.listed]
        have = {i.key for i in items if i.lang == lang}
        elsewhere = [i for i in items if i.lang != lang and i.listed and i.key not in have]
        pages = [(indexes[lang], indexes, own, elsewhere, None)]
        for kind, keys, test in (
            ("audience", shown_audiences, lambda i, k: k in i.audiences),
            ("type", shown_types, lambda i, k: i.type == k),
        ):
            for key in keys:
                alternates = {code: filter_url(kind, key, code) for code in langs}
                chosen = [i for i in own if test(i, key)]
                away = [i for i in elsewhere if test(i, key)]
                current = {"kind": kind, "key": key}
                pages.append((filter_url(kind, key, lang), alternates, chosen, away, current))
        audiences = [
            {
                "key": key,
                "label": audience_label(settings, key, lang),
                "url": filter_url("audience", key, lang),
                "count": sum(key in i.audiences for i in own + elsewhere),
            }
            for key in shown_audiences
        ]
        types = [
            {
                "key": key,
                "label": type_label(settings, key, lang, plural=True),
                "url": filter_url("type", key, lang),
                "count": sum(i.type == key for i in own + elsewhere),
            }
            for key in shown_types
        ]
        for url, alternates, chosen, away, current in pages:
            write_page(
                generator,
                writer,
                url,
                "resources",
                lang,
                alternates,
                resources_list=chosen,
                resources_elsewhere=away,
                resource_total=len(own) + len(elsewhere),
                resource_filter=current,
                resource_audiences=audiences,
                resource_types=types,
                resource_index=indexes[lang],
                resource_labels=labels(settings, lang, shown_audiences, shown_types),
                resource_languages={code: langs[code]["name"] for code in langs},
                resource_catalogue=catalogue_urls(generator),
            )
    write_catalogue(generator, published, siteurl)


def labels(settings, lang, audiences, types):
    return {
        "audiences": {key: audience_label(settings, key, lang) for key in audiences},
        "types": {key: type_label(settings, key, lang) for key in types},
    }


def filters(lang, audiences, types, filter_url):
    return {
        "audiences": {key: filter_url("audience", key, lang) for key in audiences},
        "types": {key: filter_url("type", key, lang) for key in types if key},
    }


# ---------------------------------------------------------------- the catalogue


def catalogue_urls(generator):
    default = generator.settings["DEFAULT_LANG"]
    base = generator.indexes.get(default) or next(iter(generator.indexes.values()))
    name = generator.options["catalogue"]
    return {"json": f"{base}{name}.json", "csv": f"{base}{name}.csv"}


def record(item, siteurl):
    def address(url):
        return f"{siteurl}/{url}"

    return {
        "key": item.key,
        "lang": item.lang,
        "title": item.title,
        "summary": item.summary,
        "type": item.type,
        "audiences": list(item.audiences),
        "publisher": item.publisher,
        "published": iso(item.published),
        "source": item.source_url,
        "url": address(item.url),
        "translations": {lang: address(url) for lang, url in item.alternates.items()},
        "files": [
            {
                "name": a.name,
                "url": address(a.url),
                "format": a.kind,
                "lang": a.lang,
                "bytes": a.bytes,
                "pages": a.pages,
            }
            for a in item.attachments
        ],
        "printable_pdfs": [
            {"paper": pdf["paper"], "url": address(pdf["url"]), "bytes": pdf["bytes"]}
            for pdf in item.pdfs
        ],
    }


def write_catalogue(generator, items, siteurl):
    """recursos.json and recursos.csv: every published resource in every language."""
    urls = catalogue_urls(generator)
    records = [record(item, siteurl) for item in items if item.listed]
    data = {"resources": records, "audiences": list(AUDIENCES), "types": list(TYPES)}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    atomic_write(os.path.join(generator.output_path, urls["json"]), text)
    buffer = io.StringIO()
    out = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\r\n")
    out.writeheader()
    for row in records:
        out.writerow(
            {
                **{name: safe_cell(row[name]) for name in TEXT_COLUMNS},
                "audiences": " ".join(row["audiences"]),
                "translations": " ".join(row["translations"].values()),
                "files": " ".join(f["url"] for f in row["files"]),
                "printable_pdfs": " ".join(p["url"] for p in row["printable_pdfs"]),
            }
        )
    atomic_write(os.path.join(generator.output_path, urls["csv"]), buffer.getvalue())


def safe_cell(value):
    """A text a spreadsheet would run as a formula ("=HYPERLINK(...)") starts with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
