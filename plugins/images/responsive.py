"""Responsive images: each ``<img>`` of a content image in an article or page becomes a
``<picture>`` with WebP and JPEG/PNG ``srcset``s, ``sizes``, explicit ``width``/``height``,
and ``loading="lazy"`` on every image but the first of the page; a link to one of our images
points to its clean full-size copy."""

import html
import os

from .checks import REGISTRY
from .pictures import MIME
from .references import HTML_IMG, HTML_LINK, resolve_reference, tag_attributes
from .settings import options

__all__ = ["picture_html", "rewrite", "rewrite_content"]


def attribute_text(attrs):
    return "".join(f' {name}="{html.escape(str(value), quote=True)}"' for name, value in attrs)


def picture_html(picture, attrs, first, opts, siteurl):
    def url(width, kind):
        return f"{siteurl}/{picture.name(width, kind)}"

    def srcset(kind):
        return ", ".join(f"{url(w, kind)} {w}w" for w in picture.widths)

    default = max([w for w in picture.widths if w <= opts["default_width"]] or picture.widths[:1])
    largest = picture.widths[-1]
    classes = [c for c in attrs.get("class", "").split() if c != opts["decorative_class"]]
    decorative = opts["decorative_class"] in attrs.get("class", "").split()
    img = [
        ("src", url(default, picture.fallback)),
        ("srcset", srcset(picture.fallback)),
        ("sizes", opts["sizes"]),
        ("width", largest),
        ("height", picture.height_at(largest)),
        ("alt", "" if decorative else attrs.get("alt", "")),
    ]
    for name in ("title", "id"):
        if attrs.get(name):
            img.append((name, attrs[name]))
    if classes:
        img.append(("class", " ".join(classes)))
    if not first:
        img.append(("loading", "lazy"))
    img.append(("decoding", "async"))
    source = [("type", MIME["webp"]), ("srcset", srcset("webp")), ("sizes", opts["sizes"])]
    return f"<picture><source{attribute_text(source)}><img{attribute_text(img)}></picture>"


def rewrite(content, source_file, settings):
    """<img> of our images -> <picture>; links to our images -> the clean full-size file."""
    opts = options(settings)
    root = os.path.abspath(settings["PATH"])
    siteurl = settings.get("SITEURL", "")
    seen = [0]

    def image(match):
        attrs = tag_attributes(match.group(0))
        target = resolve_reference(attrs.get("src", ""), source_file, root)
        picture = REGISTRY.get(target)
        if picture is None:
            return match.group(0)
        seen[0] += 1
        return picture_html(picture, attrs, seen[0] == 1, opts, siteurl)

    def link(match):
        value = html.unescape(match.group(2)[1:-1])
        target = resolve_reference(value, source_file, root)
        picture = REGISTRY.get(target)
        if picture is None:
            return match.group(0)
        return f'{match.group(1)}"{siteurl}/{picture.name(picture.widths[-1], picture.fallback)}"'

    return HTML_IMG.sub(image, HTML_LINK.sub(link, content))


def rewrite_content(instance):
    """``content_object_init``: rewrite an article's or page's HTML as soon as it is read."""
    content = getattr(instance, "_content", None)
    source = getattr(instance, "source_path", None)
    if not content or not source or "<img" not in content and "<a" not in content:
        return
    instance._content = rewrite(content, os.path.abspath(source), instance.settings)
