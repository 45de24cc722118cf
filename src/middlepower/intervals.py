"""The width of every interval middlepower reports: a central 90% interval, declared once.

Monte Carlo results are bounded by percentiles of their replications (:data:`PERCENTILES`);
estimates with a standard error (ideal points, imputation hold-outs) by a normal interval
:data:`Z90` standard errors either side of the point.
"""

from __future__ import annotations

LEVEL = 0.90
"""Share of the distribution inside a reported interval."""

PERCENTILES = (5.0, 95.0)
"""Percentiles over replications that bound a reported interval of :data:`LEVEL`."""

Z90 = 1.6448536269514722
"""Half-width of the normal interval of :data:`LEVEL`, in standard deviations: Φ⁻¹(0.95)."""
