"""Content images: metadata stripped, upright, responsive, cached; bad images named."""

import hashlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import article, make_content, pelican
from PIL import Image

RED, BLUE = (200, 30, 30), (0, 0, 255)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_photo():
    """A 1200×800 JPEG as a phone stores it: sideways (orientation 6), with GPS and maker.

    The blue block is at the stored top-left; shown upright (rotated 90° clockwise) it is at
    the top-right."""
    image = Image.new("RGB", (1200, 800), RED)
    image.paste(BLUE, (0, 0, 400, 200))
    exif = image.getexif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMakerXYZ"
    exif[0x0110] = "SecretModel 9"
    exif[GPS_IFD] = {1: "N", 2: (19.0, 25.0, 10.0), 3: "W", 4: (99.0, 8.0, 1.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test input is real
    return data


def small_logo():
    """A 300×150 PNG with transparency and a text chunk."""
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (300, 150), (0, 0, 0, 0))
    image.paste((11, 79, 108, 255), (0, 0, 150, 150))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Someone Private")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


ES_BODY = (
    "Primera:\n\n![Una calle de la ciudad]({static}/images/calle.jpg)\n\n"
    "Logo:\n\n![Logotipo](/images/logo.png)\n\n"
    "Adorno:\n\n![](/images/calle.jpg){.decorative}\n\n"
    "[Ver la foto completa]({static}/images/calle.jpg)\n"
)
EN_BODY = "![A city street](../images/calle.jpg)\n"


def image_content(folder):
    content = make_content(
        folder,
        {
            "articles/foto.es.md": article("Foto", "es", "foto", "foto", body=ES_BODY),
            "articles/photo.en.md": article("Photo", "en", "foto", "photo", body=EN_BODY),
        },
    )
    (content / "images").mkdir()
    (content / "images" / "calle.jpg").write_bytes(phone_photo())
    (content / "images" / "logo.png").write_bytes(small_logo())
    return content


@pytest.fixture(scope="module")
def image_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("images")
    content = image_content(base / "content")
    cache = base / "cache"
    result = pelican(
        content, base / "output", strict=True, overrides={"IMAGES": {"cache": str(cache)}}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return base


class Tags(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path, name):
    return [
        attrs for tag, attrs in Tags(Path(path).read_text(encoding="utf-8")).tags if tag == name
    ]


def srcset(value):
    return [(url, int(width[:-1])) for url, width in (item.split() for item in value.split(", "))]


def test_no_output_file_carries_gps_or_any_metadata(image_site):
    output = image_site / "output"
    originals = {
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (image_site / "content" / "images").iterdir()
    }
    images = 0
    for path in output.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() not in originals, f"{path} is an original"
        assert b"PhoneMakerXYZ" not in data and b"SecretModel" not in data, path
        assert b"Someone Private" not in data, path
        if path.suffix in {".jpg", ".png", ".webp"}:
            images += 1
            with Image.open(path) as image:
                exif = image.getexif()
                assert not exif.get_ifd(GPS_IFD), f"{path} has GPS"
                assert not exif, f"{path} has EXIF"
                assert not {"xmp", "icc_profile", "exif", "comment"} & set(image.info), path
            assert b"Exif\x00\x00" not in data, path
    assert images >= 10


def test_photo_is_upright(image_site):
    files = sorted((image_site / "output" / "images").glob("calle-*.jpg"))
    assert files
    for path in files:
        with Image.open(path) as image:
            width, height = image.size
            assert height > width, f"{path.name} is sideways ({width}×{height})"
            assert round(height / width, 2) == 1.5
            rgb = image.convert("RGB")
            near = lambda a, b: all(abs(x - y) < 40 for x, y in zip(a, b, strict=True))  # noqa: E731
            assert near(rgb.getpixel((width - 3, 3)), BLUE), "blue block should be top-right"
            assert near(rgb.getpixel((3, 3)), RED)
            assert near(rgb.getpixel((3, height - 3)), RED)


def test_srcset_never_wider_than_the_source(image_site):
    output = image_site / "output"
    page = output / "articulos" / "foto" / "index.html"
    pictures = tags(page, "img")
    sources = tags(page, "source")
    assert len(pictures) == 3 and len(sources) == 3
    # The photo is 800 wide once upright; the logo 300.
    expected = {"calle": 800, "logo": 300}
    for img, source in zip(pictures, sources, strict=True):
        stem = "calle" if "calle" in img["src"] else "logo"
        limit = expected[stem]
        fallback = "JPEG" if stem == "calle" else "PNG"
        for attrs, kind in ((img, fallback), (source, "WEBP")):
            listed = srcset(attrs["srcset"])
            assert max(width for _url, width in listed) == limit
            assert all(width <= limit for _url, width in listed)
            for url, width in listed:
                with Image.open(output / url.lstrip("/")) as image:
                    assert image.width == width
                    assert image.format == kind
        assert source["type"] == "image/webp"
        assert int(img["width"]) == limit
        assert int(img["height"]) == {"calle": 1200, "logo": 150}[stem]
        assert img["sizes"] and source["sizes"]
    assert [w for _u, w in srcset(pictures[0]["srcset"])] == [320, 480, 640, 800]
    assert [w for _u, w in srcset(pictures[1]["srcset"])] == [300]
    assert pictures[1]["src"].endswith(".png")  # transparency keeps a PNG fallback
    assert pictures[0]["src"].endswith(".jpg")


def test_lazy_below_the_first_image_and_alt_kept(image_site):
    page = image_site / "output" / "articulos" / "foto" / "index.html"
    first, logo, decorative = tags(page, "img")
    assert "loading" not in first
    assert logo["loading"] == "lazy" and decorative["loading"] == "lazy"
    assert first["alt"] == "Una calle de la ciudad"
    assert decorative["alt"] == "" and "class" not in decorative
    links = [a["href"] for a in tags(page, "a") if "calle" in a.get("href", "")]
    assert links and all(re.search(r"/images/calle-[0-9a-f]{8}-800\.jpg$", h) for h in links)
    english = tags(image_site / "output" / "en" / "articles" / "photo" / "index.html", "img")
    assert english[0]["alt"] == "A city street" and "calle-" in english[0]["src"]


def test_rebuild_reuses_the_cache(image_site, tmp_path):
    cache = image_site / "cache"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert any(p.suffix == ".webp" for p in before)
    result = pelican(
        image_site / "content",
        tmp_path / "output",
        strict=True,
        overrides={"IMAGES": {"cache": str(cache)}},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert after == before  # nothing re-encoded, nothing rewritten


def jpeg(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, RED).save(buffer, "JPEG")
    return buffer.getvalue()


def bmp():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), RED).save(buffer, "BMP")
    return buffer.getvalue()


def pair(body):
    return {
        "articles/x.es.md": article("Equis", "es", "x", "x", body=body),
        "articles/x.en.md": article("Ex", "en", "x", "x", body="Text."),
    }


BAD = {
    "does not decode": (
        {"images/rota.jpg": b"this is not a JPEG at all"},
        pair("Texto."),
        {},
        "content/images/rota.jpg: image could not be decoded",
    ),
    "over the size limit": (
        {"images/grande.jpg": jpeg((400, 300))},
        pair("Texto."),
        {"IMAGES": {"max_bytes": 1024}},
        "KB, over the 1 KB limit (IMAGES max_bytes)",
    ),
    "unsupported extension": (
        {"images/foto.heic": b"\x00\x00\x00\x18ftypheic"},
        pair("Texto."),
        {},
        'content/images/foto.heic: unsupported image format ".heic"',
    ),
    "unsupported format behind a good name": (
        {"images/dibujo.png": bmp()},
        pair("Texto."),
        {},
        "content/images/dibujo.png: unsupported image format BMP",
    ),
    "missing alt (strict)": (
        {"images/a.jpg": jpeg()},
        pair("Texto.\n\n![](/images/a.jpg)"),
        {},
        'content/articles/x.es.md:10: image "/images/a.jpg" has no alt text',
    ),
    "image that does not exist": (
        {},
        pair("![Foto](/images/nada.jpg)"),
        {},
        'content/articles/x.es.md:8: image "/images/nada.jpg" does not exist',
    ),
    "image from another site": (
        {},
        pair("![Foto](https://example.com/a.jpg)"),
        {},
        'content/articles/x.es.md:8: image "https://example.com/a.jpg" is not a file of this site',
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_images_are_named(case, tmp_path):
    images, files, overrides, expected = BAD[case]
    content = make_content(tmp_path / "content", files)
    for name, data in images.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    result = pelican(content, tmp_path / "output", strict=True, overrides=overrides)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert expected in out, out
    assert "Traceback" not in out
    line = next(line for line in out.splitlines() if expected in line)
    assert line.startswith("content/"), line
    if case == "over the size limit":
        assert line.startswith("content/images/grande.jpg: image is "), line


def test_output_audit_recognises_metadata(tmp_path):
    from plugins.images.images import metadata_in

    dirty = tmp_path / "dirty.jpg"
    dirty.write_bytes(phone_photo())
    clean = tmp_path / "clean.png"
    Image.new("RGB", (8, 8), RED).save(clean)
    assert "EXIF" in metadata_in(dirty)
    assert metadata_in(clean) == []
