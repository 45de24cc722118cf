"""Hostile input files made at test time (too large, too odd or too binary to commit).

:func:`generate` writes each file of ``FILES`` into a folder; cases name them as ``{gen}/NAME``.
"""

from __future__ import annotations

import random
from pathlib import Path

MiB = 1 << 20
CLAIM = """  - id: claim-{n}
    text: Kazakhstan has the largest economy of Central Asia.
    subject: KAZ
    measure: gdp_usd
    year: 2022
    relation: {{largest_among: [KGZ, TJK, TKM, UZB]}}
"""
INDEX_SPEC_YAML = """name: tiny
unit: unit
time: year
indicators:
  - {code: a, parent: p}
  - {code: b, parent: p}
aggregates:
  - {code: p, parent: index}
  - {code: index}
"""


def alias_bomb(top: str) -> str:
    """Nine levels of ten aliases each: 10^9 values once expanded, 100 lines as written."""
    lines = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\n{top}: *l9\n"


def claims_100mb(path: Path) -> None:
    """A well-formed claim file of 100 MiB (about 470,000 claims): refused by size, never parsed."""
    block = "".join(CLAIM.format(n=n) for n in range(1000))
    with path.open("w", encoding="utf-8") as out:
        out.write("claims:\n")
        written = 0
        while written < 100 * MiB:
            out.write(block)
            written += len(block)


def sparse(size: int):
    """A file of ``size`` bytes that takes no disk space (read, it would be NUL bytes)."""

    def make(path: Path) -> None:
        with path.open("wb") as out:
            out.truncate(size)

    return make


def text(content: str, encoding: str = "utf-8"):
    def make(path: Path) -> None:
        path.write_bytes(content.encode(encoding))

    return make


def raw(content: bytes):
    def make(path: Path) -> None:
        path.write_bytes(content)

    return make


def deep_yaml(depth: int) -> str:
    return "claims: " + "[" * depth + "]" * depth + "\n"


def data_csv_with(rows: list[str]) -> str:
    return "unit,year,a,b\n" + "\n".join(rows) + "\n"


FILES = {
    "claims_100mb.yaml": claims_100mb,
    "claims_alias_bomb.yaml": text(alias_bomb("claims")),
    "claims_deep.yaml": text(deep_yaml(100_000)),
    "claims_deep_40.yaml": text(deep_yaml(40)),
    "claims_latin1.yaml": text("claims:\n  - id: café-claim\n    text: Kazakhstan\n", "latin-1"),
    "claims_utf16.yaml": text("claims:\n  - id: x\n", "utf-16"),
    "claims_binary.yaml": raw(random.Random(1).randbytes(4096)),
    "spec_alias_bomb.yaml": text(INDEX_SPEC_YAML + alias_bomb("extra")),
    "spec_deep.toml": text('name = "x"\nvalue = ' + "[" * 100_000 + "]" * 100_000 + "\n"),
    "spec_deep_tables.toml": text("[" + ".".join(f"t{i}" for i in range(60)) + "]\nx = 1\n"),
    "spec_2mb.toml": text('name = "x"\n' + "".join(f'# padding line {n:08d} ' + "x" * 40 + "\n"
                                                   for n in range(40_000))),
    "spec_latin1.toml": text('name = "Índice de poder"\n', "latin-1"),
    "scenario_alias_bomb.yaml": text("name: bomb\n" + alias_bomb("changes")),
    "scenario_latin1.yaml": text("name: Almatý\nchanges: []\n", "cp1252"),
    "data_300mb.csv": sparse(300 * MiB),
    "data_binary.csv": raw(b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(2048)),
    "data_latin1.csv": text(data_csv_with(["Côte d'Ivoire,2020,1,2", "Mali,2020,3,4"]), "latin-1"),
    "data_empty.csv": text(""),
    "data.parquet": text("unit,year,a,b\nx,2020,1,2\n"),  # CSV text under a Parquet name
    "data.xlsx": raw(b"PK\x03\x04 not really a workbook"),
    "not_a_store.duckdb": text("this is a text file, not a DuckDB store\n"),
    "empty_store.duckdb": text(""),
    "a_file": text("a plain file, where a folder is expected\n"),
}


def generate(folder: Path, store_path: Path) -> None:
    """Write every hostile file of :data:`FILES` into ``folder``, and a store cut to a third."""
    for name, make in FILES.items():
        make(folder / name)
    (folder / "a_folder.duckdb").mkdir()
    data = store_path.read_bytes()
    (folder / "truncated_store.duckdb").write_bytes(data[: len(data) // 3])
