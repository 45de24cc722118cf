"""The docs cannot drift: every source, CLI command and option, panel verb and store column is
documented, and the generated sections are what the code writes now (after sqlite-utils' test_docs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def docs_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md")))


def _documented(name: str, text: str) -> bool:
    """True if ``name`` is a heading, in backticks, or inside a backtick span (``a, b, c``) of ``text``."""
    return (f"`{name}`" in text or f"\n## {name}\n" in text
            or re.search(rf"`[^`]{{0,200}}\b{re.escape(name)}\b[^`]{{0,200}}`", text) is not None)


def _section(name: str, text: str) -> str:
    """The ``## name`` section of ``text`` (a source's, in docs/sources.md), else ``text`` itself."""
    start = text.find(f"\n## {name}\n")
    if start < 0:
        return text
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_generated_sections_are_current(store_path):
    from middlepower import docgen

    assert docgen.stale(store_path) == [], "run: python -m middlepower.docgen --db <store>"


def test_every_registered_source_has_a_section():
    from middlepower import sources

    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    missing = [s.name for s in sources.all_sources() if f"\n## {s.name}\n" not in text]
    assert not missing, f"docs/sources.md lacks {missing}"


def test_every_cli_command_and_option_is_documented(docs_text):
    from middlepower.docgen import cli_commands

    missing = []
    for path, command, _ in cli_commands():
        if f"`{path}`" not in docs_text:
            missing.append(path)
        for param in command.params:
            if param.param_type_name == "option":
                missing += [f"{path} {o}" for o in [*param.opts, *param.secondary_opts]
                            if o != "--help" and f"`{o}`" not in docs_text]
    assert not missing, f"undocumented: {missing}"


ROOT = DOCS.parent
COMMAND_SPAN = re.compile(r"`(middlepower [^`\n]+)`")


def _command_lines(text: str):
    """Each command line ``text`` shows: a backtick span or a code-block line starting ``middlepower ``,
    with alternatives (``run|uncertainty``) expanded and a trailing comment cut."""
    shown = [m.group(1) for m in COMMAND_SPAN.finditer(text)]
    fenced = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
        elif fenced and line.strip().startswith("middlepower "):
            shown.append(re.split(r"\s#", line.strip())[0])
    for line in shown:
        words = line.split()
        if len(words) > 1 and "|" in words[1] and not words[1].startswith("-"):
            yield from (" ".join([words[0], w, *words[2:]]) for w in words[1].split("|"))
        elif len(words) > 2 and "|" in words[2] and not words[2].startswith("-"):
            yield from (" ".join([*words[:2], w, *words[3:]]) for w in words[2].split("|"))
        else:
            yield line


def stale_command_lines(text: str) -> list[str]:
    """The command lines of ``text`` that name no command of the CLI, or an option their command lacks
    (placeholders such as ``COMMAND`` and ``...`` stand for any command)."""
    from middlepower.docgen import cli_commands

    commands = {path: (command, group) for path, command, group in cli_commands()}
    stale = []
    for line in _command_lines(text):
        words = line.split()
        path, i = "middlepower", 1
        while i < len(words) and f"{path} {words[i]}" in commands:
            path, i = f"{path} {words[i]}", i + 1
        following = words[i] if i < len(words) else "--help"
        if following in ("...", "COMMAND") or (path == "middlepower" and following == "--help"):
            continue
        if path == "middlepower" or (commands[path][1] and not following.startswith("-")):
            stale.append(line)
            continue
        known = {o for p in commands[path][0].params if p.param_type_name == "option"
                 for o in [*p.opts, *p.secondary_opts]} | {"--help"}
        stale += [f"{line}: {o}" for word in words[i:]
                  if re.fullmatch(r"--[a-z][a-z0-9-]*", o := word.split("=")[0].rstrip(",.;:)]"))
                  and o not in known]
    return stale


