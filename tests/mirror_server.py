"""Test helpers: a copy of the mirror in the upstream layout, served over loopback HTTP with Range.

``upstream_layout(mirror, wheels, out)`` writes, for every registered upstream file, the bytes its
canonical URL serves: the mirror's file when it holds them verbatim, the decompressed bytes when
it holds a gzip of them, or the PyPI wheel from ``wheels`` (downloaded by ``.ci/run`` with pip).
Derived files are left out, so middlepower makes them from those inputs, except where an input
cannot be had offline (the WDI datapackage.json files): then the mirror's derived copy is served,
which the registry accepts by its declared checksum. Nothing is gzipped by the helper.
"""

from __future__ import annotations

import gzip
import http.server
import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from middlepower import sources
from middlepower.sources.registry import Derived, SourceFile

REPO = Path(__file__).resolve().parents[1]
WHEELS = REPO / ".ci" / "wheels"
"""Canonical PyPI wheels of registered files, fetched by ``.ci/run`` at install time."""


def needed_wheels() -> list[SourceFile]:
    """Return the registered upstream files that are PyPI wheels."""
    return [file for source in sources.all_sources() for file in source.upstream() if file.path.endswith(".whl")]


def _upstream_copy(file: SourceFile, mirror: Path, wheels: Path, out: Path) -> bool:
    target = out / file.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if (mirror / file.path).is_file():
        shutil.copyfile(mirror / file.path, target)
    elif (mirror / f"{file.path}.gz").is_file():
        with gzip.open(mirror / f"{file.path}.gz") as packed, target.open("wb") as plain:
            shutil.copyfileobj(packed, plain)
    elif (wheels / Path(file.path).name).is_file():
        shutil.copyfile(wheels / Path(file.path).name, target)
    else:
        return False
    return True


def upstream_layout(mirror: Path, wheels: Path, out: Path) -> dict[str, list[str]]:
    """Write the upstream-layout copy of every store table's files into ``out``; return which paths came how."""
    report: dict[str, list[str]] = {"upstream": [], "derived copy": []}
    for source in sources.all_sources():
        if not source.table:  # not a build input (GDELT's sample files, read by the events layer)
            continue
        for entry in source.files:
            files = entry.inputs if isinstance(entry, Derived) else (entry,)
            copied = [_upstream_copy(file, mirror, wheels, out) for file in files]
            if all(copied):
                report["upstream"].extend(f.path for f in files)
                continue
            if not isinstance(entry, Derived) or not entry.mirror_sha256:
                missing = [f.path for f, ok in zip(files, copied, strict=True) if not ok]
                raise FileNotFoundError(f"no upstream bytes for {missing[0]} in {mirror} or {wheels}")
            for file, ok in zip(files, copied, strict=True):
                if ok:
                    (out / file.path).unlink()
            target = out / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mirror / entry.path, target)
            report["derived copy"].append(entry.path)
    return report


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with single-range ``Range: bytes=N-`` support; counts requests per path."""

    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def send_head(self):
        self.requests.append((self.path, self.headers.get("Range")))
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        path = Path(self.translate_path(self.path))
        if match is None or not path.is_file():
            return super().send_head()
        start, size = int(match.group(1)), path.stat().st_size
        if start >= size:
            self.send_error(416)
            return None
        handle = path.open("rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.send_header("Content-Length", str(size - start))
        self.end_headers()
        return handle


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` on a loopback port for the ``with`` block; yield its base URL."""
    handler = type("Handler", (RangeHandler,), {"requests": []})

    def make(*args, **kwargs):
        return handler(*args, directory=str(folder), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def no_proxy_env() -> dict[str, str]:
    """Return the environment with proxies removed, so loopback requests go straight to the server."""
    return {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
