"""Dyad-period agreement measures from the vote matrix, vectorised as products of indicator matrices.

For states i and j in one period, let C be the roll calls on which both cast a recorded vote
(n = |C|), and score votes x = 1 (yes), 0.5 (abstain), 0 (no). Then

* ``strict``      = (1/n) * #{c in C : x_ic = x_jc}                         share of identical votes
* ``agree_index`` = 1 - (1/n) * sum_C |x_ic - x_jc|                          1 / 0.5 / 0 per vote
* ``s_score``     = 1 - 2 * (1/n) * sum_C (x_ic - x_jc)^2 / d_max^2, d_max = 1   Signorino-Ritter S
  with squared distances (the L1 variant equals 2 * agree_index - 1, so it adds nothing)
* ``kappa``       = (p_o - p_e) / (1 - p_e), p_o = strict, p_e = sum_k p_i(k) p_j(k), with p_i(k)
  the share of i's votes in C that were k (Cohen's kappa, as proposed for foreign-policy similarity
  by Hage 2011); NaN when p_e = 1 (both states cast one identical vote category throughout).

Absences are not in the data, so every measure is computed over the votes both states cast; two
states that rarely vote together get a measure resting on few votes (``n_votes`` says how many).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from middlepower.alignment.votes import Period, VoteMatrix, indicators
from middlepower.errors import DataError

MEASURES = ("strict", "agree_index", "s_score", "kappa")


def pair_measures(left: np.ndarray, right: np.ndarray) -> dict[str, np.ndarray]:
    """Return the four measures and ``n_votes`` for every row of ``left`` against every row of ``right``.

    Both are int8 vote matrices over the same roll calls. Arrays are (len(left), len(right)); a pair
    with no common vote has n_votes 0 and NaN measures.
    """
    yes_l, abs_l, no_l = (m.astype(np.float64) for m in indicators(left))
    yes_r, abs_r, no_r = (m.astype(np.float64) for m in indicators(right))
    cast_l, cast_r = yes_l + abs_l + no_l, yes_r + abs_r + no_r
    n = cast_l @ cast_r.T
    same = yes_l @ yes_r.T + abs_l @ abs_r.T + no_l @ no_r.T
    opposite = yes_l @ no_r.T + no_l @ yes_r.T
    half_apart = n - same - opposite  # exactly one of the two abstained
    with np.errstate(invalid="ignore", divide="ignore"):
        strict = same / n
        agree_index = 1.0 - (0.5 * half_apart + opposite) / n
        s_score = 1.0 - 2.0 * (0.25 * half_apart + opposite) / n
        chance = sum(
            (k_l @ cast_r.T) * (cast_l @ k_r.T) for k_l, k_r in ((yes_l, yes_r), (abs_l, abs_r), (no_l, no_r))
        ) / (n * n)
        kappa = np.where(chance < 1.0 - 1e-12, (strict - chance) / (1.0 - chance), np.nan)
    return {"n_votes": n, "strict": strict, "agree_index": agree_index, "s_score": s_score, "kappa": kappa}


def dyad_agreement(
    matrix: VoteMatrix,
    *,
    period: Period = "session",
    states: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return agreement for every (state, partner, period) with at least one common vote.

    Columns: ``iso3``, ``partner``, ``session`` or ``year``, ``n_votes`` (common recorded votes),
    ``strict``, ``agree_index``, ``s_score``, ``kappa`` (see the module docstring for formulas).
    ``states`` / ``partners`` default to every state in ``matrix``; self-pairs are left out.
    Select roll calls first with :meth:`VoteMatrix.select` (e.g. non-unanimous, an issue).
    """
    rows = _rows(matrix, states)
    cols = _rows(matrix, partners)
    periods = matrix.periods(period)
    pieces = []
    for value in np.unique(periods):
        block = matrix.votes[:, periods == value]
        measures = pair_measures(block[rows], block[cols])
        i, j = np.nonzero(measures["n_votes"] > 0)
        piece = pd.DataFrame(
            {"iso3": matrix.states[rows][i], "partner": matrix.states[cols][j], period: int(value)}
            | {name: values[i, j] for name, values in measures.items()}
        )
        pieces.append(piece[piece["iso3"] != piece["partner"]])
    if not pieces:
        raise DataError("no roll calls in the selection: nothing to compare")
    out = pd.concat(pieces, ignore_index=True)
    out["n_votes"] = out["n_votes"].round().astype("int64")
    return out


def agreement_with_votes(matrix: VoteMatrix, reference: np.ndarray, *, period: Period = "session") -> pd.DataFrame:
    """Return every state's agreement with one reference vote vector (e.g. a bloc's majority vote).

    ``reference`` is int8 over the roll calls of ``matrix`` (0 where the reference did not vote).
    Columns: ``iso3``, ``session``/``year``, ``n_votes`` and the four measures.
    """
    periods = matrix.periods(period)
    pieces = []
    for value in np.unique(periods):
        mask = periods == value
        measures = pair_measures(matrix.votes[:, mask], reference[None, mask])
        keep = measures["n_votes"][:, 0] > 0
        pieces.append(
            pd.DataFrame({"iso3": matrix.states[keep], period: int(value)}
                         | {name: values[keep, 0] for name, values in measures.items()})
        )
    out = pd.concat(pieces, ignore_index=True)
    out["n_votes"] = out["n_votes"].round().astype("int64")
    return out


def _rows(matrix: VoteMatrix, codes: Sequence[str] | None) -> np.ndarray:
    if codes is None:
        return np.arange(len(matrix.states))
    return np.array([matrix.row(code) for code in codes], dtype=int)
