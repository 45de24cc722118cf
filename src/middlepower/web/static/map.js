// Map & ranking page: world map of a layer for a year (slider), ranking table with intervals.
"use strict";

const PANEL_LAYERS = [["gdp_usd", "GDP (current US$) — World Bank"], ["cinc", "CINC (COW capability share)"],
  ["population", "Population — World Bank"]];
let META, WORLD, PROJ;

async function main() {
  META = await MP.api("/api/meta");
  const layer = document.getElementById("layer"), year = document.getElementById("year");
  const options = [];
  if (META.power) {
    options.push(["tier", "Tier (great / middle / small)"], [META.power.root, "Power index (percentile)"]);
    for (const p of META.power.pillars) options.push([p.code, `Pillar: ${p.name} (percentile)`]);
  }
  for (const [code, label] of PANEL_LAYERS) options.push(["panel:" + code, label]);
  for (const [value, label] of options) layer.appendChild(MP.el("option", { value }, label));
  const params = new URLSearchParams(window.location.search);
  const first = META.power ? META.power.first : 1946;
  const last = META.power ? META.power.last : META.default_year;  // later years than the default carry a coverage note
  year.min = first; year.max = last;
  year.value = Math.min(Math.max(Number(params.get("year")) || META.default_year, first), last);
  if (params.get("layer") && options.some((o) => o[0] === params.get("layer"))) layer.value = params.get("layer");
  WORLD = MP.features(await MP.api("/api/map/world"), "countries").filter((f) => f.id !== "ATA");
  PROJ = MP.naturalEarth(1000, 10, -58, 84);
  drawBasemap();
  const refresh = () => { document.getElementById("year-label").textContent = year.value; update(); };
  year.addEventListener("input", () => { document.getElementById("year-label").textContent = year.value; });
  year.addEventListener("change", refresh);
  layer.addEventListener("change", refresh);
  refresh();
}

function drawBasemap() {
  const svg = document.getElementById("map");
  svg.setAttribute("viewBox", `0 0 ${PROJ.width} ${PROJ.height}`);
  for (const f of WORLD) {
    const path = MP.el("path", { class: "country", d: MP.pathData(f.rings, PROJ), fill: "#e4e6ea",
      "data-iso3": f.id || "", "data-name": f.name, id: f.id ? "c-" + f.id : null });
    path.addEventListener("click", () => {
      if (f.id) window.location.href = `/country/${f.id}?year=${document.getElementById("year").value}`;
    });
    svg.appendChild(path);
  }
}

async function update() {
  const layer = document.getElementById("layer").value, year = Number(document.getElementById("year").value);
  const svg = document.getElementById("map");
  history.replaceState(null, "", `/?layer=${encodeURIComponent(layer)}&year=${year}`);
  let colour, tip, source, legend, legendNote = "", note = "";
  if (layer.startsWith("panel:")) {
    const column = layer.slice(6);
    const body = await MP.api("/api/panel", { year, columns: column });
    const values = {};
    for (const r of body.rows) if (r[column] !== null) values[r.iso3] = r[column];
    const logged = Object.values(values).filter((v) => v > 0).map(Math.log);
    const lo = Math.min(...logged), hi = Math.max(...logged);
    const scale = MP.classes(lo, hi, MP.STEPS, (a, b) => `${MP.fmt(Math.exp(a))}–${MP.fmt(Math.exp(b))}`);
    colour = (iso3) => (values[iso3] > 0 ? scale.colour(Math.log(values[iso3])) : null);
    tip = (iso3) => MP.fmt(values[iso3]);
    source = () => body.columns[column];
    legend = [...scale.legend, ["no data", "#e4e6ea"]];
    legendNote = "equal steps on a log scale";
  } else {
    const body = await MP.api("/api/power/map", { year, layer });
    const values = body.values;
    if (layer === "tier") {
      colour = (iso3) => (values[iso3] && values[iso3].tier ? MP.tierColour[values[iso3].tier] : null);
      tip = (iso3) => (values[iso3] ? `${values[iso3].tier || "no tier"} · P(great) ${MP.pct(values[iso3].p_great)} · P(middle) ${MP.pct(values[iso3].p_middle)}` +
        ` · P(small) ${MP.pct(values[iso3].p_small)}${dataNote(values[iso3])}` : "");
      legend = [["great", MP.tierColour.great], ["middle", MP.tierColour.middle], ["small", MP.tierColour.small], ["no tier or no data", "#e4e6ea"]];
    } else {
      const scale = MP.classes(0, 100, MP.STEPS, (a, b) => `${Math.round(a)}–${Math.round(b)}`);
      colour = (iso3) => (values[iso3] && values[iso3].percentile !== null ? scale.colour(values[iso3].percentile) : null);
      tip = (iso3) => (values[iso3] ? `percentile ${MP.fmt(values[iso3].percentile, 0)} (90 % interval ${MP.fmt(values[iso3].percentile_lo, 0)}–${MP.fmt(values[iso3].percentile_hi, 0)})` +
        dataNote(values[iso3]) : "");
      legend = [...scale.legend, ["not scored", "#e4e6ea"]];
      legendNote = "percentile within the year";
    }
    source = () => "middlepower power model";
    const c = body.coverage;
    note = (layer === "tier" ? `${c.scored} of ${c.states} states have a tier in ${year} (the others: too little real data)`
      : `${c.scored} of ${c.states} states have a score on this layer in ${year}`) +
      (c.real_share !== null ? `; ${Math.round(c.real_share * 100)} % of their inputs observed that year (the rest carried forward or imputed)` : "") +
      ". Power model: indicator sources at /api/power/indicators.";
  }
  for (const path of svg.querySelectorAll("path.country")) {
    const iso3 = path.getAttribute("data-iso3");
    path.setAttribute("fill", colour(iso3) || "#e4e6ea");
    path.setAttribute("data-tip", `${path.getAttribute("data-name")}: ${tip(iso3) || "no data"}`);
    path.setAttribute("data-source", source(iso3));
  }
  const legendBox = document.getElementById("legend");
  legendBox.replaceChildren(MP.stepLegend(legend, legendNote));
  legendBox.setAttribute("data-steps", legend.length - 1);
  document.getElementById("map-note").textContent = note;
  svg.setAttribute("data-year", year);
  svg.setAttribute("data-layer", layer);
  await ranking(year);
}