def test_every_command_line_in_the_docs_and_help_texts_runs_on_this_cli():
    files = [*sorted(DOCS.glob("*.md")), ROOT / "README.md", *sorted((ROOT / "src/middlepower").rglob("*.py"))]
    stale = [f"{path.relative_to(ROOT)}: {line}" for path in files
             for line in stale_command_lines(path.read_text(encoding="utf-8"))]
    assert not stale, f"command lines that name no command or option of the CLI: {stale}"


def test_a_stale_command_line_would_be_found():
    assert stale_command_lines("see `middlepower events coverage` and `middlepower rank --tiers middle`") == [
        "middlepower events coverage", "middlepower rank --tiers middle: --tiers"]
    assert stale_command_lines("```\nmiddlepower index run|uncertainty spec.toml --data d.csv  # ok\n```") == []


def test_every_panel_verb_and_its_columns_are_in_docs_panel():
    # the submodule itself: `panel.contract` exists only once something has imported it
    from middlepower.panel import contract

    text = (DOCS / "panel.md").read_text(encoding="utf-8")
    for name, verb in contract.verbs().items():
        assert f"`{name}`" in text, name
        for column in verb.columns:
            assert f"| `{column}` |" in text, f"{name}: {column}"


def test_every_store_table_and_column_is_documented(store_path, docs_text):
    from middlepower.warehouse import open_store

    with open_store(store_path) as store:
        columns = store.query("SELECT table_name, column_name FROM information_schema.columns")
    sources_text = (DOCS / "sources.md").read_text(encoding="utf-8")
    keys = (DOCS / "store.md").read_text(encoding="utf-8")  # the ISO3 columns the warehouse adds to every table
    missing = sorted({f"{t}.{c}" for t, c in zip(columns["table_name"], columns["column_name"], strict=True)
                      if not (_documented(t, docs_text)
                              and (_documented(c, _section(t, sources_text)) or _documented(c, keys)
                                   or f"\n## {t}\n" not in sources_text and _documented(c, docs_text)))})
    assert not missing, f"undocumented store columns: {missing}"


def test_a_missing_source_section_would_fail(tmp_path, store_path):
    """The docs test can fail: a docs folder without one source's section is reported stale."""
    from middlepower import docgen

    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    assert "\n## wdi\n" in text
    (tmp_path / "sources.md").write_text(text.replace("\n## wdi\n", "\n## wdx\n"), encoding="utf-8")
    assert docgen.stale(store_path, docs=tmp_path) == ["sources.md"]


def test_docs_web_shows_a_screenshot_of_each_dashboard_page():
    from middlepower.web.app import PAGES

    text = (DOCS / "web.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]+\]\((screenshots/[^)]+)\)", text)
    assert len(pictures) >= len(PAGES), pictures
    for picture in pictures:
        data = (DOCS / picture).read_bytes()
        assert data[:3] == b"\xff\xd8\xff" and len(data) > 20_000, picture  # a real JPEG, not a placeholder
    for path in PAGES:
        assert f"`{path}" in text, f"docs/web.md does not show the page {path}"


def test_the_hand_checked_caveats_of_the_sources_are_generated_from_the_registry():
    """Caveats written for docs/sources.md before it was generated live in each source's notes."""
    from middlepower import docgen

    text = docgen.sources_section()
    for phrase in ("2,360 milex values are missing", "Kazakhstan (705) enters on 1991-12-26",
                   "the seven majors of 2016", "Germany's regional spell ends", "filter conttype > 0",
                   "not deflated", "Organization of Turkic States", "long_name is taken from the last year",
                   "210 more are G-W state-years", "identical to cow_states", "rail lines run 1995-2021",
                   "proved reserves 1980-2020", "USSR and Russia both have figures for 1987-1990",
                   "**Not read:** `ipi_peacekeeping/ppp_files/countries/Antigua`",
                   "**Not read:** `civil_wars_mediation/Third-Party-PKMs-version-3.1.xls`"):
        assert phrase in text, phrase


