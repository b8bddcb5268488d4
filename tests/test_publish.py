"""invoke publish: a strict publish build, deployed to the targets that can run here."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


# What a real deployment sets (a public https:// address and a real mailbox); nothing is sent
# anywhere: the site is only written into a temporary folder.
DEPLOY_ENV = {"SITEURL": "https://alertatrata.mx", "CONTACT_EMAIL": "correcciones@alertatrata.mx"}


def invoke(*args, cwd=ROOT, env=None):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **DEPLOY_ENV, **(env or {})},
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("publish")
    www = base / "www"
    www.mkdir()
    (www / "stale.html").write_text("from the previous deploy")
    result = invoke(
        "publish", "--target", "folder", "--dest", str(www), "--output", str(base / "output")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return base


def test_folder_target_swaps_in_the_whole_site(published):
    www = published / "www"
    assert (www / "index.html").exists() and (www / "en" / "index.html").exists()
    assert (www / "index.html.gz").exists()
    assert not (www / "stale.html").exists()
    assert not (published / "www.new").exists() and not (published / "www.old").exists()
    index = (www / "index.html").read_text()
    assert 'href="https://alertatrata.mx/' in index
    contact = (www / "contacto" / "index.html").read_text()
    assert 'href="mailto:correcciones@alertatrata.mx"' in contact
    assert not (www / "_editors").exists()


def test_gh_pages_target_pushes_one_commit_to_the_branch(published, tmp_path):
    remote, repo = tmp_path / "remote.git", tmp_path / "repo"
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(
        [*git, "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "start"], check=True
    )
    subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", str(remote)], check=True)
    env_args = (
        "publish",
        "--target",
        "gh-pages",
        "--no-build",
        "--repo",
        str(repo),
        "--output",
        str(published / "output"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "invoke", *env_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "GIT_AUTHOR_NAME": "T",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "T",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            **DEPLOY_ENV,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = subprocess.run(
        ["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "index.html" in files and "en/index.html" in files and ".nojekyll" in files
    log = subprocess.run(
        ["git", "-C", str(remote), "log", "--oneline", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(log) == 1


def test_a_failed_build_deploys_nothing(tmp_path):
    from conftest import make_content

    content = make_content(tmp_path / "content", {"articles/x.es.md": "Title: X\nLang: sp\n\nT\n"})
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("the site as it was")
    result = invoke(
        "publish",
        "--target",
        "folder",
        "--dest",
        str(www),
        "--output",
        str(tmp_path / "out"),
        "--content",
        str(content),
    )
    assert result.returncode != 0
    assert "nothing was deployed" in result.stderr
    assert [p.name for p in www.iterdir()] == ["index.html"]
    assert (www / "index.html").read_text() == "the site as it was"


def test_an_unknown_target_is_refused():
    result = invoke("publish", "--target", "ftp", "--no-build")
    assert result.returncode != 0 and "Unknown target 'ftp'" in result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        ({"CONTACT_EMAIL": ""}, "CONTACT_EMAIL is not set"),
        ({"CONTACT_EMAIL": "editores@example.org"}, "is not a real address"),
        ({"SITEURL": "http://alertatrata.mx"}, "must be the site's public https:// address"),
        ({"SITEURL": "https://127.0.0.1:8000"}, "loopback, private or example host"),
        ({"SITEURL": "https://alertatrata.example.org"}, "loopback, private or example host"),
        ({"SITEURL": "https://preview.test"}, "loopback, private or example host"),
    ],
)
def test_publish_refuses_settings_that_are_not_for_the_public(tmp_path, env, message):
    www = tmp_path / "www"
    result = invoke("publish", "--target", "folder", "--dest", str(www), env=env)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if message in line]
    assert len(lines) == 1 and lines[0].startswith("publishconf.py: "), result.stderr
    assert "nothing was built or deployed" in result.stderr
    assert not www.exists()
