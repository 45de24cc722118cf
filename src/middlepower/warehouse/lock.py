"""One build at a time per store: an exclusive lock on ``.<store name>.lock`` beside the store.

The operating system releases the lock when its holder exits, however it exits, so a killed
build never leaves a store locked. The lock file holds the holder's pid, for the waiting message.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from middlepower.errors import DataError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
    import msvcrt


def lock_path(target: Path) -> Path:
    """Return the lock file guarding builds of the store at ``target``."""
    return target.with_name(f".{target.name}.lock")


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        pid = path.read_text(encoding="utf-8").strip()
        if pid.isdigit():
            return f"pid {pid}"
    return "another process"


@contextlib.contextmanager
def build_lock(target: Path, on_wait: Callable[[str], None] | None = None,
               poll_s: float = 0.2) -> Iterator[None]:
    """Hold the build lock of ``target`` for the ``with`` block, waiting while another build holds it.

    ``on_wait(holder)`` is called once if the lock is taken. DataError (one line) when the lock
    file cannot be created, e.g. in a read-only folder.
    """
    path = lock_path(target)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DataError(f"{target.parent}: cannot write the store there ({exc.strerror})") from None
    try:
        if not _try_lock(fd):
            if on_wait is not None:
                on_wait(_holder(path))
            while not _try_lock(fd):
                time.sleep(poll_s)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
