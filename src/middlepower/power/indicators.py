"""The indicator frame of the power model: panel verbs chained, inputs imputed, indicators derived.

Three steps, each stated in docs/power.md:

1. :func:`input_frame`: one row per COW system member and year (from ``HISTORY_FROM``, so that old
   values can be carried), with every raw input of :mod:`middlepower.power.inputs` and context
   columns. Energy Institute series count as 0 for a state the review does not list in a year it
   covers (it lists every sizeable producer); SIPRI arms exports are 0 where SIPRI records none.
2. :func:`imputed_inputs`: the gap rules (:mod:`middlepower.power.imputation`), with three
   alternative sources — GDP implied by SIPRI (military spending / its share of GDP: SIPRI's GDP
   denominators, which cover Taiwan), Maddison's population and the Penn World Table's exports
   (drawn with the spread of their disagreement with the WDI's) — and the Maddison-based GDP model.
3. :func:`derive`: indicator values from (point or drawn) inputs, and the transformed columns the
   index engine reads (``log(net_resources_usd2)``, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from middlepower import panel
from middlepower.power.imputation import ALTERNATIVE, Alternative, Imputed, impute, wide
from middlepower.power.inputs import INPUTS, transform
from middlepower.sources.columns import Column
from middlepower.sources.ipi import IPI_FIRST_MONTH, IPI_LAST_MONTH

HISTORY_FROM = 1960
"""Inputs are read from this year so that gap rules can carry values into the model's first years."""

ZERO_WITHIN_COVERAGE = (
    "oil_production_kbd",
    "gas_production_bcm",
    "coal_production_mt",
    "oil_reserves_bn_barrels",
    "gas_reserves_tcm",
)

CONTEXT_COLUMNS = ("name", "region", "subregion", "cow_major", "maoz_global", "maoz_regional")

VERBS = (
    "add_economy",
    "add_military",
    "add_resources",
    "add_igos",
    "add_majors",
    "add_geography",
    "add_reach",
    "add_ties",
    "add_un_participation",
    "add_use_of_force",
    "add_long_run_economy",
    "add_neighbour_economy",
    "add_transit",
    "add_balance",
    "add_peace_roles",
    "add_peacekeeping",
    "add_peacemaking",
    "add_hosting",
    "add_security_council",
)
"""The panel verbs whose columns the input frame holds, in the order they are applied."""

ARMS_WINDOW_YEARS = 5
MILEX_ERROR_SHARE = 1e-4
"""Without a share of GDP to check it against, a positive figure below 0.01% of GDP is a data error."""
MILEX_MISMATCH_FACTOR = 5.0
"""A SIPRI dollar figure this many times above or below its own share of GDP times WDI GDP is a data error."""


class NoArmedForces(NamedTuple):
    """Years (first, last; None = open) in which a state had no armed forces, and where that is stated."""

    first: int | None
    last: int | None
    source: str


