"""Reading a user's input file: the rules every file-reading boundary shares, in one place.

:func:`read_text` returns a file's text: it must be a regular file, no larger than its bound
(:mod:`middlepower.limits`, checked before it is read; at most bound + 1 bytes are ever read),
UTF-8 (a byte-order mark is allowed) and not binary. :func:`read_mapping` parses a spec-like
document (index spec, power spec, claim file, scenario, COINr settings) from such text as TOML or
YAML, with nesting and size bounds: YAML aliases are counted as what they repeat (no alias bomb),
a key given twice in one YAML mapping is refused (as TOML refuses it), and neither parser may
recurse past :data:`~middlepower.limits.DOCUMENT_DEPTH`. Every failure is
one line naming the file (and the line or byte), raised as the caller's error type (SpecError by
default; DataError for data tables).
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterator
from pathlib import Path

from middlepower import limits
from middlepower.errors import SpecError

SUFFIXES = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}


def read_bytes(path: str | Path, what: str, bound: limits.Bound = limits.DOCUMENT_BYTES,
               error: type = SpecError) -> bytes:
    """Return the bytes of the ``what`` file at ``path``; ``error`` naming it when it is missing, not
    a regular file, unreadable or larger than ``bound``."""
    path = Path(path)
    if path.is_dir():
        raise error(f"{path}: a folder, not a {what} file")
    if not path.is_file():  # also refuses devices and pipes, which could block or never end
        raise error(f"{path}: {what} file not found")
    limits.check_file_size(path, bound, f"{what} file", error)
    try:
        with path.open("rb") as handle:
            data = handle.read(bound.value + 1)  # a file that grew since stat() is still bounded
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} file ({exc.strerror})") from None
    if len(data) > bound.value:
        raise error(f"{path}: {what} file is larger than the bound of {limits.shown(bound)}")
    return data


def decode_text(data: bytes, path: str | Path, what: str, error: type = SpecError) -> str:
    """Return ``data`` decoded as UTF-8 (an optional byte-order mark dropped); ``error`` naming the
    file and the byte and line of the first byte that is not UTF-8, or saying the file is binary."""
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise error(f"{path}: a binary file, not {what} text (a NUL byte at byte {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"{path}: not UTF-8 text: byte {exc.start} (line {line}) is 0x{data[exc.start]:02x} "
                    f"(expected UTF-8; re-save the file as UTF-8)") from None


def read_text(path: str | Path, what: str, bound: limits.Bound = limits.DOCUMENT_BYTES,
              error: type = SpecError) -> str:
    """Return the text of the ``what`` file at ``path`` under the shared rules (see the module doc)."""
    return decode_text(read_bytes(path, what, bound, error), path, what, error)


@contextlib.contextmanager
def about(path: str | Path, error: type = SpecError) -> Iterator[None]:
    """Within the block, an ``error`` raised while validating the contents of ``path`` names the file
    (``spec.toml: indicator 'a': weight must be finite``) if its message does not already."""
    try:
        yield
    except error as exc:
        if Path(path).name in str(exc):
            raise
        raise type(exc)(f"{path}: {exc}") from None


def read_mapping(path: str | Path, what: str, fmt: str | None = None) -> object:
    """Return the document in ``path`` (a ``what`` file, e.g. "spec" or "claim"), parsed as ``fmt``
    ("toml" or "yaml"; default: by the file's suffix); SpecError naming the file otherwise."""
    path = Path(path)
    fmt = fmt or SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise SpecError(f"{path}: {what} file must be .toml, .yaml or .yml")
    text = read_text(path, what)
    if fmt == "yaml":
        return _load_yaml(text, path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise SpecError(f"{path}: nested deeper than {limits.shown(limits.DOCUMENT_DEPTH)}") from None
    _check_shape(document, path)
    return document


def _check_shape(document: object, path: Path) -> None:
    """SpecError when a parsed document nests deeper or holds more values than the bounds allow."""
    stack, values = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if depth > limits.DOCUMENT_DEPTH.value:
            raise SpecError(f"{path}: nested deeper than {limits.shown(limits.DOCUMENT_DEPTH)}")
        if values > limits.DOCUMENT_NODES.value:
            raise SpecError(f"{path}: more than {limits.shown(limits.DOCUMENT_NODES)}")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)


class _Refused(Exception):
    """Raised inside the YAML composer when a bound is crossed (with the position it was crossed at)."""

    def __init__(self, message: str, mark) -> None:
        super().__init__(message)
        self.mark = mark


def _refuse_repeated_keys(node) -> None:
    """_Refused at the second of two equal keys of a mapping: YAML forbids them and a loader would
    silently keep the last (TOML refuses them as well)."""
    import yaml

    seen = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
            if (key.tag, key.value) in seen:
                raise _Refused(f"key {key.value!r} given twice in one mapping", key.start_mark)
            seen.add((key.tag, key.value))


def _bounded_loader():
    """A yaml.SafeLoader subclass that bounds nesting and the size of the document with aliases expanded."""
    import yaml

    class BoundedLoader(yaml.SafeLoader):
        def __init__(self, stream) -> None:
            super().__init__(stream)
            self._open = 0  # nodes being composed (the composer recurses once per level)
            self._size: dict[int, tuple[int, int]] = {}  # id(node) -> (values when expanded, depth)

        def compose_node(self, parent, index):
            self._open += 1
            if self._open > limits.DOCUMENT_DEPTH.value:
                raise _Refused(f"nested deeper than {limits.shown(limits.DOCUMENT_DEPTH)}",
                               self.peek_event().start_mark)
            try:
                node = super().compose_node(parent, index)
            finally:
                self._open -= 1
            if id(node) not in self._size:  # an alias returns a node already measured
                if isinstance(node, yaml.MappingNode):
                    _refuse_repeated_keys(node)
                    children = [part for pair in node.value for part in pair]
                elif isinstance(node, yaml.SequenceNode):
                    children = node.value
                else:
                    children = []
                measured = [self._size[id(child)] for child in children]
                size = 1 + sum(s for s, _ in measured)
                depth = 1 + max((d for _, d in measured), default=0)
                if size > limits.DOCUMENT_NODES.value:
                    raise _Refused(f"more than {limits.shown(limits.DOCUMENT_NODES)} with its aliases expanded "
                                   "(an alias bomb?)", node.start_mark)
                if depth > limits.DOCUMENT_DEPTH.value:
                    raise _Refused(f"nested deeper than {limits.shown(limits.DOCUMENT_DEPTH)} with its aliases "
                                   "expanded", node.start_mark)
                self._size[id(node)] = (size, depth)
            return node

    return BoundedLoader


def _load_yaml(text: str, path: Path) -> object:
    import yaml

    loader = _bounded_loader()(text)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise SpecError(f"{path}: line {exc.mark.line + 1}: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise SpecError(f"{path}: not valid YAML: {where}{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2022-13-45
        raise SpecError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:  # cannot happen within the depth bound; kept so no traceback ever escapes
        raise SpecError(f"{path}: nested deeper than {limits.shown(limits.DOCUMENT_DEPTH)}") from None
    finally:
        loader.dispose()
