"""Newton steps of the dynamic ordered-probit model (see :mod:`middlepower.alignment.idealpoints`).

Holds the per-vote arrays (:class:`VoteData`), the ordered-probit log-probability and its
derivatives, the batched item step, the state step (a batched tridiagonal solve) and the log
posterior. Everything is vectorised over votes, roll calls or states; nothing loops over them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

BETA_PRIOR_SD = 2.5
CUT_PRIOR_SD = 5.0
START_PRIOR_SD = 1.0
INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


@dataclass
class VoteData:
    """The recorded votes as flat per-vote arrays, plus per-item and per-(state, period) facts."""

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


def vote_terms(data: VoteData, eta: np.ndarray, cuts: np.ndarray):
    """Per-vote log-probability and its derivatives in the two latent bounds (z_low, z_up).

    z_low = (cut below the vote) - eta, z_up = (cut above the vote) - eta; a "no" has no lower cut
    and a "yes" no upper one. Returns p, the ratios phi(z)/p and the second derivatives.
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


def item_step(data: VoteData, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray):
    """One batched Newton step in (beta_j, a_j1, a_j2) for every roll call."""
    x = theta.reshape(-1)[data.cell]
    eta = beta[data.item] * x
    _, r_up, r_low, h_up, h_low, h_cross = vote_terms(data, eta, cuts)
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


def state_step(data: VoteData, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray):
    """One Newton step in every state's path (batched tridiagonal solve); also returns Laplace variances."""
    size = data.n_states * data.n_periods
    b = beta[data.item]
    eta = b * theta.reshape(-1)[data.cell]
    _, r_up, r_low, h_up, h_low, h_cross = vote_terms(data, eta, cuts)
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
    step, variance = tridiagonal_solve(diag, -w, grad)
    theta = np.where(data.active, theta + np.clip(step, -1.0, 1.0), 0.0)
    return theta, variance


def tridiagonal_solve(diag: np.ndarray, off: np.ndarray, rhs: np.ndarray):
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


def log_posterior(data: VoteData, theta, beta, cuts) -> float:
    eta = beta[data.item] * theta.reshape(-1)[data.cell]
    log_prob = np.log(vote_terms(data, eta, cuts)[0])
    linked = data.active[:, :-1] & data.active[:, 1:]
    walk = np.where(linked, data.link_precision * (theta[:, 1:] - theta[:, :-1]) ** 2, 0.0)
    shrink = data.shrink * np.where(data.active, theta, 0.0) ** 2
    starts = data.active & ~np.concatenate([np.zeros((data.n_states, 1), bool), data.active[:, :-1]], axis=1)
    start = np.where(starts, theta, 0.0) ** 2 / START_PRIOR_SD**2
    items = (beta**2).sum() / BETA_PRIOR_SD**2 + (cuts**2).sum() / CUT_PRIOR_SD**2
    return float(log_prob.sum() - 0.5 * (walk.sum() + shrink.sum() + start.sum() + items))
