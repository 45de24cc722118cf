"""The generated sections of docs/: the sources, the panel columns, the model's indicators, the CLI.

Each section sits in a Markdown file between ``<!-- generated: NAME -->`` and
``<!-- end generated -->`` and is written from the registry, the column catalogue (with the years
of data of the store at ``--db``) and the CLI itself, so the docs cannot drift from the code:

    python -m middlepower.docgen            # rewrite the sections
    python -m middlepower.docgen --check    # exit 1 naming every stale section (the docs test runs this)
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from pathlib import Path

from middlepower.errors import MiddlepowerError

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _entry(entry) -> str:
    """A registered file for the docs: its path, and for a derived file what it is made from."""
    from middlepower.sources import Derived

    if isinstance(entry, Derived):
        made_from = ", ".join(f"`{file.path}`" for file in entry.inputs[:2])
        more = f" and {len(entry.inputs) - 2} more" if len(entry.inputs) > 2 else ""
        return f"`{entry.path}` (made from {made_from}{more}: {entry.recipe})"
    return f"`{entry.path}`"


def sources_section(db: Path | str | None = None) -> str:
    """Every registered source: title, coverage, files, licence, citation, columns and notes."""
    from middlepower import sources

    out = []
    for source in sources.all_sources():
        out += [f"## {source.name}", "", f"**{source.title}.**", ""]
        out.append(f"- **Producer:** {source.producer}")
        out.append(f"- **Coverage:** {source.coverage}")
        if source.files:
            shown = ", ".join(_entry(entry) for entry in source.files[:3])
            more = f" and {len(source.files) - 3} more" if len(source.files) > 3 else ""
            out.append(f"- **Files:** {shown}{more} (each checked against its sha256 before reading)")
            if not source.redistributable:
                out.append("- **Download:** by hand (`middlepower fetch` says from where and where to save it)")
        else:
            out.append("- **Files:** shipped with middlepower (typed facts, each row sourced)")
        out.append(
            f"- **Licence:** {source.licence}" + ("" if source.redistributable else " — **not redistributable**")
        )
        out.append(f"- **Cite:** {source.citation}")
        if not source.table:
            out.append("- **In the store:** no (a reference file its layer reads)")
        for file in source.left_out:
            out.append(f"- **Not read:** `{file.path}`: {file.reason} (listed in `_exclusions`)")
        out += ["", "| column | meaning and unit |", "|---|---|"]
        out += [f"| `{name}` | {_cell(text)} |" for name, text in source.columns.items()]
        if source.panel:
            out += ["", "Panel columns: " + ", ".join(f"`{c.name}`" for c in source.panel) + " (docs/panel.md)."]
        if source.notes:
            out += ["", f"Notes: {source.notes}"]
        out.append("")
    return "\n".join(out)


def _years(row) -> str:
    import pandas as pd

    if row["years_note"]:
        return _cell(row["years_note"])
    if pd.isna(row["first_year"]):
        return "no value"
    return f"{int(row['first_year'])}–{int(row['last_year'])}"


def panel_section(db: Path | str | None = None) -> str:
    """One table per panel verb: each column's unit, description, sources (upstream key) and years of data."""
    from middlepower import panel

    catalogue = panel.catalogue(db)
    out = []
    for verb, rows in catalogue.groupby("verb", sort=False):
        out += [
            f"### `{verb}`",
            "",
            "| column | unit | description | source (upstream) | years |",
            "|---|---|---|---|---|",
        ]
        for _, row in rows.iterrows():
            upstream = f" ({row['upstream']})" if row["upstream"] else ""
            out.append(
                f"| `{row['name']}` | {_cell(row['unit'])} | {_cell(row['description'])} | "
                f"{', '.join(row['sources'])}{_cell(upstream)} | {_years(row)} |"
            )
        out.append("")
    out.append(
        "Years: the first and last year with a value, over the state-years of COW system members from 1946: "
        "for a stored column, in the store's `panel` view (its `_columns` table); for a computed column, in "
        "what its verb returns when run over every state-year of the store (`panel.contract.computed_years`, "
        "cached per build). \"event build\": the years of the GDELT files the event build read "
        "(`middlepower events show` without a state), which the store does not hold."
    )
    return "\n".join(out) + "\n"


def _commands(group, prefix: str = "middlepower"):
    # typer builds its commands on its own copy of click: tell groups, options and arguments apart by
    # their interface, not by click's classes.
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        path = f"{prefix} {name}"
        if hasattr(command, "list_commands"):
            yield path, command, True
            yield from _commands(command, path)
        else:
            yield path, command, False


