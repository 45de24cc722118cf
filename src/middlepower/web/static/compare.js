// Compare page: 2-6 states over a span of years.
"use strict";

const COLOURS = ["#1f6fb2", "#b2341f", "#d4a017", "#2e8b57", "#7b2d8e", "#555"];

async function main() {
  const meta = await MP.api("/api/meta");
  const params = new URLSearchParams(window.location.search);
  const first = document.getElementById("first"), last = document.getElementById("last"), codes = document.getElementById("codes");
  if (!meta.power) { document.getElementById("chart").replaceChildren(MP.el("p", { class: "muted" }, "The power model is not available in this installation.")); return; }
  first.value = params.get("first") || meta.power.first; last.value = params.get("last") || meta.power.last;
  if (params.get("countries")) codes.value = params.get("countries");
  document.getElementById("go").addEventListener("click", run);
  await run();
  async function run() {
    const chart = document.getElementById("chart");
    chart.replaceChildren(MP.el("p", { class: "muted" }, "Loading…"));
    document.getElementById("table").replaceChildren();  // no stale result under a new error
    try {
      const body = await MP.api("/api/power/compare", { countries: codes.value, first: first.value, last: last.value });
      history.replaceState(null, "", `/compare?countries=${encodeURIComponent(codes.value)}&first=${first.value}&last=${last.value}`);
      const root = meta.power.root;
      const series = body.countries.map((iso3, i) => ({ label: iso3, colour: COLOURS[i], points: body.rows.filter((r) => r.iso3 === iso3).map((r) => [r.year, r[root], r[root + "_lo"], r[root + "_hi"]]) }));
      chart.replaceChildren(MP.lineChart(series, { min: 0, max: 100, width: 1000, height: 360, digits: 0, source: body.source }), MP.legend(body.countries.map((c, i) => [c, COLOURS[i]])),
        MP.el("p", { class: "note" }, "Line: percentile of the overall power index within the year; band: its 90 % Monte Carlo interval. Hover a point for its value."));
      const lastRows = body.countries.map((iso3) => body.rows.filter((r) => r.iso3 === iso3).pop()).filter(Boolean);
      const cols = ["tier", ...meta.power.pillars.map((p) => p.code), root, "gap"];
      document.getElementById("table").replaceChildren(MP.el("table", { id: "compare-table" },
        MP.el("thead", {}, MP.el("tr", {}, MP.el("th", {}, "State"), MP.el("th", {}, "Year"), MP.el("th", {}, "Tier probability"), cols.map((c) => MP.el("th", { class: c === "tier" ? null : "num" }, c)), MP.el("th", {}, "Real data to"))),
        MP.el("tbody", {}, lastRows.map((r) => MP.el("tr", { class: "clickable", "data-iso3": r.iso3, onclick: `location.href='/country/${r.iso3}?year=${r.year}'` },
          MP.el("td", {}, r.name || r.iso3), MP.el("td", {}, r.year), MP.el("td", {}, MP.tierBar(r)),
          cols.map((c) => (c === "tier" ? MP.el("td", {}, MP.tierBadge(r.tier)) : MP.el("td", { class: "num", "data-source": body.source }, c === "gap" ? MP.signed(r[c]) : MP.fmt(r[c], 1)))),
          MP.el("td", { class: "data" }, MP.vintage(r, true)))))),
        MP.el("p", { class: "note" }, "Pillar and index columns are percentiles within the year (0–100); gap in standard deviations. " +
          "Real data to: the oldest year of real data behind the row's pillars (earlier than its year where an input is carried, e.g. IGO memberships from 2014)."));
    } catch (error) { chart.replaceChildren(MP.el("p", { class: "error" }, error.message)); }
  }
}

MP.start(main);
