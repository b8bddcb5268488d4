"""Pamphlet PDFs in the build's worker processes (alerta.workers.pool: spawned, never forked):
the task is importable, a PDF made there lands in the cache, and the per-PDF time limit still
stops a render that takes too long, naming the limit."""

import json
import pickle

from alerta import workers
from plugins.pamphlets import pdf

SENTENCE = "Si alguien controla sus documentos o su dinero, puede pedir ayuda sin dar su nombre."
FLYER = "<html><body><h1>Ayuda</h1><p>Llame al 800 5533 000.</p></body></html>"


def long_document():
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(400))
    return f"<html><body>{paragraphs}</body></html>"


def task(html, stem, seconds):
    return (html, ["@page { size: 210mm 297mm }"], "file:///", [], "flyer", str(stem), seconds)


def test_the_task_is_importable_by_name():
    assert pickle.loads(pickle.dumps(pdf.make_pdf)) is pdf.make_pdf


def test_spawned_workers_make_pdfs_and_keep_the_time_limit(tmp_path):
    with workers.pool(2) as pool:
        made = pool.submit(pdf.make_pdf, task(FLYER, tmp_path / "ok", 60))
        slow = pool.submit(pdf.make_pdf, task(long_document(), tmp_path / "slow", 0.5))
        made, slow = made.result(timeout=120), slow.result(timeout=120)
    assert made["pages"] == 1
    assert (tmp_path / "ok.pdf").read_bytes().startswith(b"%PDF-")
    assert json.loads((tmp_path / "ok.json").read_text())["pages"] == 1
    assert (tmp_path / "ok.png").exists()
    assert slow == {"error": "rendering took more than 0.5 seconds"}
    assert not list(tmp_path.glob("slow*"))
