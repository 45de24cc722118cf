// Corridor page: network map, route comparison, capacity and scenario before/after.
"use strict";

const CORRIDOR_COLOURS = { MC: "#e08a1e", NC: "#1f6fb2", SEA: "#2e8b57" };
const colourOf = (c) => CORRIDOR_COLOURS[c] || (String(c).startsWith("MC") ? "#e08a1e" : String(c).startsWith("N") ? "#1f6fb2" : "#6c7a89");

function table(rows, columns, id) {
  return MP.el("table", { id }, MP.el("thead", {}, MP.el("tr", {}, columns.map(([key, label]) => MP.el("th", {}, label)))),
    MP.el("tbody", {}, rows.map((r) => MP.el("tr", {}, columns.map(([key, label, fmt]) => MP.el("td", { "data-tip": r[key + "_source"] || null }, fmt ? fmt(r[key], r) : MP.fmt(r[key])))))));
}

// A table's caveats as the API words them (each once, with the rows it is about), under the table.
const notesLine = (notes, id) => MP.el("p", { class: "note", id }, notes ? `* ${notes}` : "");

async function main() {
  const [world, net] = await Promise.all([MP.api("/api/map/world"), MP.api("/api/corridor/network")]);
  const proj = MP.projection([-12, 18, 128, 62], 1000);
  const svg = document.getElementById("network");
  svg.setAttribute("viewBox", `0 0 ${proj.width} ${proj.height}`);
  for (const f of MP.features(world, "countries")) svg.appendChild(MP.el("path", { d: MP.pathData(f.rings, proj), fill: "#e4e6ea", stroke: "#fff", "stroke-width": 0.5, "data-tip": f.name }));
  const nodes = {};
  for (const n of net.nodes) nodes[n.id] = n;
  const at = (n) => proj.project([n.map_lon !== null ? n.map_lon : n.lon, n.map_lat !== null ? n.map_lat : n.lat]);
  const seen = new Set();
  for (const e of net.edges) {
    const a = nodes[e.from], b = nodes[e.to];
    if (!a || !b || e.mode === "sea") continue;  // sea legs would cross the whole map; listed in the table
    const [x1, y1] = at(a), [x2, y2] = at(b);
    svg.appendChild(MP.el("line", { x1, y1, x2, y2, stroke: colourOf(e.corridor), "stroke-width": e.mode === "ferry" ? 3 : 2,
      "stroke-dasharray": e.mode === "ferry" ? "5 3" : null, class: "edge", "data-edge": e.edge_id,
      "data-tip": `${a.name} → ${b.name} (${e.mode}); ${MP.fmt(e.distance_km, 0)} km; capacity ${MP.fmt(e.capacity_teu_per_year, 0)} TEU/yr. Sources: ${e.distance_source || "—"}; ${e.capacity_source || "no capacity figure"}` }));
    seen.add(e.from); seen.add(e.to);
  }
  for (const id of seen) {
    const n = nodes[id], [x, y] = at(n);
    svg.appendChild(MP.el("circle", { cx: x, cy: y, r: n.node_capacity_teu_per_year ? 5 : 3.5, fill: "#1d2430", stroke: "#fff", class: "node", "data-node": id,
      "data-tip": `${n.name} (${n.kind}); capacity ${MP.fmt(n.node_capacity_teu_per_year, 0)} TEU/yr (${n.node_capacity_source || "no figure"}); dwell ${MP.fmt(n.dwell_low_h, 0)}–${MP.fmt(n.dwell_high_h, 0)} h (${n.dwell_source || "no figure"})` }));
  }
  document.getElementById("net-legend").replaceChildren(MP.legend([["Middle Corridor", "#e08a1e"], ["Northern Corridor", "#1f6fb2"], ["other links", "#6c7a89"]]),
    MP.el("p", { class: "note" }, "Dashed: Caspian ferry crossings. Sea legs (via Suez, the Cape) are not drawn. Basemap: world-atlas / Natural Earth."));
  const cmp = await MP.api("/api/corridor/compare", { draws: 1000 });
  document.getElementById("compare").replaceChildren(table(cmp.rows, [["corridor", "Corridor"], ["distance_km", "km", (v) => MP.fmt(v, 0)],
    ["time_days", "days (model)", (v) => MP.fmt(v, 1)], ["p05_days", "5–95 % days", (v, r) => `${MP.fmt(r.p05_days, 1)}–${MP.fmt(r.p95_days, 1)}${r.interval_note ? "*" : ""}`],
    ["dwell_days", "of which dwell", (v) => MP.fmt(v, 1)], ["gauge_changes", "gauge breaks"], ["published_days", "published days"], ["published_source", "published by"]], "compare-table"),
    notesLine(cmp.notes, "compare-notes"));
  const cap = await MP.api("/api/corridor/capacity");
  document.getElementById("capacity").replaceChildren(table(cap.capacity, [["corridor", "Corridor"], ["max_flow_teu_per_year", "max flow TEU/yr", (v) => (v === null ? "unbounded (no figure)" : MP.fmt(v, 0))],
    ["bottleneck_names", "binding element"]], "capacity-table"),
    MP.el("h2", {}, "Utilisation (observed volume / max flow)"),
    table(cap.utilisation, [["corridor", "Corridor"], ["year", "Year", (v) => v], ["volume_teu", "TEU", (v) => MP.fmt(v, 0)],
      ["direction", "direction"], ["utilisation", "utilisation", (v, r) => MP.pct(v) + (r.note ? "*" : "")], ["source", "source"]], "utilisation-table"),
    notesLine(cap.notes, "utilisation-notes"));
  const list = await MP.api("/api/corridor/scenarios");
  const select = document.getElementById("scenario");
  for (const s of list.rows) select.appendChild(MP.el("option", { value: s.name }, s.title));
  select.value = list.rows.some((s) => s.name === "roadmap") ? "roadmap" : list.rows[0].name;
  const run = async () => {
    const s = list.rows.find((r) => r.name === select.value);
    document.getElementById("scenario-description").textContent = s.description;
    const body = await MP.api(`/api/corridor/scenarios/${encodeURIComponent(s.name)}`, { draws: 1000 });
    const flow = (v) => (v === null ? "unbounded" : MP.fmt(v, 0));
    document.getElementById("scenario-table").replaceChildren(table(body.rows, [["corridor", "Corridor"],
      ["max_flow_teu_per_year_before", "max flow before", flow], ["max_flow_teu_per_year_after", "after", flow],
      ["bottleneck_before", "bottleneck before"], ["bottleneck_after", "after"],
      ["time_days_before", "days before (5–95 %)", (v, r) => `${MP.fmt(v, 1)} (${MP.fmt(r.p05_days_before, 1)}–${MP.fmt(r.p95_days_before, 1)})`],
      ["time_days_after", "days after (5–95 %)", (v, r) => `${MP.fmt(v, 1)} (${MP.fmt(r.p05_days_after, 1)}–${MP.fmt(r.p95_days_after, 1)})`]], "scenario-result"));
  };
  select.addEventListener("change", run);
  await run();
}

MP.start(main);
