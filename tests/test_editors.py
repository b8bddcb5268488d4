"""Editors' workflow: invoke new, translation status, the editors' report, escaping."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT, article, make_content, pelican
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerta.report import Report
from plugins.checks.checks import check_body, check_file
from plugins.editors.editors import translation_status


def invoke(*args):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_new_article_and_its_twin_build_cleanly(tmp_path):
    content = make_content(tmp_path / "content", {})
    result = invoke(
        "new", "article", "Señales en el trabajo", "--lang", "es", "--content", str(content)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    spanish = (content / "articles" / "senales-en-el-trabajo.es.md").read_text()
    english = (content / "articles" / "senales-en-el-trabajo.en.md").read_text()
    assert "Translation_key: senales-en-el-trabajo" in spanish and "Lang: es" in spanish
    assert "Translation_key: senales-en-el-trabajo" in english and "Lang: en" in english
    assert "Status: draft" in english
    build = pelican(content, tmp_path / "out", strict=True)
    assert build.returncode == 0, build.stdout + build.stderr
    again = invoke("new", "article", "Señales en el trabajo", "--content", str(content))
    assert again.returncode != 0 and "already exists" in again.stderr + again.stdout


@pytest.mark.parametrize("kind", ["page", "event", "pamphlet", "resource"])
def test_new_twins_of_every_kind_build_cleanly_as_drafts_and_published(tmp_path, kind):
    content = make_content(tmp_path / "content", {})
    assert invoke("new", kind, "Voluntariado", "--content", str(content)).returncode == 0
    assert pelican(content, tmp_path / "out", strict=True).returncode == 0
    for path in content.rglob("voluntariado.*.md"):
        path.write_text(path.read_text().replace("Status: draft\n", ""))
    result = pelican(content, tmp_path / "out", strict=True)
    assert result.returncode == 0, result.stdout + result.stderr


def status_fixture(tmp_path):
    files = {
        "articles/a.es.md": article("A", "es", "a", "a"),
        "articles/a.en.md": article("A", "en", "a", "a-en"),
        "articles/b.es.md": article("B", "es", "b", "b"),
        "articles/c.es.md": article("C", "es", "c", "c"),
        "articles/c.en.md": article("C", "en", "c", "c-en"),
    }
    content = make_content(tmp_path / "content", files)
    for path in (content / "articles").iterdir():
        os.utime(path, (1_700_000_000, 1_700_000_000))
    os.utime(content / "articles" / "c.es.md", (1_700_100_000, 1_700_100_000))
    return content


def test_translation_status_finds_the_missing_and_the_stale(tmp_path):
    content = status_fixture(tmp_path)
    report = Report()
    from pelican.settings import read_settings

    from plugins.checks.checks import check_content

    check_content(
        read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)}), report
    )
    rows = {row["key"]: row for row in translation_status(report.items, ["es", "en"], content)}
    assert rows["a"]["missing"] == [] and rows["a"]["stale"] == []
    assert rows["b"]["missing"] == ["en"]
    assert rows["c"]["missing"] == [] and rows["c"]["stale"] == ["en"]


def git(folder, *args):
    subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=e@example.test",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        capture_output=True,
    )


def stale_by_key(content):
    from pelican.settings import read_settings

    from plugins.checks.checks import check_content

    report = Report()
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    check_content(settings, report)
    rows = translation_status(report.items, ["es", "en"], content.parent)
    return {row["key"]: row["stale"] for row in rows}


def twins_repo(tmp_path):
    """A git repository with three pairs of twins, all in one commit; one name is not ASCII
    (git quotes such names unless told otherwise)."""
    files = {
        "articles/a.es.md": article("A", "es", "a", "a"),
        "articles/a.en.md": article("A", "en", "a", "a-en"),
        "articles/b.es.md": article("B", "es", "b", "b"),
        "articles/b.en.md": article("B", "en", "b", "b-en"),
        "articles/señales.es.md": article("Señales", "es", "s", "senales"),
        "articles/signs.en.md": article("Signs", "en", "s", "signs"),
    }
    repo = tmp_path / "repo"
    make_content(repo / "content", files)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "All twins at once")
    return repo


def test_a_fresh_clone_flags_no_twin(tmp_path):
    origin = twins_repo(tmp_path)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    # A slow checkout or a clock jump: file times say nothing about what changed.
    articles = clone / "content" / "articles"
    for number, path in enumerate(sorted(articles.iterdir())):
        os.utime(path, (1_700_000_000 + number * 86_400,) * 2)
    assert stale_by_key(clone / "content") == {"a": [], "b": [], "s": []}


def test_a_twin_changed_later_is_flagged_in_a_commit_or_in_the_work_tree(tmp_path):
    repo = twins_repo(tmp_path)
    articles = repo / "content" / "articles"
    # Committed later, a few seconds after the first commit: still later.
    (articles / "a.en.md").write_text(article("A", "en", "a", "a-en", body="Changed."))
    git(repo, "commit", "-q", "-am", "English A edited")
    # Edited in the work tree, not committed; its file time even looks old.
    (articles / "señales.es.md").write_text(article("Señales", "es", "s", "senales", body="Otro."))
    os.utime(articles / "señales.es.md", (1_600_000_000, 1_600_000_000))
    assert stale_by_key(repo / "content") == {"a": ["es"], "b": [], "s": ["en"]}
    # Both twins changed and committed together: nothing to update.
    (articles / "a.es.md").write_text(article("A", "es", "a", "a", body="Cambiado."))
    (articles / "a.en.md").write_text(article("A", "en", "a", "a-en", body="Changed again."))
    (articles / "signs.en.md").write_text(article("Signs", "en", "s", "signs", body="Other."))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Both sides")
    assert stale_by_key(repo / "content") == {"a": [], "b": [], "s": []}


def test_translation_status_task_and_report_page(tmp_path):
    content = status_fixture(tmp_path)
    result = invoke("translations-status", "--content", str(content))
    assert result.returncode == 0, result.stderr
    lines = {line.split()[1]: line for line in result.stdout.splitlines()[1:]}
    assert "missing" in lines["b"] and "es newer: update en" in lines["c"]
    assert "update" not in lines["a"]
    pelican(content, tmp_path / "out")
    page = (tmp_path / "out" / "_editors" / "index.html").read_text()
    assert '<meta name="robots" content="noindex">' in page
    assert "falta" in page and "actualícela" in page
    assert "_editors" not in (tmp_path / "out" / "sitemap.xml").read_text()
    assert "Disallow: /_editors/" in (tmp_path / "out" / "robots.txt").read_text()
    assert "data-pagefind-body" not in page


def test_script_typed_in_title_and_summary_is_shown_as_text(tmp_path):
    evil = "<script>alert(1)</script>"
    files = {
        "articles/x.es.md": article(f"Hola {evil}", "es", "x", "x", Summary=f"Resumen {evil}"),
        "articles/x.en.md": article(f"Hello {evil}", "en", "x", "x-en", Summary=f"Sum {evil}"),
    }
    result = pelican(make_content(tmp_path / "content", files), tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    for path in (tmp_path / "out").rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            assert "<script>alert" not in path.read_text(encoding="utf-8"), path
    page = (tmp_path / "out" / "articulos" / "x" / "index.html").read_text()
    assert "Hola &lt;script&gt;alert(1)&lt;/script&gt;" in page


# Random metadata and bodies: a named problem or nothing, never an exception.
FIELD = st.sampled_from(
    [
        "Title",
        "Date",
        "Lang",
        "Translation_key",
        "Slug",
        "Status",
        "Modified",
        "Category",
        "Tags",
        "Summary",
        "Verify",
        "X-Other",
    ]
)
LINE = st.one_of(
    st.tuples(FIELD, st.text(max_size=30)).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.text(max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(LINE, max_size=8), body=st.text(max_size=200))
def test_front_matter_checks_never_raise(tmp_path_factory, header, body):
    text = "\n".join(header) + "\n\n" + body
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "x.es.md"
    settings_ = {"LANGUAGES": {"es": {}, "en": {}}, "SLUG_REGEX_SUBSTITUTIONS": []}
    report = Report()
    item = check_file("articles", str(path), "content/articles/x.es.md", text, settings_, report)
    if item:
        check_body(
            str(path), "content/articles/x.es.md", text, str(folder), report, item["body_line"]
        )
    for problem in report.problems:
        assert str(problem).startswith("content/articles/x.es.md")


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(title=st.text(min_size=1, max_size=20), date=st.text(max_size=12), body=st.text(max_size=80))
def test_random_content_builds_or_fails_cleanly(tmp_path_factory, title, date, body):
    folder = tmp_path_factory.mktemp("fuzzbuild")
    text = f"Title: {title}\nDate: {date}\nLang: es\nTranslation_key: a\n\n{body}\n"
    files = {"articles/a.es.md": text, "articles/a.en.md": article("A", "en", "a", "a-en")}
    try:
        content = make_content(folder / "content", files)
    except (UnicodeEncodeError, ValueError):
        return  # text the file system itself cannot hold
    result = pelican(content, folder / "out")
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode in (0, 1), output
