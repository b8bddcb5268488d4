"""Nothing from outside the project is published, and only the files we expect are.

Symlinks to files outside content/ (a content image, the film's poster and video, an article),
``../`` references out of content/, HTML or JavaScript in content/images/, and raw HTML that
runs code or sends visitors elsewhere: each is one clear line naming the file (and line), the
previous output stays byte for byte, and nothing is written outside the output folder.

Builds cost ~30 s each, so one broken site carries every problem (the checks report them all
before stopping), one good site proves what must still work, and the table of raw-HTML forms
runs in-process against the check itself.
"""

import io
import json
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_FILES, article, make_content, one_clear_line, pelican
from events_fixture import FILM_FILES, TINY_WEBM
from PIL import Image

from alerta import guards
from plugins.checks.checks import BuildStopped, Report, check_body, check_real_paths

SECRET = "CI_SECRET_TOKEN=outside-the-project-7f3a"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def photo_with_gps():
    image = Image.new("RGB", (800, 450), (200, 30, 30))
    exif = image.getexif()
    exif[0x010F] = "PhoneMakerXYZ"
    exif[0x8825] = {1: "N", 2: (19.0, 25.0, 10.0), 3: "W", 4: (99.0, 8.0, 1.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def tree(folder):
    """Every file under `folder` (symlinks not followed) with its bytes."""
    result = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            result[path.relative_to(folder)] = (
                os.readlink(path) if path.is_symlink() else path.read_bytes()
            )
    return result


def outside_output(base):
    """Everything under `base` but the output folder, its staging copy and its cache."""
    ours = {("site", name) for name in ("output", "output.new", "output.cache", "output.lock")}
    return {path: data for path, data in tree(base).items() if path.parts[:2] not in ours}


def film(lang, slug, captions, **fields):
    title = {"es": "Corto", "en": "Short"}[lang]
    header = {"Title": title, "Lang": lang, "Translation_key": "film", "Slug": slug}
    header |= {"Captions": captions, **fields}
    return "\n".join(f"{k}: {v}" for k, v in header.items()) + "\n\nSinopsis.\n"


def plant_outside(base):
    """Files outside the project that a careless or hostile change could point at."""
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outside / "photo.jpg").write_bytes(photo_with_gps())
    (outside / "video.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + SECRET.encode())
    (outside / "doc.pdf").write_bytes(PDF + SECRET.encode())
    (outside / "article.md").write_text(
        article("Fuera", "es", "fuera", "fuera", body=f"Secreto: {SECRET}")
    )
    return outside


BROKEN_BODY = (
    "Foto de fuera: ![Foto](/../../outside/photo.jpg)\n\n"  # line 8
    "[Documento]({static}/../../outside/doc.pdf)\n\n"  # line 10
    "[Refugios]({static}/data/shelters.yml)\n\n"  # line 12
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">\n\n'  # line 14
    "<p class=aviso\n   onmouseover=alert(1)>Hola</p>\n\n"  # handler on line 17
    "[Clic](jav&#x09;ascript:alert(1))\n"  # line 19
)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """One site with every kind of outside file and unexpected file; built once."""
    base = tmp_path_factory.mktemp("outside")
    outside = plant_outside(base)
    files = {
        **FIXTURE_FILES,
        "articles/senales.es.md": FIXTURE_FILES["articles/senales.es.md"].replace(
            "Palabra única", BROKEN_BODY + "\nPalabra única"
        ),
        "film/corto.es.md": film(
            "es", "corto", "film/corto.es.vtt", Poster="film/poster.jpg", Video="film/corto.mp4"
        ),
        "film/short.en.md": film(
            "en", "short", "film/corto.en.vtt", Poster="../../outside/photo.jpg"
        ),
        "film/corto.es.vtt": FILM_FILES["film/corto.es.vtt"],
        "film/corto.en.vtt": FILM_FILES["film/corto.en.vtt"],
        "images/evil.js": "alert(document.cookie)\n",
        "images/evil.html": "<script>alert(1)</script>\n",
        "images/informe.pdf": "<html><script>alert(1)</script></html>\n",
        # Pelican reads .html articles too, raw HTML and all: never unchecked.
        "articles/pagina.html": "<html><head><title>X</title></head>"
        "<body><script>alert(1)</script></body></html>\n",
    }
    content = make_content(base / "site" / "content", files)
    links = {
        "images/secreto.txt": outside / "secret.txt",
        "images/foto.jpg": outside / "photo.jpg",
        "film/poster.jpg": outside / "photo.jpg",
        "film/corto.mp4": outside / "video.mp4",
        "articles/fuera.es.md": outside / "article.md",
    }
    if os.path.exists("/proc/self/environ"):
        links["images/environ"] = Path("/proc/self/environ")  # the build's secrets
    for name, target in links.items():
        (content / name).symlink_to(target)
    output = base / "site" / "output"
    (output / "articulos").mkdir(parents=True)
    (output / "index.html").write_text("<p>the last good site</p>")
    (output / "articulos" / "index.html").write_text("<p>its articles</p>")
    before, around = tree(output), outside_output(base)
    result = pelican(content, output)
    return result, base, before, around, sorted(links)


SYMLINKED = ["images/secreto.txt", "images/foto.jpg", "film/poster.jpg", "film/corto.mp4"]
SYMLINKED += ["articles/fuera.es.md", "images/environ"]


@pytest.mark.parametrize("name", SYMLINKED)
def test_symlink_out_of_content_is_one_line(broken, name):
    result, _base, _before, _around, planted = broken
    if name not in planted:
        pytest.skip("no /proc/self/environ here")
    one_clear_line(result, f"content/{name}: is a symlink to ", f"content/{name}: ")


REFUSED = {
    "image above content/": (
        "content/articles/senales.es.md:8:",
        'image "/../../outside/photo.jpg" is outside content/',
    ),
    "{static} link above content/": (
        "content/articles/senales.es.md:10:",
        'link to "/../../outside/doc.pdf" leads outside content/',
    ),
    "{static} link to a data file": (
        "content/articles/senales.es.md:12:",
        'link to "/data/shelters.yml": ".yml" files are not published',
    ),
    "meta refresh": ("content/articles/senales.es.md:14:", 'raw HTML "<meta"'),
    "multi-line unquoted handler": (
        "content/articles/senales.es.md:17:",
        'raw HTML "onmouseover="',
    ),
    "entity-encoded javascript: link": (
        "content/articles/senales.es.md:19:",
        'a "javascript:" link is not allowed',
    ),
    "film poster above content/": (
        "content/film/short.en.md:",
        'Poster "../../outside/photo.jpg" is outside content/',
    ),
    "JavaScript in content/images": ("content/images/evil.js:", '".js" files are not published'),
    "HTML in content/images": ("content/images/evil.html:", '".html" files are not published'),
    "HTML named .pdf": ("content/images/informe.pdf:", "is not really a PDF file"),
    "an .html article": ("content/articles/pagina.html:", '".html" files are not checked'),
}


@pytest.mark.parametrize("where, message", REFUSED.values(), ids=list(REFUSED))
def test_outside_or_unexpected_file_is_one_line(broken, where, message):
    one_clear_line(broken[0], message, where)


def test_broken_site_changes_nothing_and_publishes_nothing(broken):
    result, base, before, around, _planted = broken
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "nothing was written" in output, output
    assert tree(base / "site" / "output") == before
    assert outside_output(base) == around  # nothing written anywhere else
    staging = base / "site" / "output.new"
    for data in tree(staging).values() if staging.exists() else ():
        assert SECRET.encode() not in (data if isinstance(data, bytes) else data.encode())


# ---------------------------------------------------------------- a good site


TRICKY_NAME = "Refugio <!--<script> & </script> Prueba"


def shelters_yaml():
    entry = {
        "id": "oficina-rara",
        "name": TRICKY_NAME,
        "state": "09",
        "services": ["legal"],
        "public": True,
        "address": "Avenida Publica 1, Col. Centro",
        "phones": ["55 0000 3333"],
        "description": {"es": "Oficina pública.", "en": "Public office."},
        "verified_on": (date.today() - timedelta(days=30)).isoformat(),
    }
    return yaml.safe_dump({"shelters": [entry]}, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """Allowed files still publish: a PDF in content/images, the film's own poster (re-encoded
    without its GPS) and video, and a shelter whose name tries to break its JSON-LD."""
    base = tmp_path_factory.mktemp("good")
    files = {
        **FIXTURE_FILES,
        "articles/signs.en.md": FIXTURE_FILES["articles/signs.en.md"].replace(
            "Unique word", "[Report]({static}/images/report.pdf)\n\nUnique word"
        ),
        "film/corto.es.md": film(
            "es", "corto", "film/corto.es.vtt", Poster="film/poster.jpg", Video="film/c.webm"
        ),
        "film/short.en.md": film("en", "short", "film/corto.en.vtt", Video="film/c.webm"),
        "film/corto.es.vtt": FILM_FILES["film/corto.es.vtt"],
        "film/corto.en.vtt": FILM_FILES["film/corto.en.vtt"],
        "data/shelters.yml": shelters_yaml(),
    }
    content = make_content(base / "content", files)
    (content / "images").mkdir()
    (content / "images" / "report.pdf").write_bytes(PDF)
    (content / "film" / "poster.jpg").write_bytes(photo_with_gps())
    (content / "film" / "c.webm").write_bytes(TINY_WEBM)
    result = pelican(content, base / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output"


def test_allowed_pdf_is_published_as_it_is(good):
    assert (good / "images" / "report.pdf").read_bytes() == PDF
    assert 'href="/images/report.pdf"' in (good / "en/articles/signs/index.html").read_text()


def test_film_poster_is_reencoded_without_gps_and_video_copied(good):
    html = (good / "cortometraje/corto/index.html").read_text(encoding="utf-8")
    poster = re.search(r'poster="/([^"]+)"', html).group(1)
    assert poster.endswith("poster.jpg"), poster
    data = (good / poster).read_bytes()
    assert b"PhoneMakerXYZ" not in data
    with Image.open(good / poster) as image:
        assert not image.getexif() and image.size == (800, 450)
    video = re.search(r'<source src="/([^"]+\.webm)"', html).group(1)
    assert (good / video).read_bytes() == TINY_WEBM


@pytest.mark.parametrize("page", ["refugios/index.html", "en/shelters/index.html"])
def test_shelter_name_cannot_break_the_directory_page(good, page):
    html = (good / page).read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0] and "&" not in blocks[0]
    assert json.loads(blocks[0])["@graph"][0]["name"] == TRICKY_NAME
    # The page goes on after the head: the card, the hotline and the footer are all there.
    assert "Refugio &lt;!--&lt;script&gt; &amp; &lt;/script&gt; Prueba" in html
    assert html.rstrip().endswith("</html>")
    assert html.index("</footer>") > html.index("oficina-rara")


def test_film_files_are_never_written_outside_the_output(tmp_path):
    """A film slug that climbs out of the output: refused by the header check, naming the file
    (the writers' own guard, for a path no check foresaw, is tested in-process below)."""
    files = {**FIXTURE_FILES, **FILM_FILES}
    files["film/corto.es.md"] = files["film/corto.es.md"].replace(
        "Slug: corto", "Slug: ../../../escape"
    )
    content = make_content(tmp_path / "site" / "content", files)
    around = outside_output(tmp_path)
    result = pelican(content, tmp_path / "site" / "output")
    one_clear_line(result, "would leave the site's folder", "content/film/corto.es.md:4: ")
    assert outside_output(tmp_path) == around
    assert not (tmp_path / "escape").exists() and not (tmp_path / "site" / "escape").exists()


# ---------------------------------------------------------------- in-process: the checks


BAD_HTML = {
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "meta, capitals": "<META HTTP-EQUIV=refresh CONTENT=0;url=//evil.example>",
    "base": '<base href="https://evil.example/">',
    "form": '<form action="https://evil.example"><input name="p"></form>',
    "link": '<link rel="stylesheet" href="https://evil.example/a.css">',
    "script": "<script>alert(1)</script>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "object": '<object data="x.swf"></object>',
    "embed": '<embed src="x.swf">',
    "style": "<style>body{display:none}</style>",
    "frameset": "<frameset><frame src=x></frameset>",
    "handler, quoted": '<p onclick="alert(1)">x</p>',
    "handler, unquoted": "<img src=x onerror=alert(1)>",
    "handler, no space after a quote": '<img src="x"onerror="alert(1)">',
    "handler after a slash": "<svg/onload=alert(1)>",
    "handler, capitals": "<b OnMouseOver=alert(1)>x</b>",
    "handler, quoted > before it": '<p title=">" onmouseover=alert(1)>x</p>',
    "javascript: attribute": '<a href="javascript:alert(1)">x</a>',
    "javascript: unquoted, mixed case": "<a href=JaVaScRiPt:alert(1)>x</a>",
    "javascript: decimal entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "javascript: hex entity, no semicolon": '<a href="&#x6A;avascript:alert(1)">x</a>',
    "javascript: named colon": '<a href="javascript&colon;alert(1)">x</a>',
    "javascript: tab entity": '<a href="java&#x09;script:alert(1)">x</a>',
    "javascript: leading space": '<a href=" javascript:alert(1)">x</a>',
    "javascript: Markdown link": "[Clic](javascript:alert(1))",
    "javascript: Markdown link, angle brackets": "[Clic](<javascript:alert(1)>)",
    "vbscript:": "<a href=vbscript:msgbox(1)>x</a>",
}
MULTI_LINE = {
    "handler on the third line of a tag": ('<p\n  class="x"\n  onclick="alert(1)">x</p>', 3),
    "javascript: split by a newline": ('<a href="java\nscript:alert(1)">x</a>', 1),
    "javascript: link definition": ("[Clic][a]\n\n[a]: javascript:alert(1)", 3),
}
FINE = {
    "prose about JavaScript": "Desactive JavaScript: así el sitio sigue funcionando.",
    "escaped tags in prose": "Un mensaje con &lt;script&gt; no es código.",
    "words starting with on": "one=1, only=2, online = sí",
    "a link with on= in its query": "[Enlace](https://example.org/?on=1)",
    "comparison signs": "3 < 5 y 7 > 2 onclick",
    "plain HTML": '<a href="/articulos/">ver</a> <abbr title="Ciudad de México">CDMX</abbr>',
    "line break": "Una línea<br>otra",
}


def body_problems(tmp_path, body):
    """Problems check_body reports for a file whose body (after 2 header lines) is `body`."""
    text = "Title: X\nLang: es\n\n" + body + "\n"
    report = Report()
    check_body(str(tmp_path / "x.es.md"), "content/x.es.md", text, str(tmp_path), report, 4)
    return [str(problem) for problem in report.problems]


@pytest.mark.parametrize("body", BAD_HTML.values(), ids=list(BAD_HTML))
def test_raw_html_form_is_refused(tmp_path, body):
    problems = body_problems(tmp_path, body)
    assert len(problems) == 1, problems
    assert problems[0].startswith("content/x.es.md:4: "), problems
    assert "is not allowed in content" in problems[0]


@pytest.mark.parametrize("body, line", MULTI_LINE.values(), ids=list(MULTI_LINE))
def test_multi_line_forms_are_refused_at_their_line(tmp_path, body, line):
    problems = body_problems(tmp_path, body)
    assert len(problems) == 1 and problems[0].startswith(f"content/x.es.md:{3 + line}: ")


@pytest.mark.parametrize("body", FINE.values(), ids=list(FINE))
def test_ordinary_text_is_not_refused(tmp_path, body):
    assert body_problems(tmp_path, body) == []


def test_metadata_is_not_searched(tmp_path):
    report = Report()
    text = 'Title: <meta http-equiv="refresh">\nLang: es\n\nTexto.\n'
    check_body(str(tmp_path / "x.es.md"), "content/x.es.md", text, str(tmp_path), report, 4)
    assert report.problems == []


def test_theme_symlink_out_of_the_theme_is_refused(tmp_path):
    (tmp_path / "outside.txt").write_text(SECRET)
    theme = tmp_path / "theme"
    (theme / "static").mkdir(parents=True)
    (theme / "static" / "leak.txt").symlink_to(tmp_path / "outside.txt")
    (theme / "static" / "inside.css").write_text("body{}")
    (theme / "static" / "same.css").symlink_to(theme / "static" / "inside.css")
    content = tmp_path / "content"
    content.mkdir()
    report = Report()
    check_real_paths({"PATH": str(content), "THEME": str(theme)}, report)
    assert [str(p).split(": ")[0] for p in report.problems] == ["theme/static/leak.txt"]


def test_writers_refuse_a_target_outside_the_output(tmp_path):
    from plugins.images import images

    output = tmp_path / "output"
    output.mkdir()
    assert guards.output_file(output, "images/a.jpg") == str(output / "images" / "a.jpg")
    assert guards.output_file(output, "../escape.txt") is None
    assert guards.output_file(output, "a/../../escape.txt") is None
    (output / "link").symlink_to(tmp_path)  # a retained folder that leads out
    assert guards.output_file(output, "link/escape.txt") is None

    source = tmp_path / "photo.jpg"
    source.write_bytes(photo_with_gps())
    picture = images.Picture(
        source=str(source),
        digest="0" * 64,
        width=800,
        height=450,
        fallback="jpeg",
        output_stem="../../escape/photo",
        widths=[320],
    )
    opts = {**images.DEFAULTS, "cache": str(tmp_path / "cache")}
    with pytest.raises(BuildStopped, match="outside the output folder"):
        images.render(picture, opts, str(output))
    assert not (tmp_path / "escape").exists() and not (tmp_path.parent / "escape").exists()


def test_jsonld_escapes_everywhere():
    text = str(guards.jsonld({"name": TRICKY_NAME, "x": "\u2028"}))
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text) == {"name": TRICKY_NAME, "x": "\u2028"}


def test_a_linked_article_out_of_content_is_never_opened(tmp_path):
    from plugins.checks.checks import content_files

    (tmp_path / "outside.md").write_text("Title: X\nLang: es\n\n" + SECRET)
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "leak.es.md").symlink_to(tmp_path / "outside.md")
    (articles / "ok.es.md").write_text("Title: Ok\nLang: es\n\nT.\n")
    files = [Path(path).name for _kind, path in content_files({"PATH": str(tmp_path / "content")})]
    assert files == ["ok.es.md"]


@pytest.mark.parametrize(
    "field, value", [("Slug", "../../fuera"), ("Save_as", "/etc/x.html"), ("URL", "a/../../b/")]
)
def test_a_slug_save_as_or_url_that_climbs_out_is_one_line(tmp_path, field, value):
    from conftest import ROOT
    from pelican.settings import read_settings

    from plugins.checks.checks import check_content

    content = make_content(
        tmp_path / "content",
        {"pages/x.es.md": f"Title: X\nLang: es\n{field}: {value}\n\nT.\n"},
        data=False,
    )
    report = Report()
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    check_content(settings, report)
    (problem,) = [str(p) for p in report.errors]
    assert problem.startswith("content/pages/x.es.md:3: ") and "would leave the site" in problem
