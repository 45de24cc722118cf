"""The interval convention is declared once and is self-consistent."""

import importlib

from scipy.stats import norm

from middlepower import intervals
from middlepower.alignment import idealpoints
from middlepower.power import imputation


def test_normal_half_width_is_the_quantile_of_the_level():
    assert intervals.Z90 == norm.ppf(0.5 + intervals.LEVEL / 2)


def test_percentiles_bound_the_level():
    low, high = intervals.PERCENTILES
    assert high - low == round(100 * intervals.LEVEL, 12)
    assert low == 100 - high


def test_every_user_reads_the_one_declaration():
    model = importlib.import_module("middlepower.power.model")  # the package's model() shadows it
    assert model.INTERVAL is intervals.PERCENTILES
    assert imputation.Z90 is intervals.Z90 and idealpoints.Z90 is intervals.Z90
