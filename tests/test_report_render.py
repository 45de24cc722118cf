"""Country reports on the real store: the PDF's pages render, the HTML is self-contained and cited."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import alignment_on
from middlepower.errors import DataError, ParameterError

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(autouse=True)
def _alignment_on_recent_years(quick_alignment):
    """Reports draw alignment from a fit on 2005-2019 (the full fit takes ~40 s; not under test here)."""


@pytest.fixture(scope="module")
def pdf_report(store_path, tmp_path_factory, quick_fit):
    from middlepower.report import build_report

    with alignment_on(quick_fit):
        report = build_report("KAZ", year=2022, fmt="pdf", out=tmp_path_factory.mktemp("report") / "kaz.pdf",
                              db=store_path)
    ARTIFACTS.mkdir(exist_ok=True)  # every test of the report may save its pages there, in any order
    return report


def test_pdf_report_pages_render_to_non_blank_images(pdf_report):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_report))
    assert len(document) >= 5
    for index in range(len(document)):
        image = document[index].render(scale=1.0).to_pil().convert("L")
        pixels = np.asarray(image)
        inked = float((pixels < 200).mean())
        assert inked > 0.0005, f"page {index + 1} is blank ({inked:.4%} of pixels inked)"
        if index < 3:
            image.save(ARTIFACTS / f"report-KAZ-page{index + 1}.png")
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Kazakhstan (KAZ), 2022" in text
    assert "World Development Indicators" in text  # the bibliography


def _page_texts(path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]


def test_pdf_pages_are_numbered_in_the_rendered_footer(pdf_report):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_report))
    texts = _page_texts(pdf_report)
    for index, page_text in enumerate(texts, start=1):
        assert f"page {index} of {len(texts)}" in page_text, f"page {index} has no number"
        image = np.asarray(document[index - 1].render(scale=1.5).to_pil().convert("L"))
        footer = image[int(image.shape[0] * 0.965):, int(image.shape[1] * 0.7):]  # bottom right: the number
        assert float((footer < 200).mean()) > 0.002, f"page {index}: the number is not drawn"
    Image = pytest.importorskip("PIL.Image")
    Image.fromarray(image).save(ARTIFACTS / "report-KAZ-last-page.png")


def test_every_bibliography_entry_has_title_producer_and_licence(pdf_report):
    from middlepower import power, sources

    texts = _page_texts(pdf_report)
    start = next(i for i, t in enumerate(texts) if t.startswith("Sources "))
    footer = re.compile(r"middlepower report: Kazakhstan, 2022 page \d+ of \d+")
    bibliography = " ".join(footer.sub("", t).strip() for t in texts[start:])
    names = [*dict.fromkeys(n for names in power.indicators_doc()["sources"] for n in names)]
    assert len(names) >= 5
    for name in names:  # read from the registry here, not from the report's own list
        source = sources.get(name)
        assert source.title and source.producer and source.licence, name
        expected = " ".join(f"{source.title} Producer: {source.producer}. Licence: {source.licence}.".split())
        assert re.search(rf"\d+\. {re.escape(expected)}", bibliography), f"{name}: no entry {expected!r}"
    assert "Licence: ." not in bibliography and "Producer: ." not in bibliography


def test_the_second_request_for_a_report_is_served_from_the_cache(pdf_report, store_path, monkeypatch, tmp_path):
    from fastapi.testclient import TestClient

    from middlepower.report import build_report, content, report_file
    from middlepower.web import create_app

    cached, hit = report_file("KAZ", 2022, "pdf", db=store_path)
    assert hit and cached.read_bytes() == pdf_report.read_bytes()

    def no_drawing(*args, **kwargs):
        raise AssertionError("the report was drawn again")

    monkeypatch.setattr(content, "gather", no_drawing)
    again = build_report("kaz", year=2022, fmt="pdf", out=tmp_path / "again.pdf", db=store_path)
    assert again.read_bytes() == pdf_report.read_bytes()
    # without a format, the --out file's extension names it (a .pdf is not written as HTML)
    inferred = build_report("KAZ", year=2022, out=tmp_path / "inferred.PDF", db=store_path)
    assert inferred.read_bytes() == pdf_report.read_bytes()
    client = TestClient(create_app(store_path))
    answer = client.get("/api/report/KAZ", params={"year": 2022, "format": "pdf"})
    assert answer.status_code == 200 and answer.headers["x-report-cache"] == "hit"
    assert answer.content == pdf_report.read_bytes()
    assert 'filename="middlepower-KAZ-2022.pdf"' in answer.headers["content-disposition"]


def test_html_report_is_self_contained_with_charts_and_bibliography(store_path, tmp_path):
    from middlepower import power
    from middlepower.report import build_report

    path = build_report("KAZ", year=2022, fmt="html", out=tmp_path / "kaz.html", db=store_path)
    html = path.read_text(encoding="utf-8")
    assert html.count("<svg") >= 5
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), "the report loads an external asset"
    position = int(power.rank(2022, db=store_path).set_index("iso3").loc["KAZ", "position"])
    assert f"ranks {position}" in html
    gap = power.gap(2022, db=store_path).set_index("iso3").loc["KAZ"]  # the gap's reference point is shown
    assert f"influence {gap['influence']:.1f} against {gap['influence'] - gap['gap_points']:.1f}" in html
    for source in ("World Development Indicators", "SIPRI", "Armed Conflict Dataset", "Energy Institute"):
        assert source in html


def test_report_of_a_state_without_a_gap_says_why_instead_of_printing_nan(store_path):
    from middlepower.report.content import explain, gather

    text = explain(gather("PRK", year=2022, db=store_path))
    assert "North Korea has none in 2022 (no tier: less than 50% of its capability inputs real)" in text["gap"]
    assert not any(re.search(r"\bnan\b", paragraph) for paragraph in text.values()), text


def test_report_refuses_unknown_code_and_format(store_path, tmp_path):
    from middlepower.report import build_report

    with pytest.raises(DataError, match="unknown country code"):
        build_report("XYZ", fmt="html", out=tmp_path / "x.html", db=store_path)
    with pytest.raises(ParameterError, match="fmt 'docx'"):
        build_report("KAZ", fmt="docx", out=tmp_path / "x.docx", db=store_path)
    with pytest.raises(DataError, match="covers"):
        build_report("KAZ", year=1850, fmt="html", out=tmp_path / "x.html", db=store_path)
    assert not list(tmp_path.iterdir())


def test_report_draws_the_alignment_series_of_the_panel_verbs(store_path):
    from middlepower.panel.alignment import CHART_SERIES
    from middlepower.report import charts, content

    data = content.gather("KAZ", 2019, db=store_path)
    assert list(data.alignment.columns) == ["year", *CHART_SERIES.values()]
    assert data.alignment["year"].tolist() == list(range(1991, 2020))  # Kazakhstan in the system (COW), to 2019
    figure = charts.alignment(data)
    assert len(figure.axes[0].lines) == len(CHART_SERIES)
    charts.close(figure)
    assert {"un_votes", "un_roll_calls"} <= {s["source"] for s in data.sources}


def test_report_command_writes_the_file_and_reports_a_bad_code_as_the_library_error(store_path, tmp_path):
    from typer.testing import CliRunner

    from middlepower.cli import app

    runner = CliRunner()
    out = tmp_path / "kaz.html"
    result = runner.invoke(app, ["report", "KAZ", "--year", "2021", "--format", "html", "--out", str(out),
                                 "--db", str(store_path)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "wrote" in result.output
    bad = runner.invoke(app, ["report", "QQQ", "--format", "pdf", "--db", str(store_path)])
    assert isinstance(bad.exception, DataError) and "QQQ" in str(bad.exception)
    assert "Usage" in runner.invoke(app, ["serve", "--help"]).output


def test_report_bibliography_is_the_registry_record_of_every_source_an_indicator_rests_on(store_path):
    from middlepower import power, sources
    from middlepower.report import content

    data = content.gather("KAZ", 2019, db=store_path)
    names = [entry["source"] for entry in data.sources]
    assert len(names) == len(set(names))
    assert {name for names in power.indicators_doc()["sources"] for name in names} <= set(names)
    assert {"corridor_network", "un_votes"} <= set(names)  # the Council list is no model input since v2
    for entry in data.sources:  # titles and citations as registered: no entry made up from prose
        registered = sources.get(entry["source"])
        assert (entry["title"], entry["citation"]) == (registered.title, registered.citation)
