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
from scipy.special import ndtr

from middlepower.alignment.votes import ABSENT, ABSTAIN, NO, Period, VoteMatrix
from middlepower.errors import DataError

BETA_PRIOR_SD = 2.5
CUT_PRIOR_SD = 5.0
START_PRIOR_SD = 1.0
Z90 = 1.6448536269514722
INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


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


@dataclass
class _Data:
    state: np.ndarray  # per observation
    item: np.ndarray
    cell: np.ndarray  # state * n_periods + period index
    category: np.ndarray  # 0 no, 1 abstain, 2 yes
    n_states: int
    n_periods: int
    n_items: int
    ternary: np.ndarray  # per item: has at least one abstention
    item_period: np.ndarray  # per item: period index
    active: np.ndarray  # (states, periods): inside the state's span of voting periods
    observed: np.ndarray  # (states, periods): has at least one vote
    has_low: np.ndarray  # per vote: a cutpoint lies below it (abstain, yes)
    has_up: np.ndarray  # per vote: a cutpoint lies above it (no, abstain)
    low_index: np.ndarray  # per vote: flat index into cuts (item * 2 + 0 or 1) of the lower bound
    up_index: np.ndarray  # per vote: flat index of the upper bound
    bound_weights: tuple[np.ndarray, ...]  # per vote, 0/1: upper bound is cut 1, cut 2; lower is cut 1, cut 2
    link_precision: np.ndarray  # (periods - 1,): 1 / (tau^2 * gap) between period t and t + 1
    shrink: float  # precision of the N(0, position_sd^2) prior on every position


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
        beta, cuts = _item_step(data, theta, beta, cuts)
    anchor_row = int(matrix.states.get_loc(anchor)) if anchor in matrix.states else None
    history: list[float] = []
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):
        beta, cuts = _item_step(data, theta, beta, cuts)
        new_theta, _ = _state_step(data, theta, beta, cuts)
        change = float(np.mean(np.abs(new_theta - theta)[data.observed]))
        theta = new_theta
        if iteration % 10 == 0:
            history.append(_log_posterior(data, theta, beta, cuts))
        if change < tolerance:
            converged = True
            break
    _, variance = _state_step(data, theta, beta, cuts)
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


def _prepare(matrix: VoteMatrix, period_index: np.ndarray, values: np.ndarray, tau: float, position_sd: float) -> _Data:
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
    return _Data(state, item, cell, category, n_states, n_periods, n_items, ternary, period_index, active, observed,
                 category > 0, category < 2, low_index, up_index, _bound_weights(category, low_index, up_index),
                 1.0 / (tau * tau * gaps), position_sd**-2.0)


def _bound_weights(category: np.ndarray, low_index: np.ndarray, up_index: np.ndarray) -> tuple[np.ndarray, ...]:
    has_low, has_up = category > 0, category < 2
    up_is_1, low_is_1 = up_index % 2 == 0, low_index % 2 == 0
    return tuple(mask.astype(float) for mask in (has_up & up_is_1, has_up & ~up_is_1, has_low & low_is_1, has_low & ~low_is_1))


def _start_positions(matrix: VoteMatrix, data: _Data, anchor: str) -> np.ndarray:
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


def _start_cutpoints(data: _Data) -> np.ndarray:
    counts = np.zeros((data.n_items, 3))
    np.add.at(counts, (data.item, data.category), 1.0)
    shares = (counts + 0.5) / (counts.sum(axis=1, keepdims=True) + 1.5)
    from scipy.special import ndtri

    low = ndtri(shares[:, 0])
    high = ndtri(shares[:, 0] + shares[:, 1])
    high = np.where(data.ternary, np.maximum(high, low + 0.05), low)
    return np.column_stack([low, high])


