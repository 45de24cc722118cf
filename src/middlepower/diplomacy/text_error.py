"""The measured error of the text rules, and the spread it gives a count of roles (model revision 2.25).

:mod:`middlepower.diplomacy.peace` finds third parties and hosts in free text. Their error was
measured by hand on 60 agreements (``data/diplomacy/peace_text_sample.csv``, docs/diplomacy.md):
for each, the states the texts truly name. :func:`score` compares the rules' rows with that truth;
:func:`pax_error` keeps the PA-X rows, the only source the panel's counts read.

:func:`count_spread` turns those rates into the spread of a count: for an observed count K, each
counted item is true with probability *precision* (F ~ Binomial(K, precision)), and the items missed
are negative binomial (M ~ NegBin(F, recall): misses before F finds), so the true count is T = F + M;
precision and recall are drawn from their Beta posteriors under a uniform prior. The spread is the
standard deviation of log(1 + T). A count of 0 has spread 0: F = 0 gives M = 0.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

SAMPLE = "diplomacy/peace_text_sample.csv"
"""The hand-checked sample, a package resource of ``middlepower.data``."""
SPREAD_DRAWS = 4000
"""Draws of (precision, recall, F, M) behind each count's spread."""
SPREAD_SEED = 20261207
"""Seed of those draws, combined with the count itself, so one count's spread never depends on which others exist."""
KINDS = ("third_parties", "hosts")
"""The sample's two truths: states named as third parties, states named as hosts."""


@dataclass(frozen=True)
class RuleError:
    """The rules against the hand-checked truth: ``found`` (true positives), ``missed`` and ``wrong``, in
    (agreement, state) pairs."""

    found: int
    missed: int
    wrong: int

    def __add__(self, other: RuleError) -> RuleError:
        return RuleError(self.found + other.found, self.missed + other.missed, self.wrong + other.wrong)

    @property
    def precision(self) -> float:
        """Share of the rules' pairs that are true (0-1)."""
        return self.found / (self.found + self.wrong)

    @property
    def recall(self) -> float:
        """Share of the true pairs that the rules find (0-1)."""
        return self.found / (self.found + self.missed)


def sample() -> list[dict[str, str]]:
    """The hand-checked sample's rows (source, id, third_parties, hosts, note), comments left out."""
    text = resources.files("middlepower.data").joinpath(SAMPLE).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def score(found: pd.DataFrame, rows: list[dict[str, str]], kind: str) -> RuleError:
    """The rules' rows ``found`` (source, agt_id or paid, iso3: :func:`peace.third_party_roles` or
    :func:`peace.hosting`) scored against the truth of ``kind`` (``KINDS``) on the sample ``rows``."""
    hits = miss = wrong = 0
    for row in rows:
        truth = set() if row[kind] == "-" else set(row[kind].split())
        key = "agt_id" if row["source"] == "pax" else "paid"
        rule = set(found.loc[(found["source"] == row["source"]) & (found[key] == int(row["id"])), "iso3"])
        hits, miss, wrong = hits + len(truth & rule), miss + len(truth - rule), wrong + len(rule - truth)
    return RuleError(hits, miss, wrong)


def pax_error(roles: pd.DataFrame, hosts: pd.DataFrame) -> dict[str, RuleError]:
    """The rules' error on the sample's PA-X rows: ``third_parties`` (from ``roles``), ``hosts`` (from
    ``hosts``) and ``both`` (the two pooled, for a count of either role)."""
    rows = [row for row in sample() if row["source"] == "pax"]
    third, host = score(roles, rows, "third_parties"), score(hosts, rows, "hosts")
    return {"third_parties": third, "hosts": host, "both": third + host}


def count_spread(counts: np.ndarray, error: RuleError) -> np.ndarray:
    """Per count (a non-negative integer, or NaN), the standard deviation of log(1 + true count) that
    ``error`` implies (see the module docstring), on the log(1 + x) scale; 0 for a count of 0, NaN for NaN."""
    counts = np.asarray(counts, dtype=float)
    out = np.full(counts.shape, np.nan)
    for k in np.unique(counts[~np.isnan(counts)]):
        out[counts == k] = _spread(int(k), error)
    return out


def _spread(k: int, error: RuleError) -> float:
    if k == 0:
        return 0.0
    rng = np.random.default_rng([SPREAD_SEED, k])
    precision = rng.beta(error.found + 1, error.wrong + 1, SPREAD_DRAWS)
    recall = rng.beta(error.found + 1, error.missed + 1, SPREAD_DRAWS)
    true_found = rng.binomial(k, precision)
    missed = np.where(true_found > 0, rng.negative_binomial(np.maximum(true_found, 1), recall), 0)
    return float(np.log1p(true_found + missed).std())
