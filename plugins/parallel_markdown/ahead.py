"""Files converted by worker processes while the build goes on.

The conversions start as soon as a generator exists, so they overlap the content checks and
Pelican's own reading; the reader takes each file's result when Pelican asks for it. The pool
is ``alerta.workers.pool`` (spawned workers that die with the build). Only a few chunks are
handed to the workers at a time (the next one when one is done), so a build that stops early,
on a failed check, does not wait for the rest before exiting. A chunk that fails (a worker
died) is read again in the build. The pool is closed once every result is taken, or at the
latest when reading is over, so no thread or process of it is left when pages are written.
"""

import collections
import logging
import threading
from concurrent.futures import Future

from alerta import workers as processes

from .converting import convert_chunk

__all__ = ["AHEAD", "Ahead"]

logger = logging.getLogger(__name__)


class Ahead:
    def __init__(self):
        self.pool = None
        self.lock = threading.Lock()
        self.queue = collections.deque()  # (paths, config, Future) not yet sent to a worker
        self.waiting = {}  # absolute path -> (Future of its chunk, the chunk's paths)
        self.done = {}  # absolute path -> (html, raw metadata), or None: read it here

    def start(self, paths, config, workers):
        if self.pool is None:
            self.pool = processes.pool(workers)
        size = max(1, len(paths) // (workers * 8))
        for first in range(0, len(paths), size):
            chunk = paths[first : first + size]
            result = Future()
            self.queue.append((chunk, config, result))
            self.waiting.update(dict.fromkeys(chunk, (result, chunk)))
        for _ in range(workers + 1):
            self.send_next()

    def send_next(self):
        """Hand the next chunk to the pool (also called, from the pool's thread, when a chunk
        is done); its result, or its error, ends up in the chunk's own Future."""
        with self.lock:
            while self.queue:
                chunk, config, result = self.queue.popleft()
                try:
                    running = self.pool.submit(convert_chunk, chunk, config)
                    break
                except Exception as error:  # noqa: BLE001 - a broken pool: read them here
                    result.set_exception(error)
            else:
                return
        running.add_done_callback(lambda finished: self.settle(finished, result))

    def settle(self, finished, result):
        if finished.cancelled():  # the pool was closed: nothing waits for it any more
            result.cancel()
            return
        error = finished.exception()
        if error is None:
            result.set_result(finished.result())
        else:
            result.set_exception(error)
        self.send_next()

    def take(self, path):
        """The converted file, waiting for its chunk if need be; None: convert it here."""
        entry = self.waiting.get(path)
        if entry is not None:
            result, chunk = entry
            try:
                self.done.update(result.result())
            except Exception as error:  # noqa: BLE001 - the reader converts them itself
                logger.debug("parallel_markdown: a chunk failed (%s); read in the build", error)
            for done in chunk:
                del self.waiting[done]
        if self.pool is not None and not self.waiting:
            self.close()
        return self.done.pop(path, None)

    def close(self):
        """Stop the workers; results already taken stay until the reader asks for them."""
        with self.lock:
            self.queue.clear()
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.pool = None
        self.waiting.clear()

    def reset(self, _sender=None):
        self.close()
        self.done.clear()


AHEAD = Ahead()