SIPRI_FOOTNOTES = "SIPRI Military Expenditure Database, 2025 release, sheet Footnotes"
FACTBOOK = (
    "CIA World Factbook, 2025 text, Military and security forces "
    "(public domain; github.com/factbook/factbook.json at commit 8662a8b)"
)
NO_ARMED_FORCES = {
    "CRI": NoArmedForces(
        None, None, f'{SIPRI_FOOTNOTES}: "Costa Rica has no armed forces and thus no military spending."'
    ),
    "ISL": NoArmedForces(
        None, None, f'{SIPRI_FOOTNOTES}: "Iceland has no standing army/military and thus no military expenditure."'
    ),
    "PAN": NoArmedForces(
        1990, None, f"{SIPRI_FOOTNOTES}: defence forces disbanded in 1990; the national guard is not counted"
    ),
    "HTI": NoArmedForces(
        1995, 2011, f"{SIPRI_FOOTNOTES}: defence forces disbanded in 1994; a defence budget again from 2012"
    ),
    # States SIPRI does not cover (revision 2.12): the Factbook names no military force for them.
    "AND": NoArmedForces(None, None, f'{FACTBOOK}: "no regular military forces; Police Corps of Andorra"'),
    "LIE": NoArmedForces(None, None, f'{FACTBOOK}: "no regular military forces; National Police"'),
    "MCO": NoArmedForces(
        None, None, f'{FACTBOOK}: "no regular military forces; Prince\'s Company of Carabiniers, Police"'
    ),
    "DMA": NoArmedForces(
        None, None, f'{FACTBOOK}: "no regular military forces; Commonwealth of Dominica Police Force"'
    ),
    "LCA": NoArmedForces(None, None, f'{FACTBOOK}: "no regular military forces; Royal Saint Lucia Police Force"'),
    "VCT": NoArmedForces(
        None, None, f'{FACTBOOK}: "no regular military forces; Royal Saint Vincent and the Grenadines Police Force"'
    ),
    "FSM": NoArmedForces(
        None, None, f'{FACTBOOK}: "no military forces; Federated States of Micronesia National Police"'
    ),
    "NRU": NoArmedForces(None, None, f'{FACTBOOK}: "no regular military forces; Nauru Police Force"'),
    "PLW": NoArmedForces(None, None, f'{FACTBOOK}: "no regular military forces; the Bureau of Public Safety"'),
    "WSM": NoArmedForces(None, None, f'{FACTBOOK}: "no regular military forces; Samoa Police Service"'),
    "TUV": NoArmedForces(None, None, f'{FACTBOOK}: "no regular military forces; Tuvalu Police Force"'),
    "KIR": NoArmedForces(None, None, f"{FACTBOOK}: only the Kiribati Police Service (includes Maritime Police)"),
    "MHL": NoArmedForces(None, None, f"{FACTBOOK}: only the Marshall Islands Police Department (Sea Patrol Division)"),
    "SLB": NoArmedForces(
        2004,
        None,
        f"{FACTBOOK}: only the Royal Solomon Islands Police Force; the police's paramilitary units were disbanded "
        "and the force disarmed in 2003, after the Regional Assistance Mission to Solomon Islands arrived "
        "(Wikipedia, 'Solomon Islands', section Military; J. Fraenkel in 'Guns & Roses', Springer 2019, ch. 13)",
    ),
}
"""States and years whose military spending is really zero. Those SIPRI covers are named by the footnotes of
its Military Expenditure Database (revision 2.8); any other zero in SIPRI's workbook is where it has no figure
(North Korea 1990-2014 in current US$): missing, not zero. Those SIPRI does not cover are the states whose CIA
World Factbook entry names no military force: "no regular military forces", or only police and civilian
services; an entry naming a paramilitary unit does not count, since SIPRI counts paramilitary forces trained
for military operations (Grenada, Vanuatu; revision 2.12)."""


def _named_by(source: str) -> str:
    """The ``NO_ARMED_FORCES`` states (ISO3, with their years where bounded) whose entry cites ``source``."""
    return ", ".join(
        state + (f" {entry.first or ''}-{entry.last or ''}" if entry.first or entry.last else "")
        for state, entry in NO_ARMED_FORCES.items()
        if entry.source.startswith(source)
    )


NO_DOLLAR_FIGURES = ("PRK",)
"""States whose dollar figures SIPRI's footnotes say it does not provide, whatever the workbook prints: North
Korea ("Due to lack of economic data, no figures are provided for spending in current US$ and constant US$";
the 2025 workbook still prints 2015-2018 current-dollar figures in red, as reported by its authorities)."""


PER_PERSON = (  # (column, unit, what, national total, its factor to the person's unit, raw inputs)
    ("oil_production_bbl_per_person", "barrels per person per year", "oil production", "oil_production_kbd",
     365_000.0, ("oil_production_kbd",)),
    ("gas_production_m3_per_person", "cubic metres per person per year", "natural gas production",
     "gas_production_bcm", 1e9, ("gas_production_bcm",)),
    ("coal_production_kg_per_person", "kilograms per person per year", "coal production", "coal_production_mt",
     1e9, ("coal_production_mt",)),
    ("oil_reserves_bbl_per_person", "barrels per person", "proved oil reserves", "oil_reserves_bn_barrels", 1e9,
     ("oil_reserves_bn_barrels",)),
    ("gas_reserves_m3_per_person", "cubic metres per person", "proved gas reserves", "gas_reserves_tcm", 1e12,
     ("gas_reserves_tcm",)),
    ("resource_rents_usd_per_person", "current US$ per person", "natural-resource rents in money",
     "resource_rents_usd_bn", 1e9, ("resource_rents_pct_gdp", "gdp_usd")),
)
"""The natural-resources criterion's indicators (revision 2.24): national totals over population, each in a
person's natural unit (a thousand barrels a day is 365,000 barrels a year, a bcm 10^9 cubic metres, ...)."""


