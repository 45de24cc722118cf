"""Shared fixtures: the real mirror (../shared/data), an isolated data home, and one built store.

Every test runs with MIDDLEPOWER_HOME pointing at a temporary folder, so nothing touches the
user's data directory and nothing is downloaded into it. The store is built once per session from
the real mirror files.
"""

from __future__ import annotations

import os
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
def quick_fit():
    """An ideal-point fit on 2005-2019 only (seconds, where the full 1946-2020 fit takes ~40 s)."""
    from middlepower.alignment.idealpoints import fit_ideal_points
    from middlepower.alignment.votes import load_votes

    return fit_ideal_points(load_votes().select(years=(2005, 2019)), period="year")


@pytest.fixture()
def quick_alignment(quick_fit, monkeypatch):
    """The alignment verbs on ``quick_fit`` (real votes, fewer years), with every cache of them cleared."""
    from middlepower.alignment import series
    from middlepower.web import alignment_data

    def clear() -> None:
        for cache in (series.yearly_poles, alignment_data.frame, alignment_data.series_bytes):
            cache.cache_clear()

    clear()
    monkeypatch.setattr(series, "yearly_ideal_points", lambda period="year": quick_fit)
    yield quick_fit
    monkeypatch.undo()
    clear()
