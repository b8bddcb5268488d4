"""The build's processes: workers that die with the build, and an interrupt that fails it.

- ``start_worker(parent)`` is every worker's first step (pool initializers, forked copies):
  the kernel kills the worker when the build dies, even by SIGKILL, so no worker is left
  holding memory; and the worker leaves Ctrl+C to the build, which stops everything at once.
- ``die_with_parent(parent)`` is the same without the Ctrl+C part, for programs the build
  starts (``preexec_fn``); the death signal survives their ``exec``.
- ``children()`` and ``kill_children()``: the build's direct child processes, from /proc.
- ``pool(count)``: the one process pool every feature uses. Its workers are *spawned*, never
  forked: the build is a threaded process (rich's live display, Pagefind's reader), and a fork
  copies its locks held by other threads.
"""

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

__all__ = ["children", "die_with_parent", "kill_children", "pool", "start_worker"]

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Loaded here, in the build: a program's preexec_fn must not load a library between its fork
# and its exec (another thread may hold the loader's lock).
try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):
    _PRCTL = None


def die_with_parent(parent):
    """Be killed (SIGKILL) when `parent`, the process that started this one, dies."""
    tied = _PRCTL is not None and _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    # The parent may have died before the prctl: this process was then adopted by another
    # and the death signal will never come.
    if os.getppid() != parent:
        os._exit(1)
    if not tied:  # no prctl (not Linux): look for the parent now and then
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent):
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def start_worker(parent):
    """A worker's first step: die with the build; leave Ctrl+C to the build."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def children(pid=None):
    """Pids of the direct children of `pid` (default: this process), from /proc."""
    pid = os.getpid() if pid is None else pid
    found = []
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # ended meanwhile
        # "pid (command) state ppid ...": the command may hold spaces and brackets.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(name))
    return found


def kill_children(timeout=2.0):
    """SIGKILL this process's children and reap them (for a build that stops at once)."""
    pids = children()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:
                break
            time.sleep(0.01)


def pool(count):
    """A pool of `count` spawned workers that die with the build and leave Ctrl+C to it.

    The functions it runs must be importable module-level functions (the workers import them)."""
    return ProcessPoolExecutor(
        max(1, count),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(os.getpid(),),
    )