def _vote_terms(data: _Data, eta: np.ndarray, cuts: np.ndarray):
    """Per-vote log-probability and its derivatives in the two latent bounds (z_low, z_up).

    z_low = (cut below the vote) - eta, z_up = (cut above the vote) - eta; a "no" has no lower cut
    and a "yes" no upper one. Returns log p, the ratios phi(z)/p and the second derivatives.
    """
    flat_cuts = cuts.reshape(-1)
    z_low = np.where(data.has_low, np.clip(flat_cuts[data.low_index] - eta, -30.0, 30.0), -30.0)
    z_up = np.where(data.has_up, np.clip(flat_cuts[data.up_index] - eta, -30.0, 30.0), 30.0)
    # Work in the tail where the probability is small, so the difference of cdfs keeps its digits.
    flip = z_low > 0
    prob = ndtr(np.where(flip, -z_low, z_up)) - ndtr(np.where(flip, -z_up, z_low))
    prob = np.maximum(prob, 1e-300)
    ratio_up = np.where(data.has_up, np.minimum(np.exp(-0.5 * z_up * z_up) * INV_SQRT_2PI / prob, 60.0), 0.0)
    ratio_low = np.where(data.has_low, np.minimum(np.exp(-0.5 * z_low * z_low) * INV_SQRT_2PI / prob, 60.0), 0.0)
    h_up = -z_up * ratio_up - ratio_up * ratio_up
    h_low = z_low * ratio_low - ratio_low * ratio_low
    h_cross = ratio_up * ratio_low
    return prob, ratio_up, ratio_low, h_up, h_low, h_cross


def _item_step(data: _Data, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray):
    """One batched Newton step in (beta_j, a_j1, a_j2) for every roll call."""
    x = theta.reshape(-1)[data.cell]
    eta = beta[data.item] * x
    _, r_up, r_low, h_up, h_low, h_cross = _vote_terms(data, eta, cuts)
    item, n = data.item, data.n_items
    # Static 0/1 weights: which cutpoint (1 or 2) bounds each vote from above and from below.
    up1, up2, low1, low2 = data.bound_weights
    grad = np.column_stack([
        np.bincount(item, x * (r_low - r_up), n),
        np.bincount(item, up1 * r_up - low1 * r_low, n),
        np.bincount(item, up2 * r_up - low2 * r_low, n),
    ])
    cross_beta_up = -x * (h_up + h_cross)
    cross_beta_low = -x * (h_low + h_cross)
    # A vote touches at most one bound per cutpoint except an abstention (low = 1, up = 2).
    h11 = up1 * h_up + low1 * h_low
    h22 = up2 * h_up + low2 * h_low
    h12 = h_cross  # nonzero only for abstentions, the one category with both bounds
    b1 = up1 * cross_beta_up + low1 * cross_beta_low
    b2 = up2 * cross_beta_up + low2 * cross_beta_low
    hess = np.empty((n, 3, 3))
    hess[:, 0, 0] = np.bincount(item, x * x * (h_up + h_low + 2 * h_cross), n)
    hess[:, 1, 1] = np.bincount(item, h11, n)
    hess[:, 2, 2] = np.bincount(item, h22, n)
    hess[:, 0, 1] = hess[:, 1, 0] = np.bincount(item, b1, n)
    hess[:, 0, 2] = hess[:, 2, 0] = np.bincount(item, b2, n)
    hess[:, 1, 2] = hess[:, 2, 1] = np.bincount(item, h12, n)
    prior = np.array([BETA_PRIOR_SD, CUT_PRIOR_SD, CUT_PRIOR_SD]) ** -2.0
    params = np.column_stack([beta, cuts])
    grad -= params * prior
    hess -= np.diag(prior)[None, :, :]
    step = np.clip(np.linalg.solve(-hess, grad[:, :, None])[:, :, 0], -1.0, 1.0)
    params = params + step
    beta, cuts = params[:, 0], params[:, 1:].copy()
    cuts[:, 1] = np.where(data.ternary, np.maximum(cuts[:, 1], cuts[:, 0] + 1e-3), cuts[:, 0])
    return beta, cuts


