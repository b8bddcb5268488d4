"""The print pack: one zip per language with every PDF of the listed pamphlets and a README
on printing and folding. It is what volunteers print, so never a draft, even in the preview;
its entries have a fixed date, so an unchanged pack is byte-for-byte the same."""

import io
import os
import zipfile

from alerta.files import atomic_write
from alerta.i18n import gettext

from .content import index_path
from .paper import N_, file_size

__all__ = ["write_pack"]

README_TEMPLATE = "pamphlet_readme.txt"
README_NAME = N_("README")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def write_pack(generator, lang, items):
    """Write the pack of `items` in `lang`; return its link, name, size and PDF count."""
    names = generator.options["pack_name"]
    name = (names.get(lang) or names.get("default") or "pamphlets") + f"-{lang}.zip"
    url = index_path(generator.settings, lang) + name
    readme = generator.env.get_template(README_TEMPLATE).render(
        {**generator.context, "page_lang": lang, "pamphlets_list": items}
    )
    readme_name = gettext(generator.settings, lang, README_NAME) + ".txt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entry = zipfile.ZipInfo(readme_name, ZIP_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(entry, readme.replace("\n", "\r\n").encode("utf-8"))
        for item in items:
            for pdf in item.pdfs:
                entry = zipfile.ZipInfo(pdf["name"], ZIP_DATE)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with open(pdf["cache"] + ".pdf", "rb") as handle:
                    archive.writestr(entry, handle.read())
    data = buffer.getvalue()
    atomic_write(os.path.join(generator.output_path, url), data)
    return {
        "url": url,
        "name": name,
        "size": file_size(len(data), generator.langs[lang]["locale"]),
        "count": sum(len(item.pdfs) for item in items),
    }
