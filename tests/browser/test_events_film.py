"""Events and the film in Chromium: private facade, caption tracks, stale-list script, axe."""

import re
from datetime import UTC, datetime

import pytest
from conftest import serve
from events_fixture import build_events_site

from browser.conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

PLAYER = re.compile(r"^https://www\.youtube-nocookie\.com/")
PLAYER_STUB = "<!doctype html><html lang=en><title>Stub player</title><h1>Player</h1></html>"


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    server = serve(build_events_site(tmp_path_factory.mktemp("browser-events")))
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def stub_player(v):
    """Answer the privacy-mode player locally and record what was asked of it."""
    asked = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=PLAYER_STUB)

    v.context.route(PLAYER, answer)
    return asked


@pytest.mark.parametrize("path", ["/cortometraje/corto/", "/en/film/short/"])
def test_no_request_to_the_video_host_until_play_is_pressed(visit, fixture_url, path):
    v = visit()
    asked = stub_player(v)
    v.page.goto(fixture_url + path)
    v.page.wait_for_load_state("networkidle")
    assert asked == [] and v.external == []
    assert v.page.locator("iframe").count() == 0

    v.page.click("[data-facade-play]")
    frame = v.page.wait_for_selector("iframe.app-facade__iframe")
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    player = frame.content_frame()
    player.wait_for_load_state()
    assert player.title() == "Stub player"  # the CSP of this page lets the frame load
    assert len(asked) == 1 and v.external == []
    assert v.page.url == fixture_url + path  # the page itself did not navigate


def test_facade_is_a_plain_link_without_javascript(visit, fixture_url):
    v = visit(javascript=False)
    asked = stub_player(v)
    v.page.goto(fixture_url + "/en/film/short/")
    v.page.wait_for_load_state("networkidle")
    link = v.page.locator("[data-facade-play]")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert "connects your device to YouTube (Google)" in v.page.inner_text(".app-facade")
    assert asked == [] and v.external == []


@pytest.mark.parametrize(
    "path, default", [("/cortometraje/corto/", "es"), ("/en/film/short/", "en")]
)
def test_caption_tracks_load(visit, fixture_url, path, default):
    v = visit()
    v.page.goto(fixture_url + path)
    tracks = v.page.evaluate(
        "() => Array.from(document.querySelector('video').textTracks)"
        ".map(t => [t.language, t.kind, t.mode])"
    )
    assert sorted(t[0] for t in tracks) == ["en", "es"]
    assert all(kind == "captions" for _lang, kind, _mode in tracks)
    assert [lang for lang, _kind, mode in tracks if mode == "showing"] == [default]
    # Load every track (as choosing it in the player does) and wait for its cues.
    v.page.evaluate(
        "() => { for (const t of document.querySelector('video').textTracks)"
        " if (t.mode === 'disabled') t.mode = 'hidden'; }"
    )
    v.page.wait_for_function(
        "() => Array.from(document.querySelectorAll('video track'))"
        ".every(t => t.readyState === 2 && t.track.cues && t.track.cues.length === 2)"
    )
    first = v.page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelector('video').textTracks)"
        ".map(t => [t.language, t.cues[0].text]))"
    )
    assert first == {
        "es": "<v Ana>Hola, esto es una prueba.",
        "en": "<v Ana>Hello, this is a test.",
    }
    assert v.external == []


def test_script_moves_events_that_ended_after_the_build(visit, fixture_url):
    v = visit()
    v.page.clock.set_fixed_time(datetime(2099, 6, 10, tzinfo=UTC))
    v.page.goto(fixture_url + "/en/events/")
    upcoming = v.page.eval_on_selector_all(
        '[data-events="upcoming"] h3 a', "els => els.map(e => e.getAttribute('href'))"
    )
    past = v.page.eval_on_selector_all(
        '[data-events="past"] h3 a', "els => els.map(e => e.getAttribute('href'))"
    )
    assert upcoming == ["/en/events/cancelled/", "/en/events/tricky/"]
    assert past[:2] == ["/en/events/future/", "/en/events/forum/"]
    v.page.goto(fixture_url + "/en/events/future/")
    assert v.page.is_visible("[data-event-ended]")


def test_without_javascript_the_build_time_split_stays(visit, fixture_url):
    v = visit(javascript=False)
    v.page.goto(fixture_url + "/en/events/")
    upcoming = v.page.eval_on_selector_all('[data-events="upcoming"] > li', "els => els.length")
    assert upcoming == 3
    v.page.goto(fixture_url + "/en/events/future/")
    assert not v.page.is_visible("[data-event-ended]")


BUNDLED = [
    "/eventos/",
    "/en/events/",
    "/eventos/ejemplo-foro-comunitario/",
    "/en/events/example-training/",
    "/eventos/ejemplo-taller-docentes/",
    "/capacitacion-e-impacto/",
    "/en/training-and-impact/",
    "/cortometraje/proteja/",
    "/en/film/proteja/",
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", BUNDLED)
def test_bundled_pages_have_no_axe_violations(visit, site_url, path, viewport):
    v = visit(viewport=viewport)
    v.page.goto(site_url + path)
    assert axe_violations(v.page) == []
    assert v.external == []


@pytest.mark.parametrize(
    "path", ["/cortometraje/corto/", "/en/film/short/", "/capacitacion-e-impacto/"]
)
def test_fixture_pages_have_no_axe_violations(visit, fixture_url, path):
    v = visit()
    stub_player(v)
    v.page.goto(fixture_url + path)
    assert axe_violations(v.page) == []
    if "film" in path or "corto" in path:
        v.page.click("[data-facade-play]")
        v.page.wait_for_selector("iframe.app-facade__iframe")
        assert axe_violations(v.page) == []
