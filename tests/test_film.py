"""The film page: captions, transcripts in both languages, poster, per-page CSP, WebVTT parser."""

import re
from pathlib import Path

import pytest
from events_fixture import build_events_site
from PIL import Image

from plugins.film.captions import parse_vtt, transcript
from plugins.film.csp import film_csp

SITE_CSP_FRAME = "frame-src 'none'"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_events_site(tmp_path_factory.mktemp("film"))


def read(path):
    return Path(path).read_text(encoding="utf-8")


def csp(html):
    return re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    "path, lang, default",
    [("cortometraje/corto/index.html", "es", "es"), ("en/film/short/index.html", "en", "en")],
)
def test_video_has_both_caption_tracks_page_language_default(site, path, lang, default):
    html = read(site / path)
    tracks = re.findall(r"<track ([^>]+)>", html)
    assert len(tracks) == 2
    langs = {re.search(r'srclang="(\w+)"', t).group(1): t for t in tracks}
    assert set(langs) == {"es", "en"}
    assert all('kind="captions"' in t for t in tracks)
    assert " default" in langs[default] and " default" not in langs[{"es": "en", "en": "es"}[lang]]
    for track in tracks:
        src = re.search(r'src="/([^"]+)"', track).group(1)
        assert read(site / src).startswith("WEBVTT")
    assert '<source src="/' in html and 'type="video/webm"' in html


def test_transcript_in_both_languages_on_each_page(site):
    for path in ("cortometraje/corto/index.html", "en/film/short/index.html"):
        html = read(site / path)
        assert "Hola, esto es una prueba." in html and "Hello, this is a test." in html
        assert "<strong>Ana:</strong>" in html
        assert 'lang="es-MX"' in html and 'lang="en"' in html
    # Consecutive cues of one speaker join into one paragraph; entities are decoded once.
    assert "Hola, esto es una prueba. Segunda línea &amp; más." in read(
        site / "cortometraje/corto/index.html"
    )


def test_the_other_transcript_is_named_in_the_page_language(site):
    es = read(site / "cortometraje/corto/index.html")
    en = read(site / "en/film/short/index.html")
    assert "<summary>Transcripción en inglés</summary>" in es
    assert "<summary>Transcript in Spanish</summary>" in en
    assert "Transcripción en English" not in es and "Transcript in Español" not in en


def test_title_duration_credits_and_poster(site):
    html = read(site / "en/film/short/index.html")
    assert "<h1>Test short</h1>" in html
    assert '<time datetime="PT750S">12 minutes and 30 seconds</time>' in html
    es = read(site / "cortometraje/corto/index.html")
    assert '<time datetime="PT750S">12 minutos y 30 segundos</time>' in es
    assert "<dt>Director</dt><dd>Nobody</dd>" in html
    poster = re.search(r'poster="/([^"]+)"', html).group(1)
    with Image.open(site / poster) as image:
        assert image.format == "PNG" and image.size == (640, 360)


def test_only_the_film_page_allows_the_video_host_frame(site):
    film = csp(read(site / "cortometraje/corto/index.html"))
    assert "frame-src https://www.youtube-nocookie.com;" in film
    assert "'none'" not in film.split("frame-src")[1].split(";")[0]
    for path in Path(site).rglob("*.html"):
        if "cortometraje/corto" in str(path) or "film/short" in str(path):
            continue
        assert SITE_CSP_FRAME in csp(read(path)).replace("&#39;", "'"), path


def test_the_film_pages_policy_reaches_the_hosts_headers(site):
    """Recorded with the page by write_page(csp=...) in the build's record (alerta.build);
    plugins/deploy writes it into _headers."""
    headers = read(site / "_headers")
    for url in ("/cortometraje/corto/", "/en/film/short/"):
        block = headers.split(f"\n{url}\n", 1)[1].split("\n/", 1)[0]
        assert "frame-src https://www.youtube-nocookie.com" in block, headers
    assert "/eventos/" not in headers  # the event pages keep the site's policy


def test_facade_makes_no_third_party_reference_except_on_click(site):
    html = read(site / "en/film/short/index.html")
    # The embed URL is data for the script and the link is a plain link: nothing loads by itself.
    assert (
        'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;rel=0"'
        in html
    )
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert "connects your device to YouTube (Google)" in html
    assert "<iframe" not in html
    for attribute in re.findall(r'(?:src|poster|srcset)="([^"]+)"', html):
        assert attribute.startswith("/"), attribute


