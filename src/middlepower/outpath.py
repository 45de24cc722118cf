"""The boundary for every output file a command is asked to write (``--out``): one check, before any work.

:func:`check_out` is called with the path and the extensions the command can write, *before* the
command computes anything, so a bad extension, a missing or read-only folder or a folder given as a
file is one line (:class:`~middlepower.errors.ParameterError`, exit code 2, naming the parameter and
the path) and nothing is computed or written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from middlepower.errors import ParameterError


def check_out(path: str | Path, suffixes: tuple[str, ...], parameter: str = "out") -> Path:
    """Return ``path`` as a Path if a file of one of ``suffixes`` (``(".csv", ".parquet")``) can be
    created there; ParameterError naming ``parameter`` and the path otherwise."""
    path = Path(path)
    if path.is_dir():
        raise ParameterError(f"{path} is a folder, not a file name", parameter=parameter)
    if path.suffix.lower() not in suffixes:
        names = suffixes[0] if len(suffixes) == 1 else f"{', '.join(suffixes[:-1])} or {suffixes[-1]}"
        raise ParameterError(f"expected a {names} file name", parameter=parameter, value=path.name)
    folder = path.parent
    if not folder.is_dir():
        raise ParameterError(f"folder {folder} does not exist", parameter=parameter, value=path.name)
    try:  # the one reliable test: permission bits say nothing to root, nor about read-only mounts
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ParameterError(f"cannot write in {folder} ({exc.strerror})", parameter=parameter,
                             value=path.name) from None
    return path
