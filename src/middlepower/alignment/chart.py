"""Charts of a state's alignment series: PNG (matplotlib) or a self-contained HTML page (inline SVG)."""

from __future__ import annotations

import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from middlepower.errors import SpecError  # noqa: E402


def alignment_figure(table: pd.DataFrame, iso3: str, measure: str, balance: pd.DataFrame | None = None):
    """Return a matplotlib Figure: agreement with each partner by year (and the balance index)."""
    rows = 2 if balance is not None and not balance.empty else 1
    fig, axes = plt.subplots(rows, 1, figsize=(9, 3.2 * rows + 0.6), sharex=True, squeeze=False)
    top = axes[0, 0]
    for partner, part in table.groupby("partner", sort=False):
        top.plot(part["year"], part["agreement"], marker="o", markersize=3, label=partner)
    top.set_ylabel(f"{measure} agreement")
    top.set_title(f"{iso3}: UN General Assembly agreement by year (non-unanimous roll calls)")
    top.legend(loc="best", fontsize=8)
    top.grid(alpha=0.3)
    if rows == 2:
        low = axes[1, 0]
        low.plot(balance["year"], balance["balance_index"], color="black", marker="o", markersize=3)
        low.set_ylabel("balance index")
        low.set_ylim(0, 1)
        low.grid(alpha=0.3)
    axes[-1, 0].set_xlabel("year")
    fig.text(0.01, 0.005, "Source: Voeten UNGA votes via {unvotes} (to Jan 2020); middlepower.alignment",
             fontsize=7, color="grey")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


def save_chart(fig, path: Path, title: str) -> Path:
    """Write ``fig`` to ``path``: ``.png`` as an image, ``.html`` / ``.htm`` as one page with inline SVG."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        fig.savefig(path, dpi=130)
    elif suffix in (".html", ".htm"):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        svg = buffer.getvalue()
        svg = svg[svg.index("<svg"):]
        page = (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'</head><body style="font-family:sans-serif">\n<h1>{html.escape(title)}</h1>\n{svg}\n</body></html>\n'
        )
        path.write_text(page, encoding="utf-8")
    else:
        raise SpecError(f"chart file {str(path)!r}: expected a .png or .html name")
    plt.close(fig)
    return path