MODEL_COLUMNS = (
    Column(
        "milex_usd",
        "current US$",
        "military expenditure at the year's prices and exchange rates, like GDP; a figure more than "
        f"{MILEX_MISMATCH_FACTOR:g} times away from SIPRI's share of GDP x WDI GDP, or without a share below 0.01% "
        "of GDP, is a data error; a zero is a figure only where there were no armed forces, as SIPRI's footnotes "
        f"say ({_named_by(SIPRI_FOOTNOTES)}) and, for states SIPRI does not cover, as the CIA World Factbook says "
        f"({_named_by(FACTBOOK)}: 0 there, revision 2.12); otherwise missing; none for North Korea, which SIPRI's "
        "footnote says it does not price (revision 2.8)",
        upstream="sipri_milex_current_usd_m * 1e6",
        inputs=("sipri_milex_current_usd_m", "sipri_milex_share_gdp", "gdp_usd"),
    ),
    Column(
        "milex_usd_m",
        "millions of current US$",
        "military expenditure (after the data-error rules of milex_usd)",
        upstream="milex_usd / 1e6",
        inputs=("sipri_milex_current_usd_m", "sipri_milex_share_gdp", "gdp_usd"),
    ),
    Column(
        "milex_share_gdp_pct",
        "% of GDP",
        "military burden: military expenditure as a share of GDP, SIPRI's; 0 where SIPRI prints no share for the "
        "states without armed forces of milex_usd (revisions 2.10 and 2.12)",
        upstream="100 * sipri_milex_share_gdp, else 0 where milex_usd is a no-armed-forces zero",
        inputs=("sipri_milex_share_gdp", "sipri_milex_current_usd_m", "gdp_usd"),
    ),
    Column(
        "merchandise_exports_usd_m",
        "millions of current US$",
        "merchandise exports",
        upstream="merchandise_exports_usd / 1e6",
        inputs=("merchandise_exports_usd",),
    ),
    Column(
        "ip_receipts_usd_m",
        "millions of current US$",
        "charges for the use of intellectual property, receipts (a negative figure, a balance-of-payments "
        "correction, is left missing)",
        upstream="ip_receipts_usd / 1e6",
        inputs=("ip_receipts_usd",),
    ),
    Column(
        "arms_exports_5y_tiv_musd",
        "millions of constant 1990 US$ (SIPRI TIV), mean per year",
        f"major-arms exports, mean of the year and the {ARMS_WINDOW_YEARS - 1} before",
        upstream=f"rolling {ARMS_WINDOW_YEARS}-year mean of arms_exports_tiv_musd",
        inputs=("arms_exports_tiv_musd",),
    ),
    Column(
        "resource_rents_usd_bn",
        "billion current US$",
        "natural-resource rents in money: rents as % of GDP times GDP",
        upstream="resource_rents_pct_gdp / 100 * gdp_usd / 1e9",
        inputs=("resource_rents_pct_gdp", "gdp_usd"),
    ),
    *(Column(name, unit, f"{what} per inhabitant (revision 2.24: abundance, not the size of the sector)",
             upstream=f"{total} * {factor:g} / population", inputs=(*raw, "population"))
      for name, unit, what, total, factor, raw in PER_PERSON),
    Column(
        "neighbours_gdp_usd_bn",
        "billion current US$",
        "GDP of the land neighbours",
        upstream="neighbours_gdp_usd / 1e9",
        inputs=("neighbours_gdp_usd",),
    ),
    Column(
        "peacekeepers_per_million",
        "persons per million inhabitants",
        "uniformed personnel in UN peacekeeping (troops, police and experts, yearly mean) per million inhabitants; "
        f"IPI, {IPI_FIRST_MONTH.year}-{IPI_LAST_MONTH.year}",
        upstream="pko_total / population * 1e6",
        inputs=("pko_total", "population"),
    ),
)
"""Columns the model computes itself, beyond those of the panel verbs (the column catalogue's entries)."""


