// Country page: profile of one state in one year, and its history, every figure with its source.
"use strict";

const ISO3 = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop()).toUpperCase();

async function main() {
  const meta = await MP.api("/api/meta");
  const params = new URLSearchParams(window.location.search);
  const select = document.getElementById("year");
  const first = meta.power ? meta.power.first : 1946;
  const last = meta.power ? meta.power.last : meta.default_year;
  for (let y = last; y >= first; y--) select.appendChild(MP.el("option", { value: y }, y));
  select.value = Math.min(Math.max(Number(params.get("year")) || meta.default_year, first), last);
  const asked = Number(params.get("year"));
  if (asked && asked !== Number(select.value))  // say so rather than silently show another year
    document.getElementById("summary").before(MP.el("p", { class: "note", id: "year-note" },
      `No result for ${asked}: the dashboard covers ${first}–${last}; showing ${select.value}.`));
  select.addEventListener("change", () => show(meta, Number(select.value)));
  await show(meta, Number(select.value));
  await histories(meta);
}

async function show(meta, year) {
  history.replaceState(null, "", `/country/${ISO3}?year=${year}`);
  const p = await MP.api(`/api/countries/${encodeURIComponent(ISO3)}/profile`, { year });
  for (const format of ["html", "pdf"])
    document.getElementById("report-" + format).href = `/api/report/${encodeURIComponent(ISO3)}?year=${year}&format=${format}`;
  document.title = `middlepower — ${p.name}`;
  document.getElementById("country-name").textContent = `${p.name} (${p.iso3}), ${p.year}`;
  const summary = document.getElementById("summary");
  summary.setAttribute("data-year", p.year);
  const power = p.power;
  if (!p.member) summary.replaceChildren(MP.el("p", { class: "muted" }, `${p.name} was not a member of the state system in ${year}.`));
  else if (!power) summary.replaceChildren(MP.el("p", { class: "muted" }, "No power-model result for this state-year."));
  else {
    const t = power.tier || {}, g = power.gap || {}, c = power.classes || {};
    const inputs = t.inputs ? `; ${MP.fmt(t.real_inputs, 0)} of ${MP.fmt(t.inputs, 0)} capability inputs real, to ${t.data_year}` : "";
    const classP = [["great power", c.p_great_power], ["middle power", c.p_middle_power], ["middle-ranking power", c.p_middle_ranking_power], ["small state", c.p_small_state]];
    summary.replaceChildren(
      MP.el("div", { class: "stat", id: "stat-tier", "data-value": t.tier, "data-source": "middlepower power model" },
        MP.el("span", { class: "value" }, MP.tierBadge(t.tier)), MP.el("span", { class: "label" }, "tier (nominal)" + inputs)),
      MP.el("div", { class: "stat", id: "stat-p-middle", "data-value": t.p_middle, "data-source": "middlepower power model" },
        MP.el("span", { class: "value" }, MP.pct(t.p_middle)), MP.el("span", { class: "label" }, "probability of middle-power tier")),
      MP.el("div", { class: "stat", id: "stat-tier-p" }, MP.tierBar(t), MP.el("span", { class: "label" },
        `P(great) ${MP.pct(t.p_great)} · P(middle) ${MP.pct(t.p_middle)} · P(small) ${MP.pct(t.p_small)}`)),
      MP.el("div", { class: "stat", id: "stat-class", "data-value": c.class, "data-source": "middlepower power model",
        "data-tip": classP.map(([name, q]) => `P(${name}) ${MP.pct(q)}`).join(" · ") },
        MP.el("span", { class: "value" }, c.class || "no class"),
        MP.el("span", { class: "label" }, c.class ? `position × conduct; behaviour percentile ${MP.fmt(c.behaviour_percentile, 0)}: ` +
          `${c.conduct === true ? "middle-power conduct" : c.conduct === false ? "other conduct" : "conduct not measured"} (P ${MP.pct(c.p_conduct)})` : "position × conduct: no class without a tier")),
      MP.el("div", { class: "stat", id: "stat-gap", "data-value": g.gap, "data-source": "middlepower power model", "data-tip": g.no_gap ? `no power gap: ${g.no_gap}` : `90 % interval ${MP.signed(g.gap_lo)} to ${MP.signed(g.gap_hi)}; P(above its weight) ${MP.pct(g.p_above)}; influence ${MP.fmt(g.influence, 1)} against ${MP.fmt(g.expected_influence, 1)} for states of like capability (0–100)` },
        MP.el("span", { class: "value" }, MP.signed(g.gap)), MP.el("span", { class: "label" }, g.no_gap ? `no power gap (${g.no_gap})` : `power gap (SD), 90 %: ${MP.signed(g.gap_lo)} to ${MP.signed(g.gap_hi)}`)));
  }
  // A percentile cell; on a narrow screen, where the interval bar's column is hidden, it also gives the
  // 90 % interval as text beneath the number.
  const percentileCell = (r, source) => MP.el("td", { class: "num", "data-value": r.percentile, "data-source": source }, MP.fmt(r.percentile, 0),
    r.percentile === null || r.percentile === undefined ? null : MP.el("span", { class: "narrow-only interval" }, `${MP.fmt(r.percentile_lo, 0)}–${MP.fmt(r.percentile_hi, 0)}`));
  const percentileHead = () => MP.el("th", { class: "num" }, "Percentile", MP.el("span", { class: "narrow-only interval" }, "(90 %)"));
  const pillars = document.getElementById("pillars");
  if (power) {
    const rows = power.pillars.map((r) => MP.el("tr", { "data-pillar": r.pillar },
      MP.el("td", {}, r.name),
      MP.el("td", { class: "num wide-only", "data-value": r.score, "data-source": "middlepower power model" }, MP.fmt(r.score, 1)),
      percentileCell(r, null),
      MP.el("td", { class: "wide-only" }, MP.intervalBar(r.percentile, r.percentile_lo, r.percentile_hi, 100,
        `percentile ${MP.fmt(r.percentile, 0)}, 90 % interval ${MP.fmt(r.percentile_lo, 0)}–${MP.fmt(r.percentile_hi, 0)}`, "middlepower power model")),
      MP.el("td", { class: "num wide-only" }, MP.fmt(r.rank, 0)),
      MP.el("td", { class: "data" }, MP.vintage(r))));
    pillars.replaceChildren(MP.el("div", { class: "scroll" }, MP.el("table", { id: "pillar-table" },
      MP.el("thead", {}, MP.el("tr", {}, MP.el("th", {}, "Pillar"), MP.el("th", { class: "num wide-only" }, "Score"), percentileHead(), MP.el("th", { class: "wide-only" }, "90 % interval"), MP.el("th", { class: "num wide-only" }, "Rank"), MP.el("th", {}, "Data"))),
      MP.el("tbody", {}, rows))), MP.el("p", { class: "note" }, MP.el("span", { class: "wide-only" }, "Score 0–100 within the year; bar: percentile (dark) and its 90 % Monte Carlo interval (light). "),
        MP.el("span", { class: "narrow-only" }, "Under each percentile: its 90 % Monte Carlo interval. "), "Data: the oldest year of real data behind the pillar; carried = an input repeated from that year, imputed = drawn by the missing-data model (hover for which)."));
  } else pillars.replaceChildren(MP.el("p", { class: "muted" }, "—"));
  const criteria = document.getElementById("criteria");
  if (power && power.criteria) {
    const rows = power.criteria.map((r) => MP.el("tr", { "data-criterion": r.criterion, "data-verdict": r.verdict },
      MP.el("td", { "data-tip": r.measure }, r.label),
      MP.el("td", {}, MP.el("span", { class: "verdict " + String(r.verdict).replace(/ /g, "-") }, r.verdict)),
      percentileCell(r, "middlepower power model"),
      MP.el("td", { class: "wide-only" }, r.percentile === null ? "—" : MP.intervalBar(r.percentile, r.percentile_lo, r.percentile_hi, 100,
        `percentile ${MP.fmt(r.percentile, 0)}, 90 % interval ${MP.fmt(r.percentile_lo, 0)}–${MP.fmt(r.percentile_hi, 0)}; threshold ${MP.fmt(r.threshold, 1)}`, r.sources)),
      MP.el("td", { class: "data" }, MP.vintage(r))));
    const threshold = power.criteria.map((r) => r.threshold).find((v) => v !== null && v !== undefined);
    criteria.replaceChildren(MP.el("div", { class: "scroll" }, MP.el("table", { id: "criteria-table" },
      MP.el("thead", {}, MP.el("tr", {}, MP.el("th", {}, "Criterion"), MP.el("th", {}, "Verdict"), percentileHead(), MP.el("th", { class: "wide-only" }, "90 % interval"), MP.el("th", {}, "Data"))),
      MP.el("tbody", {}, rows))), MP.el("p", { class: "note" }, `Meets: the whole 90 % interval at or above the ${MP.fmt(threshold, 1)}th percentile; ` +
        "does not: wholly below it; inconclusive: it straddles. Hover a criterion for the measure behind it."));
  } else criteria.replaceChildren(MP.el("p", { class: "muted" }, "—"));
  const label = (r) => r.column.replace(/_/g, " ");
  const figureRows = p.panel.filter((f) => f.value !== null).map((f) => MP.el("tr", { "data-column": f.column },
    MP.el("td", {}, label(f)), MP.el("td", { class: "num", "data-value": f.value, "data-source": f.source }, MP.fmt(f.value)),
    MP.el("td", { class: "muted", "data-source": f.source }, (MP.sources[f.source] || {}).title || f.source)));
  const vintage = (f) => (f.status && f.status !== "real" ? ` (${f.status}${f.data_year ? " from " + f.data_year : ""})` : "");
  const indicatorRows = power ? power.indicators.filter((f) => f.value !== null).map((f) => {
    const src = (f.sources || "").split(", ")[0];
    return MP.el("tr", { "data-indicator": f.code },
      MP.el("td", {}, `${f.name} [${f.pillar}]`), MP.el("td", { class: "num", "data-value": f.value, "data-source": src }, MP.fmt(f.value) + " " + (f.unit || "") + vintage(f)),
      MP.el("td", { class: "muted", "data-source": src }, (MP.sources[src] || {}).title || f.sources));
  }) : [];
  document.getElementById("figures").replaceChildren(MP.el("table", { id: "figure-table" },
    MP.el("thead", {}, MP.el("tr", {}, MP.el("th", {}, "Figure"), MP.el("th", { class: "num" }, "Value"), MP.el("th", {}, "Source"))),
    MP.el("tbody", {}, indicatorRows, figureRows)));
}

