"""Reading a spec-like input file (index spec, power spec, claim file): one place for the boundary.

:func:`read_mapping` returns the parsed TOML or YAML document; every way it can fail (no such file,
not UTF-8, not valid TOML/YAML) is a one-line SpecError naming the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from middlepower.errors import SpecError

SUFFIXES = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}


def read_mapping(path: str | Path, what: str, fmt: str | None = None) -> object:
    """Return the document in ``path`` (a ``what`` file, e.g. "spec" or "claim"), parsed as ``fmt``
    ("toml" or "yaml"; default: by the file's suffix)."""
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: {what} file not found")
    fmt = fmt or SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise SpecError(f"{path}: {what} must be .toml, .yaml or .yml")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        import yaml

        return yaml.safe_load(text)
    except Exception as exc:  # tomllib.TOMLDecodeError, yaml.YAMLError: the parser's first line says where
        raise SpecError(f"{path}: not valid {fmt.upper()}: {str(exc).splitlines()[0]}") from None