// The oldest year of real data behind a map value, and whether an input is carried or imputed.
function dataNote(v) {
  return v.data_year === null || v.data_year === undefined ? "" : ` · real data to ${v.data_year}${MP.vintageFlags(v)}`;
}

async function ranking(year) {
  const box = document.getElementById("ranking");
  if (!META.power) { box.replaceChildren(MP.el("p", { class: "muted" }, "The power model is not available in this installation; the map shows panel figures only.")); return; }
  const body = await MP.api("/api/power/rank", { year });
  document.getElementById("ranking-title").textContent = `Ranking ${year} (on the ${body.ranked_on} pillar; ${body.states_scored} states with a ${body.ranked_on} score, tier or not)`;
  const head = MP.el("tr", {}, ["#", "State", "Tier", "Tier probability", "Score", "Rank interval (5–95 %)", "Power index", "Power gap", "Real data to"]
    .map((h, i) => MP.el("th", { class: [0, 4, 6, 7].includes(i) ? "num" : null }, h)));
  const rows = body.rows.filter((r) => r.score !== null).map((r) => {
    const tr = MP.el("tr", { class: "clickable", "data-iso3": r.iso3 },
      MP.el("td", { class: "num" }, r.position),
      MP.el("td", {}, r.name || r.iso3),
      MP.el("td", {}, MP.tierBadge(r.tier)),
      MP.el("td", {}, r.tier ? MP.tierBar(r) : MP.el("span", { class: "muted" }, "—")),
      MP.el("td", { class: "num", "data-source": "middlepower power model" }, MP.fmt(r.score, 1)),
      MP.el("td", {}, MP.intervalBar(r.position, r.rank_lo, r.rank_hi, body.states_scored,
        `rank ${r.position}, 5–95 % interval ${MP.fmt(r.rank_lo, 0)}–${MP.fmt(r.rank_hi, 0)}`, "middlepower power model"),
        " ", MP.el("span", { class: "muted" }, `${MP.fmt(r.rank_lo, 0)}–${MP.fmt(r.rank_hi, 0)}`)),
      MP.el("td", { class: "num" }, MP.fmt(r.power, 1)),
      MP.el("td", { class: "num", "data-tip": `90 % interval ${MP.signed(r.gap_lo)} to ${MP.signed(r.gap_hi)}` }, MP.signed(r.gap)),
      MP.el("td", { class: "data" }, MP.vintage(r, true)));
    tr.addEventListener("click", () => { window.location.href = `/country/${r.iso3}?year=${year}`; });
    return tr;
  });
  const wrap = MP.el("div", { class: "scroll", style: "max-height: 560px; overflow: auto" }, MP.el("table", { id: "ranking-table" }, MP.el("thead", {}, head), MP.el("tbody", {}, rows)));
  const download = MP.el("p", {}, MP.el("a", { id: "ranking-csv", class: "download", href: `/api/power/rank.csv?year=${year}`, download: `middlepower-rank-${year}.csv` }, `Download the ${year} ranking (CSV)`));
  box.replaceChildren(download, wrap, MP.el("p", { class: "note" }, "Rank interval: positions corresponding to the 90 % Monte Carlo interval of the state's percentile on the ranking pillar. Power gap: influence relative to states of like material capability, in standard deviations (positive = punches above its weight). " +
    "Real data to: the oldest year of real data behind the state's capability score. No tier: fewer than half of the capability inputs are real data."));
}

MP.start(main);