def cli_commands() -> list[tuple[str, object, bool]]:
    """Every command of the CLI as (path, click command, is_group), groups before their commands."""
    import typer

    from middlepower.cli import app

    return list(_commands(typer.main.get_command(app)))


def cli_section(db: Path | str | None = None) -> str:
    """Every command with its usage, help text and options."""
    out = []
    for path, command, is_group in cli_commands():
        out += [f"### `{path}`", ""]
        text = "\n\n".join(textwrap.fill(p, 100, break_on_hyphens=False, break_long_words=False)
                             for p in (command.help or "").strip().split("\n\n"))
        out += [text, ""] if text else []
        if is_group:
            continue
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        shown = [a.name.upper() + ("..." if a.nargs == -1 else "") for a in arguments]
        out += ["```", " ".join([path, "[OPTIONS]", *shown]), "```", ""]
        options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
        if arguments or options:
            out += ["| argument or option | meaning | default |", "|---|---|---|"]
            out += [
                f"| `{name}` | {_cell(getattr(a, 'help', '') or '')} | {'required' if a.required else ''} |"
                for name, a in zip(shown, arguments, strict=True)
            ]
            for option in options:
                names = " / ".join(f"`{n}`" for n in [*option.opts, *option.secondary_opts])
                default = (
                    ""
                    if option.required or option.default is None or not option.show_default
                    else f"`{option.default}`"
                )
                out.append(f"| {names} | {_cell(option.help or '')} | {'required' if option.required else default} |")
            out.append("")
    return "\n".join(out)


def model_section(db: Path | str | None = None) -> str:
    """The default spec's indicators: pillar, name and code, column, inputs and transform (the model's),
    direction, sources and unit (from the catalogue) and coverage."""
    from middlepower import power

    out = ["| pillar | indicator (code) | column | inputs | transform | direction | sources | unit | coverage |",
           "|---|---|---|---|---|---|---|---|---|"]
    for row in power.indicators_doc().itertuples():
        direction = f"{int(row.direction):+d}"
        out.append(f"| {row.pillar} | {_cell(row.name)} (`{row.code}`) | `{row.column}` | {', '.join(row.inputs)} | "
                   f"{row.transform} | {direction} | {row.source} | {_cell(row.unit)} | {_cell(row.coverage)} |")
    return "\n".join(out) + "\n"


def bounds_section(db: Path | str | None = None) -> str:
    """Every size bound of the inputs (:data:`middlepower.limits.BOUNDS`): what it bounds and its value."""
    from middlepower import limits

    out = ["| bound | applies to | value |", "|---|---|---|"]
    for name, bound in limits.BOUNDS.items():
        out.append(f"| `{name}` | {_cell(bound.applies_to)} | {limits.shown(bound) or bound.value} |")
    return "\n".join(out) + "\n"


SECTIONS = {"sources": sources_section, "panel-columns": panel_section, "cli": cli_section,
            "model-indicators": model_section, "bounds": bounds_section}
"""Generated section name -> the function writing its Markdown."""


def render(text: str, db: Path | str | None = None) -> str:
    """Return ``text`` with every generated section rewritten."""

    def replace(match: re.Match) -> str:
        body = SECTIONS[match["name"]](db).rstrip("\n") + "\n"
        return f"{match.group(1)}{body}{match.group(4)}"

    return BLOCK.sub(replace, text)


def stale(db: Path | str | None = None, docs: Path = DOCS) -> list[str]:
    """Return the docs files whose generated sections differ from what the code writes now."""
    return [
        path.name
        for path in sorted(docs.glob("*.md"))
        if BLOCK.search(text := path.read_text(encoding="utf-8")) and render(text, db) != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m middlepower.docgen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale sections, write nothing")
    parser.add_argument("--db", help="store whose column years the panel tables show (default: the user's)")
    args = parser.parse_args(argv)
    if args.check:
        found = stale(args.db)
        for name in found:
            print(f"docs/{name}: generated sections are stale; run python -m middlepower.docgen", file=sys.stderr)
        return 1 if found else 0
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if BLOCK.search(text) and (new := render(text, args.db)) != text:
            path.write_text(new, encoding="utf-8")
            print(f"wrote docs/{path.name}")
    return 0


def run(argv: list[str] | None = None) -> int:
    """Run `main`; an error from the store or the code is one line on stderr with its exit code."""
    try:
        return main(argv)
    except MiddlepowerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(run())
