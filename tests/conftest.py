"""Shared fixtures: the real mirror (../shared/data), an isolated data home, and one built store.

Every test runs with MIDDLEPOWER_HOME pointing at a temporary folder, so nothing touches the
user's data directory and nothing is downloaded into it. The store is built once per session from
the real mirror files.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data"


def mirror_path() -> Path:
    """Return the data mirror folder, absolute: MIDDLEPOWER_MIRROR if set, else ../shared/data beside the repo.

    A relative MIDDLEPOWER_MIRROR (the README's ``../shared/data``) is resolved against the
    directory pytest started in, once, so that tests which change directory or start
    subprocesses elsewhere still find it.
    """
    configured = os.environ.get("MIDDLEPOWER_MIRROR")
    return Path(configured).resolve() if configured else DEFAULT_MIRROR


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = mirror_path()
    if not path.is_dir():
        pytest.fail(f"data mirror {path} not found: set MIDDLEPOWER_MIRROR to the shared data folder")
    return path


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("middlepower-home")
    os.environ["MIDDLEPOWER_HOME"] = str(home)
    os.environ["MIDDLEPOWER_MIRROR"] = str(mirror_path())
    return home


@pytest.fixture(scope="session")
def store_path(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of a store built once per test session from the real mirror."""
    from middlepower import warehouse

    path = tmp_path_factory.mktemp("store") / "middlepower.duckdb"
    warehouse.build(path)
    return path


@pytest.fixture(scope="session")
def model(store_path):
    """The default model computed once per test session (1,000 replications, 1990 to latest)."""
    from middlepower.power.compute import compute

    return compute(db=store_path)


@pytest.fixture(scope="session")
def gap_shifts_without_armed_forces(model):
    """How far each other state's nominal power gap moves (in standard deviations) when the states
    without armed forces are left out of the year's fit: a frame of iso3, year, shift."""
    import numpy as np
    import pandas as pd

    from middlepower.power.indicators import no_armed_forces
    from middlepower.power.model import standardised_gap

    frames = []
    for year, frame in model.gap.dropna(subset=["capability", "influence"]).groupby("year"):
        keep = ~no_armed_forces(frame["iso3"], frame["year"]).to_numpy()
        x, y = frame["capability"].to_numpy()[:, None], frame["influence"].to_numpy()[:, None]
        together = standardised_gap(x, y)[1][keep, 0]
        apart = standardised_gap(x[keep], y[keep])[1][:, 0]
        frames.append(pd.DataFrame({"iso3": frame["iso3"].to_numpy()[keep], "year": year,
                                    "shift": np.abs(together - apart)}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def quick_fit(store_path):
    """An ideal-point fit on 2005-2025 only (seconds, where the full 1946-2025 fit takes 20-40 s)."""
    from middlepower.alignment.idealpoints import fit_ideal_points
    from middlepower.alignment.votes import load_votes

    return fit_ideal_points(load_votes(store_path).select(years=(2005, 2025)), period="year")


@contextmanager
def alignment_on(fit):
    """The alignment verbs on ``fit`` inside the block, with every cache of them cleared before and after
    (a series cached from a short fit must not outlive the block: the panel's computed-years cache, written
    to the data home, would keep it)."""
    from middlepower.alignment import series
    from middlepower.web import alignment_data

    def clear() -> None:
        series.clear_caches()
        for cache in (alignment_data.frame, alignment_data.series_bytes):
            cache.cache_clear()

    clear()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(series, "yearly_ideal_points", lambda db=None, period="year": fit)
            yield fit
    finally:
        clear()


@pytest.fixture()
def quick_alignment(quick_fit):
    """The alignment verbs on ``quick_fit`` (real votes, fewer years), with every cache of them cleared."""
    with alignment_on(quick_fit):
        yield quick_fit


GDELT_SAMPLE = "gdelt/v2_export"


@pytest.fixture(scope="session")
def gdelt_awk(mirror: Path):
    """Return ``count(program, files)``: an awk program run over raw GDELT files, as {key: count}.

    The program must print ``key<TAB>count`` lines. Zipped files are streamed through ``unzip -p``;
    this is the independent reading of the raw files that the events layer is checked against.
    """
    import subprocess

    def count(program: str, files: list[Path]) -> dict[str, int]:
        totals: dict[str, int] = {}
        plain = [str(f) for f in files if f.suffix.lower() != ".zip"]
        runs = []
        if plain:
            runs.append(subprocess.run(["awk", "-F\t", program, *plain], capture_output=True, text=True, check=True))
        for zipped in (f for f in files if f.suffix.lower() == ".zip"):
            text = subprocess.run(["unzip", "-p", str(zipped)], capture_output=True, check=True).stdout
            run = subprocess.run(["awk", "-F\t", program], input=text, capture_output=True, check=True)
            runs.append(subprocess.CompletedProcess(run.args, 0, run.stdout.decode(), ""))
        for run in runs:
            for line in run.stdout.splitlines():
                key, value = line.split("\t")
                totals[key] = totals.get(key, 0) + int(value)
        return totals

    return count


@pytest.fixture(scope="session")
def gdelt_raw_files(mirror: Path) -> list[Path]:
    """The 97 raw GDELT 2.0 export files of the mirror (96 slots; one slot also as its original zip)."""
    files = sorted(p for p in (mirror / GDELT_SAMPLE).rglob("*") if p.is_file())
    assert len(files) == 97, files
    return files


def wdi_frame(mirror: Path, codes: dict[str, str], first: int, last: int):
    """A wide frame (Country Code, Year, one column per name of ``codes``) of World Bank WDI series
    read from the mirror's raw files (``codes``: column name -> WDI file code), years first..last."""
    import pandas as pd

    wide = None
    for name, code in codes.items():
        frame = pd.read_csv(mirror / "worldbank_wdi" / "indicators" / f"{code}.csv.gz")
        frame = frame[frame["Year"].between(first, last)].rename(columns={"Value": name})
        frame = frame[["Country Code", "Year", name]]
        wide = frame if wide is None else wide.merge(frame, on=["Country Code", "Year"], how="outer")
    return wide


@pytest.fixture(scope="module")
def client():
    """A dask.distributed LocalCluster of 2 worker processes (1 thread, 1 GiB each) and its client,
    one per test module that asks for it, shut down after the module."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      memory_limit="1GiB") as local, Client(local) as dask_client:
        yield dask_client


def pytest_terminal_summary(terminalreporter) -> None:
    """Print how many bad-input cases ran and how they ended (the corpus: tests/test_bad_inputs.py)."""
    ran = {outcome: sum(1 for report in terminalreporter.stats.get(outcome, [])
                        if getattr(report, "when", "call") == "call" and "test_bad_inputs.py::test_" in report.nodeid
                        and "_case[" in report.nodeid)
           for outcome in ("passed", "failed", "skipped")}
    if not any(ran.values()):
        return
    from test_bad_inputs import corpus_summary

    terminalreporter.write_line(f"{corpus_summary()}; this run: {ran['passed']} passed, {ran['failed']} failed, "
                                f"{ran['skipped']} skipped")
