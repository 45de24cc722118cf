"""The report's charts as matplotlib figures (rendered to SVG for HTML and to pages for PDF)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from middlepower.report.content import ReportData  # noqa: E402

TIER_COLOURS = {"great": "#7b2d8e", "middle": "#e08a1e", "small": "#9fb7cf"}
ACCENT = "#1f6fb2"


def _figure(width: float = 7.0, height: float = 3.2) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def pillars(data: ReportData) -> Figure:
    """Percentile of each pillar and the overall index, with 90 % interval whiskers."""
    frame = data.pillars.iloc[::-1]
    fig, ax = _figure(7.0, 0.45 * len(frame) + 1.0)
    y = np.arange(len(frame))
    pct = frame["percentile"].to_numpy(dtype=float)
    lo = frame["percentile_lo"].to_numpy(dtype=float)
    hi = frame["percentile_hi"].to_numpy(dtype=float)
    colours = [ACCENT if p != "power" else "#1d2430" for p in frame["pillar"]]
    ax.barh(y, pct, color=colours, alpha=0.8, height=0.6)
    ax.errorbar(pct, y, xerr=[np.clip(pct - lo, 0, None), np.clip(hi - pct, 0, None)], fmt="none", ecolor="#333",
                capsize=3, lw=1)
    ax.set_yticks(y, frame["label"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("percentile among states (bar) and 90 % interval (whisker)")
    ax.set_title(f"{data.name}: pillars, {data.year}", loc="left", fontsize=11)
    fig.tight_layout()
    return fig


def rank_interval(data: ReportData) -> Figure:
    """The state's rank and its neighbours', each with the 5-95 % rank interval."""
    frame = data.neighbours.iloc[::-1]
    fig, ax = _figure(7.0, 0.32 * len(frame) + 1.2)
    y = np.arange(len(frame))
    colours = ["#e08a1e" if c == data.iso3 else ACCENT for c in frame["iso3"]]
    ax.hlines(y, frame["rank_lo"], frame["rank_hi"], colors=colours, lw=4, alpha=0.5)
    ax.scatter(frame["position"], y, color=colours, zorder=3, s=18)
    ax.set_yticks(y, [f"{p}. {n}" for p, n in zip(frame["position"], frame["name"].fillna(frame["iso3"]), strict=True)])
    ax.invert_xaxis()
    ax.set_xlabel(f"rank on the {data.rank['ranked_on']} pillar (1 = top); line: 5-95 % interval")
    ax.set_title(f"Rank interval, {data.year}", loc="left", fontsize=11)
    fig.tight_layout()
    return fig


def tier_history(data: ReportData) -> Figure:
    """Probability of each tier by year, one line per tier (a stack of one certain tier is a solid block)."""
    frame = data.history.dropna(subset=["p_great", "p_middle", "p_small"])
    fig, ax = _figure()
    if frame.empty:
        ax.text(0.5, 0.5, "no tier results", ha="center", transform=ax.transAxes)
        return fig
    for tier in ("great", "middle", "small"):
        ax.plot(frame["year"], frame[f"p_{tier}"], color=TIER_COLOURS[tier], lw=2, label=tier)
    ax.set_ylim(-0.03, 1.03)
    ax.set_ylabel("probability")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.set_title("Tier probability over time", loc="left", fontsize=11)
    fig.tight_layout()
    return fig


def _band(ax, frame: pd.DataFrame, column: str, colour: str, label: str) -> None:
    frame = frame.dropna(subset=[column])
    ax.fill_between(frame["year"], frame[f"{column}_lo"], frame[f"{column}_hi"], color=colour, alpha=0.2, lw=0)
    ax.plot(frame["year"], frame[column], color=colour, lw=2, label=label)


def gap_history(data: ReportData) -> Figure:
    """The power gap with its 90 % band, and the overall index percentile with its band."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 2.8), dpi=100)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    _band(left, data.history, "percentile", ACCENT, "index percentile")
    left.set_ylim(0, 100)
    left.set_title("Power index percentile (90 % band)", loc="left", fontsize=10)
    _band(right, data.history, "gap", "#7b2d8e", "power gap")
    right.axhline(0, color="#555", lw=0.8, ls="--")
    right.set_title("Power gap, SD (90 % band)", loc="left", fontsize=10)
    fig.tight_layout()
    return fig


def alignment(data: ReportData) -> Figure:
    """Alignment and balance over time, or a note that they are not available."""
    fig, ax = _figure(7.0, 2.6)
    frame = data.alignment
    numeric = (
        [] if frame is None else [c for c in frame.columns if c != "year" and pd.api.types.is_numeric_dtype(frame[c])]
    )
    if not numeric:
        ax.axis("off")
        ax.text(
            0.0,
            0.5,
            "UN voting alignment and the balance index are not available in this installation.",
            fontsize=10,
            color="#555",
            transform=ax.transAxes,
        )
        return fig
    for column in numeric[:6]:
        ax.plot(frame["year"], frame[column], lw=1.8, label=column)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.set_title("Alignment and balance over time", loc="left", fontsize=11)
    fig.tight_layout()
    return fig


def close(fig: Figure) -> None:
    plt.close(fig)