def test_docgen_without_a_store_says_so_in_one_line(tmp_path):
    """`python -m middlepower.docgen --check` on a missing store is one error line, exit 5, not a traceback."""
    import subprocess
    import sys

    missing = tmp_path / "none.duckdb"
    done = subprocess.run([sys.executable, "-m", "middlepower.docgen", "--check", "--db", str(missing)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 5, done.stderr
    expected = f"error: {missing}: no store here; run `middlepower build` first (or pass --db)"
    assert done.stderr.splitlines() == [expected]
    assert not missing.exists()


def test_the_converted_files_docs_sources_names_are_the_registrys():
    # docs/sources.md, rule 7: the one exception to "obtainable by download", and who uses it
    import middlepower.sources as sources

    converted = [(source.name, file.path) for source in sources.all_sources() for file in source.files
                 if getattr(file, "converted", "")]
    users = sorted({name for name, _ in converted})
    assert users == ["gdelt_file_lists", "gdelt_v2_sample"]
    text = " ".join((Path(__file__).parents[1] / "docs" / "sources.md").read_text().split())
    sample = sum(name == "gdelt_v2_sample" for name, _ in converted)
    assert f"Two GDELT sources use it, for {len(converted)} files" in text
    assert f"`gdelt_v2_sample`, whose {sample} export files the mirror holds unzipped" in text


def test_the_missing_data_table_in_docs_power_is_the_input_rules():
    # docs/power.md, "Missing data": one row per input of middlepower.power.inputs.INPUTS, with its
    # scale, carry limit (a zero only where the model imputes after the last real value: revisions 2.26, 2.27)
    # and model, so the page cannot drift from the rules the code applies
    from middlepower.power.inputs import INPUTS

    rows = {}
    for line in Path("docs/power.md").read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| `(\w+)` \| (\w+) \| ([^|]+) \| (\w+) \|", line)
        if found and found.group(1) in INPUTS:
            rows[found.group(1)] = found.groups()[1:]
    assert list(rows) == list(INPUTS)
    for name, rule in INPUTS.items():
        space, carry, model = rows[name]
        limit = f"{rule.carry_years} years"
        expected = f"a zero only, {limit}" if rule.model_after_last else limit
        carry = re.sub(r" \(revision 2\.\d+\)$", "", carry.strip())  # the revision that set the rule
        assert (space, carry, model) == (rule.space, expected, rule.model), name


def _history_rows(text: str) -> list[list[str]]:
    """The cells of each row (header and rule left out) of the specification-history table in
    docs/power-protocol.md's ``text``."""
    lines = _section("Specification history", text).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in lines[start + 2:end]]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _history_problems(text: str) -> list[str]:
    """What is wrong with the specification-history table of ``text``: rows without four cells, versions out of
    order or repeated, and revisions with a registration section but no row (empty when nothing is)."""
    rows = _history_rows(text)
    problems = [f"row {cells[0]!r} has {len(cells)} cells" for cells in rows if len(cells) != 4]
    versions = [cells[0] for cells in rows]
    if not all(re.fullmatch(r"\d+(\.\d+)?", version) for version in versions):
        return [*problems, f"a version is not a number: {versions}"]
    if versions != sorted(versions, key=_version_key) or len(set(versions)) != len(versions):
        problems.append(f"versions out of order or repeated: {versions}")
    registered = set(re.findall(r"^### Revision (\d+\.\d+): registration", text, flags=re.MULTILINE))
    problems += [f"revision {version} is registered but has no row" for version in sorted(
        registered - set(versions), key=_version_key)]
    return problems if registered else [*problems, "no registration sections found"]


def test_the_specification_history_has_one_whole_row_per_revision_in_order():
    assert _history_problems((DOCS / "power-protocol.md").read_text(encoding="utf-8")) == []


def test_a_history_row_run_into_its_neighbour_would_be_found():
    text = (DOCS / "power-protocol.md").read_text(encoding="utf-8")
    last = _history_rows(text)[-1][0]
    merged = re.sub(rf"\|\n\| {re.escape(last)} \|", " X |", text, count=1)
    assert merged != text and f"revision {last} is registered but has no row" in _history_problems(merged)