async function histories(meta) {
  if (!meta.power) {
    for (const id of ["tier-history", "index-history", "gap-history"]) document.getElementById(id).replaceChildren(MP.el("p", { class: "muted" }, "Power model not available."));
  } else {
    const h = await MP.api(`/api/power/history/${encodeURIComponent(ISO3)}`);
    // Each point says how old the real data behind it are; each chart names its source and the oldest year.
    const real = (r, dataKey) => (r[dataKey] === null || r[dataKey] === undefined ? "" : `real data to ${r[dataKey]}`);
    const pts = (key, lo, hi, dataKey) => h.rows.map((r) => [r.year, r[key], lo ? r[lo] : null, hi ? r[hi] : null, real(r, dataKey)]);
    const caption = (key, dataKey, what) => {
      const rows = h.rows.filter((r) => r[key] !== null && r[key] !== undefined);
      if (!rows.length) return MP.el("p", { class: "note source" }, `Source: ${h.source}; no ${what} for this state.`);
      const last = rows[rows.length - 1], older = rows.filter((r) => r[dataKey] !== null && r[dataKey] < r.year);
      return MP.el("p", { class: "note source", "data-year": last[dataKey] }, `Source: ${h.source}, ${rows[0].year}–${last.year}. ` +
        `The ${last.year} ${what}: data from ${last[dataKey] ?? "—"}` + (older.length ? `; ${older.length} of ${rows.length} years rest partly on older data (hover a point for its year).` : "."));
    };
    document.getElementById("tier-history").replaceChildren(MP.lineChart([
      { label: "P(great)", colour: MP.tierColour.great, points: pts("p_great", null, null, "data_year") }, { label: "P(middle)", colour: MP.tierColour.middle, points: pts("p_middle", null, null, "data_year") },
      { label: "P(small)", colour: MP.tierColour.small, points: pts("p_small", null, null, "data_year") }], { min: 0, max: 1, source: h.source }),
      MP.legend([["P(great)", MP.tierColour.great], ["P(middle)", MP.tierColour.middle], ["P(small)", MP.tierColour.small]]),
      caption("p_small", "data_year", "tier"));
    document.getElementById("index-history").replaceChildren(MP.lineChart([{ label: "percentile", colour: "#1f6fb2", points: pts("percentile", "percentile_lo", "percentile_hi", "index_data_year") }],
      { min: 0, max: 100, digits: 0, source: h.source }), MP.el("p", { class: "note" }, "Line: nominal percentile; band: 90 % interval."),
      caption("percentile", "index_data_year", "index"));
    document.getElementById("gap-history").replaceChildren(MP.lineChart([{ label: "power gap", colour: "#7b2d8e", points: pts("gap", "gap_lo", "gap_hi", "gap_data_year") }],
      { zero: true, source: h.source }), MP.el("p", { class: "note" }, "Above 0: more influence than material capability predicts (standard deviations)."),
      caption("gap", "gap_data_year", "gap"));
  }
  const alignment = document.getElementById("alignment");
  if (meta.alignment) {
    const a = await MP.api(`/api/alignment/${encodeURIComponent(ISO3)}`);
    const colours = ["#1f6fb2", "#b2341f", "#d4a017", "#2e8b57", "#7b2d8e"];
    const series = a.series.map((s, i) => ({ label: s.label, colour: colours[i % colours.length], points: s.points }));
    const sources = (a.sources || [a.source]).join(", ");
    alignment.replaceChildren(MP.lineChart(series, { min: 0, max: 1, source: sources }), MP.legend(a.series.map((s, i) => [s.label, colours[i % colours.length]])),
      MP.el("p", { class: "note", id: "alignment-source", "data-source": sources }, a.label || a.source));
  } else alignment.replaceChildren(MP.el("p", { class: "muted" }, "UN voting alignment and the balance index are not available in this installation yet."));
  const role = document.getElementById("corridor-role");
  const years = await Promise.all(meta.corridor.volume_years.map((year) => MP.api("/api/corridor/transit", { year })));
  const rows = years.flatMap((t) => t.rows.filter((r) => r.iso3 === ISO3));
  const notes = years.filter((t) => t.note && t.rows.some((r) => r.iso3 === ISO3)).map((t) => t.note);  // e.g. volumes of mixed direction
  role.replaceChildren(rows.length ? MP.el("table", { id: "transit-table" }, MP.el("thead", {}, MP.el("tr", {}, MP.el("th", {}, "Year"), MP.el("th", { class: "num" }, "Transit flow (TEU)"), MP.el("th", { class: "num" }, "Transit centrality (0–1)"))),
    MP.el("tbody", {}, rows.map((r) => MP.el("tr", {}, MP.el("td", {}, r.year), MP.el("td", { class: "num", "data-source": "corridor: observed volumes (docs/corridor.md)" }, MP.fmt(r.transit_flow_teu, 0)), MP.el("td", { class: "num" }, MP.fmt(r.transit_centrality, 2))))))
    : MP.el("p", { class: "muted" }, "Not crossed by a modelled China–Europe corridor route."),
    ...notes.map((note) => MP.el("p", { class: "note transit-note" }, note)),
    MP.el("p", { class: "note" }, MP.el("a", { href: "/corridor" }, "Corridor network and scenarios →")));
}

MP.start(main);