def _state_step(data: _Data, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray):
    """One Newton step in every state's path (batched tridiagonal solve); also returns Laplace variances."""
    size = data.n_states * data.n_periods
    b = beta[data.item]
    eta = b * theta.reshape(-1)[data.cell]
    _, r_up, r_low, h_up, h_low, h_cross = _vote_terms(data, eta, cuts)
    grad = np.bincount(data.cell, b * (r_low - r_up), size).reshape(theta.shape)
    curvature = -np.bincount(data.cell, b * b * (h_up + h_low + 2 * h_cross), size).reshape(theta.shape)
    linked = data.active[:, :-1] & data.active[:, 1:]
    w = np.where(linked, data.link_precision[None, :], 0.0)
    diff = np.where(linked, theta[:, 1:] - theta[:, :-1], 0.0)
    grad[:, :-1] += w * diff
    grad[:, 1:] -= w * diff
    diag = curvature.copy()
    diag[:, :-1] += w
    diag[:, 1:] += w
    starts = data.active & ~np.concatenate([np.zeros((data.n_states, 1), bool), data.active[:, :-1]], axis=1)
    diag += np.where(starts, START_PRIOR_SD**-2, 0.0) + data.shrink
    grad -= np.where(starts, theta * START_PRIOR_SD**-2, 0.0) + data.shrink * theta
    diag = np.where(data.active, diag, 1.0)
    grad = np.where(data.active, grad, 0.0)
    step, variance = _tridiagonal_solve(diag, -w, grad)
    theta = np.where(data.active, theta + np.clip(step, -1.0, 1.0), 0.0)
    return theta, variance


def _tridiagonal_solve(diag: np.ndarray, off: np.ndarray, rhs: np.ndarray):
    """Solve A x = rhs for symmetric tridiagonal A (rows batched) and return diag(A^-1) too."""
    n = diag.shape[1]
    pivot = np.empty_like(diag)
    ratio = np.zeros_like(diag)
    forward = np.empty_like(diag)
    pivot[:, 0] = diag[:, 0]
    forward[:, 0] = rhs[:, 0] / pivot[:, 0]
    for t in range(1, n):
        ratio[:, t - 1] = off[:, t - 1] / pivot[:, t - 1]
        pivot[:, t] = diag[:, t] - off[:, t - 1] * ratio[:, t - 1]
        forward[:, t] = (rhs[:, t] - off[:, t - 1] * forward[:, t - 1]) / pivot[:, t]
    solution = np.empty_like(diag)
    variance = np.empty_like(diag)
    solution[:, -1] = forward[:, -1]
    variance[:, -1] = 1.0 / pivot[:, -1]
    for t in range(n - 2, -1, -1):
        solution[:, t] = forward[:, t] - ratio[:, t] * solution[:, t + 1]
        variance[:, t] = 1.0 / pivot[:, t] + ratio[:, t] ** 2 * variance[:, t + 1]
    return solution, variance


def _normalise(data: _Data, theta, beta, cuts, anchor_row: int | None):
    values = theta[data.observed]
    centre, scale = values.mean(), values.std()
    theta = np.where(data.active, (theta - centre) / scale, 0.0)
    cuts = cuts - (beta * centre)[:, None]
    beta = beta * scale
    if anchor_row is not None and theta[anchor_row][data.observed[anchor_row]].mean() < 0:
        theta, beta = -theta, -beta  # eta = beta * theta is unchanged, so are the cutpoints
    return theta, beta, cuts, scale


def _log_posterior(data: _Data, theta, beta, cuts) -> float:
    eta = beta[data.item] * theta.reshape(-1)[data.cell]
    log_prob = np.log(_vote_terms(data, eta, cuts)[0])
    linked = data.active[:, :-1] & data.active[:, 1:]
    walk = np.where(linked, data.link_precision * (theta[:, 1:] - theta[:, :-1]) ** 2, 0.0)
    shrink = data.shrink * np.where(data.active, theta, 0.0) ** 2
    starts = data.active & ~np.concatenate([np.zeros((data.n_states, 1), bool), data.active[:, :-1]], axis=1)
    start = np.where(starts, theta, 0.0) ** 2 / START_PRIOR_SD**2
    items = (beta**2).sum() / BETA_PRIOR_SD**2 + (cuts**2).sum() / CUT_PRIOR_SD**2
    return float(log_prob.sum() - 0.5 * (walk.sum() + shrink.sum() + start.sum() + items))


def _points_frame(matrix: VoteMatrix, data: _Data, values, period: str, theta, variance) -> pd.DataFrame:
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
