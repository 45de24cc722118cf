"""Country reports on the real store say how old each figure is: every pillar with its interval, data year
and carried or imputed inputs, every chart with a caption, the criteria with both kinds of old input, the
strongest pillar among the pillars, and the transit centrality of the report's own year."""

from __future__ import annotations

import html as markup
import re

import pytest


@pytest.fixture(autouse=True)
def _alignment_on_recent_years(quick_alignment):
    """Reports draw alignment from a fit on 2005-2019 (the full fit takes ~40 s; not under test here)."""


def _rows(html: str, opening: str) -> list[list[str]]:
    """The cells (unescaped text) of each data row of the first table after ``opening``."""
    table = html[html.index(opening):]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cells = [[markup.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
             for r in rows]
    return [c for c in cells if c]


def _label(column: str) -> str:
    """The indicator name of ``column``, read from the spec's docs (not from the report's code)."""
    from middlepower import power

    docs = power.indicators_doc()
    return str(docs.loc[docs["column"] == column, "name"].iloc[0])


@pytest.fixture(scope="module")
def prk_html(store_path, tmp_path_factory, quick_fit):
    from conftest import alignment_on
    from middlepower.report import build_report

    with alignment_on(quick_fit):
        path = build_report("PRK", year=2022, fmt="html", out=tmp_path_factory.mktemp("report") / "prk.html",
                            db=store_path)
    return path.read_text(encoding="utf-8")


def test_html_pillar_table_gives_each_node_its_interval_data_year_and_carried_or_imputed_inputs(prk_html,
                                                                                                  store_path):
    from middlepower import power

    pillars = power.profile("PRK", 2022, db=store_path).pillars
    rows = _rows(prk_html, '<table class="pillars">')
    assert len(rows) == len(pillars)
    for cells, node in zip(rows, pillars.to_dict("records"), strict=True):
        label, score, percentile, interval, data_year, vintage = cells
        assert label.removeprefix("· ") == node["name"]
        if node["percentile"] == node["percentile"]:  # not NaN
            assert percentile == f"{node['percentile']:.0f}"
            assert interval == f"{node['percentile_lo']:.0f}–{node['percentile_hi']:.0f}"
        else:  # a node without a score: no number and no interval, not "—–—"
            assert (score, percentile, interval) == ("—", "—", "—")
        assert data_year == (str(int(node["data_year"])) if node["data_year"] == node["data_year"] else "—")
        for kind in ("carried", "imputed"):
            named = [n for n in str(node[kind] or "").split("; ") if n]
            assert (f"{kind}:" in vintage) == bool(named), (node["pillar"], vintage)
        if not node["carried"] and not node["imputed"]:
            assert vintage == "all real"
    restraint = next(cells for cells in rows if cells[0].endswith("Restraint in the use of force"))
    assert restraint[5] == f"imputed: {_label('milex_share_gdp_pct')}"  # the label, not milex_share_gdp_pct


def test_every_chart_of_the_html_report_has_a_caption_with_source_and_data_year(prk_html):
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", prk_html, flags=re.S)
    assert len(captions) == prk_html.count("<figure>") == 5
    for caption in map(markup.unescape, captions):
        assert caption.startswith("Source: ") and re.search(r"\b(19|20)\d\d\b", caption), caption
    assert "Oldest real data behind a node: 2014" in markup.unescape(captions[0])  # IGO memberships from 2014


def test_html_and_pdf_criteria_name_carried_and_imputed_inputs_and_a_no_data_row_no_interval(prk_html, store_path,
                                                                                               tmp_path, quick_fit):
    import pypdfium2 as pdfium

    from conftest import alignment_on
    from middlepower import power
    from middlepower.report import build_report, content, render

    criteria = power.criteria("PRK", 2022, db=store_path).set_index("label")
    military_burden = _label("milex_share_gdp_pct")
    assert criteria.loc["Influence by diplomacy rather than force", "imputed"] == "milex_share_gdp_pct"
    rows = {cells[0]: cells for cells in _rows(prk_html, "<h2>The classical criteria")}
    assert rows["Influence by diplomacy rather than force"][4] == f"real to 2022; imputed: {military_burden}"
    resources = rows["Abundant natural resources"]
    imputed = resources[4].split("imputed: ", 1)[1].split("; ")
    assert "carried: " in resources[4] and _label("gdp_usd") in imputed
    assert "—–—" not in prk_html
    with alignment_on(quick_fit):  # Taiwan casts no UN votes: its multilateralism has no score
        twn = build_report("TWN", year=2022, fmt="html", out=tmp_path / "twn.html", db=store_path).read_text()
    no_score = {cells[0]: cells for cells in _rows(twn, "<h2>The classical criteria")}[
        "Commitment to cooperation and multilateralism"]
    assert no_score[5] == "no data" and no_score[2:4] == ["—", "—"]
    assert "missing: UN General Assembly" in no_score[4] or "(does not apply)" in no_score[4], no_score
    assert "—–—" not in twn

    path = render.write_pdf(content.gather("PRK", 2022, db=store_path), tmp_path / "prk.pdf")
    document = pdfium.PdfDocument(str(path))
    text = " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    assert f"real to 2022; imputed: {military_burden}" in text  # the criterion line of the summary
    assert "carried: Full IGO memberships from 2014" in text
    assert "—–—" not in text


def test_gap_paragraph_gives_the_data_year_of_the_gap(store_path):
    from middlepower import power
    from middlepower.report.content import explain, gather

    gap = power.gap(2022, db=store_path).set_index("iso3").loc["KAZ"]
    text = explain(gather("KAZ", 2022, db=store_path))["gap"]
    assert f"(oldest real data behind it: {int(gap['data_year'])})" in text


def test_strongest_pillar_is_ranked_among_the_top_level_pillars_only(store_path):
    from middlepower import power
    from middlepower.report.content import explain, gather

    nodes = power.pillars_doc()
    root = nodes.loc[nodes["parent"].isna(), "pillar"].iloc[0]
    top = set(nodes.loc[nodes["parent"] == root, "pillar"])
    profiles = power.profiles(2024, db=store_path)
    # a state whose highest node is a component of behaviour, not a pillar (Qatar's mediation, ...)
    iso3 = next(code for code, p in sorted(profiles.items())
                if p.pillars.set_index("pillar")["percentile"].drop(root).idxmax() not in top)
    pillars = profiles[iso3].pillars.set_index("pillar")
    best = pillars.loc[sorted(top), "percentile"].idxmax()
    text = explain(gather(iso3, 2024, db=store_path))["pillars"]
    assert (f"strongest pillar is {pillars.loc[best, 'name'].lower()} "
            f"(percentile {pillars.loc[best, 'percentile']:.0f})") in text


def test_corridor_paragraph_gives_the_transit_centrality_of_the_report_year_or_says_it_has_none(store_path):
    from middlepower import corridor
    from middlepower.report.content import explain, gather

    assert corridor.transit_centrality(2022).empty  # not every land corridor has a 2022 volume
    kaz = corridor.transit_centrality(2024).set_index("iso3").loc["KAZ", "transit_centrality"]
    in_2022 = explain(gather("KAZ", 2022, db=store_path))["corridor"]
    assert "no transit centrality for 2022" in in_2022
    assert f"in 2024, the nearest year with one, it is {kaz:.2f}" in in_2022
    in_2024 = explain(gather("KAZ", 2024, db=store_path))["corridor"]
    assert f"transit centrality {kaz:.2f} in 2024" in in_2024 and "no transit centrality" not in in_2024
