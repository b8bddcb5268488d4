"""A rebuild with nothing changed redoes no slow work: no image, card, index or PDF is made again.

Every slow stage keeps its results in the build cache, keyed by the hash of its inputs, and
only copies them when they are there. So after a second build of the same content, nothing in
the cache may be new or rewritten (Pelican's own reader caches aside, which it always saves).
"""

import os

from conftest import CONTENT, pelican

PELICAN_CACHES = ("ArticlesGenerator-Readers", "PagesGenerator-Readers")


def cache_state(folder):
    state = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            # Bookkeeping, not slow work: the .json files of the printed PDFs (pamphlets,
            # training modules) and of the cleaned attachments record when each was last used
            # (for pruning); the leak check's memo lists this build's clean files,
            # and the editors' page carries the build time.
            bookkeeping = name.endswith(".json") and (
                any(part in dirpath for part in ("pamphlets", "resource-", "leakcheck"))
            )
            if name not in PELICAN_CACHES and not bookkeeping:
                path = os.path.join(dirpath, name)
                state[os.path.relpath(path, folder)] = os.stat(path).st_mtime_ns
    return state


def test_a_no_change_rebuild_does_no_slow_work(tmp_path):
    cache = tmp_path / "cache"
    overrides = {"CACHE_PATH": str(cache)}
    first = pelican(CONTENT, tmp_path / "out", overrides=overrides)
    assert first.returncode == 0, first.stdout + first.stderr
    before = cache_state(cache)
    kinds = {path.split(os.sep)[0] for path in before}
    assert {"cards", "pagefind"} <= kinds, kinds
    second = pelican(CONTENT, tmp_path / "out", overrides=overrides)
    assert second.returncode == 0, second.stdout + second.stderr
    assert cache_state(cache) == before
    assert "(0 built, 12 from cache)" in second.stdout + second.stderr
    assert "Training modules: 16 PDFs (0 built, 16 from cache)" in second.stdout + second.stderr
    assert (tmp_path / "out" / "pagefind" / "pagefind-entry.json").exists()
