"""Dynamic one-dimensional ideal points from UNGA roll calls (ordered probit, random-walk prior).

Model, in the spirit of Bailey, Strezhnev and Voeten (2017). State i in period t has position
theta_it; roll call j has discrimination beta_j and two ordered cutpoints a_j1 < a_j2. With
eta = beta_j * theta_it and Phi the standard normal cdf, the recorded vote is

    P(no) = Phi(a_j1 - eta),  P(abstain) = Phi(a_j2 - eta) - Phi(a_j1 - eta),  P(yes) = 1 - Phi(a_j2 - eta)

(a roll call with no abstention has one cutpoint). Priors: theta at a state's first period
~ N(0, 1); theta_it - theta_i,t-1 ~ N(0, tau^2 * gap) between consecutive periods of its span
(tau = 0.25: a state's positions move smoothly and are tied across periods, which makes years
comparable); every theta_it also ~ N(0, 1) (keeps blocs that always vote together from drifting
to extreme values); beta_j ~ N(0, 2.5^2); cutpoints ~ N(0, 5^2).

Fit: maximum a posteriori by alternating Newton steps, all vectorised. (1) Item step: one 3x3
Newton step per roll call, solved as a batch. (2) State step: the Hessian of the log posterior in
each state's path is tridiagonal (likelihood on the diagonal, random walk off it), so one Newton
step is a batched tridiagonal solve, the Kalman-smoother form of the update. After each sweep the
scale is fixed: positions have mean 0 and sd 1 over the state-periods with votes, and the USA's
mean position is positive (higher = closer to the USA). Deterministic: same data, same numbers.

Uncertainty: ``se`` is the Laplace standard error, the square root of the diagonal of the inverse
negative Hessian of each state's path, conditional on the roll-call parameters (it leaves out their
own uncertainty, so it is somewhat too narrow). ``lower``/``upper`` are the 5 % and 95 % bounds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtri

from middlepower.alignment import newton
from middlepower.alignment.newton import VoteData
from middlepower.alignment.votes import ABSENT, ABSTAIN, NO, Period, VoteMatrix
from middlepower.errors import DataError
from middlepower.intervals import Z90


@dataclass(frozen=True)
class IdealPointFit:
    """A fitted model. ``points``: one row per state-period with votes — ``iso3``, the period
    column (``session`` or ``year``), ``n_votes``, ``ideal_point``, ``se``, ``lower``, ``upper``.
    ``roll_calls``: ``rcid``, ``discrimination``, ``cut_no``, ``cut_yes``. Diagnostics alongside.
    """

    points: pd.DataFrame
    roll_calls: pd.DataFrame
    period: str
    tau: float
    iterations: int
    converged: bool
    seconds: float
    log_posterior: list[float] = field(default_factory=list)


def fit_ideal_points(
    matrix: VoteMatrix,
    *,
    period: Period = "session",
    tau: float = 0.25,
    position_sd: float = 1.0,
    max_iterations: int = 200,
    tolerance: float = 1e-3,
    anchor: str = "USA",
) -> IdealPointFit:
    """Fit the dynamic ordered-probit model to ``matrix`` (any selection: an issue, a year range).

    Unanimous roll calls carry no information on positions and are dropped. ``tau`` is the sd of
    a state's per-period move; ``position_sd`` the sd of the prior that keeps every position near
    the middle (without it, blocs that always vote together drift to extreme values). Stops when
    positions move by less than ``tolerance`` on average in a sweep (an approximate MAP: later
    sweeps still creep along a flat ridge of the posterior, by a few hundredths of an sd).
    Raises DataError if fewer than two roll calls or two states remain.
    """
    started = time.perf_counter()
    matrix = matrix.select(unanimous=False)
    periods = matrix.periods(period)
    values = np.unique(periods)
    data = _prepare(matrix, np.searchsorted(values, periods), values, tau, position_sd)
    theta = _start_positions(matrix, data, anchor)
    beta = np.zeros(data.n_items)
    cuts = _start_cutpoints(data)
    for _ in range(5):
        beta, cuts = newton.item_step(data, theta, beta, cuts)
    anchor_row = int(matrix.states.get_loc(anchor)) if anchor in matrix.states else None
    history: list[float] = []
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):
        beta, cuts = newton.item_step(data, theta, beta, cuts)
        new_theta, _ = newton.state_step(data, theta, beta, cuts)
        change = float(np.mean(np.abs(new_theta - theta)[data.observed]))
        theta = new_theta
        if iteration % 10 == 0:
            history.append(newton.log_posterior(data, theta, beta, cuts))
        if change < tolerance:
            converged = True
            break
    _, variance = newton.state_step(data, theta, beta, cuts)
    # The priors fix the scale during the fit; report it as mean 0, sd 1, anchor positive.
    theta, beta, cuts, scale = _normalise(data, theta, beta, cuts, anchor_row)
    variance = variance / scale**2
    return IdealPointFit(
        points=_points_frame(matrix, data, values, period, theta, variance),
        roll_calls=pd.DataFrame({"rcid": matrix.roll_calls["rcid"].to_numpy(), "discrimination": beta,
                                 "cut_no": cuts[:, 0], "cut_yes": cuts[:, 1]}),
        period=period,
        tau=tau,
        iterations=iteration,
        converged=converged,
        seconds=time.perf_counter() - started,
        log_posterior=history,
    )


def _prepare(
    matrix: VoteMatrix, period_index: np.ndarray, values: np.ndarray, tau: float, position_sd: float
) -> VoteData:
    votes = matrix.votes
    n_states, n_items = votes.shape
    if n_items < 2 or n_states < 2:
        raise DataError(f"too few roll calls ({n_items}) or states ({n_states}) with split votes to fit ideal points")
    state, item = np.nonzero(votes != ABSENT)
    code = votes[state, item]
    category = np.where(code == NO, 0, np.where(code == ABSTAIN, 1, 2)).astype(np.int8)
    n_periods = len(values)
    cell = state * n_periods + period_index[item]
    observed = np.bincount(cell, minlength=n_states * n_periods).reshape(n_states, n_periods) > 0
    first = observed.argmax(axis=1)
    last = n_periods - 1 - observed[:, ::-1].argmax(axis=1)
    steps = np.arange(n_periods)
    active = (steps[None, :] >= first[:, None]) & (steps[None, :] <= last[:, None])
    gaps = np.diff(values).astype(float) if n_periods > 1 else np.zeros(0)
    ternary = np.bincount(item[category == 1], minlength=n_items) > 0
    # no: below cut 1; abstain: between cuts 1 and 2; yes: above cut 2 (cut 1 when nobody abstained).
    low_index = item * 2 + np.where((category == 2) & ternary[item], 1, 0)
    up_index = item * 2 + np.where(category == 0, 0, 1)
    return VoteData(
        state,
        item,
        cell,
        category,
        n_states,
        n_periods,
        n_items,
        ternary,
        period_index,
        active,
        observed,
        category > 0,
        category < 2,
        low_index,
        up_index,
        _bound_weights(category, low_index, up_index),
        1.0 / (tau * tau * gaps),
        position_sd**-2.0,
    )


def _bound_weights(category: np.ndarray, low_index: np.ndarray, up_index: np.ndarray) -> tuple[np.ndarray, ...]:
    has_low, has_up = category > 0, category < 2
    up_is_1, low_is_1 = up_index % 2 == 0, low_index % 2 == 0
    return tuple(
        mask.astype(float) for mask in (has_up & up_is_1, has_up & ~up_is_1, has_low & low_is_1, has_low & ~low_is_1)
    )


def _start_positions(matrix: VoteMatrix, data: VoteData, anchor: str) -> np.ndarray:
    """Leading principal axis of each period's centred votes (yes 1, abstain 0.5, no 0), anchor positive.

    Found by a few power iterations started from the anchor's own votes, so the sign comes out right.
    """
    theta = np.zeros((data.n_states, data.n_periods))
    cast = matrix.votes != ABSENT
    score = np.where(cast, (3 - matrix.votes.astype(float)) / 2, 0.0)
    anchor_row = matrix.states.get_loc(anchor) if anchor in matrix.states else None
    for t in range(data.n_periods):
        columns = data.item_period == t
        voters = data.observed[:, t]
        if voters.sum() < 2:
            continue
        block, mask = score[voters][:, columns], cast[voters][:, columns]
        means = block.sum(axis=0) / np.maximum(mask.sum(axis=0), 1)
        block = np.where(mask, block - means, 0.0)
        seed = np.flatnonzero(voters) == anchor_row
        axis = block[seed][0] if seed.any() else block[0]
        for _ in range(8):
            component = block @ axis
            axis = block.T @ component
            axis /= np.linalg.norm(axis) or 1.0
        component = block @ axis
        theta[voters, t] = (component - component.mean()) / (component.std() or 1.0)
    # Carry positions into gap periods inside a state's span so the random walk starts smooth.
    for t in range(1, data.n_periods):
        fill = data.active[:, t] & ~data.observed[:, t]
        theta[fill, t] = theta[fill, t - 1]
    return theta


def _start_cutpoints(data: VoteData) -> np.ndarray:
    counts = np.zeros((data.n_items, 3))
    np.add.at(counts, (data.item, data.category), 1.0)
    shares = (counts + 0.5) / (counts.sum(axis=1, keepdims=True) + 1.5)
    low = ndtri(shares[:, 0])
    high = ndtri(shares[:, 0] + shares[:, 1])
    high = np.where(data.ternary, np.maximum(high, low + 0.05), low)
    return np.column_stack([low, high])


def _normalise(data: VoteData, theta, beta, cuts, anchor_row: int | None):
    values = theta[data.observed]
    centre, scale = values.mean(), values.std()
    theta = np.where(data.active, (theta - centre) / scale, 0.0)
    cuts = cuts - (beta * centre)[:, None]
    beta = beta * scale
    if anchor_row is not None and theta[anchor_row][data.observed[anchor_row]].mean() < 0:
        theta, beta = -theta, -beta  # eta = beta * theta is unchanged, so are the cutpoints
    return theta, beta, cuts, scale


def _points_frame(matrix: VoteMatrix, data: VoteData, values, period: str, theta, variance) -> pd.DataFrame:
    rows, cols = np.nonzero(data.observed)
    counts = np.bincount(data.cell, minlength=data.n_states * data.n_periods).reshape(theta.shape)
    # The state step ran on the normalised scale, so the variances are already on it.
    se = np.sqrt(variance[rows, cols])
    point = theta[rows, cols]
    return pd.DataFrame(
        {
            "iso3": matrix.states[rows],
            period: values[cols].astype(int),
            "n_votes": counts[rows, cols],
            "ideal_point": point,
            "se": se,
            "lower": point - Z90 * se,
            "upper": point + Z90 * se,
        }
    )