def derived_columns() -> tuple[str, ...]:
    """Columns the indicator frame has beyond the store's panel view (all usable as claim measures)."""
    catalogue = panel.declared(MODEL_COLUMNS)
    chosen = catalogue[(~catalogue["stored"]) & catalogue["verb"].isin([*VERBS, ""])]
    return tuple(dict.fromkeys(chosen["name"]))


def zero_within_coverage(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` with NA set to 0 in the years where at least one state has a value."""
    covered = frame.groupby("year")[column].transform(lambda s: s.notna().any())
    return frame[column].mask(covered & frame[column].isna(), 0.0)


def no_armed_forces(iso3: pd.Series, year: pd.Series) -> pd.Series:
    """True for the state-years of ``NO_ARMED_FORCES`` (military spending really zero)."""
    out = pd.Series(False, index=iso3.index)
    for state, entry in NO_ARMED_FORCES.items():
        first = entry.first if entry.first is not None else -10_000
        years = year.between(first, entry.last if entry.last is not None else 10_000)
        out |= (iso3 == state) & years
    return out


def below_error_share(value_usd: pd.Series, gdp_usd: pd.Series) -> pd.Series:
    """True where a positive military-spending figure (US$) is below ``MILEX_ERROR_SHARE`` of GDP (US$)."""
    return (value_usd > 0) & (value_usd < MILEX_ERROR_SHARE * gdp_usd)


def military_spending(frame: pd.DataFrame) -> pd.Series:
    """SIPRI military expenditure in current US$ (not millions), with SIPRI's data errors left missing
    (revision 2.8, docs/power-protocol.md).

    ``frame`` holds ``iso3``, ``year``, ``gdp_usd`` (WDI, current US$), ``sipri_milex_current_usd_m`` and
    ``sipri_milex_share_gdp`` (a fraction). ``NO_DOLLAR_FIGURES`` have none. A zero counts only for
    ``NO_ARMED_FORCES``, whose state-years without a SIPRI figure are 0 too (revision 2.12). A positive
    figure is an error where it is more than ``MILEX_MISMATCH_FACTOR`` times away from share x GDP (SIPRI's
    dollar conversion broke: Myanmar's official kyat rate, Venezuela from 2019), or, with no share to check
    it against, where it is below ``MILEX_ERROR_SHARE`` of GDP. A positive figure in a year without WDI
    GDP, for a state the WDI covers in other years, cannot be checked and is missing too (revision 2.18:
    South Sudan after 2015); a state the WDI never covers (Taiwan) keeps its figures.
    """
    no_forces = no_armed_forces(frame["iso3"], frame["year"])
    value = (frame["sipri_milex_current_usd_m"] * 1e6).mask(no_forces & frame["sipri_milex_current_usd_m"].isna(), 0.0)
    zero = (value == 0) & ~no_forces
    not_provided = frame["iso3"].isin(NO_DOLLAR_FIGURES)
    implied = frame["sipri_milex_share_gdp"] * frame["gdp_usd"]
    ratio = value / implied.where(implied > 0)
    mismatch = (ratio > MILEX_MISMATCH_FACTOR) | (ratio < 1.0 / MILEX_MISMATCH_FACTOR)
    tiny = ratio.isna() & below_error_share(value, frame["gdp_usd"])
    in_wdi = frame["gdp_usd"].notna().groupby(frame["iso3"]).transform("any")
    unchecked = (value > 0) & frame["gdp_usd"].isna() & in_wdi
    return value.mask(zero | not_provided | tiny | unchecked | ((value > 0) & mismatch))


def military_burden(frame: pd.DataFrame) -> pd.Series:
    """Military expenditure as % of GDP: SIPRI's share where it prints one, else 0 where ``milex_usd`` is
    the real zero of ``NO_ARMED_FORCES``, so that capability and restraint read that fact once (revision
    2.10). A dollar figure without a share is not divided by WDI GDP: nothing checks its exchange rate
    (Nicaragua 1990 would be 113% of GDP). Missing otherwise (imputed by the gap rules)."""
    no_forces = frame["milex_usd"] == 0  # military_spending keeps a zero only for NO_ARMED_FORCES
    return (frame["sipri_milex_share_gdp"] * 100.0).mask(frame["sipri_milex_share_gdp"].isna() & no_forces, 0.0)


def input_frame(last: int, db: Path | str | None = None) -> pd.DataFrame:
    """Every raw input and context column, one row per state-year ``HISTORY_FROM``..``last``."""
    frame = panel.state_years(HISTORY_FROM, last, db=db)
    for name in VERBS:
        frame = getattr(panel, name)(frame, db=db)
    frame["transit_centrality"] = frame["transit_centrality"].astype("float64")
    frame["transit_flow_teu"] = frame["transit_flow_teu"].astype("float64")
    frame["milex_usd"] = military_spending(frame)
    frame["milex_share_gdp_pct"] = military_burden(frame)
    frame["ip_receipts_usd"] = frame["ip_receipts_usd"].mask(frame["ip_receipts_usd"] < 0)  # BoP corrections
    frame["peacekeepers_per_million"] = frame["pko_total"] / frame["population"] * 1e6
    frame["land_borders"] = frame["land_borders"].astype("float64")
    for column in ZERO_WITHIN_COVERAGE:
        frame[column] = zero_within_coverage(frame, column)
    return frame.reset_index(drop=True)


ALTERNATIVE_SOURCES = {
    "gdp_usd": ("sipri_milex", "maddison"),
    "population": ("maddison",),
    "merchandise_exports_usd": ("pwt",),
}
"""Registry sources that fill an input where its own source has nothing (see :func:`alternative_sources`)."""

DISAGREEMENT_QUANTILES = (0.16, 0.84)
"""An alternative's spread is half the width of this central range of log(other / primary): the normal
standard deviation that covers the usual disagreement without letting a few extreme pairs set it."""


def disagreement_spread(primary: pd.Series, other: pd.Series, year: pd.Series) -> pd.Series:
    """Per row, the spread (log units) of ``other`` about ``primary`` in the row's year: half the width of
    ``DISAGREEMENT_QUANTILES`` of log(other / primary) over the rows where both are positive (NaN for a
    year with none)."""
    both = (primary > 0) & (other > 0)
    ratio = np.log(other.where(both) / primary.where(both))
    low, high = DISAGREEMENT_QUANTILES
    by_year = ratio.groupby(year)
    half_width = (by_year.quantile(high) - by_year.quantile(low)) / 2.0
    return year.map(half_width).astype("float64")


def alternative_sources(frame: pd.DataFrame) -> dict[str, Alternative]:
    """Values of the same quantity from another source, used where the primary source has none.

    GDP implied by SIPRI divides its military spending, as :func:`military_spending` reads it (``milex_usd``:
    "no figure" zeros and data errors already missing), by its share of GDP; a real zero implies no GDP.
    It fills only states the WDI gives no GDP in any year (Taiwan; revision 2.15): where the WDI covers a
    state, the 2.8 check of SIPRI's dollar conversion needs its GDP, and a gap is carried or imputed.
    The Penn World Table's exports (current US$) are drawn with :func:`disagreement_spread` against the
    WDI's (revision 2.11); the other two are read as exact.
    """
    implied = frame["milex_usd"] / frame["sipri_milex_share_gdp"]
    never_in_wdi = ~frame["gdp_usd"].notna().groupby(frame["iso3"]).transform("any")
    usable = (frame["sipri_milex_share_gdp"] > 0) & (frame["milex_usd"] > 0) & never_in_wdi
    exports = frame["pwt_merchandise_exports_usd"].where(frame["pwt_merchandise_exports_usd"] > 0)
    return {
        "gdp_usd": Alternative(implied.where(usable)),
        "population": Alternative(frame["maddison_population"]),
        "merchandise_exports_usd": Alternative(
            exports, disagreement_spread(frame["merchandise_exports_usd"], exports, frame["year"])
        ),
    }


def maddison_gdp(frame: pd.DataFrame, units: np.ndarray, years: np.ndarray) -> np.ndarray:
    """(units, years, 2): log market-rate GDP predicted from Maddison's real GDP, and the residual sd.

    Per year, OLS of log WDI GDP on log(Maddison GDP per capita x population) over the states that
    have both; after Maddison's last year a state's last prediction is kept and its sd widened by
    the spread of real one-year GDP changes times the square root of the years since.
    """
    gdp = np.log(wide(frame, "gdp_usd", units, years))
    size = np.log(
        wide(frame, "maddison_gdppc_2011_intl_usd", units, years) * wide(frame, "maddison_population", units, years)
    )
    out = np.full((*gdp.shape, 2), np.nan)
    for t in range(years.size):
        both = ~np.isnan(gdp[:, t]) & ~np.isnan(size[:, t])
        if both.sum() < 20:
            continue
        slope, intercept = np.polyfit(size[both, t], gdp[both, t], 1)
        residual = gdp[both, t] - (intercept + slope * size[both, t])
        has = ~np.isnan(size[:, t])
        out[has, t, 0] = intercept + slope * size[has, t]
        out[has, t, 1] = residual.std(ddof=2)
    changes = np.diff(gdp, axis=1)
    step = np.nanstd(changes) if np.isfinite(changes).any() else 0.1
    fitted = np.flatnonzero((~np.isnan(out[..., 0])).any(axis=0))
    if fitted.size == 0:
        return out
    last = int(fitted.max())
    for t in range(last + 1, years.size):
        age = t - last
        keep = ~np.isnan(out[:, last, 0])
        out[keep, t, 0] = out[keep, last, 0]
        out[keep, t, 1] = np.sqrt(out[keep, last, 1] ** 2 + step**2 * age)
    return out


def imputed_inputs(last: int, db: Path | str | None = None) -> Imputed:
    """The model's inputs with gap rules applied, ``HISTORY_FROM``..``last``; the neighbours' GDP with
    every neighbouring state counted (:func:`middlepower.power.neighbours.count_every_neighbour`)."""
    from middlepower.panel.neighbours import land_neighbours
    from middlepower.power.neighbours import count_every_neighbour

    frame = input_frame(last, db=db)
    units = np.array(sorted(frame["iso3"].unique()), dtype=object)
    years = np.arange(int(frame["year"].min()), int(frame["year"].max()) + 1)
    imputed = impute(frame, alternative_sources(frame), maddison_gdp(frame, units, years))
    count_every_neighbour(imputed, land_neighbours(db))
    return imputed


def derive(inputs: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Indicator values from inputs (point or drawn), plus each indicator's transformed engine column."""
    out = inputs.copy()
    out["milex_usd_m"] = out["milex_usd"] / 1e6
    out["merchandise_exports_usd_m"] = out["merchandise_exports_usd"] / 1e6
    out["ip_receipts_usd_m"] = out["ip_receipts_usd"] / 1e6
    ordered = out.sort_values(["iso3", "year"])
    rolling = ordered.groupby("iso3")["arms_exports_tiv_musd"].rolling(ARMS_WINDOW_YEARS, min_periods=1).mean()
    out["arms_exports_5y_tiv_musd"] = rolling.reset_index(level=0, drop=True).reindex(out.index)
    out["resource_rents_usd_bn"] = out["resource_rents_pct_gdp"] / 100.0 * out["gdp_usd"] / 1e9
    out["neighbours_gdp_usd_bn"] = out["neighbours_gdp_usd"] / 1e9
    for name, _, _, total, factor, _ in PER_PERSON:
        out[name] = out[total] * factor / out["population"]
    for row in docs.itertuples():
        if row.engine_column != row.column:
            out[row.engine_column] = transform(out[row.column].to_numpy(dtype=float), row.transform)
    return out


def model_inputs() -> tuple[str, ...]:
    """Every input name the model knows (the keys of :data:`middlepower.power.inputs.INPUTS`)."""
    return tuple(INPUTS)


def real_share(imputed: Imputed, names: list[str]) -> pd.DataFrame:
    """iso3, year, real_inputs (count real or from another source), inputs (len(names))."""
    counts = np.sum([imputed.inputs[n].status <= ALTERNATIVE for n in names], axis=0)
    u, y = np.meshgrid(np.arange(imputed.units.size), np.arange(imputed.years.size), indexing="ij")
    return pd.DataFrame(
        {
            "iso3": imputed.units[u.ravel()],
            "year": imputed.years[y.ravel()],
            "real_inputs": counts.ravel(),
            "inputs": len(names),
        }
    )