def test_bundled_film_page_is_pending_and_strict(built_site):
    for path in ("cortometraje/proteja/index.html", "en/film/proteja/index.html"):
        html = read(built_site / path)
        assert "<video" not in html  # no video file yet: poster and transcript
        assert "poster.png" in html
        assert "frame-src &#39;none&#39;" in html  # no facade, so no frame host either
        # The missing video and the `Verify:` note are editors' notes (preview only).
        notes = re.findall(r'<aside class="app-editor-note".*?</aside>', html, re.S)
        assert len(notes) == 2
        assert "El archivo de video está pendiente" in html or "The video file is pending" in html
        assert "[Placeholder captions" in html and "[Subtítulos provisionales" in html


@pytest.mark.parametrize(
    "es_fields, en_fields, left_out",
    [
        ("", "", True),  # nothing to play
        ("Video: film/falta.webm\n", "", True),  # named, but the file is not there
        ("Youtube: dQw4w9WgXcQ\n", "", False),
        ("", "Vimeo: 123456789\n", True),  # a host id counts for its own page only
        ("", "Video: film/corto.webm\n", False),  # the other language's video file counts
    ],
)
def test_publish_leaves_out_a_film_with_nothing_to_play(tmp_path, es_fields, en_fields, left_out):
    from plugins.film.publish import left_out_of_publish

    (tmp_path / "film").mkdir()
    (tmp_path / "film" / "corto.webm").write_bytes(b"\x1a\x45\xdf\xa3")
    for name, extra in (("corto.es.md", es_fields), ("short.en.md", en_fields)):
        text = f"Title: Corto\nLang: {name[-5:-3]}\nTranslation_key: film\n{extra}\nTexto.\n"
        (tmp_path / "film" / name).write_text(text, encoding="utf-8")
    fields = {"title": "Corto", "lang": "es", "translation_key": "film"}
    if es_fields:
        name, _, value = es_fields.strip().partition(": ")
        fields[name.lower()] = value
    item = {"kind": "film", "key": "film", "fields": fields}
    assert left_out_of_publish(item, {"PATH": str(tmp_path)}) is left_out


def test_film_csp_widens_only_frame_src():
    policy = "default-src 'self'; frame-src 'none'; object-src 'none'"
    assert film_csp(policy, "https://x.example") == (
        "default-src 'self'; frame-src https://x.example; object-src 'none'"
    )
    assert film_csp(policy, "") == policy


@pytest.mark.parametrize(
    "text, problem",
    [
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nHola\n", None),
        (
            "\ufeffWEBVTT - título\n\nNOTE algo\n\n01:00:01.000 --> 01:00:02.500 align:start\nHi\n",
            None,
        ),
        ("WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nHi\r\n", None),
        ("", (1, "is not WebVTT")),
        ("WEBVTTX\n", (1, "is not WebVTT")),
        ("WEBVTT\n", (1, "has no cues")),
        ("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n", (3, "does not parse")),
        ("WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nHi\n", (3, "does not parse")),
        ("WEBVTT\n\nid\n00:00:02.000 --> 00:00:01.000\nHi\n", (4, "ends before it starts")),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n", (3, "has no text")),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA\n\n00:00:01.000 --> 00:00:02.000\nB\n",
            (6, "starts before the previous cue"),
        ),
    ],
)
def test_parse_vtt(text, problem):
    result = parse_vtt(text)
    if problem is None:
        assert result.problems == [] and result.cues
    else:
        line, message = result.problems[0]
        assert line == problem[0] and problem[1] in message


def test_transcript_keeps_speakers_and_times():
    cues = parse_vtt(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>Uno\n\n"
        "00:01:05.000 --> 00:01:06.000\n<v Ana>dos\n\n00:01:07.000 --> 00:01:08.000\n<i>Tres</i>\n"
    ).cues
    assert [(p["time"], p["speaker"], p["text"]) for p in transcript(cues)] == [
        ("00:01", "Ana", "Uno dos"),
        ("01:07", "", "Tres"),
    ]
