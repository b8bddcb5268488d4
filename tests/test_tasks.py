"""The invoke tasks around the tests: the fast lane and the upgrade guard, checked by the commands
they would run (running them here would run the test suite inside itself)."""

import re
import shlex

from conftest import FIXTURE_MARKS, MODULE_MARKS, ROOT, TEST_MARKS
from invoke import Collection, MockContext, Result

import tasks


def test_the_menu_offers_the_fast_lane_and_the_upgrade_guard():
    names = Collection.from_module(tasks).task_names
    assert {"test", "test-latest", "bench"} <= set(names)


def test_invoke_test_runs_everything_and_fast_leaves_out_browsers_and_rebuilds():
    c = MockContext(repeat=True, run=Result())
    tasks.test(c)
    tasks.test(c, fast=True)
    everything, fast = (shlex.split(call.args[0]) for call in c.run.call_args_list)
    assert everything[1:] == ["-m", "pytest"]
    assert fast[1:] == ["-m", "pytest", "-m", "not browser and not slow"]


def test_test_latest_builds_its_own_venv_with_the_newest_four_and_runs_the_fast_lane():
    c = MockContext(repeat=True, run=Result())
    tasks.test_latest(c)
    commands = [shlex.split(call.args[0]) for call in c.run.call_args_list]
    venv = tasks.LATEST_VENV
    python = f"{venv}/bin/python"
    assert venv.endswith(".cache/latest-venv")
    create, requirements, upgrade, versions, pytest = commands
    assert create[1:] == ["-m", "venv", "--clear", venv]
    assert requirements[:4] == [python, "-m", "pip", "install"]
    assert requirements[-2:] == ["-r", f"{tasks.ROOT}/requirements-dev.txt"]
    # After the pinned requirements: the newest release of each library we lean on.
    assert upgrade[:4] == [python, "-m", "pip", "install"]
    assert upgrade[-5:] == ["--upgrade", "pelican", "markdown", "jinja2", "rich"]
    assert versions[:2] == [python, "-c"]
    assert pytest == [python, "-m", "pytest", "-m", "(not browser and not slow) or upgrade"]
    # Nothing it runs names the project's own environment.
    assert not any("/.venv/" in part for command in commands[1:] for part in command)


def test_test_latest_dry_run_prints_and_runs_nothing(capsys):
    c = MockContext(repeat=True, run=Result())
    tasks.test_latest(c, dry_run=True)
    assert c.run.call_count == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == tasks.latest_commands()


def test_the_speed_up_fuzz_is_in_the_upgrade_guard(request):
    """tests/conftest.py marks the version-bound tests `upgrade`, so test-latest runs them."""
    items = [
        item
        for item in request.session.items
        if item.path.name == "test_speedups.py" and "upgrade" not in item.keywords
    ]
    assert items == []


def test_every_test_marked_by_name_in_conftest_still_exists():
    """A renamed test would silently drop its mark (and slow the fast lane down)."""
    sources = {path.name: path.read_text("utf-8") for path in (ROOT / "tests").glob("test_*.py")}
    for name in MODULE_MARKS:
        assert name in sources, name
    for name in TEST_MARKS:
        module, function = name.split("::")
        assert f"def {function}(" in sources[module], name
    for fixture in FIXTURE_MARKS:
        assert any(re.search(rf"def {fixture}\(", text) for text in sources.values()), fixture
