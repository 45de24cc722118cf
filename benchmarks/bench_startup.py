"""Start-up overhead of every command: ``middlepower <command> --help`` as a new process.

Run with ``python benchmarks/bench_startup.py [--repeat 7]`` (the project installed, or
``PYTHONPATH=src``). Each command line runs ``--repeat`` times after one warm-up run; the table
gives the median wall time and the median CPU time (user + system, of the child process) and their
ratio against two baselines run the same way in this process: ``python -c pass`` (the interpreter)
and ``python -c "import pandas"`` (what most commands import anyway once they run). ``--help``
exercises everything a command loads before its first line of work: the CLI, the command's layer
CLI module and its options. Target (issue 10): ``middlepower --help`` under 1 s, every command
<= 1.5 s warm on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

BASELINES = {"python -c pass": ["-c", "pass"], "python -c 'import pandas'": ["-c", "import pandas"]}


ANSWERS = [
    ["sources", "--no-check"],
    ["panel", "--years", "2020", "--countries", "KAZ", "--out", "{tmp}/kaz.csv"],
    ["profile", "KAZ", "--year", "2022"],
    ["rank", "--year", "2022", "--tier", "middle"],
    ["diplomacy", "council", "KAZ"],
    ["corridor", "route", "--from", "CN_XIAN", "--to", "DE_DUISBURG"],
    ["panel", "--years", "3000", "--out", "{tmp}/none.csv"],  # a bad input: the time to its one-line error
]
"""Whole commands that answer from the user's store (built, model cache warm): start-up plus the
command's own imports and first answer (``--answers``)."""


def command_lines() -> list[list[str]]:
    """Every command and subcommand of the CLI, each with ``--help``; the bare ``--help`` first."""
    import typer

    from middlepower.cli import app

    lines = [["--help"]]
    root = typer.main.get_command(app)
    for name in root.list_commands(None):
        command = root.get_command(None, name)
        lines.append([name, "--help"])
        if hasattr(command, "list_commands"):
            lines.extend([name, sub, "--help"] for sub in command.list_commands(None))
    return lines


def measure(argv: list[str], repeat: int, check: bool = True) -> tuple[float, float]:
    """Median (wall seconds, CPU seconds) of ``python argv`` over ``repeat`` runs after a warm-up."""
    env = {**os.environ, "COLUMNS": "100"}
    walls, cpus = [], []
    for run in range(repeat + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *argv], check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run:  # the first run warms the page cache and .pyc files
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--answers", action="store_true", help="time ANSWERS (whole commands on the store) too")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()[0]:.2f}")
    base = {name: measure(argv, args.repeat) for name, argv in BASELINES.items()}
    for name, (wall, cpu) in base.items():
        print(f"baseline {name}: wall {wall:.3f} s, cpu {cpu:.3f} s")
    bare, pandas = base["python -c pass"], base["python -c 'import pandas'"]
    print("| command | wall (median) | CPU (median) | wall / `python -c pass` | wall / `import pandas` |")
    print("|---|---|---|---|---|")
    for line in command_lines():
        wall, cpu = measure(["-m", "middlepower", *line], args.repeat)
        print(f"| `middlepower {' '.join(line)}` | {wall:.2f} s | {cpu:.2f} s | {wall / bare[0]:.1f} | "
              f"{wall / pandas[0]:.2f} |", flush=True)
    if args.answers:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            for line in ANSWERS:
                line = [part.replace("{tmp}", tmp) for part in line]
                wall, cpu = measure(["-m", "middlepower", *line], args.repeat, check="3000" not in line)
                print(f"| `middlepower {' '.join(line).replace(tmp, 'TMP')}` | {wall:.2f} s | {cpu:.2f} s | "
                      f"{wall / bare[0]:.1f} | {wall / pandas[0]:.2f} |", flush=True)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
