"""Variance-based (Sobol) sensitivity indices from a Saltelli design, for any model.

Design: a scrambled Sobol sequence in 2d dimensions gives n base points; A is its first d
columns, B the last d, and AB_i is A with column i taken from B. The model runs n (d + 2) times.

Estimators, with outputs f standardised by the mean and sd of all runs and
V = Var([f(A), f(B)]) (population variance):

    first order (Saltelli et al. 2010):  S_i  = mean(f(B) (f(AB_i) - f(A))) / V
    total       (Jansen 1999):           ST_i = mean((f(A) - f(AB_i))^2) / (2 V)

Confidence intervals: percentiles of the indices over bootstrap resamples of the n base rows.

The indices are shares of V, so they are undefined when the output does not vary: when the sd of
[f(A), f(B)] is at most :data:`UNVARYING_SD` of the largest |f| of all runs (rounding, as in a
unit that scores 100 in every run but for the 14th digit), every index is NaN, as is a bootstrap
resample of such rows (left out of the percentiles).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

UNVARYING_SD = 1e-10
"""Output sd, as a share of the largest |output|, at or below which the output does not vary
(float64 rounding through the pipeline is some 1e-14 of it; any real spread is far above)."""


@dataclass(frozen=True)
class SaltelliDesign:
    A: np.ndarray  # (n, d) in [0, 1)
    B: np.ndarray  # (n, d)

    @property
    def AB(self) -> np.ndarray:
        """(d, n, d): AB[i] is A with column i from B."""
        d = self.A.shape[1]
        ab = np.repeat(self.A[None], d, axis=0)
        ab[np.arange(d), :, np.arange(d)] = self.B.T
        return ab

    def stacked(self) -> np.ndarray:
        """All points to evaluate: A, B, then AB_1 ... AB_d, as (n (d + 2), d)."""
        return np.concatenate([self.A, self.B, *self.AB])


def saltelli_design(d: int, n: int, seed: int = 0) -> SaltelliDesign:
    """n base points (rounded up to a power of two, as Sobol sequences need) in d dimensions."""
    from scipy.stats import qmc  # imported here: SciPy costs a second at start-up

    m = max(1, int(np.ceil(np.log2(max(n, 2)))))

    points = qmc.Sobol(2 * d, scramble=True, seed=seed).random_base2(m)
    return SaltelliDesign(points[:, :d], points[:, d:])


def _indices(fA: np.ndarray, fB: np.ndarray, fAB: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """S1 and ST of each row of (standardised) outputs; NaN for a row whose sd is at most ``floor``."""
    var = np.var(np.concatenate([fA, fB], axis=-1), axis=-1, keepdims=True)
    var = np.where(var > floor**2, var, np.nan)  # 0 > 0 is false: a constant output is NaN too
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(fB[..., None, :] * (fAB - fA[..., None, :]), axis=-1) / var
        total = 0.5 * np.mean((fA[..., None, :] - fAB) ** 2, axis=-1) / var
    return first, total


def sobol_indices(fA: np.ndarray, fB: np.ndarray, fAB: np.ndarray, n_boot: int = 0,
                  seed: int = 0, level: float = 0.95) -> dict[str, np.ndarray]:
    """S1 and ST per input from outputs f(A) (n,), f(B) (n,), f(AB) (d, n).

    With ``n_boot`` > 0 also S1_low/S1_high/ST_low/ST_high: the bootstrap percentile interval
    at ``level``. All NaN when the output does not vary (see :data:`UNVARYING_SD`).
    """
    everything = np.concatenate([fA, fB, fAB.ravel()])
    centre, scale = everything.mean(), everything.std()
    scale = scale if scale > 0 else 1.0
    floor = UNVARYING_SD * np.abs(everything).max() / scale  # in standardised units
    fA, fB, fAB = (fA - centre) / scale, (fB - centre) / scale, (fAB - centre) / scale
    first, total = _indices(fA[None], fB[None], fAB[None], floor)
    out = {"S1": first[0], "ST": total[0]}
    if n_boot > 0:
        rows = np.random.default_rng(seed).integers(0, fA.size, size=(n_boot, fA.size))
        boot_first, boot_total = _indices(fA[rows], fB[rows], np.moveaxis(fAB[:, rows], 0, 1), floor)
        tail = 100 * (1 - level) / 2
        with warnings.catch_warnings():  # an input whose every resample is undefined: NaN, said in the docs
            warnings.simplefilter("ignore", RuntimeWarning)
            for name, boot in (("S1", boot_first), ("ST", boot_total)):
                out[f"{name}_low"], out[f"{name}_high"] = np.nanpercentile(boot, [tail, 100 - tail], axis=0)
    return out


def split_outputs(y: np.ndarray, n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outputs of :meth:`SaltelliDesign.stacked` back into f(A), f(B), f(AB)."""
    return y[:n], y[n:2 * n], y[2 * n:].reshape(d, n)
