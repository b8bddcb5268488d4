"""The publish gate: notes for editors show in the preview and stop a publish build."""

import hashlib
from pathlib import Path

import pytest
from conftest import FIXTURE_FILES, ROOT, make_content, one_clear_line, pelican
from pelican.settings import read_settings

from alerta import publish_gate
from plugins.checks import checks

PUBLISH = ROOT / "publishconf.py"
PAGE = "Title: Horario\nLang: es\nTranslation_key: hours\nSlug: horario\n"


def gate(content, status=""):
    """The gate's problems for a content folder, in-process (what a publish build would say)."""
    settings = read_settings(str(PUBLISH), override={"PATH": str(content)})
    report = checks.Report()
    checks.check_content(settings, report)
    publish_gate.check_publishable(settings, report)
    return [str(problem) for problem in report.errors]


def write(folder, files):
    for relative, text in files.items():
        path = Path(folder) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Path(folder)


def test_a_verify_note_on_a_published_page_is_one_line_with_its_line(tmp_path):
    content = write(tmp_path / "content", {"pages/horario.es.md": PAGE + "Verify: ¿24 h?\n\nT.\n"})
    (problem,) = gate(content)
    assert problem.startswith("content/pages/horario.es.md:5: ")
    assert '"Verify:" note' in problem and "Status: draft" in problem


def test_a_draft_keeps_its_note_and_stops_nothing(tmp_path):
    text = PAGE + "Status: draft\nVerify: ¿24 h?\n\nT.\n"
    assert gate(write(tmp_path / "content", {"pages/horario.es.md": text})) == []


@pytest.mark.parametrize(
    "data, expected",
    [
        (
            "lines:\n  - id: trata\n    number: '800'\n    whatsapp:\n      number: '800'\n"
            "      verify: true\n",
            ['content/data/lines.yml:6: entry "trata" is still marked verify'],
        ),
        ("lines:\n  - id: trata\n    verify: false\n", []),
        (
            "historical:\n  - id: proteja\n    verify: 'Add the source'\n",
            ['content/data/lines.yml:3: entry "proteja" is still marked verify'],
        ),
        (
            "proteja:\n  states: []\n  verify: yes\n",
            ['content/data/lines.yml:3: entry "proteja" is'],
        ),
    ],
)
def test_a_verify_flag_in_data_names_the_file_the_line_and_the_entry(tmp_path, data, expected):
    content = write(tmp_path / "content", {"data/lines.yml": data})
    problems = gate(content)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problem


def test_an_entry_its_feature_leaves_out_of_publish_is_not_checked(tmp_path):
    data = (
        "shelters:\n  - id: a\n    verify: true\n"
        "  - id: b\n    verified_on: 2026-11-30\n    phones:\n      - verify: true\n"
    )
    content = write(tmp_path / "content", {"data/shelters.yml": data})
    publish_gate.register_unpublished("shelters.yml", lambda entry: not entry.get("verified_on"))
    (problem,) = gate(content)
    assert problem.startswith('content/data/shelters.yml:7: entry "b"')


def test_a_published_page_that_links_to_a_draft_names_both_files(tmp_path):
    content = write(
        tmp_path / "content",
        {
            "pages/horario.es.md": PAGE + "Status: draft\n\nT.\n",
            "pages/ayuda.es.md": "Title: Ayuda\nLang: es\n\n[Horario]({filename}horario.es.md)\n",
            "pages/o.es.md": "Title: O\nLang: es\nStatus: draft\n\n[H]({filename}horario.es.md)",
        },
    )
    (problem,) = gate(content)
    assert problem.startswith("content/pages/ayuda.es.md:4: links to content/pages/horario.es.md")
    assert "draft" in problem


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow
def test_preview_shows_the_note_and_publish_refuses_it(tmp_path):
    files = {
        **FIXTURE_FILES,
        "pages/horario.es.md": PAGE + "Verify: Confirmar el horario zarzamora.\n\nTexto.\n",
        "pages/hours.en.md": "Title: Hours\nLang: en\nTranslation_key: hours\nSlug: hours\n\nT.\n",
        "pages/plan.es.md": "Title: Plan\nLang: es\nSlug: plan\nStatus: draft\n\nGrosella.\n",
        "articles/idea.es.md": "Title: Idea\nDate: 2026-11-02\nLang: es\nCategory: X\n"
        "Status: draft\n\nFrambuesa.\n",
    }
    content = make_content(tmp_path / "content", files)
    preview = pelican(content, tmp_path / "preview")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    html = (tmp_path / "preview" / "horario" / "index.html").read_text()
    assert "app-editor-note" in html and "Confirmar el horario zarzamora" in html
    assert "app-preview-banner" in html
    assert (tmp_path / "preview" / "_editors" / "index.html").exists()
    # Drafts are in the preview, marked as such.
    for path in ("borradores/paginas/plan", "borradores/idea"):
        draft = (tmp_path / "preview" / path / "index.html").read_text()
        assert "app-editor-note" in draft and "Esto es un borrador" in draft, path

    output = tmp_path / "published"
    output.mkdir()
    (output / "index.html").write_text("the site as it was")
    before = tree_digest(output)
    overrides = {"SITEURL": "https://example.test"}
    result = pelican(content, output, strict=True, settings=PUBLISH, overrides=overrides)
    one_clear_line(result, '"Verify:" note', "content/pages/horario.es.md:5: ")
    assert tree_digest(output) == before

    # Once the note is settled, the same content publishes: no note, no banner, no report.
    # (Not strict: the fixture has an article without its translation, on purpose.)
    (content / "pages" / "horario.es.md").write_text(PAGE + "\nTexto.\n", encoding="utf-8")
    result = pelican(content, output, settings=PUBLISH, overrides=overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in output.rglob("*.html"):
        text = path.read_text()
        assert "app-editor-note" not in text and "app-preview-banner" not in text, path
    assert not (output / "_editors").exists()
    assert "_editors" not in (output / "robots.txt").read_text()
    assert not (output / "drafts").exists() and not (output / "borradores").exists()
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(errors="ignore")
            assert "Grosella" not in text and "Frambuesa" not in text, path


def test_a_draft_without_its_translation_warns_only_in_the_preview(tmp_path):
    content = write(tmp_path / "content", {"pages/horario.es.md": PAGE + "Status: draft\n\nT.\n"})
    for settings, expected in ((PUBLISH, 0), (ROOT / "pelicanconf.py", 1)):
        report = checks.Report()
        checks.check_content(read_settings(str(settings), override={"PATH": str(content)}), report)
        assert len(report.problems) == expected, [str(p) for p in report.problems]
